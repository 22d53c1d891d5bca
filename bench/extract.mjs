// Extraction in workerd, for `npm run bench` (bench/run.mjs) and the quality harness
// (bench/extract-eval.mjs): with the bench worker (bench/harness.mjs), measures the CPU time of extracting a list page and an article of 100–200 KB,
// the weight of real pages (most of it scripts, styles, menus and comments around the content).
// The pages are our fixtures (tests/fixtures/pages/) with that weight added, so the figures need
// no dataset and mean the same on every machine.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuNs, startWorker, workerdPids } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
export function costPages() {
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
  const w = await startWorker(script, 0);
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
