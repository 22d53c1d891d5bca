// extractArticle where its own cleanup of Readability's output took the article's words out
// (issue 22): links and labels inside the sentences of list items read as share bars or ad labels,
// a section heading that starts with "Copyright" read as a copyright notice, and a headline whose
// text sits in an element named "meta" emptied (Readability then drops the next heading like the
// title instead); and a list of teasers to other posts (linked headlines, a line each) that
// Readability keeps at the end of the post, and an affiliate disclosure above it. Fixtures written for this test: tests/fixtures/pages/articles-prune/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/article';

const NOW = Date.UTC(2027, 0, 1);
const dir = join(__dirname, '../../fixtures/pages/articles-prune');
const page = (name: string) => readFileSync(join(dir, `${name}.html`), 'utf8');
const expected = (name: string) =>
  readFileSync(join(dir, `${name}.expected.txt`), 'utf8')
    .trim()
    .split('\n');
const extract = (name: string) => extractArticle(page(name), `https://pages.example/${name}.html`, { now: NOW });

describe('article cleanup keeps the words of the article', () => {
  it('links and a bold "Ads" label in the sentences of list items stay; the share bar of links alone goes', () => {
    const article = extract('list-sentences');
    expect(article.text.split('\n')).toEqual(expected('list-sentences'));
    expect(article.contentHtml).not.toContain('twitter.com/intent');
  });

  it('headings that start with "Copyright" stay; the notice with its year and reserved rights goes', () => {
    const article = extract('copyright-heading');
    expect(article.text.split('\n')).toEqual(expected('copyright-heading'));
    expect(article.contentHtml).not.toContain('All rights reserved');
  });

  it('a headline held in a "meta" span stays the headline: the heading like it in the body stays', () => {
    const article = extract('headline-field');
    expect(article.text.split('\n')).toEqual(expected('headline-field'));
  });

  it('a list of teasers to other posts after the post goes; a roundup post made of linked headings stays whole', () => {
    const article = extract('teaser-cards');
    expect(article.text.split('\n')).toEqual(expected('teaser-cards'));
    expect(article.contentHtml).not.toContain('Ten pens I draw with');
    expect(extract('roundup').text.split('\n')).toEqual(expected('roundup'));
  });

  it('an affiliate disclosure goes; a paragraph of the post about affiliate programs stays', () => {
    const article = extract('affiliate-disclosure');
    expect(article.text.split('\n')).toEqual(expected('affiliate-disclosure'));
    expect(article.contentHtml).not.toContain('This post contains affiliate links');
  });
});
