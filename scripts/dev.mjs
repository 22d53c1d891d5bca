#!/usr/bin/env node
// `npm run dev`: migrate the local D1, load the demo content when the database has no entries,
// then serve with `wrangler dev` on http://localhost:8787. Extra arguments go to `wrangler dev`.
// `npm run db:setup` runs the first two steps only.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const run = (args) => execFileSync(wrangler, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

if (!existsSync(join(root, '.dev.vars')) && existsSync(join(root, '.dev.vars.example'))) {
  copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'));
  console.log('Created .dev.vars from .dev.vars.example (local secrets; not committed).');
}

console.log('Applying migrations to the local D1 database…');
process.stdout.write(run(['d1', 'migrations', 'apply', 'DB', '--local']));

const count = JSON.parse(run(['d1', 'execute', 'DB', '--local', '--json', '--command', 'SELECT count(*) AS n FROM entries']));
if (count[0].results[0].n === 0) {
  console.log('The database is empty: loading the demo content (seed/demo.sql).');
  run(['d1', 'execute', 'DB', '--local', '--file', join('seed', 'demo.sql')]);
  // One demo source, so /planet works offline: this server's own RSS feed, read back through the
  // aggregator (allowed by ALLOW_LOOPBACK_UPSTREAMS=true in .dev.vars).
  run(['d1', 'execute', 'DB', '--local', '--command',
    "INSERT OR IGNORE INTO sources (url, title_override, next_due_at, created_at, updated_at) VALUES ('http://localhost:8787/feed.xml', 'Syndicate Demo, through the aggregator', 0, 0, 0)"]);
} else {
  console.log(`The database has ${count[0].results[0].n} entries: demo content not loaded.`);
}

if (process.argv.includes('--setup-only')) process.exit(0);
const dev = spawn(wrangler, ['dev', '--port', '8787', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
