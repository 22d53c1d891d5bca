import { describe, expect, it } from 'vitest';
import { bumpView, get, insertPost } from '../support/worker';

const FEEDS = [
  ['/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
  ['/tags/tech/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/tags/tech/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/tags/tech/feed.json', 'application/feed+json; charset=utf-8'],
  ['/authors/news-desk/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/authors/news-desk/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/authors/news-desk/feed.json', 'application/feed+json; charset=utf-8'],
] as const;

describe('feed responses', () => {
  it.each(FEEDS)('%s has its content type, validators, caching and CORS headers', async (path, type) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(new Date(res.headers.get('last-modified')!).getTime()).not.toBeNaN();
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // The site's own hub (WEBSUB_HUB is empty), then the feed itself.
    expect(res.headers.get('link')).toBe(`<http://localhost:8787/hub>; rel="hub", <http://localhost:8787${path}>; rel="self"`);
    expect(Number(res.headers.get('content-length'))).toBe(new TextEncoder().encode(await res.text()).byteLength);
  });

  it('Last-Modified is the newest post of the feed itself, not the render time', async () => {
    const main = await get('/feed.xml');
    const news = await get('/authors/news-desk/feed.xml');
    expect(main.headers.get('last-modified')).toBe('Fri, 06 Nov 2020 16:00:00 GMT');
    expect(news.headers.get('last-modified')).toBe('Fri, 26 Aug 2016 18:00:00 GMT');
  });

  it('serves identical bytes and ETag for identical data', async () => {
    const a = await get('/atom.xml');
    const b = await get('/atom.xml');
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    expect(await a.text()).toBe(await b.text());
  });

  it('gives each format and each limit its own ETag', async () => {
    const tags = await Promise.all(['/feed.xml', '/atom.xml', '/feed.json', '/feed.xml?limit=5'].map((p) => get(p)));
    expect(new Set(tags.map((r) => r.headers.get('etag'))).size).toBe(4);
  });
});

describe('conditional GET', () => {
  it('answers a matching If-None-Match with 304, no body, and the same validators', async () => {
    const first = await get('/feed.xml');
    const etag = first.headers.get('etag')!;
    const res = await get('/feed.xml', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
  });

  it('accepts a list of tags and a weak form of ours', async () => {
    const etag = (await get('/feed.json')).headers.get('etag')!;
    expect((await get('/feed.json', { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    expect((await get('/feed.json', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('answers If-Modified-Since at or after Last-Modified with 304, and before it with 200', async () => {
    const lastModified = (await get('/atom.xml')).headers.get('last-modified')!;
    expect((await get('/atom.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get('/atom.xml', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since', async () => {
    const lastModified = (await get('/atom.xml')).headers.get('last-modified')!;
    const res = await get('/atom.xml', { headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } });
    expect(res.status).toBe(200);
  });

  it('changes the ETag when the feed changes, and only that feed', async () => {
    const before = await Promise.all(['/feed.xml', '/tags/tech/feed.xml', '/tags/law/feed.xml'].map((p) => get(p)));
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-000000000abc',
      slug: 'new-tech',
      title: 'New tech',
      publishedAt: Date.UTC(2021, 0, 1),
      tags: [['tech', 'Tech']],
    });
    await bumpView('site');
    await bumpView('tag:tech');
    const after = await Promise.all(['/feed.xml', '/tags/tech/feed.xml', '/tags/law/feed.xml'].map((p) => get(p)));
    expect(after[0]!.headers.get('etag')).not.toBe(before[0]!.headers.get('etag'));
    expect(after[1]!.headers.get('etag')).not.toBe(before[1]!.headers.get('etag'));
    expect(after[2]!.headers.get('etag')).toBe(before[2]!.headers.get('etag'));
    expect(await after[0]!.text()).toContain('New tech');
  });
});

describe('cheap reads', () => {
  it('renders an unchanged feed once: later reads and revalidations do not render', async () => {
    const first = await get('/tags/travel/atom.xml?limit=7');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('server-timing')).toMatch(/^stamp;desc="d1",render;desc="render",/);
    const again = await get('/tags/travel/atom.xml?limit=7');
    const revalidated = await get('/tags/travel/atom.xml?limit=7', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    expect(again.headers.get('server-timing')).toBe('stamp;desc="d1",render;desc="memory"');
    expect(await again.text()).toBe(await first.text());
    expect(revalidated.status).toBe(304);
    // A 304 is decided before the cache or the renderer is asked: only the stamp was read.
    expect(revalidated.headers.get('server-timing')).toBe('stamp;desc="d1"');
  });

  it('renders again after the feed changed', async () => {
    expect((await get('/tags/pets/feed.json')).headers.get('server-timing')).toMatch(/^stamp;desc="d1",render;desc="(render|memory)"/);
    expect((await get('/tags/pets/feed.json')).headers.get('server-timing')).toBe('stamp;desc="d1",render;desc="memory"');
    await bumpView('tag:pets');
    const res = await get('/tags/pets/feed.json');
    expect(res.headers.get('server-timing')).toMatch(
      /^stamp;desc="d1",render;desc="render",query;dur=[\d.]+,build;dur=[\d.]+,serialize;dur=[\d.]+$/,
    );
  });
});

describe('HEAD', () => {
  it.each(['/feed.xml', '/atom.xml', '/feed.json', '/'])('HEAD %s has the headers of GET and no body', async (path) => {
    const getRes = await get(path);
    const head = await get(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(getRes.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe(getRes.headers.get('content-type'));
    expect(await head.text()).toBe('');
  });
});

describe('errors', () => {
  it.each(['/tags/no-such-tag/feed.xml', '/tags/no-such-tag/atom.xml', '/authors/nobody/feed.json'])(
    '%s is a 404 problem that names what is missing',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      const body = (await res.json()) as { status: number; detail: string };
      expect(body.status).toBe(404);
      expect(body.detail).toMatch(/no-such-tag|nobody/);
    },
  );

  it('a tag that only has drafts is unknown to readers', async () => {
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-000000000d01',
      slug: 'secret',
      title: 'Secret',
      publishedAt: Date.UTC(2020, 0, 1),
      status: 'draft',
      tags: [['drafty', 'Drafty']],
    });
    expect((await get('/tags/drafty/feed.xml')).status).toBe(404);
  });

  it.each(['0', '101', '-1', '1.5', 'abc', '', '1e2', '20x'])('limit=%s is a 400 problem naming the field', async (value) => {
    const res = await get(`/feed.xml?limit=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors[0]!.field).toBe('limit');
  });

  it('limit between 1 and 100 selects that many items', async () => {
    const one = (await (await get('/feed.json?limit=1')).json()) as { items: unknown[] };
    const all = (await (await get('/feed.json?limit=100')).json()) as { items: unknown[] };
    expect(one.items).toHaveLength(1);
    expect(all.items.length).toBeGreaterThan(10);
  });

  it('a query string checked before (the check is kept per route and query string) gets the same answer every time', async () => {
    const items = async (query: string) => ((await (await get(`/feed.json${query}`)).json()) as { items: unknown[] }).items.length;
    for (let round = 0; round < 2; round++) {
      expect(await items('?limit=2')).toBe(2);
      expect(await items('?limit=3')).toBe(3);
      expect((await get('/feed.json?limit=0')).status).toBe(400);
      expect((await get('/feed.json?limit=2&content=everything')).status).toBe(400);
    }
  });

  it('an unknown feed path is a 404 problem, an unknown page an HTML 404', async () => {
    const feed = await get('/nope/feed.xml');
    expect(feed.status).toBe(404);
    expect(feed.headers.get('content-type')).toContain('application/problem+json');
    const page = await get('/nope');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});

describe('bench baselines', () => {
  it('are not part of the product (bench/worker.ts mounts them for the bench only)', async () => {
    expect((await get('/__bench/const?bytes=10')).status).toBe(404);
    expect((await get('/__bench/empty')).status).toBe(404);
  });
});
