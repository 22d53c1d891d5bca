// extractArticle where plain Readability goes wrong (issue 22, point 6): its choice is a box in
// an aside, a thread of readers' comments or a gallery's captions instead of the post (found by
// structure: no class name of any site), dates written in a byline or after a label are read in
// the source's language, a month is never an author, and the lead figure before the body stays in
// contentHtml. Fixtures written for this test: tests/fixtures/pages/articles-secondary/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/article';

const NOW = Date.UTC(2027, 0, 1);
const dir = join(__dirname, '../../fixtures/pages/articles-secondary');
const page = (name: string) => readFileSync(join(dir, `${name}.html`), 'utf8');
const expected = (name: string) =>
  readFileSync(join(dir, `${name}.expected.txt`), 'utf8')
    .trim()
    .split('\n');
const extract = (name: string, dateLocale?: string) =>
  extractArticle(page(name), `https://pages.example/${name}.html`, { now: NOW, dateLocale });

describe('articles Readability gets wrong', () => {
  it('a wordy "about" box in an aside beside a short post: the post alone', () => {
    const article = extract('sidebar-box-wins');
    expect(article.text.split('\n')).toEqual(expected('sidebar-box-wins'));
    expect(article.contentHtml).not.toContain('About Homework');
  });

  it('a thread of long comments under a short story: the story; its date from the byline, not a comment’s', () => {
    const article = extract('comment-wins');
    expect(article.text.split('\n')).toEqual(expected('comment-wins'));
    expect(article.contentHtml).not.toContain('12 thoughts');
    expect(article.published).toBe(Date.UTC(2026, 11, 5));
    expect(article.authors).toEqual([{ name: 'Priya Nair' }]);
  });

  it('a gallery whose captions outweigh the story: the story’s text; the lead figure before it kept in the content', () => {
    const article = extract('gallery-captions', 'en-GB');
    expect(article.text.split('\n')).toEqual(expected('gallery-captions'));
    expect(article.contentHtml.indexOf('lighthouse-lead.jpg')).toBeGreaterThan(-1);
    expect(article.contentHtml.indexOf('lighthouse-lead.jpg')).toBeLessThan(article.contentHtml.indexOf('The lighthouse on the point'));
    // "Date of notice: 05/12/2026" in the source's order: day first in en-GB, month first in en-US.
    expect(article.published).toBe(Date.UTC(2026, 11, 5));
    expect(extract('gallery-captions', 'en-US').published).toBe(Date.UTC(2026, 4, 12));
  });

  it('a month in the byline is no author', () => {
    const article = extract('byline-month');
    expect(article.authors).toEqual([{ name: 'Jane Holloway' }]);
    expect(article.text).toContain('Allotment rents rise by four pounds');
  });

  it('a gallery alone, with the story in another block: the story', () => {
    const captions = Array.from(
      { length: 6 },
      (_, i) =>
        `<figure><img src="/g${i}.jpg" alt=""><figcaption><p>Caption ${i}: the volunteers, the scaffolding, the stairs, the lantern, the glass, the paint, the logbooks, the brass, and the long winter of work that, in the end, brought the lighthouse back to life.</p></figcaption></figure>`,
    ).join('');
    const html = `<html lang="en"><body><main><h1>The lighthouse reopens</h1><div class="gallery">${captions}</div><section><p>The lighthouse on the point opens to visitors again on Saturday, after two years of repairs to its stairs and lantern room.</p><p>Tours run every hour from ten, and tickets are sold at the keeper's cottage by the gate.</p></section></main></body></html>`;
    const article = extractArticle(html, 'https://pages.example/g.html', { now: NOW });
    expect(article.text).toContain('The lighthouse on the point opens to visitors again on Saturday');
    expect(article.text).not.toContain('Caption 3');
  });
});
