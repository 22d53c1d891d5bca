// The worker as the bench runs it (bench/run.mjs, bench/profile-serve.mjs, bench/extract.mjs,
// bench/extract-eval.mjs): built as `wrangler deploy` builds it, run in workerd through Miniflare
// with a local D1 holding synthetic posts; and the CPU time of the workerd processes it started.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOKEN = 'bench-admin-token-16+';

/** src/index.ts with the baselines of bench/baselines.ts in front (bench/worker.ts), bundled by wrangler. */
export function build() {
  const outdir = join(root, 'bench', '.build');
  execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', 'bench/worker.ts', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return join(outdir, 'worker.js');
}

/** The migrations, statement by statement (triggers span lines until END;). */
function migrationStatements() {
  const dir = join(root, 'migrations');
  const statements = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    let current = '';
    let inTrigger = false;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const code = line.replace(/--.*$/, '').trimEnd();
      if (!code.trim()) continue;
      current += `${code}\n`;
      if (/^CREATE TRIGGER/i.test(code.trim())) inTrigger = true;
      if (inTrigger ? /^END;$/i.test(code.trim()) : code.endsWith(';')) {
        statements.push(current);
        current = '';
        inTrigger = false;
      }
    }
  }
  return statements;
}

const TAGS = Array.from({ length: 10 }, (_, i) => `Tag ${i}`);
const AUTHORS = Array.from({ length: 5 }, (_, i) => `Author ${i}`);
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** A post of realistic size: 2–5 KB of HTML with links and an image, two tags, one author. */
function syntheticPost(i, now) {
  const paragraphs = 4 + (i % 7);
  const content = `${Array.from(
    { length: paragraphs },
    (_, p) =>
      `<p>Paragraph ${p} of post ${i}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(4)}` +
      `<a href="/posts/post-${i - 1}">previous</a> and <a href="https://example.org/ref/${p}">a reference</a>.</p>`,
  ).join('\n')}<p><img src="/img/${i}.jpg" alt="figure ${i}"></p>`;
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    slug: `post-${i}`,
    title: `Post number ${i}: a realistic title of some length`,
    summary: `<p>Summary of post ${i}.</p>`,
    content,
    publishedAt: now - i * 3_600_000,
    tags: [TAGS[i % 10], TAGS[(i * 3 + 1) % 10]],
    author: AUTHORS[i % 5],
  };
}

export async function seed(db, count, now) {
  for (const sql of migrationStatements()) await db.prepare(sql).run();
  const posts = Array.from({ length: count }, (_, i) => syntheticPost(i, now));
  // Rows go in as JSON arrays read by json_each, 200 posts a statement: every prepare and bind is a
  // call from Node into workerd, and one per row made seeding 10,000 posts take many minutes on a
  // busy machine.
  for (let start = 0; start < posts.length; start += 200) {
    const json = JSON.stringify(
      posts
        .slice(start, start + 200)
        .map((p) => ({ ...p, tags: p.tags.map((name) => ({ slug: slug(name), name })), authorSlug: slug(p.author) })),
    );
    await db.batch([
      db
        .prepare(
          `INSERT INTO entries (id, slug, title, summary, content_html, status, published_at, updated_at)
           SELECT value ->> '$.id', value ->> '$.slug', value ->> '$.title', value ->> '$.summary', value ->> '$.content', 'published',
             value ->> '$.publishedAt', value ->> '$.publishedAt' FROM json_each(?1)`,
        )
        .bind(json),
      db
        .prepare(
          `INSERT OR IGNORE INTO entry_tags (entry_id, slug, name, position)
           SELECT p.value ->> '$.id', t.value ->> '$.slug', t.value ->> '$.name', t.key FROM json_each(?1) p, json_each(p.value, '$.tags') t`,
        )
        .bind(json),
      db
        .prepare(
          `INSERT INTO entry_authors (entry_id, position, slug, name)
           SELECT value ->> '$.id', 0, value ->> '$.authorSlug', value ->> '$.author' FROM json_each(?1)`,
        )
        .bind(json),
    ]);
  }
  return posts;
}

/**
 * Starts the built worker in workerd with `posts` synthetic posts. `freshness`: FEED_FRESHNESS
 * (unset: the product's default); `inspectorPort`: open V8's inspector there (CPU profiles).
 */
export async function startWorker(script, posts, { freshness, inspectorPort } = {}) {
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    ...(inspectorPort ? { inspectorPort } : {}),
    workers: [
      {
        name: 'syndicate',
        scriptPath: script,
        modules: true,
        compatibilityDate: '2026-04-20',
        compatibilityFlags: ['nodejs_compat'],
        bindings: {
          SITE_URL: 'http://localhost:8787',
          SITE_TITLE: 'Bench',
          SITE_DESCRIPTION: 'Synthetic publication',
          SITE_LANGUAGE: 'en',
          FEED_MAX_AGE: '0',
          WEBSUB_HUB: '',
          ALLOW_LOOPBACK_UPSTREAMS: 'true',
          ADMIN_TOKEN: TOKEN,
          ...(freshness === undefined ? {} : { FEED_FRESHNESS: freshness }),
        },
        d1Databases: { DB: 'bench-db' },
        queueProducers: { REFRESH_QUEUE: 'syndicate-refresh' },
      },
    ],
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  const db = await mf.getD1Database('DB');
  const stored = await seed(db, posts, Date.now());
  return { mf, url, db, posts: stored };
}

/** The workerd processes this bench started (descendants of this process), not other people's. */
export function workerdPids() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, comm, ppid] = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat) ?? [];
      if (!children.has(Number(ppid))) children.set(Number(ppid), []);
      children.get(Number(ppid)).push({ pid: Number(entry), comm });
    } catch {
      // the process ended meanwhile
    }
  }
  const found = [];
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      if (/workerd/.test(child.comm)) found.push(child.pid);
      walk(child.pid);
    }
  };
  walk(process.pid);
  return found;
}

/**
 * Nanoseconds the processes' threads have run on a CPU (the first field of each thread's
 * /proc/…/schedstat): CPU time, unlike the worker's clock, which also counts the time other
 * processes of a busy machine hold the cores.
 */
export function cpuNs(pids) {
  let ns = 0;
  for (const pid of pids) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`))
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread ended meanwhile
    }
  }
  return ns;
}
