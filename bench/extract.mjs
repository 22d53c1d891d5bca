// Extraction in workerd, for `npm run bench` (bench/run.mjs) and the quality harness
// (bench/extract-eval.mjs): builds the bench worker as `wrangler deploy` would, starts it in
// Miniflare, and measures the CPU time of extracting a list page and an article of 100–200 KB,
// the weight of real pages (most of it scripts, styles, menus and comments around the content).
// The pages are our fixtures (tests/fixtures/pages/) with that weight added, so the figures need
// no dataset and mean the same on every machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_TOKEN = 'bench-admin-token-16+';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** bench/worker.ts (src/index.ts with the /__bench routes in front), bundled by wrangler; the script's path. */
export function buildBenchWorker() {
  const outdir = join(root, 'bench', '.build');
  execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', 'bench/worker.ts', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return join(outdir, 'worker.js');
}

/** The worker in a Miniflare of its own (loopback upstreams allowed, for local pages); `{ mf, url }`. */
export async function startExtractWorker(script) {
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
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
          SITE_DESCRIPTION: 'Extraction bench',
          SITE_LANGUAGE: 'en',
          FEED_MAX_AGE: '0',
          WEBSUB_HUB: '',
          ALLOW_LOOPBACK_UPSTREAMS: 'true',
          ADMIN_TOKEN: BENCH_TOKEN,
        },
        d1Databases: { DB: 'bench-extract-db' },
        queueProducers: { REFRESH_QUEUE: 'syndicate-refresh' },
      },
    ],
  });
  return { mf, url: (await mf.ready).href.replace(/\/$/, '') };
}

const fixture = (kind, name) => readFileSync(join(root, 'tests', 'fixtures', 'pages', kind, `${name}.html`), 'utf8');

/** A page with a typical site's weight around its content: inline CSS and JSON state, a mega menu, a footer, comments. */
function heavy(html, site) {
  const css = Array.from(
    { length: 600 },
    (_, i) => `.c${i}{margin:${i % 7}px;padding:${i % 5}px;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`,
  ).join('\n');
  const state = JSON.stringify({
    props: { pageProps: { menu: Array.from({ length: 300 }, (_, i) => ({ id: i, label: `Section ${i}`, href: `/section-${i}/` })) } },
  });
  const menu = `<nav class="mega-menu"><ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="${site}/section-${i}/">Section ${i}</a><ul>${Array.from({ length: 12 }, (_, j) => `<li><a href="${site}/section-${i}/topic-${j}/">Topic ${j} of section ${i}</a></li>`).join('')}</ul></li>`).join('')}</ul></nav>`;
  const footer = `<footer class="site-footer"><ul>${Array.from({ length: 120 }, (_, i) => `<li><a href="${site}/page-${i}/">Footer link ${i}</a></li>`).join('')}</ul></footer>`;
  const comments = `<section id="comments" class="comments-area"><h2>60 Comments</h2><ol class="comment-list">${Array.from({ length: 60 }, (_, i) => `<li class="comment"><article class="comment-body"><footer class="comment-meta"><b class="fn">Reader ${i}</b> <time datetime="2024-03-0${(i % 9) + 1}T10:00:00Z">March ${(i % 9) + 1}, 2024</time></footer><div class="comment-content"><p>Comment number ${i}: thanks for writing this, it matches what I have seen in my own town over the last few years.</p></div><div class="reply"><a class="comment-reply-link" href="#comment-${i}">Reply</a></div></article></li>`).join('')}</ol></section>`;
  return html
    .replace(
      '</head>',
      `<style>${css}</style><script id="__STATE__" type="application/json">${state}</script><script>${'window.analytics && window.analytics.track("view");'.repeat(200)}</script></head>`,
    )
    .replace(/<body([^>]*)>/, `<body$1>${menu}`)
    .replace('</body>', `${comments}${footer}</body>`);
}

/** The measured pages: three articles and two list pages (one a WordPress archive of 60 posts), each 100–200 KB. */
function costPages() {
  const posts = Array.from(
    { length: 60 },
    (_, i) =>
      `<article class="post-${i} post type-post hentry"><header class="entry-header"><h2 class="entry-title"><a href="https://everydayliving.example/post-${i}/">Post number ${i}: a title of ordinary length for a blog</a></h2><div class="entry-meta"><time class="entry-date published" datetime="2020-11-0${(i % 9) + 1}T08:00:00Z">November ${(i % 9) + 1}, 2020</time> by <a href="https://everydayliving.example/author/admin/">admin</a></div></header><div class="entry-summary"><p>An excerpt of the post, a couple of sentences long, as themes print them under the title on archive pages. It ends with a link.</p></div><a class="more-link" href="https://everydayliving.example/post-${i}/#more">Continue reading</a></article>`,
  ).join('');
  const sidebar = fixture('lists', 'wordpress-sidebar');
  const pages = [
    ...[
      ['news-wp-ads', 'https://dailyledger.example'],
      ['medium-like', 'https://medium.example'],
      ['german-news', 'https://www.rheinische-rundschau.example'],
    ].map(([name, site]) => ({ kind: 'article', name, url: `${site}/post`, html: heavy(fixture('articles', name), site) })),
    {
      kind: 'list',
      name: 'wordpress-sidebar',
      url: 'https://everydayliving.example/',
      html: heavy(sidebar, 'https://everydayliving.example'),
    },
    {
      kind: 'list',
      name: 'archive-60-articles',
      url: 'https://everydayliving.example/',
      html: heavy(
        sidebar.replace(/<div class="wp-block-latest-posts__wrapper">[\s\S]*?<\/ul>\s*<\/div>/, posts),
        'https://everydayliving.example',
      ),
    },
  ];
  for (const p of pages) {
    if (p.html.length < 100_000 || p.html.length > 200_000)
      throw new Error(`extract bench: ${p.name} is ${p.html.length} characters, not 100–200 KB`);
  }
  return pages;
}

/** The workerd processes this process started (its descendants), not other people's. */
function workerdPids() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [, comm, ppid] = /^\d+ \((.*)\) \S+ (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8')) ?? [];
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
function cpuNs(pids) {
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

/**
 * The CPU time of extraction per page inside workerd: each page once in a fresh isolate (`first`,
 * which includes compiling chrono-node's and Readability's regular expressions), then `runs` warm
 * extractions, one request each. The figure is workerd's CPU time per request (all its threads,
 * from /proc; the request's own handling, a fraction of a millisecond, included), median over the
 * runs; the worker's own clock around the extraction is reported beside it.
 */
export async function measureExtraction(script, { quick = false } = {}) {
  const runs = quick ? 3 : 15;
  const pages = costPages();
  const before = new Set(workerdPids());
  const w = await startExtractWorker(script);
  try {
    const ours = workerdPids().filter((p) => !before.has(p));
    const post = async (page) => {
      const t = cpuNs(ours);
      const res = await fetch(`${w.url}/__bench/extract/cost?kind=${page.kind}&url=${encodeURIComponent(page.url)}`, {
        method: 'POST',
        body: page.html,
      });
      if (!res.ok) throw new Error(`extract bench: ${page.name}: HTTP ${res.status} ${await res.text()}`);
      const { ms, found } = await res.json();
      return { cpu: (cpuNs(ours) - t) / 1e6, clock: ms[0], found };
    };
    const byKind = { list: [], article: [] };
    const detail = {};
    for (const page of pages) {
      const first = await post(page);
      const warm = [];
      for (let i = 0; i < runs; i++) warm.push(await post(page));
      byKind[page.kind].push(...warm.map((r) => r.cpu));
      detail[page.name] = {
        kind: page.kind,
        kb: Math.round(page.html.length / 1024),
        firstMs: round(first.cpu),
        cpuMs: round(median(warm.map((r) => r.cpu))),
        clockMs: round(median(warm.map((r) => r.clock))),
        found: first.found,
      };
    }
    return { runs, listMs: round(median(byKind.list)), articleMs: round(median(byKind.article)), pages: detail };
  } finally {
    await w.mf.dispose();
  }
}
const round = (x) => Math.round(x * 10) / 10;

/** The bench's summary line of the extraction figures, and the per-page detail above it. */
export function extractionReport(r) {
  const detail = Object.entries(r.pages).map(
    ([name, p]) =>
      `  ${p.kind.padEnd(8)}${name.padEnd(21)}${`${p.kb} KB`.padEnd(8)}first ${String(p.firstMs).padStart(6)} ms  warm ${String(p.cpuMs).padStart(6)} ms CPU (worker clock ${p.clockMs} ms)  ${p.kind === 'list' ? `${p.found} items` : `${p.found} characters of text`}`,
  );
  return [
    `\nextraction in workerd, pages of 100–200 KB: CPU per request, first in a fresh isolate, then the median of ${r.runs} warm runs:`,
    ...detail,
    `extract: list=${r.listMs} ms article=${r.articleMs} ms (CPU per page, median)`,
  ].join('\n');
}
