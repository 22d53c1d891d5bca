// The pure pieces of the console's rules builder: element paths (annotatePaths), the lists offered
// without examples (candidateLists), what a pointed element stands for (pointedAt), a date rule
// from a pointed date (withDateAt), and the snapshot sanitizer (sanitizeSnapshot).
import { describe, expect, it } from 'vitest';
import { candidateLists, extractList } from '../../../src/extract/list';
import { annotatePaths, pathSelector } from '../../../src/extract/paths';
import { pointedAt, rulesFromExamples, withDateAt } from '../../../src/extract/rules-from-examples';
import { sanitizeSnapshot } from '../../../src/html/sanitize';
import { LIST_PAGES } from '../../support/page-fixtures';

const NOW = Date.UTC(2024, 2, 10, 12, 0);
const WP = 'https://everydayliving.example/';

describe('annotatePaths', () => {
  it('gives every element of the body its own path, replacing any the page wrote, and changes nothing extraction reads', () => {
    const page = '<html><body><div data-sp="0"><p>One</p><p>Two <b>three</b></p></div><ul><li>x</li></ul></body></html>';
    const { html, body } = annotatePaths(page);
    expect(body).toBe(
      '<div data-sp="0"><p data-sp="0.0">One</p><p data-sp="0.1">Two <b data-sp="0.1.0">three</b></p></div><ul data-sp="1"><li data-sp="1.0">x</li></ul>',
    );
    expect(html).toContain('<body><div data-sp="0">');
    const annotated = annotatePaths(LIST_PAGES['wordpress-sidebar']!).html;
    expect(extractList(annotated, WP, undefined, NOW)).toEqual(extractList(LIST_PAGES['wordpress-sidebar']!, WP, undefined, NOW));
  });
});

describe('candidateLists', () => {
  it('answers extractList’s list first, each list once', () => {
    const lists = candidateLists(LIST_PAGES['wordpress-sidebar']!, WP, NOW);
    expect(lists[0]).toEqual({ method: 'repeated', items: extractList(LIST_PAGES['wordpress-sidebar']!, WP, undefined, NOW).items });
    const keys = lists.map((l) => l.items.map((i) => i.url).join(' '));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('offers the lists of several readings: JSON-LD first, the article blocks after', () => {
    const page = `<html><head><script type="application/ld+json">${JSON.stringify({
      '@type': 'ItemList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, url: 'https://x.example/featured-1', name: 'Featured one' },
        { '@type': 'ListItem', position: 2, url: 'https://x.example/featured-2', name: 'Featured two' },
      ],
    })}</script></head><body><main>${['a', 'b', 'c']
      .map((s) => `<article><h2><a href="https://x.example/posts/${s}">Post ${s} with a title</a></h2><p>Words about ${s}.</p></article>`)
      .join('')}</main></body></html>`;
    const lists = candidateLists(page, 'https://x.example/', NOW);
    expect(lists.map((l) => [l.method, l.items.map((i) => i.url)])).toEqual([
      ['json-ld', ['https://x.example/featured-1', 'https://x.example/featured-2']],
      ['article', ['https://x.example/posts/a', 'https://x.example/posts/b', 'https://x.example/posts/c']],
    ]);
  });
});

describe('pointedAt and withDateAt', () => {
  const page = annotatePaths(
    `<html lang="en"><body><main>${[1, 2, 3]
      .map(
        (n) => `<div class="post"><h2><a href="/p/${n}">Post number ${n}</a></h2><h3>May ${n}, 2023 in review</h3>
<p class="by">By Ann, <span class="posted">March ${n}, 2024</span></p><p class="mod">Updated <time datetime="2023-06-0${n}">June ${n}</time></p></div>`,
      )
      .join('')}</main></body></html>`,
  ).html;
  const at = (path: string) => pointedAt(page, 'https://x.example/list', pathSelector(path), NOW);

  it('a title link is its post’s URL; a <time> or short date words a date; a heading naming a date is words', () => {
    expect(at('0.0.0.0')).toEqual({ kind: 'example', example: 'https://x.example/p/1' });
    expect(at('0.0.0')).toEqual({ kind: 'example', example: 'https://x.example/p/1' });
    expect(at('0.0.2.0')).toEqual({ kind: 'date' });
    expect(at('0.1.3.0')).toEqual({ kind: 'date' });
    expect(at('0.0.1')).toEqual({ kind: 'example', example: 'May 1, 2023 in review' });
    expect(at('9.9')).toBeNull();
  });

  it('a date pointed at replaces the date rule, relative to the item holding it', () => {
    const derived = rulesFromExamples(page, 'https://x.example/list', ['https://x.example/p/2'], NOW);
    expect(derived?.ok).toBe(true);
    const rules = (derived as { ok: true; rules: { item: string; date?: string } }).rules;
    expect(rules.date).toBe('time');
    const dated = withDateAt(page, rules as never, pathSelector('0.2.2.0'));
    expect(dated?.date).toBe('span.posted');
    expect(
      extractList(page, 'https://x.example/list', dated!, NOW).items.map((i) => new Date(i.published!).toISOString().slice(0, 10)),
    ).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    // Outside every item: no date rule from there.
    expect(withDateAt(page, rules as never, 'main')).toBeNull();
  });
});

describe('sanitizeSnapshot', () => {
  it('keeps words and paths, drops every URL and everything that loads or runs', () => {
    const html = sanitizeSnapshot(
      '<p data-sp="0" style="color:red" onclick="x()"><a data-sp="0.0" href="https://x.example/">link</a><img data-sp="0.1" src="https://x.example/i.png" alt="words"><img src="https://x.example/j.png"></p><video src="v.mp4"></video><iframe src="https://www.youtube.com/embed/x"></iframe><span data-sp="1 onmouseover=x">y</span>',
    );
    expect(html).toBe('<p data-sp="0"><a data-sp="0.0">link</a><img data-sp="0.1" alt="words"></p><span>y</span>');
  });
});
