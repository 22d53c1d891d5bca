// Every feed the site serves, read by parsers we did not write: xmllint (well-formed), jing with
// RFC 4287's schema (Atom), Universal Feed Parser (what readers see), rss-parser (round trip),
// and JSON Feed 1.1's rules. Each must show exactly what is stored, and the formats must agree.
import Parser from 'rss-parser';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { AUTH, check, get, SITE, storedPosts } from '../support/worker';

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
      headers: AUTH,
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

/** A time tuple as ms since the epoch; years below 100 stay themselves (Date.UTC would add 1900). */
function utc(parts: number[] | null): number | null {
  if (!parts) return null;
  const date = new Date(Date.UTC(2000, parts[1]! - 1, parts[2], parts[3], parts[4], parts[5]));
  date.setUTCFullYear(parts[0]!);
  return date.getTime();
}

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
        headers: AUTH,
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

// Two readers we did not write, side by side: newsboat (a terminal reader, run headless, its
// SQLite cache read back) and Universal Feed Parser. For the site, a tag, an upstream source and
// the planet, in every format each reads, what it shows must be what the API stored, read back
// with plain SQL: titles, links, dates, every author, categories, enclosures and content text.
describe('readers show what is stored', () => {
  const hourAgo = Date.now() - 3_600_000;
  let sourceId = 0;

  beforeAll(async () => {
    for (const [i, title] of ['Readers & writers: one', 'Readers <two>'].entries()) {
      const res = await get('/api/posts', {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({
          title,
          tags: ['Readers', 'Second Tag'],
          authors: [{ name: 'Ada Lovelace' }, { name: 'Bob Ross' }, { name: 'Cé Ñandú' }],
          content_html: `<p>Body of <em>${i}</em> &amp; more — “quoted”.</p><p>Second paragraph.</p>`,
          published_at: new Date(hourAgo - i * 60_000).toISOString(),
          enclosures: [
            { url: `https://cdn.example/episode-${i}.mp3`, type: 'audio/mpeg', length: 1234 },
            { url: `https://cdn.example/cover-${i}.png`, type: 'image/png', length: 99 },
          ],
        }),
      });
      expect(res.status).toBe(201);
    }
    const items = [0, 1]
      .map(
        (i) => `<item><title>Upstream ${i} &amp; co</title><link>https://upstream.example/readers/${i}</link>
<guid isPermaLink="false">readers-${i}</guid><pubDate>${new Date(hourAgo - 30_000 - i * 60_000).toUTCString()}</pubDate>
<dc:creator>Dee Upstream</dc:creator><dc:creator>Eve Second</dc:creator><category>Alpha</category><category>Beta</category>
<description>short ${i}</description><content:encoded><![CDATA[<p>Upstream body ${i} &amp; <b>bold</b>.</p>]]></content:encoded>
<enclosure url="https://upstream.example/readers/${i}.mp3" type="audio/mpeg" length="4321"/></item>`,
      )
      .join('\n');
    const doc = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Readers upstream</title><link>https://upstream.example/readers/</link><description>x</description>
${items}
</channel></rss>`;
    const url = `${inject('upstreamUrl')}/docs/readers-upstream.xml`;
    const put = await fetch(url, { method: 'PUT', body: doc, headers: { 'content-type': 'application/rss+xml' } });
    expect(put.status).toBe(204);
    const added = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url, kind: 'feed' }) });
    expect(added.status).toBe(201);
    sourceId = ((await added.json()) as { id: number }).id;
    const refreshed = await get(`/api/sources/${sourceId}/refresh`, { method: 'POST', headers: AUTH });
    expect(((await refreshed.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
  });

  type Stored = {
    id: string;
    title: string;
    link: string;
    published: number;
    updated: number;
    authors: string[];
    tags: string[];
    enclosures: { url: string; type: string; length: number }[];
    text: string;
  };

  /** The stored entries with these ids, by plain SQL. */
  async function stored(ids: string[]): Promise<Map<string, Stored>> {
    const { results } = await env.DB.prepare(
      `SELECT e.id, e.title, e.slug, e.url, e.published_at, e.updated_at, e.content_html, e.summary, e.enclosures,
         (SELECT json_group_array(name) FROM (SELECT name FROM entry_authors WHERE entry_id = e.id ORDER BY position)) AS authors,
         (SELECT json_group_array(name) FROM (SELECT name FROM entry_tags WHERE entry_id = e.id ORDER BY position)) AS tags
       FROM entries e WHERE e.id IN (SELECT value FROM json_each(?1))`,
    )
      .bind(JSON.stringify(ids))
      .all<Record<string, string | number | null>>();
    return new Map(
      results.map((r) => [
        r.id as string,
        {
          id: r.id as string,
          title: r.title as string,
          link: r.url === null ? `${SITE}/posts/${encodeURIComponent(r.slug as string)}` : (r.url as string),
          published: r.published_at as number,
          updated: r.updated_at as number,
          authors: JSON.parse(r.authors as string),
          tags: JSON.parse(r.tags as string),
          enclosures: JSON.parse(r.enclosures as string),
          text: plain((r.content_html as string) || (r.summary as string)),
        },
      ]),
    );
  }

  /** Text of an HTML fragment, spaces collapsed: content is compared as what a reader reads. */
  function plain(html: string | null): string {
    const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
    return (html ?? '')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, name: string) =>
        name[0] === '#'
          ? String.fromCodePoint(name[1]!.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)))
          : (entities[name] ?? m),
      )
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** The ids a view should list, newest first (the planet: its stored upstream entries, checked per item). */
  async function listed(view: string): Promise<string[] | null> {
    if (view === '/') return (await storedPosts()).slice(0, 20).map((r) => r.id);
    if (view === '/tags/readers/')
      return (await storedPosts('id IN (SELECT entry_id FROM entry_tags WHERE slug = ?2)', 'readers')).slice(0, 20).map((r) => r.id);
    if (view.startsWith('/sources/')) {
      const { results } = await env.DB.prepare(
        `SELECT id FROM entries WHERE source_id = ?1 AND status = 'published' AND published_at <= ?2
         ORDER BY published_at DESC, id DESC LIMIT 20`,
      )
        .bind(sourceId, Date.now())
        .all<{ id: string }>();
      return results.map((r) => r.id);
    }
    return null;
  }

  /** What a reader shows of one item, in the terms of the stored row. */
  type Shown = {
    id: string;
    title: string;
    link: string;
    published: number | null;
    authors: string[];
    tags: string[] | null;
    enclosures: { url: string; type: string }[];
    text: string;
  };

  type FeedparserEntry = FeedparserView['entries'][number] & {
    tag_labels: string[];
    summary: string | null;
    enclosures: { href: string; type: string; length: string }[];
  };
  type NewsboatView = {
    feed: { title: string; link: string };
    items: {
      guid: string;
      title: string;
      link: string;
      author: string;
      pubDate: number;
      content: string;
      enclosure_url: string | null;
      enclosure_type: string | null;
    }[];
  };

  const FORMATS = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } as const;
  type Format = keyof typeof FORMATS;

  /** Universal Feed Parser's view of a document; null for a format it cannot read (JSON Feed before 6.1). */
  async function viaFeedparser(ctx: TestContext, body: string, format: Format): Promise<Shown[] | null> {
    const fp = JSON.parse((await check(ctx, 'feedparser', body)).output) as Omit<FeedparserView, 'entries'> & {
      entries: FeedparserEntry[];
    };
    if (format === 'json' && !fp.version) return null;
    expect(fp.bozo_exception).toBeNull();
    return fp.entries.map((e) => ({
      id: e.id,
      title: e.title,
      link: e.link,
      published: utc(e.published_parsed)!,
      authors: e.authors,
      tags: e.tag_labels,
      enclosures: e.enclosures.map((x) => ({ url: x.href, type: x.type })),
      text: plain(e.content ?? e.summary),
    }));
  }

  /** newsboat's view of a document; null for a format it cannot read (JSON Feed, in the versions that lack it). */
  async function viaNewsboat(ctx: TestContext, body: string, format: Format): Promise<Shown[] | null> {
    const result = await check(ctx, 'newsboat', body);
    if (format === 'json' && !result.ok) return null;
    expect(result.ok, result.output).toBe(true);
    const nb = JSON.parse(result.output) as NewsboatView;
    return nb.items.map((i) => ({
      id: i.guid,
      title: i.title,
      link: i.link,
      published: i.pubDate * 1000,
      authors: [i.author],
      // newsboat keeps no categories in its cache (nor shows them).
      tags: null,
      enclosures: i.enclosure_url ? [{ url: i.enclosure_url, type: i.enclosure_type ?? '' }] : [],
      text: plain(i.content),
    }));
  }

  /** What a reader of `format` should show of a stored entry, by the decided rules of each format. */
  function want(s: Stored, format: Format, reader: 'feedparser' | 'newsboat'): Shown {
    const second = (ms: number) => ms - (ms % 1000);
    // RSS: every author in one dc:creator joined with ", ", and one <enclosure>, the first.
    // newsboat keeps one author string and one enclosure in any format.
    const joined = format === 'rss' || reader === 'newsboat';
    const oneEnclosure = format === 'rss' || reader === 'newsboat';
    return {
      id: s.id,
      title: s.title,
      link: s.link,
      // newsboat keeps dates as Unix time and reads years below 100 as two-digit years (0001 is
      // 2001 to it) and earlier years wrongly: it is held to the dates from 1970 on.
      published: reader === 'newsboat' && s.published < 0 ? null : second(s.published),
      authors: joined ? [s.authors.join(', ')] : s.authors,
      tags: reader === 'newsboat' ? null : s.tags,
      enclosures: s.enclosures.slice(0, oneEnclosure ? 1 : undefined).map((e) => ({ url: e.url, type: e.type })),
      text: s.text,
    };
  }

  const VIEWS = ['/', '/tags/readers/', 'source', '/planet/'] as const;
  const READERS = { feedparser: viaFeedparser, newsboat: viaNewsboat } as const;

  describe.each(Object.keys(READERS) as (keyof typeof READERS)[])('%s', (reader) => {
    it.for(VIEWS.flatMap((view) => (Object.keys(FORMATS) as Format[]).map((format) => [view, format] as const)))(
      '%s in %s',
      async ([name, format], ctx) => {
        const view = name === 'source' ? `/sources/${sourceId}/` : name;
        const res = await get(`${view}${FORMATS[format]}`);
        expect(res.status).toBe(200);
        const shown = await READERS[reader](ctx, await res.text(), format);
        if (shown === null) {
          ctx.skip(`${reader} does not read ${format} in the installed version`);
          return;
        }
        expect(shown.length).toBeGreaterThan(0);
        const ids = shown.map((s) => s.id);
        const expectedIds = await listed(view);
        if (expectedIds) expect(ids).toEqual(expectedIds);
        const rows = await stored(ids);
        const wanted = ids.map((id) => want(rows.get(id)!, format, reader));
        for (const [i, w] of wanted.entries()) if (w.published === null) shown[i]!.published = null;
        expect(shown).toEqual(wanted);
        // The entries made here are in the views that list them.
        const ours = [...rows.values()].filter((r) => r.title.startsWith('Readers') || r.title.startsWith('Upstream'));
        expect(ours.length).toBeGreaterThan(0);
      },
    );
  });
});
