import { expect, it } from 'vitest';
import { check, get, SITE } from '../support/worker';
import { createPost } from './helpers';

const FILES = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } as const;

it.for(Object.entries(FILES))('%s: a valid feed of the query, its self link exact', async ([format, file], ctx) => {
  await createPost({ title: `Feed of a search: ocelot${format}`, content_html: '<p>An ocelot &amp; a <b>lynx</b>.</p>', tags: ['Cats'] });
  const url = `${SITE}/search/${file}?q=ocelot${format}%20%22a%20lynx%22`;
  const res = await get(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('link')).toBe(`<${url}>; rel="self"`);
  const etag = res.headers.get('etag')!;
  expect(etag).toMatch(/^"/);
  const body = await res.text();
  if (format === 'json') {
    const feed = JSON.parse(body) as { version: string; feed_url: string; home_page_url: string; items: { title: string }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(url);
    expect(feed.home_page_url).toBe(`${SITE}/search?q=ocelot${format}%20%22a%20lynx%22`);
    expect(feed.items.map((i) => i.title)).toEqual([`Feed of a search: ocelot${format}`]);
  } else {
    expect(body).toContain(`href="${url.replace(/&/g, '&amp;')}"`);
    const [lint, parsed] = await Promise.all([check(ctx, 'xmllint', body), check(ctx, 'feedparser', body)]);
    expect(lint.ok, lint.output).toBe(true);
    const fp = JSON.parse(parsed.output) as { bozo_exception: unknown; entries: { title: string }[] };
    expect(fp.bozo_exception).toBeNull();
    expect(fp.entries.map((e) => e.title)).toEqual([`Feed of a search: ocelot${format}`]);
    if (format === 'atom') {
      const jing = await check(ctx, 'jing', body);
      expect(jing.ok, jing.output).toBe(true);
    }
  }
  // Unchanged: 304; a new match: a new ETag.
  expect((await get(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
  await createPost({ title: `Another ocelot${format}, a lynx`, content_html: '<p>x</p>' });
  const after = await get(url, { headers: { 'if-none-match': etag } });
  expect(after.status).toBe(200);
  expect(after.headers.get('etag')).not.toBe(etag);
});

it('sends other spellings of a query to its one URL', async () => {
  const res = await get('/search/feed.xml?q=%20%20ocelot%20%20%22a%20%20lynx%22&utm=1', { redirect: 'manual' });
  expect(res.status).toBe(301);
  expect(res.headers.get('location')).toBe(`${SITE}/search/feed.xml?q=ocelot%20%22a%20lynx%22`);
});

it.each([
  ['no q', ''],
  ['an empty q', '?q='],
  ['a q too long', `?q=${'x'.repeat(201)}`],
  ['too many terms', `?q=${Array.from({ length: 17 }, (_, i) => `t${i}`).join('%20')}`],
])('answers %s with a 400 problem naming q', async (_name, query) => {
  const res = await get(`/search/atom.xml${query}`);
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as { errors: { field: string }[] };
  expect(problem.errors.map((e) => e.field)).toEqual(['q']);
});
