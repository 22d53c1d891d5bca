// Every feed the site serves, read by parsers we did not write: xmllint (well-formed), jing with
// RFC 4287's schema (Atom), Universal Feed Parser (what readers see), rss-parser (round trip),
// and JSON Feed 1.1's rules. Each must show exactly what is stored, and the formats must agree.
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, get, SITE, storedPosts } from './helpers';

// Tags and authors in other scripts: their feeds live at percent-encoded URLs (IRIs on the page).
const JA_TAG = '日本語';
const EL_AUTHOR = 'γιώργος-παπαδόπουλος';

beforeAll(async () => {
  for (const [title, day] of [
    ['日本語の記事', '01'],
    ['二つ目の記事', '02'],
  ] as const) {
    const res = await get('/api/posts', {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        title,
        tags: ['日本語', 'Ελληνικά'],
        authors: [{ name: 'Γιώργος Παπαδόπουλος' }],
        content_html: `<p>${title}</p>`,
        published_at: `2019-05-${day}T09:00:00Z`,
      }),
    });
    expect(res.status).toBe(201);
  }
});

type Expected = { id: string; title: string; link: string; published: number; updated: number };

const VIEWS = [
  { path: '/', where: '1 = 1', binds: [] },
  { path: '/tags/tech/', where: 'id IN (SELECT entry_id FROM entry_tags WHERE slug = ?2)', binds: ['tech'] },
  { path: '/tags/lifestyle/', where: 'id IN (SELECT entry_id FROM entry_tags WHERE slug = ?2)', binds: ['lifestyle'] },
  { path: '/authors/blog-team/', where: 'id IN (SELECT entry_id FROM entry_authors WHERE slug = ?2)', binds: ['blog-team'] },
  { path: '/authors/news-desk/', where: 'id IN (SELECT entry_id FROM entry_authors WHERE slug = ?2)', binds: ['news-desk'] },
  { path: `/tags/${encodeURIComponent(JA_TAG)}/`, where: 'id IN (SELECT entry_id FROM entry_tags WHERE slug = ?2)', binds: [JA_TAG] },
  {
    path: `/authors/${encodeURIComponent(EL_AUTHOR)}/`,
    where: 'id IN (SELECT entry_id FROM entry_authors WHERE slug = ?2)',
    binds: [EL_AUTHOR],
  },
];

async function expected(view: (typeof VIEWS)[number]): Promise<Expected[]> {
  const rows = await storedPosts(view.where, ...view.binds);
  expect(rows.length).toBeGreaterThan(0);
  return rows.slice(0, 20).map((r) => ({
    id: r.id,
    title: r.title,
    link: `${SITE}/posts/${encodeURIComponent(r.slug)}`,
    published: r.published_at,
    updated: r.updated_at,
  }));
}

type FeedparserView = {
  bozo: boolean;
  bozo_exception: string | null;
  version: string;
  feed: { title: string; link: string; links: { rel: string; href: string }[] };
  entries: {
    id: string;
    link: string;
    title: string;
    published_parsed: number[] | null;
    updated_parsed: number[] | null;
    authors: string[];
    content: string | null;
  }[];
};

const utc = (parts: number[] | null) => (parts ? Date.UTC(parts[0]!, parts[1]! - 1, parts[2], parts[3], parts[4], parts[5]) : null);

describe.each(VIEWS)('feeds of $path', (view) => {
  it('RSS 2.0 is well-formed, read by Universal Feed Parser and rss-parser as stored', async (ctx) => {
    const want = await expected(view);
    const xml = await (await get(`${view.path}feed.xml`)).text();
    const lint = await check(ctx, 'xmllint', xml);
    expect(lint.output).toBe('');
    expect(lint.ok).toBe(true);

    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as FeedparserView;
    expect(fp.bozo_exception).toBeNull();
    expect(fp.version).toBe('rss20');
    expect(fp.feed.link).toBe(`${SITE}${view.path}`);
    expect(fp.feed.links).toContainEqual({ rel: 'self', href: `${SITE}${view.path}feed.xml` });
    expect(fp.entries.map((e) => [e.id, e.title, e.link, utc(e.published_parsed)])).toEqual(
      want.map((w) => [w.id, w.title, w.link, w.published]),
    );
    expect(fp.entries.every((e) => e.authors.length > 0 && (e.content ?? '').length > 0)).toBe(true);

    const parsed = await new Parser().parseString(xml);
    expect(parsed.items.map((i) => [i.guid, i.title, i.link, Date.parse(i.pubDate!)])).toEqual(
      want.map((w) => [w.id, w.title, w.link, w.published]),
    );
  });

  it('Atom 1.0 is well-formed, valid against RFC 4287, read as stored', async (ctx) => {
    const want = await expected(view);
    const xml = await (await get(`${view.path}atom.xml`)).text();
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    const schema = await check(ctx, 'jing', xml);
    expect(schema.output).toBe('');
    expect(schema.ok).toBe(true);

    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as FeedparserView;
    expect(fp.bozo_exception).toBeNull();
    expect(fp.version).toBe('atom10');
    expect(fp.feed.links).toContainEqual({ rel: 'self', href: `${SITE}${view.path}atom.xml` });
    // feedparser's time tuples have whole seconds; posts written through the API have milliseconds.
    const second = (ms: number) => ms - (ms % 1000);
    expect(fp.entries.map((e) => [e.id, e.title, e.link, utc(e.published_parsed), utc(e.updated_parsed)])).toEqual(
      want.map((w) => [w.id, w.title, w.link, second(w.published), second(w.updated)]),
    );

    const parsed = await new Parser().parseString(xml);
    expect(parsed.items.map((i) => [i.id, i.title, i.link])).toEqual(want.map((w) => [w.id, w.title, w.link]));
  });

  it('JSON Feed 1.1 follows the spec and shows what is stored', async () => {
    const want = await expected(view);
    const res = await get(`${view.path}feed.json`);
    const feed = (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof feed.title).toBe('string');
    expect(feed.home_page_url).toBe(`${SITE}${view.path}`);
    expect(feed.feed_url).toBe(`${SITE}${view.path}feed.json`);
    expect(feed.language).toBe('en');
    expect(feed).not.toHaveProperty('author');
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_html).toBe('string');
      expect(Array.isArray(item.authors) && item.authors.length > 0).toBe(true);
      expect(item).not.toHaveProperty('author');
    }
    expect(
      feed.items.map((i) => [i.id, i.title, i.url, Date.parse(i.date_published as string), Date.parse(i.date_modified as string)]),
    ).toEqual(want.map((w) => [w.id, w.title, w.link, w.published, w.updated]));
  });

  it('RSS, Atom and JSON agree item by item: ids, titles, links, dates, authors, tags, content', async (ctx) => {
    const [rss, atom, json] = await Promise.all(
      ['feed.xml', 'atom.xml', 'feed.json'].map(async (f) => (await get(`${view.path}${f}`)).text()),
    );
    const fromRss = JSON.parse((await check(ctx, 'feedparser', rss!)).output) as FeedparserView;
    const fromAtom = JSON.parse((await check(ctx, 'feedparser', atom!)).output) as FeedparserView;
    const fromJson = JSON.parse(json!) as {
      items: {
        id: string;
        title: string;
        url: string;
        date_published: string;
        authors: { name: string }[];
        tags?: string[];
        content_html: string;
      }[];
    };
    const norm = (e: FeedparserView['entries'][number]) => [e.id, e.title, e.link, utc(e.published_parsed), e.authors, e.content];
    expect(fromRss.entries.map(norm)).toEqual(fromAtom.entries.map(norm));
    expect(
      fromJson.items.map((i) => [i.id, i.title, i.url, Date.parse(i.date_published), i.authors.map((a) => a.name), i.content_html]),
    ).toEqual(fromAtom.entries.map(norm));
  });
});

describe('the extremes of the dates the API takes', () => {
  it('posts of 0001-01-01 (also written with an offset) make RSS and Atom that the checkers accept', async (ctx) => {
    for (const [title, published_at] of [
      ['Year one', '0001-01-01T00:00:00Z'],
      ['Year one, offset', '0001-01-01T01:30:00+00:30'],
    ]) {
      const res = await get('/api/posts', {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
        body: JSON.stringify({ title, tags: ['Ancient'], authors: [{ name: 'Scribe' }], content_html: '<p>old</p>', published_at }),
      });
      expect(res.status).toBe(201);
    }
    const atom = await (await get('/tags/ancient/atom.xml')).text();
    expect(atom).toContain('<published>0001-01-01T00:00:00.000Z</published>');
    const schema = await check(ctx, 'jing', atom);
    expect(schema.output).toBe('');
    expect(schema.ok).toBe(true);
    const fp = JSON.parse((await check(ctx, 'feedparser', await (await get('/tags/ancient/feed.xml')).text())).output) as FeedparserView;
    expect(fp.bozo_exception).toBeNull();
    expect(fp.entries.map((e) => e.title)).toEqual(['Year one, offset', 'Year one']);
  });
});

describe('HTML pages', () => {
  const PAGES = [
    ['/', ['/']],
    ['/tags/tech/', ['/tags/tech/', '/']],
    ['/authors/news-desk/', ['/authors/news-desk/', '/']],
    [`/tags/${encodeURIComponent(JA_TAG)}/`, [`/tags/${encodeURIComponent(JA_TAG)}/`, '/']],
    ['/posts/clarity-achieved-with-russian-federation-on-syria-truce-steps-says-kerry', ['/']],
  ] as const;

  it.for(PAGES)('%s parses as HTML5 without errors and advertises its feeds', async ([path, feedBases], ctx) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    const alternates = [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"\/?>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    // The full feeds first, then each one's summary variant (?content=summary).
    expect(alternates).toEqual(
      ['', '?content=summary'].flatMap((query) =>
        (feedBases as readonly string[]).flatMap((base) => [
          ['application/rss+xml', `${SITE}${base}feed.xml${query}`],
          ['application/atom+xml', `${SITE}${base}atom.xml${query}`],
          ['application/feed+json', `${SITE}${base}feed.json${query}`],
        ]),
      ),
    );
  });
});
