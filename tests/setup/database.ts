// Every test file starts from the real schema (migrations/) and the real demo content (seed/).
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const row = await env.DB.prepare('SELECT count(*) AS n FROM entries').first<{ n: number }>();
if (row?.n === 0) {
  // D1's exec() takes one statement per line; the seed file has multi-line statements.
  const statements = env.TEST_SEED_SQL.split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
  await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
}
