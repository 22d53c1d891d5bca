// Hostile and empty pages: each ends in an ExtractError with a kind, quickly, never a crash, a
// stack overflow or a hang (the test timeout would catch a hang).
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/article';
import { MAX_DEPTH, MAX_ELEMENTS, MAX_HTML_CHARS, MAX_LIST_ITEMS, MAX_NESTING_COST } from '../../../src/extract/dom';
import { ExtractError, type ExtractErrorKind } from '../../../src/extract/extract-error';
import { extractList } from '../../../src/extract/list';

const URL = 'https://hostile.example/page';
const NOW = Date.UTC(2024, 5, 1);

function kindOf(run: () => unknown): ExtractErrorKind {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractError);
    return (error as ExtractError).kind;
  }
  throw new Error('expected an ExtractError');
}
const both = (html: string) => [
  kindOf(() => extractArticle(html, URL, { now: NOW })),
  kindOf(() => extractList(html, URL, undefined, NOW)),
];

const paragraph = '<p>A sentence of ordinary article text, long enough to be a real paragraph of a real story.</p>';

describe('hostile pages', () => {
  it('a 10 MB page is too_large, refused before parsing', () => {
    const html = `<html><body><article>${paragraph.repeat(Math.ceil((10 * 1024 * 1024) / paragraph.length))}</article></body></html>`;
    expect(html.length).toBeGreaterThan(MAX_HTML_CHARS);
    expect(both(html)).toEqual(['too_large', 'too_large']);
  });

  it('100,000 links are too_large (more elements than the limit)', () => {
    const links = Array.from({ length: 100_000 }, (_, i) => `<li><a href="/p/${i}">P ${i}</a></li>`).join('');
    const html = `<html><body><ul>${links}</ul></body></html>`;
    expect(html.length).toBeLessThan(MAX_HTML_CHARS);
    expect(both(html)).toEqual(['too_large', 'too_large']);
    expect(() => extractList(html, URL, undefined, NOW)).toThrow(`more than ${MAX_ELEMENTS} elements`);
  });

  it('10,000 levels of nesting are too_deep, and so is one level past the limit', () => {
    const deep = (n: number) => `<html><body>${'<div>'.repeat(n)}${paragraph}${'</div>'.repeat(n)}</body></html>`;
    expect(both(deep(10_000))).toEqual(['too_deep', 'too_deep']);
    expect(both(deep(MAX_DEPTH))).toEqual(['too_deep', 'too_deep']);
    // Inside the limit the page is read (html and body are two of the levels).
    expect(extractArticle(deep(MAX_DEPTH - 3), URL, { now: NOW }).text).toContain('ordinary article text');
  });

  it('a page nested deep all through is over the work budget: too_large before a DOM is built', () => {
    // 100 paragraphs, each 120 levels down (12,000 elements): under the element and depth limits,
    // over the budget.
    const deep = `${'<div>'.repeat(120)}${paragraph}${'</div>'.repeat(120)}`.repeat(100);
    const html = `<html><body>${deep}</body></html>`;
    expect(both(html)).toEqual(['too_large', 'too_large']);
    expect(() => extractArticle(html, URL, { now: NOW })).toThrow(`more than ${MAX_NESTING_COST} element levels`);
    // The same paragraphs a few levels down are read.
    const shallow = `<html><body><article>${paragraph.repeat(100 * 121)}</article></body></html>`;
    expect(extractArticle(shallow, URL, { now: NOW }).text).toContain('ordinary article text');
  });

  it('unclosed inline tags nest too: 100,000 <b> are too_deep', () => {
    expect(both(`<html><body><p>${'<b>x'.repeat(100_000)}</p></body></html>`)).toEqual(['too_deep', 'too_deep']);
  });

  it('a page with nothing to extract is nothing_found', () => {
    expect(both('')).toEqual(['nothing_found', 'nothing_found']);
    expect(both('<html><head><title>Empty</title></head><body></body></html>')).toEqual(['nothing_found', 'nothing_found']);
    const chromeOnly = `<html><body><nav><a href="/">Home</a> <a href="/about/">About</a></nav><aside><ul><li><a href="/a-post/">A post in a widget</a></li><li><a href="/b-post/">Another post in a widget</a></li></ul></aside><footer>© 2024</footer></body></html>`;
    expect(kindOf(() => extractList(chromeOnly, URL, undefined, NOW))).toBe('nothing_found');
    expect(kindOf(() => extractArticle('<html><body><p>Hi.</p></body></html>', URL, { now: NOW }))).toBe('nothing_found');
  });

  it('binary junk and broken markup: no crash, no list', () => {
    const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
    // Junk text is text: no crash, and what comes out is plain text without markup.
    expect(extractArticle(junk, URL, { now: NOW }).text.length).toBeGreaterThan(100);
    expect(kindOf(() => extractList(junk, URL, undefined, NOW))).toBe('nothing_found');
    expect(both('<<<>>><a href=<div></p></td></html>')).toEqual(['nothing_found', 'nothing_found']);
  });

  // Old pages close </html> early, or paste a second page after it; a browser puts what follows
  // into the body. Readability, given it outside the body, threw a TypeError (a 500 from the API).
  it('content after </html> is read as the body’s, as a browser reads it', () => {
    const story = [
      'When the chip maker needs to send a message to the rest of the industry, it turns to its chief architect.',
      'So it was at the forum in San Jose, one of the industry’s most important agenda-setting events of the year.',
      'The architect laid out the plan for the next processor generation, and the rivals took note within the week.',
    ];
    const html = `<html><head><title>Chips</title></head><body><table><tr><td><a href="/">Home</a></td></tr></table></body></html><div><h1>Chips</h1>${story.map((p) => `<p>${p}</p>`).join('')}</div></body></html>`;
    expect(extractArticle(html, URL, { now: NOW }).text.split('\n')).toEqual(story);
  });

  it('a list of 8,000 posts is cut to the limit, with a warning', () => {
    const links = Array.from({ length: 8_000 }, (_, i) => `<li><a href="/posts/${i}">Post number ${i} of the archive</a></li>`).join('');
    const result = extractList(`<html><body><main><ul>${links}</ul></main></body></html>`, URL, undefined, NOW);
    expect(result.items).toHaveLength(MAX_LIST_ITEMS);
    expect(result.warnings).toContain(`the page lists more than ${MAX_LIST_ITEMS} posts; only the first ${MAX_LIST_ITEMS} are returned`);
  });

  it('a JSON-LD block that is huge or hostile is skipped without harm', () => {
    const nested = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const html = `<html><head><script type="application/ld+json">${nested}</script><script type="application/ld+json">{not json</script></head><body><article><h1>T</h1>${paragraph.repeat(5)}</article></body></html>`;
    expect(extractArticle(html, URL, { now: NOW }).text).toContain('ordinary article text');
  });
});
