#!/usr/bin/env node
// `npm run dev`: migrate the local D1, load the demo content when the database has no entries,
// then serve with `wrangler dev` on http://localhost:8787 (`npm run dev -- --port 8804` for
// another port: SITE_URL and the demo source follow it). Other arguments go to `wrangler dev`.
// `npm run db:setup` runs the first two steps only.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
// --port N / --port=N: ours to read, so that SITE_URL (every URL in every feed) says the same port.
const args = process.argv.slice(2).filter((a) => a !== '--setup-only');
let port = 8787;
for (let i = 0; i < args.length; i++) {
  const match = /^--port(?:=(\d+))?$/.exec(args[i]);
  if (!match) continue;
  const value = match[1] ?? args[i + 1];
  if (!/^\d+$/.test(value ?? '') || Number(value) < 1 || Number(value) > 65535) {
    console.error(`--port expects a port number (1-65535), got ${value ?? 'nothing'}`);
    process.exit(2);
  }
  port = Number(value);
  args.splice(i, match[1] === undefined ? 2 : 1);
  i--;
}
const origin = `http://localhost:${port}`;
const DEMO_SOURCE_TITLE = 'Syndicate Demo, through the aggregator';
const run = (args) => execFileSync(wrangler, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

if (!existsSync(join(root, '.dev.vars')) && existsSync(join(root, '.dev.vars.example'))) {
  copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'));
  console.log('Created .dev.vars from .dev.vars.example (local secrets; not committed).');
}

console.log('Applying migrations to the local D1 database…');
process.stdout.write(run(['d1', 'migrations', 'apply', 'DB', '--local']));

/** Runs one SQL statement on the local D1. */
const sql = (command) => run(['d1', 'execute', 'DB', '--local', '--command', command]);

const count = JSON.parse(run(['d1', 'execute', 'DB', '--local', '--json', '--command', 'SELECT count(*) AS n FROM entries']));
if (count[0].results[0].n === 0) {
  console.log('The database is empty: loading the demo content (seed/demo.sql).');
  run(['d1', 'execute', 'DB', '--local', '--file', join('seed', 'demo.sql')]);
  // One demo source, so /planet works offline: this server's own RSS feed, read back through the
  // aggregator (allowed by ALLOW_LOOPBACK_UPSTREAMS=true in .dev.vars).
  sql(
    `INSERT OR IGNORE INTO sources (url, title_override, next_due_at, created_at, updated_at) VALUES ('${origin}/feed.xml', '${DEMO_SOURCE_TITLE}', 0, 0, 0)`,
  );
} else {
  console.log(`The database has ${count[0].results[0].n} entries: demo content not loaded.`);
  // The demo source reads this server's own feed: on another port, it follows.
  sql(
    `UPDATE sources SET url = '${origin}/feed.xml', etag = NULL, last_modified = NULL WHERE title_override = '${DEMO_SOURCE_TITLE}'
       AND url LIKE 'http://localhost:%/feed.xml' AND url <> '${origin}/feed.xml'
       AND NOT EXISTS (SELECT 1 FROM sources WHERE url = '${origin}/feed.xml')`,
  );
}

if (process.argv.includes('--setup-only')) process.exit(0);
console.log(`Serving ${origin} (SITE_URL=${origin}).`);
const dev = spawn(wrangler, ['dev', '--port', String(port), '--var', `SITE_URL:${origin}`, ...args], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
