// Complete history, RFC 5005 §4 (archived feeds), for every kind of view: from the subscription
// document through prev-archive to the oldest page and back through next-archive, in Atom, RSS
// and JSON Feed, each document read by xmllint, jing (RFC 4287) and Universal Feed Parser; every
// entry exactly once across the chain; fh:complete for a small feed; stable pages, ETags, 304s
// and cache headers; bad and missing pages.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { FeedDocument } from '../../src/render/document';
import { renderFeed } from '../../src/render/render';
import { ARCHIVE_PAGE_SIZE, archivedPages } from '../../src/views/archive';
import { addSource, AUTH, check, get, insertPost, SITE, upstream } from '../support/worker';

const FH = 'xmlns:fh="http://purl.org/syndication/history/1.0"';

const HOUR = 3_600_000;
const BASE = Date.UTC(2016, 0, 1);

/** An RSS document of `count` items named after `name`, an hour apart, the newest first. */
function rss(name: string, count: number, start: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const n = count - 1 - i;
    return `<item><title>${name} ${n}</title><link>https://${name}.example/posts/${n}</link><guid isPermaLink="false">${name}-${n}</guid>
<pubDate>${new Date(start + n * HOUR).toUTCString()}</pubDate><description>&lt;p&gt;${name} item ${n}&lt;/p&gt;</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://${name}.example/</link>
<description>${name}</description>${items.join('\n')}</channel></rss>`;
}

/** Serves `rss(name, count, start)` on the stub and adds it as a refreshed feed source. */
async function addFeed(name: string, count: number, start: number, tags: string[]): Promise<number> {
  const url = upstream(`/docs/${name}.xml`);
  const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/rss+xml' }, body: rss(name, count, start) });
  expect(put.status).toBe(204);
  const { id } = await addSource(url, { kind: 'feed', tags });
  const refreshed = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
  expect(((await refreshed.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
  return id;
}

let sourceA = 0;
let sourceB = 0;

beforeAll(async () => {
  // 70 own posts tagged `chronicle`, the first 62 also by `archivist`; 3 tagged `small`.
  for (let i = 0; i < 70; i++) {
    await insertPost({
      id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      slug: `history-${i}`,
      title: `History ${i}`,
      content: `<p>Post ${i}</p>`,
      publishedAt: BASE + i * HOUR,
      tags: [['chronicle', 'Chronicle']],
      authors: i < 62 ? [['archivist', 'Archivist']] : [['tester', 'Tester']],
    });
  }
  for (let i = 0; i < 3; i++) {
    await insertPost({
      id: `urn:uuid:00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      slug: `small-${i}`,
      title: `Small ${i}`,
      content: `<p>Small ${i}</p>`,
      publishedAt: BASE - (i + 1) * HOUR,
      tags: [['small', 'Small']],
    });
  }
  sourceA = await addFeed('annals', 65, BASE, ['history']);
  sourceB = await addFeed('ledger', 30, BASE + 30 * 60_000, []);
});

/** The ids a view holds, read with plain SQL. */
async function storedIds(sql: string, ...binds: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(sql)
    .bind(Date.now(), ...binds)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

const VIEWS = [
  {
    name: 'site',
    path: '/',
    query: '',
    ids: () => storedIds('SELECT id FROM entries WHERE source_id IS NULL AND visible_at <= ?1'),
  },
  {
    name: 'tag',
    path: '/tags/chronicle/',
    query: '',
    ids: () => storedIds("SELECT entry_id AS id FROM entry_tags WHERE slug = 'chronicle' AND visible_at <= ?1"),
  },
  {
    name: 'author',
    path: '/authors/archivist/',
    query: '',
    ids: () => storedIds("SELECT entry_id AS id FROM entry_authors WHERE slug = 'archivist' AND visible_at <= ?1"),
  },
  {
    name: 'source',
    path: () => `/sources/${sourceA}/`,
    query: '',
    ids: () => storedIds('SELECT id FROM entries WHERE source_id = ?2 AND visible_at <= ?1', sourceA),
  },
  {
    name: 'planet',
    path: '/planet/',
    query: '',
    ids: () => storedIds('SELECT id FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1'),
  },
  {
    name: 'tagged planet',
    path: '/planet/',
    query: '?tag=history',
    ids: () =>
      storedIds(
        "SELECT e.id FROM entries e JOIN source_tags t ON t.source_id = e.source_id WHERE t.slug = 'history' AND e.visible_at <= ?1",
      ),
  },
] as const;

const pathOf = (view: (typeof VIEWS)[number]) => (typeof view.path === 'function' ? view.path() : view.path);

type Parsed = { links: Record<string, string>; ids: string[]; mark: 'archive' | 'complete' | null };

/** One document of the chain, checked by the independent parsers, with its links and entry ids. */
async function readXml(ctx: TestContext, url: string, format: 'atom' | 'rss'): Promise<Parsed & { res: Response }> {
  const res = await get(url);
  expect(res.status, url).toBe(200);
  const body = await res.text();
  const [xmllint, jing, parsed] = await Promise.all([
    check(ctx, 'xmllint', body),
    format === 'atom' ? check(ctx, 'jing', body) : null,
    check(ctx, 'feedparser', body),
  ]);
  expect(xmllint.ok, `${url}: ${xmllint.output}`).toBe(true);
  if (jing) expect(jing.ok, `${url}: ${jing.output}`).toBe(true);
  const fp = JSON.parse(parsed.output) as {
    bozo: boolean;
    bozo_exception: string;
    feed: { links: { rel: string; href: string }[] };
    entries: { id: string }[];
  };
  expect(fp.bozo, `${url}: ${fp.bozo_exception}`).toBe(false);
  const links = Object.fromEntries(fp.feed.links.filter((l) => l.rel !== 'alternate').map((l) => [l.rel, l.href]));
  const marks = [...body.matchAll(/<fh:(archive|complete)\b[^>]*\/>/g)].map((m) => m[1] as 'archive' | 'complete');
  expect(marks.length, url).toBeLessThanOrEqual(1);
  if (marks.length) expect(body).toContain(FH);
  return { res, links, ids: fp.entries.map((e) => e.id), mark: marks[0] ?? null };
}

/** A document's `rel` link, read from its markup (the way back is checked by the parsers already). */
async function linkOf(url: string, rel: string): Promise<string | undefined> {
  const body = await (await get(url)).text();
  for (const [tag] of body.matchAll(/<(?:atom:)?link\b[^>]*>/g)) {
    if (tag.includes(`rel="${rel}"`)) return /href="([^"]*)"/.exec(tag)![1]!.replaceAll('&amp;', '&');
  }
  return undefined;
}

async function readJson(url: string): Promise<{ res: Response; feed: { feed_url: string; next_url?: string; items: { id: string }[] } }> {
  const res = await get(url);
  expect(res.status, url).toBe(200);
  return { res, feed: JSON.parse(await res.text()) };
}

describe.each(VIEWS)('the $name view', (view) => {
  for (const format of ['atom', 'rss'] as const)
    it(`${format}: the chain from the subscription document to the oldest page and back holds every entry once`, async (ctx) => {
      const file = format === 'atom' ? 'atom.xml' : 'feed.xml';
      const current = `${SITE}${pathOf(view)}${file}${view.query}`;
      const expected = await view.ids();
      const pages = archivedPages(expected.length);
      expect(pages, 'the test data makes archive pages').toBeGreaterThanOrEqual(2);

      const head = await readXml(ctx, current, format);
      expect(head.mark).toBeNull();
      expect(head.links.self).toBe(current);
      expect(head.ids.length).toBe(expected.length - pages * ARCHIVE_PAGE_SIZE);
      expect(head.ids.length).toBeGreaterThanOrEqual(ARCHIVE_PAGE_SIZE);
      expect(head.links['next-archive']).toBeUndefined();
      const seen = [...head.ids];

      // Back, through prev-archive.
      const backward: string[] = [];
      let url = head.links['prev-archive'];
      while (url) {
        backward.push(url);
        const doc = await readXml(ctx, url, format);
        expect(doc.mark, url).toBe('archive');
        expect(doc.links.self, url).toBe(url);
        expect(doc.links.current, url).toBe(current);
        expect(doc.ids.length, url).toBe(ARCHIVE_PAGE_SIZE);
        expect(doc.res.headers.get('cache-control')).toBe('public, max-age=86400');
        seen.push(...doc.ids);
        url = doc.links['prev-archive'];
        expect(backward.length).toBeLessThanOrEqual(pages);
      }
      expect(backward.length).toBe(pages);
      expect(backward.at(-1)).toBe(`${SITE}${pathOf(view)}archive/1/${file}${view.query}`);
      expect(new Set(seen).size, 'no entry twice').toBe(seen.length);
      expect([...seen].sort()).toEqual([...expected].sort());

      // And forward again, through next-archive, from the oldest to the newest page.
      const forward: string[] = [];
      url = backward.at(-1);
      while (url) {
        forward.push(url);
        url = await linkOf(url, 'next-archive');
        expect(forward.length).toBeLessThanOrEqual(pages);
      }
      expect(forward).toEqual([...backward].reverse());
    }, 180_000);

  it('JSON Feed: next_url pages through the same archive pages', async () => {
    const current = `${SITE}${pathOf(view)}feed.json${view.query}`;
    const expected = await view.ids();
    const pages = archivedPages(expected.length);
    const seen: string[] = [];
    const urls: string[] = [];
    let url: string | undefined = current;
    while (url) {
      const { feed }: Awaited<ReturnType<typeof readJson>> = await readJson(url);
      expect(feed.feed_url).toBe(current);
      seen.push(...feed.items.map((i) => i.id));
      urls.push(url);
      url = feed.next_url;
      expect(urls.length).toBeLessThanOrEqual(pages + 1);
    }
    expect(urls.slice(1)).toEqual(
      Array.from({ length: pages }, (_, i) => `${SITE}${pathOf(view)}archive/${pages - i}/feed.json${view.query}`),
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
  });
});

describe('a small feed', () => {
  it('says fh:complete, links no archive, and has no archive page', async (ctx) => {
    const atom = await readXml(ctx, `${SITE}/tags/small/atom.xml`, 'atom');
    expect(atom.mark).toBe('complete');
    expect(atom.ids).toHaveLength(3);
    expect(atom.links['prev-archive']).toBeUndefined();
    const rss = await readXml(ctx, `${SITE}/tags/small/feed.xml`, 'rss');
    expect(rss.mark).toBe('complete');
    expect(rss.links['prev-archive']).toBeUndefined();
    const { feed } = await readJson(`${SITE}/tags/small/feed.json`);
    expect(feed.next_url).toBeUndefined();
    const missing = await get('/tags/small/archive/1/atom.xml');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a feed of fewer than three pages holds all of them in its subscription document: archive pages come two at least', async (ctx) => {
    const ledger = await readXml(ctx, `${SITE}/sources/${sourceB}/atom.xml`, 'atom');
    expect(ledger.ids).toHaveLength(30);
    expect(ledger.mark).toBe('complete');
    // 59 entries: still complete; 60: the oldest two pages are archived at once.
    expect([archivedPages(59), archivedPages(60), archivedPages(79), archivedPages(80)]).toEqual([0, 2, 2, 3]);
  });
});

describe('?limit', () => {
  it('is the newest N entries, outside the archive set: no fh mark, no archive link', async (ctx) => {
    const doc = await readXml(ctx, `${SITE}/tags/chronicle/atom.xml?limit=5`, 'atom');
    expect(doc.ids).toHaveLength(5);
    expect(doc.mark).toBeNull();
    expect(doc.links['prev-archive']).toBeUndefined();
  });
});

describe('archive URLs', () => {
  it.each([
    ['/archive/0/atom.xml', 400],
    ['/archive/abc/atom.xml', 400],
    ['/archive/-1/feed.xml', 400],
    ['/archive/1.5/feed.json', 400],
    ['/tags/chronicle/archive/99/atom.xml', 404],
    ['/archive/99999999/atom.xml', 404],
    ['/tags/nothing-here/archive/1/atom.xml', 404],
    ['/sources/9999/archive/1/atom.xml', 404],
    ['/planet/archive/1/atom.xml?tag=nothing-here', 404],
  ])('%s is a %i problem', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    const problem = (await res.json()) as { errors?: { field: string }[] };
    if (status === 400) expect(problem.errors?.map((e) => e.field)).toEqual(['page']);
  });

  it('an archive page says who it is in the Link header, answers 304 to its ETag, and is cached for a day', async () => {
    const res = await get('/tags/chronicle/archive/1/atom.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('link')).toBe(`<${SITE}/tags/chronicle/archive/1/atom.xml>; rel="self"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('last-modified')).toBeNull();
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const again = await get('/tags/chronicle/archive/1/atom.xml', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Each format its own ETag.
    const rss = await get('/tags/chronicle/archive/1/feed.xml');
    expect(rss.headers.get('etag')).not.toBe(etag);
    // The subscription document is revalidated every time (FEED_MAX_AGE=0).
    expect((await get('/tags/chronicle/atom.xml')).headers.get('cache-control')).toBe('public, no-cache');
  });
});

describe('the summary variant', () => {
  it('has its own archive pages, summaries only, linked with ?content=summary', async (ctx) => {
    const current = `${SITE}/tags/chronicle/feed.xml?content=summary`;
    const head = await readXml(ctx, current, 'rss');
    expect(head.links.self).toBe(current);
    const prev = head.links['prev-archive']!;
    expect(prev).toBe(`${SITE}/tags/chronicle/archive/2/feed.xml?content=summary`);
    const page = await readXml(ctx, prev, 'rss');
    expect(page.mark).toBe('archive');
    expect(page.links.self).toBe(prev);
    expect(page.links.current).toBe(current);
    expect(page.links['prev-archive']).toBe(`${SITE}/tags/chronicle/archive/1/feed.xml?content=summary`);
    const full = await get('/tags/chronicle/archive/2/feed.xml');
    expect(await full.text()).toContain('<content:encoded>');
    const summary = await get('/tags/chronicle/archive/2/feed.xml?content=summary');
    expect(await summary.text()).not.toContain('<content:encoded>');
    expect(summary.headers.get('etag')).not.toBe(full.headers.get('etag'));
    expect((await get('/tags/chronicle/archive/2/feed.xml?content=full')).status).toBe(400);
  });
});

describe('stable archives', () => {
  const send = (method: string, path: string, body?: unknown) =>
    get(`/api/posts${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  const etagOf = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return res.headers.get('etag');
  };
  const idsOf = async (path: string) => ((await (await get(path)).json()) as { items: { id: string }[] }).items.map((i) => i.id);

  it('keep their members and ETags when new entries arrive; an edit changes its page only; a deletion shifts the pages after it', async () => {
    const page1 = '/tags/chronicle/archive/1/feed.json';
    const page2 = '/tags/chronicle/archive/2/feed.json';
    const [etag1, etag2, ids1, ids2] = [await etagOf(page1), await etagOf(page2), await idsOf(page1), await idsOf(page2)];
    const currentBefore = await etagOf('/tags/chronicle/feed.json');

    // A new post (the newest): the subscription document changes, the archive pages do not.
    const created = await send('POST', '', {
      title: 'Newest',
      tags: ['Chronicle'],
      authors: [{ name: 'Tester' }],
      content_html: '<p>new</p>',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await etagOf('/tags/chronicle/feed.json')).not.toBe(currentBefore);
    expect(await etagOf(page1)).toBe(etag1);
    expect(await etagOf(page2)).toBe(etag2);
    expect(await idsOf(page1)).toEqual(ids1);

    // An edit of an entry in page 1: page 1 has a new version, page 2 keeps its own.
    const edited = await send('PATCH', `/${encodeURIComponent(ids1[3]!)}`, { title: 'Edited in the archive' });
    expect(edited.status).toBe(200);
    expect(await etagOf(page1)).not.toBe(etag1);
    expect(await etagOf(page2)).toBe(etag2);
    const titles = ((await (await get(page1)).json()) as { items: { title: string }[] }).items.map((i) => i.title);
    expect(titles).toContain('Edited in the archive');

    // A deletion in page 1: every page from there on shifts by one entry (new members, new ETags).
    expect((await send('DELETE', `/${encodeURIComponent(ids1[0]!)}`)).status).toBe(204);
    expect(await etagOf(page2)).not.toBe(etag2);
    const shifted = await idsOf(page2);
    expect(shifted).not.toEqual(ids2);
    expect(shifted.slice(1)).toEqual(ids2.slice(0, -1));
    await send('DELETE', `/${encodeURIComponent(id)}`);
  });
});

describe('honest archive validators', () => {
  it('a page whose bytes did not change keeps its ETag; one that gained a next-archive link gets a new one', async () => {
    const add = (from: number, to: number) =>
      Promise.all(
        Array.from({ length: to - from }, (_, k) =>
          insertPost({
            id: `urn:uuid:00000000-0000-4000-a000-${String(from + k).padStart(12, '0')}`,
            slug: `annex-${from + k}`,
            title: `Annex ${from + k}`,
            publishedAt: BASE + (from + k) * HOUR,
            tags: [['annex', 'Annex']],
          }),
        ),
      );
    const read = async (path: string) => {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      return { etag: res.headers.get('etag'), body: await res.text() };
    };
    await add(0, 60);
    const formats = ['feed.json', 'feed.xml', 'atom.xml'];
    const before = await Promise.all(formats.map((f) => read(`/tags/annex/archive/2/${f}`)));
    // Twenty newer posts archive a third page: page 2 gains a next-archive link where a format has one.
    await add(60, 80);
    const after = await Promise.all(formats.map((f) => read(`/tags/annex/archive/2/${f}`)));
    // JSON Feed pages backwards only: the same bytes, so the same ETag.
    expect(after[0]!.body).toBe(before[0]!.body);
    expect(after[0]!.etag).toBe(before[0]!.etag);
    for (const i of [1, 2]) {
      expect(after[i]!.body).toContain('next-archive');
      expect(before[i]!.body).not.toContain('next-archive');
      expect(after[i]!.etag).not.toBe(before[i]!.etag);
    }
  });
});

describe('the renderers', () => {
  const urls = (name: string) => ({
    rss: `https://example.com/${name}/feed.xml?tag=a&b`,
    atom: `https://example.com/${name}/atom.xml?tag=a&b`,
    json: `https://example.com/${name}/feed.json?tag=a&b`,
  });
  const doc: FeedDocument = {
    title: 'T',
    description: 'D',
    language: 'en',
    homeUrl: 'https://example.com/',
    id: urls('current').atom,
    links: urls('page-2'),
    history: { mark: 'archive', prev: urls('page-1'), next: urls('page-3'), current: urls('current') },
    summaryLinks: urls('summary'),
    summaryOnly: false,
    icon: null,
    logo: null,
    podcast: null,
    categoryScheme: null,
    hub: 'https://hub.example.com/?a=1&b=2',
    updated: new Date(Date.UTC(2024, 0, 2)),
    items: [],
  };

  it('RSS keeps self and hub beside the archive links, each once, escaped, and fh:archive in the channel', async (ctx) => {
    const body = renderFeed(doc, 'rss');
    const rels = [...body.matchAll(/<atom:link [^>]*rel="([^"]+)"/g)].map((m) => m[1]);
    expect(rels).toEqual(['self', 'hub', 'current', 'prev-archive', 'next-archive']);
    expect(body).toContain('<atom:link href="https://example.com/page-1/feed.xml?tag=a&amp;b" rel="prev-archive"');
    expect(body).toMatch(/<rss [^>]*xmlns:fh="http:\/\/purl.org\/syndication\/history\/1.0"/);
    expect(body).toMatch(/<channel>[\s\S]*<fh:archive\/>[\s\S]*<\/channel>/);
    expect((await check(ctx, 'xmllint', body)).ok).toBe(true);
  });

  it('Atom keeps the feed id of the subscription document and says fh:archive', async (ctx) => {
    const body = renderFeed(doc, 'atom');
    expect(body).toContain('<id>https://example.com/current/atom.xml?tag=a&amp;b</id>');
    expect(body).toContain('<link rel="self" type="application/atom+xml" href="https://example.com/page-2/atom.xml?tag=a&amp;b"/>');
    expect(body).toContain('<fh:archive/>');
    const jing = await check(ctx, 'jing', body);
    expect(jing.ok, jing.output).toBe(true);
  });

  it('JSON Feed: feed_url is the subscription document, next_url the older page', () => {
    const json = JSON.parse(renderFeed(doc, 'json')) as { feed_url: string; next_url: string };
    expect(json.feed_url).toBe(urls('current').json);
    expect(json.next_url).toBe(urls('page-1').json);
  });
});
