#!/usr/bin/env node
// `npm run dev`: migrate the local D1, add the demo source when the database is empty, serve the
// demo publication's web pages (seed/site/) on 127.0.0.1:<port + 1>, then serve Syndicate with
// `wrangler dev` on http://localhost:8787, refresh the demo source once it answers, and run the
// cron as production does (`wrangler dev` runs none: this script calls its /__scheduled path).
// `npm run dev -- --port 8804` for another port: SITE_URL and the demo site follow it. Other
// arguments go to `wrangler dev`. `npm run db:setup` runs the first two steps only.
//
// The demo is the publication of ../shared/seed/site-page.txt: a blog whose pages have no feed.
// Syndicate reads them through a page source that feeds the site (`site: true`), so the site's own
// /feed.xml, its home page and the planet all come from those pages. No network is needed.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoSite } from './demo-site.mjs';

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
const demoPort = port + 1;
const demoSite = `http://127.0.0.1:${demoPort}/`;
const DEMO_SOURCE_TITLE = 'The Daily Blog';
const run = (args) => execFileSync(wrangler, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

if (!existsSync(join(root, '.dev.vars')) && existsSync(join(root, '.dev.vars.example'))) {
  copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'));
  console.log('Created .dev.vars from .dev.vars.example (local secrets; not committed).');
}

applyMigrations();

/**
 * Applies migrations/ to the local D1 and says so in one line; wrangler's own output (a table per
 * migration) is printed only when it fails.
 */
function applyMigrations() {
  let output;
  try {
    output = execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local'], {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    process.stdout.write(error.stdout ?? '');
    process.stderr.write(error.stderr ?? '');
    console.error('Migrations failed: the local D1 database (.wrangler/) is not up to date.');
    process.exit(error.status ?? 1);
  }
  const all = readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.sql')).length;
  const applied = Number(/About to apply (\d+) migration/.exec(output)?.[1] ?? 0);
  console.log(`Migrations: ${all} applied${applied ? ` (${applied} just now)` : ''}, database up to date.`);
}

/** Runs one SQL statement on the local D1. */
const sql = (command) => run(['d1', 'execute', 'DB', '--local', '--command', command]);

const count = JSON.parse(
  run([
    'd1',
    'execute',
    'DB',
    '--local',
    '--json',
    '--command',
    'SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM sources) AS n',
  ]),
);
if (count[0].results[0].n === 0) {
  console.log(`The database is empty: adding the demo source, the pages of ${demoSite} (seed/site/).`);
  // A page source that feeds the site: its posts are the site's own feeds and home page, and the planet's.
  sql(
    `INSERT OR IGNORE INTO sources (url, title_override, kind, site, next_due_at, created_at, updated_at) VALUES ('${demoSite}', '${DEMO_SOURCE_TITLE}', 'page', 1, 0, ${Date.now()}, ${Date.now()})`,
  );
} else {
  console.log('The database has entries or sources already: demo source not added.');
  // The demo source reads the demo site, whose port follows this server's.
  sql(
    `UPDATE sources SET url = '${demoSite}', etag = NULL, last_modified = NULL, next_due_at = 0 WHERE title_override = '${DEMO_SOURCE_TITLE}'
       AND url LIKE 'http://127.0.0.1:%/' AND url <> '${demoSite}' AND NOT EXISTS (SELECT 1 FROM sources WHERE url = '${demoSite}')`,
  );
}

if (process.argv.includes('--setup-only')) process.exit(0);
await startDemoSite(demoPort);
console.log(`The demo publication's pages: ${demoSite}`);
console.log(`Serving ${origin} (SITE_URL=${origin}).`);
// --test-scheduled: wrangler serves /__scheduled, which runs the scheduled handler (the cron).
const dev = spawn(wrangler, ['dev', '--port', String(port), '--var', `SITE_URL:${origin}`, '--test-scheduled', ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
refreshDemoSource()
  .catch((error) => console.error(`The demo source was not refreshed: ${error.message}`))
  .then(runSchedule);

/**
 * The cron of wrangler.toml, run here through wrangler's /__scheduled: once at start, then at every
 * multiple of its interval, as Cloudflare runs it (an expression of the form "every N minutes";
 * any other expression every minute).
 */
function runSchedule() {
  const cron = /^\s*crons\s*=\s*\[\s*"([^"]+)"/m.exec(readFileSync(join(root, 'wrangler.toml'), 'utf8'))?.[1];
  if (!cron) return;
  const everyMs = Number(/^\*\/(\d+) \* \* \* \*$/.exec(cron)?.[1] ?? 1) * 60_000;
  const trigger = `${origin}/__scheduled?cron=${encodeURIComponent(cron)}`;
  let failing = false;
  const tick = async () => {
    try {
      const res = await fetch(trigger);
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      failing = false;
    } catch (error) {
      if (!failing) console.error(`The cron did not run (${trigger}): ${error.message}`);
      failing = true;
    }
  };
  const every = everyMs / 60_000 === 1 ? 'minute' : `${everyMs / 60_000} minutes`;
  console.log(`The cron (${cron}) runs every ${every}, as in production; to run it now: curl -s ${origin}/__scheduled`);
  tick();
  setTimeout(
    () => {
      tick();
      setInterval(tick, everyMs);
    },
    everyMs - (Date.now() % everyMs),
  );
}

/** The demo source's first refresh, through the admin API once the server answers, saying how many posts it read. */
async function refreshDemoSource() {
  const token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(root, '.dev.vars'), 'utf8'))?.[1]?.trim();
  if (!token) return;
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${origin}/api/sources?limit=100`, { headers });
      if (res.ok) {
        const { sources } = await res.json();
        const demo = sources.find((s) => s.url === demoSite);
        if (!demo || demo.last_fetched_at) return;
        const done = await (await fetch(`${origin}/api/sources/${demo.id}/refresh`, { method: 'POST', headers })).json();
        console.log(`The demo source read ${done.refresh?.items?.changed ?? 0} posts from ${demoSite}: ${origin}/feed.xml`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
