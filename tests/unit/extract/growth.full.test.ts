// Extraction's cost grows with the page, not with its square. Each shape is a page an attacker
// (or a careless CMS) can publish: a long table, one paragraph of thousands of links, thousands
// of dated blocks in one container, thousands of classed boxes, a long list of posts, a date line
// of thousands of separators (a trim anchored at the text's end backtracks over them). Each is
// timed at about 2,000, 6,000 and 19,000 elements (the most a page may have) and at 50,000 (which
// must be refused as cheaply) in this run, after a warm-up, and the ratios of the times are held
// to linear growth with room for noise: k times the elements may cost at most 2.5 k times as much
// (a quadratic pass costs k² times: 9, 90). Each size is checked before the next is timed, so a
// quadratic pass fails in seconds. Runs in Node, where the clock moves while code runs (a
// Worker's stands still).
import { describe, expect, it } from 'vitest';
import { extractSanitizedArticle } from '../../../src/extract/article';
import { MAX_ELEMENTS } from '../../../src/extract/dom';
import { ExtractError } from '../../../src/extract/extract-error';
import { extractList } from '../../../src/extract/list';

const URL = 'https://hostile.example/page';
const SIZES = [2_000, 6_000, MAX_ELEMENTS - 1_000, 50_000];
/** Linear growth, times this much room for noise, is the most a page's cost may grow. */
const SLACK = 2.5;

const paragraph = '<p>A sentence of ordinary article text, long enough to be a real paragraph of a real story, with commas.</p>';
const page = (inner: string) =>
  `<html><head><title>A page</title></head><body><header><a href="/">Home</a></header><article><h1>A page</h1>${paragraph.repeat(3)}${inner}${paragraph}</article></body></html>`;
const times = (n: number, per: number, make: (i: number) => string) =>
  Array.from({ length: Math.floor(n / per) }, (_, i) => make(i)).join('');

/** Elements per shape, made about n elements large. */
const SHAPES: Record<string, (n: number) => string> = {
  'a long table': (n) => `<table>${times(n, 3, (i) => `<tr><td>Cell ${i}</td><td>Value ${i} and a few words</td></tr>`)}</table>`,
  'one paragraph of links': (n) => `<p>${times(n, 1, (i) => `word <a class="share-link" href="/l/${i}">link ${i}</a>`)}</p>`,
  'dated blocks in one container': (n) =>
    times(n, 2, (i) => `<div><time datetime="2024-01-0${1 + (i % 9)}">Jan ${1 + (i % 9)}</time></div>`),
  'classed boxes': (n) => times(n, 2, (i) => `<div class="ad-slot widget-${i % 7}"><span>Advertisement ${i}</span></div>`),
  'an archive of year headings, one post each': (n) =>
    times(
      n,
      5,
      (i) =>
        `<h2>${1995 + (i % 30)}</h2><ul><li><a href="/p/${i}/">Post ${i} of the archive</a> <span>0${1 + (i % 9)}-1${i % 9}</span></li></ul>`,
    ),
  'a thread of comments with reply links': (n) =>
    `<ol>${times(n, 5, (i) => `<li><article><time datetime="2024-03-0${1 + (i % 9)}">March</time><p>Comment ${i}, with a few words of its own.</p><a href="#c${i}">Reply</a></article></li>`)}</ol>`,
  'a date line of separators, thousands long': (n) =>
    `<ul><li><a href="/posts/1/">A post</a> <span class="date">x ${'· '.repeat(n * 2)}May 6, 2024</span></li><li><a href="/posts/2/">Another post</a> <span class="date">May 7, 2024</span></li></ul>${'<i></i>'.repeat(n)}`,
  'a list of posts': (n) =>
    `<ul>${times(n, 4, (i) => `<li><h2><a href="/posts/${i}/">Post ${i} title</a></h2><time datetime="2024-02-03">3 Feb</time></li>`)}</ul>`,
};

/** CPU milliseconds of extracting the page as an article and as a list (either may find nothing). */
function cost(html: string): number {
  const start = process.cpuUsage();
  for (const run of [() => extractSanitizedArticle(html, URL, { now: 0 }), () => extractList(html, URL, undefined, 0)]) {
    try {
      run();
    } catch (error) {
      if (!(error instanceof ExtractError)) throw error;
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('extraction cost grows linearly with the page', () => {
  cost(page(SHAPES['a long table']!(5_000)));
  for (const [name, make] of Object.entries(SHAPES)) {
    it(`${name}: ${SIZES.join(', ')} elements`, () => {
      // The smallest page is timed three times (best of three): its time is the ratios' base.
      const smallest = page(make(SIZES[0]!));
      const ms = [Math.min(cost(smallest), cost(smallest), cost(smallest))];
      const report = () =>
        `${name}: ${ms.map((t, i) => `${SIZES[i]} elements ${t.toFixed(0)} ms`).join(', ')}; ratios ${ms.map((t) => (t / ms[0]!).toFixed(1)).join(' : ')}`;
      for (const n of SIZES.slice(1)) {
        ms.push(cost(page(make(n))));
        expect(ms.at(-1)! / ms[0]!, report()).toBeLessThan((n / SIZES[0]!) * SLACK);
      }
      console.log(report());
    });
  }
});
