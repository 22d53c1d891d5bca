// CPU cost of extraction inside workerd, for pages of 100–200 KB: the weight of real pages, most
// of it scripts, styles, menus and comments around the content. The pages are the fixtures with
// that weight added. Logs milliseconds per page (first run, which includes compiling chrono-node's
// and Readability's regular expressions in a fresh isolate, then the mean of warm runs); asserts
// only the page sizes, never timings. Run: npx vitest run tests/extract-cost.test.ts
import { expect, it } from 'vitest';
import { extractArticle } from '../src/extract/article';
import { extractList } from '../src/extract/list';
import { ARTICLE_PAGES, LIST_PAGES } from './extract/fixtures';

const NOW = Date.UTC(2024, 5, 1);
const RUNS = 10;

/** A page with a typical site's weight around its content: inline CSS and JSON state, a mega menu, a footer, comments. */
function heavy(html: string, site: string): string {
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

function measure(run: () => unknown): { first: number; warm: number } {
  let start = performance.now();
  run();
  const first = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < RUNS; i++) run();
  return { first, warm: (performance.now() - start) / RUNS };
}

it('logs the CPU time of extractArticle and extractList on 100–200 KB pages', () => {
  const lines: string[] = [];
  const articles: [string, string][] = [
    ['news-wp-ads', 'https://dailyledger.example'],
    ['medium-like', 'https://medium.example'],
    ['german-news', 'https://www.rheinische-rundschau.example'],
  ];
  for (const [name, site] of articles) {
    const html = heavy(ARTICLE_PAGES[name]!, site);
    expect(html.length).toBeGreaterThan(100_000);
    expect(html.length).toBeLessThan(200_000);
    const { first, warm } = measure(() => extractArticle(html, `${site}/post`, { now: NOW }));
    lines.push(
      `article ${name.padEnd(18)} ${(html.length / 1024).toFixed(0).padStart(4)} KB  first ${first.toFixed(1).padStart(6)} ms  warm ${warm.toFixed(1).padStart(6)} ms`,
    );
  }
  // A list page of 60 posts with excerpts, as a WordPress archive shows them.
  const posts = Array.from(
    { length: 60 },
    (_, i) =>
      `<article class="post-${i} post type-post hentry"><header class="entry-header"><h2 class="entry-title"><a href="https://everydayliving.example/post-${i}/">Post number ${i}: a title of ordinary length for a blog</a></h2><div class="entry-meta"><time class="entry-date published" datetime="2020-11-0${(i % 9) + 1}T08:00:00Z">November ${(i % 9) + 1}, 2020</time> by <a href="https://everydayliving.example/author/admin/">admin</a></div></header><div class="entry-summary"><p>An excerpt of the post, a couple of sentences long, as themes print them under the title on archive pages. It ends with a link.</p></div><a class="more-link" href="https://everydayliving.example/post-${i}/#more">Continue reading</a></article>`,
  ).join('');
  const lists: [string, string][] = [
    ['wordpress-sidebar', LIST_PAGES['wordpress-sidebar']!],
    [
      'archive-60-articles',
      LIST_PAGES['wordpress-sidebar']!.replace(/<div class="wp-block-latest-posts__wrapper">[\s\S]*?<\/ul>\s*<\/div>/, posts),
    ],
  ];
  for (const [name, page] of lists) {
    const html = heavy(page, 'https://everydayliving.example');
    expect(html.length).toBeGreaterThan(100_000);
    expect(html.length).toBeLessThan(200_000);
    let count = 0;
    const { first, warm } = measure(() => {
      count = extractList(html, 'https://everydayliving.example/', undefined, NOW).items.length;
    });
    lines.push(
      `list    ${name.padEnd(18)} ${(html.length / 1024).toFixed(0).padStart(4)} KB  first ${first.toFixed(1).padStart(6)} ms  warm ${warm.toFixed(1).padStart(6)} ms  (${count} items)`,
    );
  }
  console.log(lines.join('\n'));
});
