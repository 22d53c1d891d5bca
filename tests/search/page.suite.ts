import { expect, it } from 'vitest';
import { check, get, insertPost } from '../support/worker';
import { createPost } from './helpers';

const page = async (query: string) => {
  const res = await get(`/search${query}`);
  return { status: res.status, html: await res.text() };
};
/** The result links of a page, in order. */
const links = (html: string) => [...html.matchAll(/<h2[^>]*><a href="([^"]+)"/g)].map((m) => m[1]);

it('without a query: a labelled search field and button, valid HTML', async (ctx) => {
  const { status, html } = await page('');
  expect(status).toBe(200);
  expect(html).toContain('<label for="q">Words to find</label>');
  expect(html).toMatch(/<input type="search" id="q" name="q"/);
  expect(html).toContain('<button type="submit">Search</button>');
  const valid = await check(ctx, 'html5', html);
  expect(valid.ok, valid.output).toBe(true);
});

it("is linked from the home page's footer, not from every page", async () => {
  const link = /<footer>[\s\S]*<a href="[^"]*\/search">Search the posts and the sources&#39; items<\/a>[\s\S]*<\/footer>/;
  expect(await (await get('/')).text()).toMatch(link);
  expect(await (await get('/planet/')).text()).not.toMatch(link);
});

it('marks matches in snippets as text: stored markup and text that looks like markup stay inert', async (ctx) => {
  await createPost({
    title: 'Escaping &lt;b&gt; titles',
    content_html: '<p>Beware of &lt;script&gt;alert(1)&lt;/script&gt; near the xylophone <em>keys</em>.</p>',
  });
  const { status, html } = await page('?q=xylophone');
  expect(status).toBe(200);
  expect(html).toContain('<mark>xylophone</mark>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).not.toContain('<script>alert');
  expect(html).not.toContain('<em>keys</em>');
  const valid = await check(ctx, 'html5', html);
  expect(valid.ok, valid.output).toBe(true);
  const xss = await check(ctx, 'xss', html);
  expect(xss.ok, xss.output).toBe(true);
});

it('a post written by plain SQL, before the cron rewrote its document, gets a snippet of text', async () => {
  await insertPost({
    id: 'urn:uuid:search-stale-snippet',
    slug: 'stale-snippet',
    title: 'Stale',
    content: '<p class="lead">A <b>hedgehog</b> in a document not yet rewritten.</p>',
    publishedAt: Date.UTC(2024, 2, 1),
  });
  const { html } = await page('?q=hedgehog');
  expect(html).toContain('<p class="snippet">A <mark>hedgehog</mark> in a document not yet rewritten.</p>');
  expect(html).not.toContain('&lt;p');
});

it('pages through results newest first, 20 a page, with prev and next links', async () => {
  for (let n = 0; n < 25; n++) {
    await insertPost({
      id: `urn:uuid:paging-${String(n).padStart(2, '0')}`,
      slug: `paging-${n}`,
      title: `Pagination marker ${n}`,
      publishedAt: Date.UTC(2023, 0, 1 + n),
    });
  }
  const first = await page('?q=pagination+marker');
  expect(first.status).toBe(200);
  const firstLinks = links(first.html);
  expect(firstLinks).toHaveLength(20);
  expect(firstLinks[0]).toMatch(/\/posts\/paging-24$/);
  expect(first.html).toMatch(/<a href="[^"]+\/search\?q=pagination%20marker&amp;page=2" rel="next">/);
  const second = await page('?q=pagination%20marker&page=2');
  const secondLinks = links(second.html);
  expect(secondLinks).toHaveLength(5);
  expect(secondLinks.at(-1)).toMatch(/\/posts\/paging-0$/);
  expect(second.html).toContain('rel="prev"');
  expect(second.html).not.toContain('rel="next"');
  expect(new Set([...firstLinks, ...secondLinks]).size).toBe(25);
  // The feeds of the query are offered.
  expect(first.html).toContain('/search/feed.xml?q=pagination%20marker');
});

it.each([
  ['an empty query', '?q=', 'Enter words'],
  ['spaces only', '?q=%20%20', 'Enter words'],
  ['one letter', '?q=a', 'at least 2 characters'],
  ['more than 200 characters', `?q=${'a'.repeat(201)}`, 'at most 200 characters'],
  ['more than 16 terms', `?q=${Array.from({ length: 17 }, (_, i) => `w${i}`).join('+')}`, 'at most 16'],
  ['a page that is not a number', '?q=word&page=x', 'page:'],
  ['a page beyond the last', '?q=word&page=51', 'page:'],
])('refuses %s with a 400 page that says why', async (_name, query, message) => {
  const { status, html } = await page(query);
  expect(status).toBe(400);
  expect(html).toContain(message);
  expect(html).toContain('role="alert"');
});
