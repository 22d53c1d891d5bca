// The worker as the bench runs it (bench/run.mjs, bench/profile-serve.mjs, bench/extract.mjs,
// bench/extract-eval.mjs): built as `wrangler deploy` builds it, run in workerd through Miniflare
// with a local D1 holding synthetic posts; and the CPU time of the workerd processes it started.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { Miniflare } from 'miniflare';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOKEN = 'bench-admin-token-16+';

/**
 * src/index.ts with the baselines of bench/baselines.ts in front (bench/worker.ts), bundled by
 * wrangler; from the checkout at `from` (another commit, for a before/after) when given.
 */
export function build(from = root) {
  // Inside this checkout either way: workerd reads no module from outside the directory it starts in.
  const outdir = join(root, 'bench', from === root ? '.build' : '.build-against');
  execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', 'bench/worker.ts', '--dry-run', '--outdir', outdir], {
    cwd: from,
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

const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';

/** A post of realistic size: 2–5 KB of HTML with links and an image, two tags, one author. */
function syntheticPost(i, now) {
  const paragraphs = 4 + (i % 7);
  const content = `${Array.from(
    { length: paragraphs },
    (_, p) =>
      `<p>Paragraph ${p} of post ${i}: ${LOREM.repeat(4)}` +
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

/**
 * `searchDocument` of src/db/search-docs.ts, the text the one writer of entries stores for search
 * (HTML stripped), bundled for Node: the seed checks its documents against it.
 */
async function searchDocumentFn() {
  const outfile = join(root, 'bench', '.build', 'search-docs.mjs');
  buildSync({
    entryPoints: [join(root, 'src', 'db', 'search-docs.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile,
    logLevel: 'error',
  });
  return (await import(`${outfile}?${Date.now()}`)).searchDocument;
}

const searchDocumentOf = (searchDocument, p) =>
  searchDocument({
    id: p.id,
    title: p.title,
    summary: p.summary,
    contentHtml: p.content,
    authors: [{ name: p.author }],
    tags: p.tags.map((name) => ({ name })),
  });

/** Posts one seeding transaction writes. */
const SEED_CHUNK = 5000;

/**
 * The posts [?1, ?2) as syntheticPost writes them, generated inside SQLite (a recursive CTE adds
 * one paragraph a step), so that 300 MB of rows do not cross from Node into workerd: `html` is the
 * content, `text` what searchDocument makes of summary and content. `seed` checks both against the
 * JavaScript for a sample of posts.
 */
const POSTS_CTE = `WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
  para(i, p, html, text) AS (
    SELECT i, 0, ${paragraph('i', '0')}, 'Summary of post ' || i || '. ' || ${paragraphText('i', '0')} FROM n
    UNION ALL
    SELECT i, p + 1, html || char(10) || ${paragraph('i', 'p + 1')}, text || ' ' || ${paragraphText('i', 'p + 1')}
    FROM para WHERE p + 1 < 4 + i % 7),
  posts(i, id, html, text) AS (
    SELECT i, 'urn:uuid:00000000-0000-4000-8000-' || printf('%012d', i),
      html || '<p><img src="/img/' || i || '.jpg" alt="figure ' || i || '"></p>', text
    FROM para WHERE p = 3 + i % 7)`;

function paragraph(i, p) {
  return `'<p>Paragraph ' || (${p}) || ' of post ' || ${i} || ': ${LOREM.repeat(4)}<a href="/posts/post-' || (${i} - 1) ||
    '">previous</a> and <a href="https://example.org/ref/' || (${p}) || '">a reference</a>.</p>'`;
}

function paragraphText(i, p) {
  return `'Paragraph ' || (${p}) || ' of post ' || ${i} || ': ${LOREM.repeat(4)}previous and a reference.'`;
}

/** Tag and author names by the post's number, as syntheticPost picks them. */
const tagName = (expr) => `'Tag ' || ((${expr}) % 10)`;
const authorName = "'Author ' || (i % 5)";

export async function seed(db, count, now) {
  for (const sql of migrationStatements()) await db.prepare(sql).run();
  // Each post's search document goes first, as the writer writes it (src/db/entry-writer.ts:
  // text, fresh = 1), so the triggers of migration 0023 keep it instead of indexing the HTML and
  // then indexing it again once per tag and per author.
  const statements = (start, end) => [
    db
      .prepare(
        `INSERT INTO search_docs (entry_id, title, body, authors, tags, fresh) ${POSTS_CTE}
         SELECT id, 'Post number ' || i || ': a realistic title of some length', text, ${authorName},
           ${tagName('i')} || ' ' || ${tagName('i * 3 + 1')}, 1 FROM posts`,
      )
      .bind(start, end),
    db
      .prepare(
        `INSERT INTO entries (id, slug, title, summary, content_html, status, published_at, updated_at) ${POSTS_CTE}
         SELECT id, 'post-' || i, 'Post number ' || i || ': a realistic title of some length', '<p>Summary of post ' || i || '.</p>',
           html, 'published', CAST(?3 AS INTEGER) - i * 3600000, CAST(?3 AS INTEGER) - i * 3600000 FROM posts`,
      )
      .bind(start, end, now),
    db
      .prepare(
        `INSERT OR IGNORE INTO entry_tags (entry_id, slug, name, position)
         WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
           t(i, position, name) AS (SELECT i, 0, ${tagName('i')} FROM n UNION ALL SELECT i, 1, ${tagName('i * 3 + 1')} FROM n)
         SELECT 'urn:uuid:00000000-0000-4000-8000-' || printf('%012d', i), lower(replace(name, ' ', '-')), name, position FROM t`,
      )
      .bind(start, end),
    db
      .prepare(
        `INSERT INTO entry_authors (entry_id, position, slug, name)
         WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT 'urn:uuid:00000000-0000-4000-8000-' || printf('%012d', i), 0, lower(replace(${authorName}, ' ', '-')), ${authorName} FROM n`,
      )
      .bind(start, end),
  ];
  for (let start = 0; start < count; start += SEED_CHUNK) await db.batch(statements(start, Math.min(count, start + SEED_CHUNK)));
  const posts = Array.from({ length: count }, (_, i) => syntheticPost(i, now));
  await checkSeed(db, posts);
  return posts;
}

/**
 * The rows SQL generated are the posts syntheticPost describes, and their search documents what
 * the writer would have stored: checked for a sample of posts (every shape of post: 4 to 10
 * paragraphs), or the bench stops.
 */
async function checkSeed(db, posts) {
  if (posts.length === 0) return;
  const searchDocument = await searchDocumentFn();
  const sample = [...new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 997, posts.length - 1].filter((i) => i < posts.length))];
  const { results } = await db
    .prepare(
      `SELECT e.id, e.slug, e.title, e.summary, e.content_html AS content, e.published_at AS publishedAt,
         (SELECT json_group_array(name) FROM (SELECT name FROM entry_tags WHERE entry_id = e.id ORDER BY position)) AS tags,
         (SELECT name FROM entry_authors WHERE entry_id = e.id) AS author,
         d.title AS t, d.body AS b, d.authors AS a, d.tags AS g, d.fresh
       FROM entries e JOIN search_docs d ON d.entry_id = e.id WHERE e.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(sample.map((i) => posts[i].id)))
    .all();
  if (results.length !== sample.length) throw new Error(`seed: ${results.length} of ${sample.length} sampled posts stored`);
  for (const row of results) {
    const post = posts.find((p) => p.id === row.id);
    const doc = searchDocumentOf(searchDocument, post);
    const stored = { ...row, tags: JSON.parse(row.tags) };
    for (const key of ['slug', 'title', 'summary', 'content', 'publishedAt', 'tags', 'author'])
      if (JSON.stringify(stored[key]) !== JSON.stringify(post[key]))
        throw new Error(
          `seed: ${row.id} ${key} differs from syntheticPost: ${JSON.stringify(stored[key]).slice(0, 300)} / ${JSON.stringify(post[key]).slice(0, 300)}`,
        );
    for (const key of ['t', 'b', 'a', 'g'])
      if (row[key] !== doc[key]) throw new Error(`seed: ${row.id} search document ${key} differs from searchDocument`);
    if (row.fresh !== 1) throw new Error(`seed: ${row.id} search document not written as text`);
  }
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
          // How large feeds are read (src/config.ts): FEED_STREAM_AFTER_BYTES=999999999 reads them whole.
          ...Object.fromEntries(
            ['FEED_STREAM_AFTER_BYTES', 'FEED_WINDOW_CHARS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]),
          ),
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
