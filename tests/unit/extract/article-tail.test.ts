// extractArticle on blog posts whose theme prints more than the post around it (issue 22): on a
// short post Readability takes the page's column, so the meta line, the tag links, prev/next
// links, the post's own address and license and the "powered by" credit came out as the post's
// last lines; a table of contents repeated the headings. A list of references, footnotes and a
// closing line of the post stay. Fixtures written for this test: tests/fixtures/pages/articles-tail/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/article';
import { isMetaLine } from '../../../src/extract/meta-line';

const NOW = Date.UTC(2027, 0, 1);
const dir = join(__dirname, '../../fixtures/pages/articles-tail');
const page = (name: string) => readFileSync(join(dir, `${name}.html`), 'utf8');
const expected = (name: string) =>
  readFileSync(join(dir, `${name}.expected.txt`), 'utf8')
    .trim()
    .split('\n');

describe('what a blog theme prints after a short post', () => {
  it('the site name and menu, the tag line, prev/next links, the post link, the license and the credit go; the post stays whole', () => {
    const article = extractArticle(page('short-post-trailer'), 'https://allotment.example/2022/03/03/potting-on-the-chilli-seedlings/', {
      now: NOW,
    });
    expect(article.text.split('\n')).toEqual(expected('short-post-trailer'));
    expect(article.contentHtml).not.toContain('CC BY-NC-SA');
    expect(article.contentHtml).not.toContain('Pruning the Old Apple Tree');
  });

  it('a table of contents goes; references, footnotes, a republishing note and the closing line stay', () => {
    const article = extractArticle(page('toc-and-references'), 'https://workbench.example/2021/05/02/rebuilding-a-bench-power-supply/', {
      now: NOW,
    });
    expect(article.text.split('\n')).toEqual(expected('toc-and-references'));
  });
});

describe('isMetaLine', () => {
  const facts = { title: 'Potting On the Chilli Seedlings', authors: ['Maren Holt'], categories: ['Garden', 'seeds'] };
  it('reads dates, names, categories and labels as a meta line', () => {
    expect(isMetaLine('Posted on March 3, 2022 · 2 min read · Categories: Garden', facts)).toBe(true);
    expect(isMetaLine('Le mer. 23 décembre 2020 par Maren Holt | Catégorie : Garden', facts)).toBe(true);
    expect(isMetaLine('Written by Maren Holt in Garden on Sun 09 February 2020. Tags: seeds', facts)).toBe(true);
    expect(isMetaLine('Category: Travel', facts)).toBe(true);
    // An author the page names nowhere else, after "by" or "par"; the tags after their label.
    expect(isMetaLine('Le Wed 23 December 2020 Par Example Author | Catégorie : Code', facts)).toBe(true);
    expect(isMetaLine('Written by Example Author on Sun 09 February 2020. Tags: tools, maps', facts)).toBe(true);
  });
  it('leaves the sentences of a post', () => {
    expect(isMetaLine('In the end.', facts)).toBe(false);
    expect(isMetaLine('On and on', facts)).toBe(false);
    expect(isMetaLine('The seeds came on March 3.', facts)).toBe(false);
    expect(isMetaLine('Updated the greenhouse plan', facts)).toBe(false);
    expect(isMetaLine('Photos by Anna Berg, March 2020', facts)).toBe(false);
    // Digits are a date only as a year or a numeric date: a price range in a table is the post's.
    expect(isMetaLine('$500 - $1,200+', facts)).toBe(false);
    expect(isMetaLine('+81 158-23-2012', facts)).toBe(false);
    expect(isMetaLine('Updated 12.03.2021', facts)).toBe(true);
  });
});
