// A subscriber's ?filter= and ?filterout= on feed URLs (docs/filters.md): plain whole words in the
// title or content, through the one read path with a cache key of their own (strong ETag, 304),
// the self link in canonical form, documents the independent checkers accept, and a 400 naming the
// parameter when it is too long.
import { describe, expect, it } from 'vitest';
import { addSource, AUTH, check, get, SITE, upstream } from '../support/worker';

const now = Date.now();
const HOUR = 3_600_000;
const ITEMS = [
  { title: 'Breaking News today', content: 'Markets moved.' },
  { title: 'Crypto crash', content: 'Prices fell.' },
  { title: 'Weather report', content: 'Rain, and cryptocurrency miners complain.' },
  { title: 'Garden notes', content: 'Tomatoes and crypto-art, side by side.' },
];
const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Words</title><link>https://words.example/</link><description>d</description>${ITEMS.map(
  (item, i) =>
    `<item><title>${item.title}</title><link>https://words.example/${i}</link><guid>https://words.example/${i}</guid><pubDate>${new Date(now - (i + 1) * HOUR).toUTCString()}</pubDate><description>${item.content}</description></item>`,
).join('')}</channel></rss>`;

let sourceId = 0;
async function source(): Promise<number> {
  if (sourceId) return sourceId;
  const url = upstream('/docs/url-filters.xml');
  expect((await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/rss+xml' }, body: rss })).status).toBe(204);
  sourceId = (await addSource(url, { kind: 'feed', tags: ['Word Filters'] })).id;
  expect((await get(`/api/sources/${sourceId}/refresh`, { method: 'POST', headers: AUTH })).status).toBe(200);
  return sourceId;
}
type JsonFeed = { feed_url: string; hubs?: unknown; items: { title: string }[] };
async function json(path: string): Promise<JsonFeed & { etag: string }> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return { ...((await res.json()) as JsonFeed), etag: res.headers.get('etag')! };
}

describe('subscriber filters', () => {
  it('keeps items holding any word (whole words, title or content) and drops those of filterout', async () => {
    const id = await source();
    const base = `/sources/${id}/feed.json`;
    expect((await json(base)).items).toHaveLength(4);
    // "crypto" is a whole word in two items; "cryptocurrency" is not it. "crypto-art" holds it.
    expect((await json(`${base}?filter=crypto`)).items.map((i) => i.title)).toEqual(['Crypto crash', 'Garden notes']);
    expect((await json(`${base}?filter=weather|BREAKING%20news`)).items.map((i) => i.title)).toEqual([
      'Breaking News today',
      'Weather report',
    ]);
    expect((await json(`${base}?filterout=crypto`)).items.map((i) => i.title)).toEqual(['Breaking News today', 'Weather report']);
    expect((await json(`${base}?filter=crypto|rain&filterout=tomatoes`)).items.map((i) => i.title)).toEqual([
      'Crypto crash',
      'Weather report',
    ]);
  });

  it('has a strong ETag and a cache key of its own, answers 304, and names itself canonically', async () => {
    const id = await source();
    const base = `/sources/${id}/feed.json`;
    const plain = await json(base);
    const canonical = await json(`${base}?filter=crypto%7Cweather`);
    expect(canonical.etag).toMatch(/^"/);
    expect(canonical.etag).not.toBe(plain.etag);
    expect(canonical.feed_url).toBe(`${SITE}${base}?filter=crypto%7Cweather`);
    // Filtered documents are polled, not WebSub topics.
    expect(canonical.hubs).toBeUndefined();
    // Another spelling of the same filter is the same document: the same ETag and self link.
    const other = await json(`${base}?filter=WEATHER|crypto|crypto&unknown=1`);
    expect(other.etag).toBe(canonical.etag);
    expect(other.feed_url).toBe(canonical.feed_url);
    const revalidated = await get(`${base}?filter=crypto%7Cweather`, { headers: { 'if-none-match': canonical.etag } });
    expect(revalidated.status).toBe(304);
    // With limit and content, in the one order of self links; a planet's tag first.
    const both = await json(`/planet/feed.json?filterout=garden&content=summary&tag=word-filters&limit=2&filter=notes|crypto`);
    expect(both.feed_url).toBe(`${SITE}/planet/feed.json?tag=word-filters&limit=2&content=summary&filter=crypto%7Cnotes&filterout=garden`);
    expect(both.items.map((i) => i.title)).toEqual(['Crypto crash']);
  });

  it('gives RSS and Atom documents the independent checkers accept, with the exact self link', async (ctx) => {
    const id = await source();
    for (const [file, format] of [
      ['feed.xml', 'rss'],
      ['atom.xml', 'atom'],
    ] as const) {
      const path = `/sources/${id}/${file}?filter=breaking%20news%7Ccrypto`;
      const res = await get(path);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain(`href="${SITE}${path.replace(/&/g, '&amp;')}"`);
      const [xmllint, jing, parsed] = await Promise.all([
        check(ctx, 'xmllint', body),
        format === 'atom' ? check(ctx, 'jing', body) : null,
        check(ctx, 'feedparser', body),
      ]);
      expect(xmllint.ok, xmllint.output).toBe(true);
      if (jing) expect(jing.ok, jing.output).toBe(true);
      const fp = JSON.parse(parsed.output) as { bozo: boolean; bozo_exception: string; entries: { title: string }[] };
      expect(fp.bozo, fp.bozo_exception).toBe(false);
      expect(fp.entries.map((e) => e.title)).toEqual(['Breaking News today', 'Crypto crash', 'Garden notes']);
    }
  });

  it('refuses a filter too long or without a word with a 400 naming it', async () => {
    const id = await source();
    for (const [query, field] of [
      [`filter=${'a'.repeat(257)}`, 'filter'],
      [`filterout=${'b|'.repeat(200)}`, 'filterout'],
      ['filter=%7C%20%7C', 'filter'],
    ] as const) {
      const res = await get(`/sources/${id}/feed.xml?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([field]);
    }
    // The site's, a tag's and an author's feeds take it too.
    for (const path of ['/feed.json', '/planet/feed.json']) expect((await get(`${path}?filter=x`)).status).toBe(200);
  });
});
