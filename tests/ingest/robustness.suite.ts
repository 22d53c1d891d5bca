// Findings of a robustness review of the ingest path, each through the real refresh path (the
// admin API's refresh against the stub upstream on 127.0.0.1, tests/setup/upstream.ts) with the
// stored rows read back with plain SQL. Documents are generated here and PUT to the stub.
import { env } from 'cloudflare:workers';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/html/text';
import { MAX_CONTENT_PER_REFRESH_CHARS } from '../../src/ingest/limits';
import { addSource, AUTH, check, get, upstream } from '../support/worker';

type Report = {
  outcome: string;
  errorKind: string | null;
  error: string | null;
  alternate: string | null;
  warnings: string[];
  items: { seen: number; changed: number; removed: number } | null;
};
type SourceJson = {
  id: number;
  title: string;
  upstream_title: string | null;
  site_url: string | null;
  item_count: number;
  consecutive_failures: number;
  last_outcome: string;
};

const api = (path: string, init: RequestInit = {}) =>
  get(`/api/sources${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });

let serial = 0;
/** Serves `body` from the stub under a new name; returns its URL. */
async function serve(body: string, type = 'application/rss+xml'): Promise<string> {
  const name = `doc-${crypto.randomUUID()}-${++serial}.xml`;
  const res = await fetch(upstream(`/docs/${name}`), { method: 'PUT', body, headers: { 'content-type': type } });
  expect(res.status).toBe(204);
  return upstream(`/docs/${name}`);
}
/** Replaces what a served URL answers. */
async function replace(url: string, body: string, type = 'application/rss+xml') {
  expect((await fetch(url, { method: 'PUT', body, headers: { 'content-type': type } })).status).toBe(204);
}
// A feed source, as this suite tests feeds: without kind, adding a source looks at the URL first.
const addFeed = (url: string) => addSource<SourceJson>(url, { kind: 'feed' });
/** `refetch`: read the document whole even when it is the one stored (src/ingest/unchanged.ts would skip it). */
async function refresh(id: number, refetch = false): Promise<{ refresh: Report; source: SourceJson }> {
  const res = await api(`/${id}/refresh`, { method: 'POST', ...(refetch ? { body: JSON.stringify({ refetch }) } : {}) });
  expect(res.status).toBe(200);
  return (await res.json()) as { refresh: Report; source: SourceJson };
}

type Row = {
  id: string;
  item_key: string;
  title: string;
  summary: string;
  content_html: string;
  url: string | null;
  image: string | null;
  enclosures: string;
  published_at: number;
  updated_at: number;
};
async function rows(sourceId: number): Promise<Row[]> {
  const { results } = await env.DB.prepare(
    `SELECT id, item_key, title, summary, content_html, url, image, enclosures, published_at, updated_at
     FROM entries WHERE source_id = ?1 ORDER BY published_at DESC, id DESC`,
  )
    .bind(sourceId)
    .all<Row>();
  return results;
}
const tagsOf = async (entryId: string) =>
  (
    await env.DB.prepare('SELECT name FROM entry_tags WHERE entry_id = ?1 ORDER BY position').bind(entryId).all<{ name: string }>()
  ).results.map((r) => r.name);
const authorsOf = async (entryId: string) =>
  (
    await env.DB.prepare('SELECT name, email, url FROM entry_authors WHERE entry_id = ?1 ORDER BY position')
      .bind(entryId)
      .all<{ name: string; email: string | null; url: string | null }>()
  ).results;
const sourceRow = async (id: number) =>
  (await env.DB.prepare(
    'SELECT title, site_url, last_outcome, last_error_kind, consecutive_failures, last_warnings FROM sources WHERE id = ?1',
  )
    .bind(id)
    .first<{
      title: string | null;
      site_url: string | null;
      last_outcome: string;
      last_error_kind: string | null;
      consecutive_failures: number;
      last_warnings: string;
    }>())!;

/** Characters XML 1.0 forbids, as the output checks see them (UTF-16 code units). */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const rss = (channel: string, items: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>${channel}${items}</channel></rss>\n`;
const CHANNEL = '<title>Robust</title><link>https://site.example/</link><description>d</description>';
const day = 24 * 3600_000;

describe('1. references to characters XML forbids', () => {
  it('are dropped, in text and in attribute values, and the feed keeps its items', async () => {
    const doc = rss(
      '<title>Ti&#0;tle&#x1B;</title><link>https://site.example/&#x0;home</link><description>d&#xFFFE;</description>',
      `<item><title>A&#0;B&#x1B;C&#xFFFE;D&#xD800;E&#x0;F&#1114112;G&#xDFFF;H</title><link>https://site.example/a</link>
        <guid isPermaLink="false">guid&#x1B;-a</guid><category domain="x&#0;y">c&#x0;at</category>
        <enclosure url="https://cdn.example/a&#x0;.mp3" type="audio/mpeg" length="12&#0;"/>
        <description>sum&#xFFFF;mary &#65;&#x42;&#9;&#x0A;</description></item>
       <item><title>second</title><link>https://site.example/b</link><guid>b</guid></item>`,
    );
    const source = await addFeed(await serve(doc));
    const { refresh: report, source: after } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(after.upstream_title).toBe('Title');
    expect(after.site_url).toBe('https://site.example/home');
    const [first, second] = (await rows(source.id)).sort((a, b) => a.item_key.localeCompare(b.item_key));
    expect(first!.item_key).toBe('b');
    expect(second).toMatchObject({ item_key: 'guid-a', title: 'ABCDEFGH', content_html: 'summary AB' });
    expect(JSON.parse(second!.enclosures)).toEqual([{ url: 'https://cdn.example/a.mp3', type: 'audio/mpeg', length: 12 }]);
    expect(await tagsOf(second!.id)).toEqual(['cat']);
  });
});

describe('2. the parser holds no state between documents', () => {
  it('the same broken bytes give the same outcome and the same stored items on every refresh, and a good document after them is read whole', async () => {
    const broken = rss(
      CHANNEL,
      `<item><title>one</description><link>https://site.example/1</link><guid>1</guid></item>
      <item><title>two</title><link>https://site.example/2</link><guid>2</guid></item>`,
    );
    const url = await serve(broken);
    const source = await addFeed(url);
    const seen: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const { refresh: report } = await refresh(source.id, true);
      seen.push({
        outcome: report.outcome,
        errorKind: report.errorKind,
        warnings: report.warnings,
        seen: report.items?.seen,
        rows: (await rows(source.id)).map((r) => [r.item_key, r.title, r.url]),
      });
    }
    expect(seen[0]).toMatchObject({ outcome: 'ok', seen: 2 });
    for (const outcome of seen) expect(outcome).toEqual(seen[0]);

    await replace(url, rss(CHANNEL, '<item><title>three</title><link>https://site.example/3</link><guid>3</guid></item>'));
    const { refresh: good } = await refresh(source.id);
    expect(good).toMatchObject({ outcome: 'ok', warnings: [], items: { seen: 1, changed: 1, removed: 0 } });
  });

  it('a document nothing can be read from fails the same way every time', async () => {
    const source = await addFeed(await serve('<rss version="2.0"><channel><title>Broken</titl></channel></rss>'));
    const kinds: (string | null)[] = [];
    for (let i = 0; i < 3; i++) kinds.push((await refresh(source.id)).refresh.errorKind);
    expect(kinds).toEqual(['invalid_xml', 'invalid_xml', 'invalid_xml']);
  });
});

describe('3. junk before the root element', () => {
  it('a PHP warning printed as HTML before the declaration is skipped', async () => {
    const junk = '<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/x.php</b> on line <b>12</b><br />\n';
    const source = await addFeed(
      await serve(junk + rss(CHANNEL, '<item><title>kept</title><link>https://site.example/k</link><guid>k</guid></item>')),
    );
    const { refresh: report, source: after } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.warnings[0]).toMatch(/^\d+ characters before the feed's XML were skipped/);
    expect(after.upstream_title).toBe('Robust');
    expect((await rows(source.id)).map((r) => r.title)).toEqual(['kept']);
  });

  it('the same junk before a feed without a declaration is skipped too', async () => {
    const doc =
      '<b>Notice</b>: x<br>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><entry><title>e</title><id>urn:e</id><updated>2024-01-01T00:00:00Z</updated></entry></feed>';
    const source = await addFeed(await serve(doc, 'application/atom+xml'));
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    expect((await rows(source.id)).map((r) => r.item_key)).toEqual(['urn:e']);
  });

  it('an HTML page that merely contains "<rss" is still not a feed, and offers its alternate link', async () => {
    const page = `<!DOCTYPE html><html><head><title>How to write a feed</title>
      <link rel="alternate" type="application/rss+xml" href="/blog/feed.xml"></head>
      <body><pre><rss version="2.0"><channel><title>Example</title><item><title>x</title></item></channel></rss></pre>
      <script>const sample = '<?xml version="1.0"?><rss version="2.0">';</script></body></html>`;
    const url = await serve(page, 'text/html');
    const source = await addFeed(url);
    const { refresh: report } = await refresh(source.id);
    expect(report).toMatchObject({ outcome: 'error', errorKind: 'not_a_feed', alternate: new URL('/blog/feed.xml', url).href });
    expect(await rows(source.id)).toEqual([]);
  });

  it('an XML document with a feed element inside its root is not a feed', async () => {
    const source = await addFeed(
      await serve(
        '<urlset><url><loc>https://x.example/</loc><rss version="2.0"><channel><item><title>x</title></item></channel></rss></url></urlset>',
      ),
    );
    expect((await refresh(source.id)).refresh).toMatchObject({ outcome: 'error', errorKind: 'not_a_feed' });
  });
});

describe('4. documents that are not well-formed', () => {
  it('keep the items a lenient second parse can read, with a warning', async () => {
    const doc = rss(
      CHANNEL,
      `
      <item><title>unclosed title<link>https://site.example/1</link><guid>1</guid><description>one</description></item>
      <item><title>mismatched</description><link>https://site.example/2</link><guid>2</guid></item>
      <item><title>broken markup</title><link>https://site.example/3</link><guid>3</guid><description><p>open <b>bold</description></item>
      <item><title>early CDATA end</title><guid>4</guid><content:encoded><![CDATA[if (a[b[0]]> 1) { x(); }]]></content:encoded></item>
      <item><title>fine &amp; dandy</title><link>https://site.example/5</link><guid>5</guid></item>
      <item><title>unclosed item</title><guid>6</guid>`,
    );
    const source = await addFeed(await serve(doc));
    const { refresh: report, source: after } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.warnings[0]).toMatch(/^the XML was not well-formed \(.+\); 6 items were recovered by a lenient parse$/);
    expect(after).toMatchObject({ last_outcome: 'ok', consecutive_failures: 0, item_count: 6 });
    const byKey = Object.fromEntries((await rows(source.id)).map((r) => [r.item_key, r]));
    expect(Object.keys(byKey).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(byKey['1']).toMatchObject({ title: 'unclosed title', url: 'https://site.example/1', content_html: 'one' });
    expect(byKey['2']).toMatchObject({ title: 'mismatched', url: 'https://site.example/2' });
    expect(byKey['3']).toMatchObject({ title: 'broken markup', url: 'https://site.example/3' });
    expect(byKey['3']!.content_html).toBe('<div><p>open <b>bold</b></p></div>');
    // The text exactly; how the sanitizer spells a ">" in text is its own business.
    expect([byKey['4']!.title, htmlToText(byKey['4']!.content_html)]).toEqual(['early CDATA end', 'if (a[b[0]]> 1) { x(); }']);
    expect(byKey['5']!.title).toBe('fine & dandy');
    expect(byKey['6']!.title).toBe('unclosed item');
  });

  it('stay invalid_xml, keeping what is stored, when no item can be recovered', async () => {
    const url = await serve(rss(CHANNEL, '<item><title>stored</title><guid>s</guid></item>'));
    const source = await addFeed(url);
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    await replace(url, `<rss version="2.0"><channel><title>Broken</titl><item></channel>`);
    const { refresh: report, source: after } = await refresh(source.id);
    expect(report).toMatchObject({ outcome: 'error', errorKind: 'invalid_xml' });
    expect(report.error).toMatch(/no item could be recovered/);
    expect(after).toMatchObject({ consecutive_failures: 1, item_count: 1 });
    expect((await rows(source.id)).map((r) => r.title)).toEqual(['stored']);
  });
});

describe('5. no single item can fail a refresh', () => {
  it('three items with 800 KB titles, 1 MB summaries, 10,000 categories, 5,000 authors and enclosures are stored, capped', async () => {
    const entry = (n: number) => {
      const categories = Array.from({ length: 10_000 }, (_, i) => `<category term="c${n}-${i}"/>`).join('');
      const authors = Array.from(
        { length: 5_000 },
        (_, i) =>
          `<author><name>Author ${i} ${'n'.repeat(i === 0 ? 5000 : 3)}</name><email>${'e'.repeat(i === 0 ? 300 : 3)}@x.example</email><uri>https://a.example/${'u'.repeat(i === 0 ? 5000 : 1)}</uri></author>`,
      ).join('');
      const enclosures = Array.from(
        { length: 5_000 },
        (_, i) =>
          `<link rel="enclosure" type="audio/mpeg" length="${i}" href="https://cdn.example/${i === 0 ? 'x'.repeat(5000) : i}.mp3"/>`,
      ).join('');
      return `<entry><id>urn:long:${n}:${'i'.repeat(100_000)}</id><title>${`Title ${n} `.padEnd(800 * 1024, 'T')}</title>
        <link rel="alternate" href="https://site.example/${'p'.repeat(10_000)}"/>
        <updated>2024-01-0${n + 1}T00:00:00Z</updated><summary type="html">${`&lt;p&gt;Summary ${n} `.padEnd(1024 * 1024, 's')}</summary>
        <content type="html">&lt;p&gt;content ${n}&lt;/p&gt;</content>
        <media:thumbnail url="https://img.example/${'m'.repeat(10_000)}.png"/>${categories}${authors}${enclosures}</entry>`;
    };
    const doc = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><title>Big fields</title><id>urn:big</id><link href="https://site.example/"/>${[0, 1, 2].map(entry).join('')}</feed>`;
    expect(doc.length).toBeGreaterThan(7_000_000);
    const source = await addFeed(await serve(doc, 'application/atom+xml'));
    const { refresh: report } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.items).toMatchObject({ seen: 3, changed: 3 });
    for (const warning of [
      'title over 1000 characters; cut',
      'summary over 16384 bytes; cut to the start of its text',
      'more than 20 categories; the first 20 kept',
      'more than 10 authors; the first 10 kept',
      'more than 10 enclosures; the first 10 kept',
      'the link over 4096 characters dropped',
      'an image URL over 4096 characters dropped',
      'an enclosure URL over 4096 characters dropped',
      "an author's email or URL over its limit dropped",
    ]) {
      expect(
        report.warnings.filter((w) => w.endsWith(warning)),
        warning,
      ).toHaveLength(3);
    }
    const stored = await rows(source.id);
    expect(stored).toHaveLength(3);
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    for (const [i, row] of stored.entries()) {
      const n = 2 - i; // newest first
      expect(row.item_key).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect([...segmenter.segment(row.title)]).toHaveLength(1000);
      expect(row.title).toMatch(new RegExp(`^Title ${n} T+…$`));
      expect(new TextEncoder().encode(row.summary).byteLength).toBeLessThanOrEqual(16 * 1024);
      expect(row.summary).toMatch(new RegExp(`^<p>Summary ${n} s+…</p>$`));
      expect(row.content_html).toBe(`<p>content ${n}</p>`);
      expect(row.url).toBeNull(); // the long link dropped, and no other made up
      expect(row.image).toBeNull();
      const enclosures = JSON.parse(row.enclosures) as { url: string; length: number }[];
      expect(enclosures.map((e) => e.length)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await tagsOf(row.id)).toEqual(Array.from({ length: 20 }, (_, c) => `c${n}-${c}`));
      const authors = await authorsOf(row.id);
      expect(authors).toHaveLength(10);
      expect([...segmenter.segment(authors[0]!.name)]).toHaveLength(200);
      expect(authors[0]).toMatchObject({ email: null, url: null });
      expect(authors[1]).toEqual({ name: 'Author 1 nnn', email: 'eee@x.example', url: 'https://a.example/u' });
    }
    // The keys are stable: the same document again changes nothing.
    expect((await refresh(source.id, true)).refresh.items).toMatchObject({ seen: 3, changed: 0 });
  });
});

describe('6. a feed at the byte cap', () => {
  it('15 MB with 20,000 items, each with a CDATA section, refreshes with the item cap warning', async () => {
    const source = await addFeed(upstream(`/many-items?items=20000&bytes=${15 * 1024 * 1024 - 64 * 1024}&n=${++serial}`));
    const { refresh: report } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.warnings).toEqual([
      'the document lists more than 500 items; only the first 500 were read',
      '500 items upstream; the newest 200 kept',
    ]);
    expect(report.items).toMatchObject({ seen: 200, changed: 200 });
    const stored = await rows(source.id);
    expect(stored).toHaveLength(200);
    expect(stored[0]!.title).toBe('Item 1');
    expect(stored.at(-1)!.title).toBe('Item 200');
    expect(stored[0]!.content_html).toMatch(/^<p>Item 1 x+<\/p>$/);
  });
});

describe('7. the site URL of an Atom feed', () => {
  it.each([
    [
      'alternate',
      '<link rel="self" href="https://feeds.example/a.atom"/><link rel="alternate" type="text/html" href="https://site.example/home"/>',
    ],
    [
      'without rel',
      '<link rel="self" href="https://feeds.example/a.atom"/><link rel="hub" href="https://hub.example/"/><link href="https://site.example/home"/>',
    ],
    [
      'HTML alternate first',
      '<link rel="self" href="https://feeds.example/a.atom"/><link rel="alternate" type="application/json" href="https://site.example/feed.json"/><link rel="alternate" type="text/html" href="https://site.example/home"/>',
    ],
  ])('is the %s link, never rel="self"', async (_name, links) => {
    const doc = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>${links}<updated>2024-01-01T00:00:00Z</updated>
      <entry><title>no link</title><id>urn:nolink</id><updated>2024-01-01T00:00:00Z</updated></entry></feed>`;
    const source = await addFeed(await serve(doc, 'application/atom+xml'));
    const { source: after } = await refresh(source.id);
    expect(after.site_url).toBe('https://site.example/home');
    expect((await sourceRow(source.id)).site_url).toBe('https://site.example/home');
    // An entry without a link has none: neither the site nor the feed is its permalink.
    expect((await rows(source.id))[0]!.url).toBeNull();
  });

  it('is none when the feed only links to itself', async () => {
    const url = await serve(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><link rel="self" href="https://feeds.example/a.atom"/><entry><title>e</title><id>urn:e</id></entry></feed>',
      'application/atom+xml',
    );
    const source = await addFeed(url);
    expect((await refresh(source.id)).source.site_url).toBeNull();
    expect((await rows(source.id))[0]!.url).toBeNull();
  });
});

describe('an upstream Atom category with a label', () => {
  it('is stored and written with its term, and its label as the label', async () => {
    const url = await serve(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>Cats</title><id>urn:c</id><updated>2024-01-01T00:00:00Z</updated>
        <entry><title>e</title><id>urn:c:1</id><updated>2024-01-01T00:00:00Z</updated><link href="https://site.example/1"/>
          <category term="web-dev" label="Web development"/><category term="rust"/></entry></feed>`,
      'application/atom+xml',
    );
    const source = await addFeed(url);
    await refresh(source.id);
    const atom = await (await get(`/sources/${source.id}/atom.xml`)).text();
    expect(atom.match(/<category [^>]*\/>/g)).toEqual(['<category term="web-dev" label="Web development"/>', '<category term="rust"/>']);
    const json = (await (await get(`/sources/${source.id}/feed.json`)).json()) as { items: { tags?: string[] }[] };
    expect(json.items[0]!.tags).toEqual(['Web development', 'rust']);
    // A second refresh of the same document changes nothing: the term is part of what is compared.
    expect((await refresh(source.id, true)).refresh.items).toMatchObject({ changed: 0 });
  });
});

describe('an upstream item that names its source', () => {
  it('is credited to that source in RSS and Atom; the others to the feed read', async (ctx) => {
    const url = await serve(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Relay</title><link>https://relay.example/</link><description>d</description>
        <item><title>copied</title><link>https://orig.example/1</link><source url="https://orig.example/feed.xml">The Original</source><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>
        <item><title>own</title><link>https://relay.example/2</link><pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate></item>
      </channel></rss>`,
    );
    const source = await addFeed(url);
    await refresh(source.id);
    const rss = await (await get(`/sources/${source.id}/feed.xml`)).text();
    expect(rss.match(/<source [^>]*>[^<]*<\/source>/g)).toEqual([
      '<source url="https://orig.example/feed.xml">The Original</source>',
      `<source url="${url}">Relay</source>`,
    ]);
    const atom = await (await get(`/sources/${source.id}/atom.xml`)).text();
    const sources = atom.match(/<source>[\s\S]*?<\/source>/g)!;
    expect(sources[0]).toContain('<title>The Original</title>');
    expect(sources[0]).toContain('<link rel="self" href="https://orig.example/feed.xml"/>');
    expect(sources[1]).toContain('<title>Relay</title>');
    expect((await check(ctx, 'jing', atom)).output).toBe('');
    // A second refresh of the same document changes nothing.
    expect((await refresh(source.id, true)).refresh.items).toMatchObject({ changed: 0 });
  });
});

describe('an upstream item without a link', () => {
  it('gets no invented link, in the store or in any format, and keeps its id', async (ctx) => {
    const url = await serve(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>No links</title><link>https://site.example/</link><description>d</description>
        <item><title>with guid</title><guid isPermaLink="false">g-1</guid><description>one</description><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item>
        <item><title>with nothing</title><description>two</description><pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate></item>
        <item><title>linked</title><link>https://site.example/3</link><pubDate>Sun, 03 Mar 2024 09:00:00 GMT</pubDate></item>
      </channel></rss>`,
    );
    const source = await addFeed(url);
    await refresh(source.id);
    const first = await rows(source.id);
    expect(first.map((r) => r.url)).toEqual([null, null, 'https://site.example/3']);
    await refresh(source.id);
    expect((await rows(source.id)).map((r) => r.id)).toEqual(first.map((r) => r.id));

    const atom = await (await get(`/sources/${source.id}/atom.xml`)).text();
    const entryLinks = atom
      .match(/<entry\b[\s\S]*?<\/entry>/g)!
      .map((e) => /<link rel="alternate" type="text\/html" href="([^"]*)"/.exec(e)?.[1] ?? null);
    expect(entryLinks).toEqual([null, null, 'https://site.example/3']);
    const rss = await (await get(`/sources/${source.id}/feed.xml`)).text();
    expect(rss.match(/<item>[\s\S]*?<\/item>/g)!.map((i) => /<link>([^<]*)<\/link>/.exec(i)?.[1] ?? null)).toEqual([
      null,
      null,
      'https://site.example/3',
    ]);
    const json = (await (await get(`/sources/${source.id}/feed.json`)).json()) as { items: { url?: string }[] };
    expect(json.items.map((i) => i.url ?? null)).toEqual([null, null, 'https://site.example/3']);
    const page = await (await get(`/sources/${source.id}/`)).text();
    expect(page).toMatch(/<h2 dir="auto">with guid<\/h2>/);
    // RFC 4287 §4.1.1: an entry without an alternate link has content, also in the summary variant.
    const summaries = await (await get(`/sources/${source.id}/atom.xml?content=summary`)).text();
    const entries = summaries.match(/<entry\b[\s\S]*?<\/entry>/g)!;
    expect(entries.map((e) => [/rel="alternate" type="text\/html"/.test(e), /<content\b/.test(e)])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
    expect((await check(ctx, 'jing', atom)).output).toBe('');
    expect((await check(ctx, 'jing', summaries)).output).toBe('');
  });
});

describe('8. summaries derived from content', () => {
  it('decode entities and keep a bare "<" as text, in every format', async () => {
    const content = '<p>Caf&eacute; &#8217;s &amp; 3<4, a < b, &lt;tag&gt;</p>';
    const source = await addFeed(
      await serve(
        rss(
          CHANNEL,
          `<item><link>https://site.example/d</link><guid>d</guid><content:encoded><![CDATA[${content}]]></content:encoded></item>`,
        ),
      ),
    );
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    const [row] = await rows(source.id);
    const text = 'Café ’s & 3<4, a < b, <tag>';
    // Stored: no summary of its own, and the title derived from the content's text.
    expect(row).toMatchObject({ summary: '', title: text });
    const json = (await (await get(`/sources/${source.id}/feed.json`)).json()) as { items: { title: string; summary: string }[] };
    expect(json.items[0]).toMatchObject({ title: text, summary: text });
    // RSS description and Atom summary, as an XML parser reads them (CDATA or escaped alike): the text, escaped once.
    const html = '<p>Café ’s &amp; 3&lt;4, a &lt; b, &lt;tag&gt;</p>';
    const rssItem = (await new Parser().parseString(await (await get(`/sources/${source.id}/feed.xml`)).text())).items[0]!;
    expect(rssItem.content).toBe(html);
    const atomItem = (await new Parser().parseString(await (await get(`/sources/${source.id}/atom.xml`)).text())).items[0]!;
    expect(atomItem.summary).toBe(html);
  });
});

describe('9. characters XML forbids', () => {
  it('never reach a source or an item, from XML or from JSON', async () => {
    const xml = await addFeed(
      await serve(
        rss(
          '<title>X\u0000ML &#x1;title</title><link>https://site.example/\u0001x</link><description>d\u0000</description>',
          '<item><title>i\u0000t</title><guid>g\u0000x</guid><dc:creator>Ann\u0000 &#0;Lee</dc:creator><category>t\u0000ag</category></item>',
        ),
      ),
    );
    const json = await addFeed(
      await serve(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'J\u0000SON\uFFFE',
          home_page_url: 'https://site.example/\u0000j',
          description: 'x\u0000',
          items: [
            {
              id: 'id\u0000\ud800',
              title: 'T\u0000itle',
              content_html: '<p>c\u0000ontent\uFFFF</p>',
              summary: 's\u0000',
              url: 'https://site.example/\u0000i',
              authors: [{ name: 'B\u0000ob\u001F' }],
              tags: ['ta\u0000g'],
              attachments: [{ url: 'https://cdn.example/a.mp3', mime_type: 'audio/mpeg\u0000' }],
            },
          ],
        }),
        'application/feed+json',
      ),
    );
    for (const source of [xml, json]) {
      const { refresh: report } = await refresh(source.id);
      expect(report.outcome, report.error ?? '').toBe('ok');
      const stored = await sourceRow(source.id);
      const items = await rows(source.id);
      expect(items).toHaveLength(1);
      const everything = JSON.stringify([
        stored,
        items,
        ...(await Promise.all(items.map(async (r) => [await tagsOf(r.id), await authorsOf(r.id)]))),
      ]);
      expect(everything).not.toMatch(FORBIDDEN);
    }
    expect((await sourceRow(xml.id)).title).toBe('XML title');
    expect((await sourceRow(json.id)).title).toBe('JSON');
    expect((await rows(json.id))[0]).toMatchObject({ item_key: 'id', title: 'Title', content_html: '<p>content</p>', summary: '<p>s</p>' });
    expect(await authorsOf((await rows(json.id))[0]!.id)).toEqual([{ name: 'Bob', email: null, url: null }]);
    expect(await authorsOf((await rows(xml.id))[0]!.id)).toEqual([{ name: 'Ann Lee', email: null, url: null }]);
  });
});

describe('10. undated items of a new source', () => {
  const item = (key: string, date: number | null) =>
    `<item><title>${key}</title><link>https://site.example/${key}</link><guid>${key}</guid>${date === null ? '' : `<pubDate>${new Date(date).toUTCString()}</pubDate>`}</item>`;

  it('go below the oldest dated item of their feed, in feed order, and keep that date; later undated items are new', async () => {
    const now = Date.now();
    const today = await addFeed(await serve(rss(CHANNEL, item('today', now - 3600_000))));
    expect((await refresh(today.id)).refresh.outcome).toBe('ok');

    const three = Math.floor((now - 3 * day) / 1000) * 1000;
    const five = Math.floor((now - 5 * day) / 1000) * 1000;
    const url = await serve(rss(CHANNEL, item('u1', null) + item('d3', three) + item('u2', null) + item('d5', five)));
    const fresh = await addFeed(url);
    expect((await refresh(fresh.id)).refresh.outcome).toBe('ok');
    const dates = async () => Object.fromEntries((await rows(fresh.id)).map((r) => [r.item_key, r.published_at]));
    expect(await dates()).toEqual({ u1: five - 1, d3: three, u2: five - 2, d5: five });
    const planet = (await (await get('/planet/feed.json?limit=100')).json()) as { items: { title: string }[] };
    const titles = planet.items.map((i) => i.title);
    expect(titles.indexOf('today')).toBeLessThan(titles.indexOf('u1'));
    expect(titles.slice(titles.indexOf('d3'))).toEqual(expect.arrayContaining(['u1', 'u2']));

    // Refreshed again (a new item added), the stored ones keep their dates; the new undated one is new.
    await replace(url, rss(CHANNEL, item('u0', null) + item('u1', null) + item('d3', three) + item('u2', null) + item('d5', five)));
    const before = Date.now();
    expect((await refresh(fresh.id)).refresh.outcome).toBe('ok');
    const after = await dates();
    expect({ ...after, u0: 0 }).toEqual({ u0: 0, u1: five - 1, d3: three, u2: five - 2, d5: five });
    expect(after.u0).toBeGreaterThanOrEqual(before - 10);
  });

  it("of a feed without any dated item go below the feed's own date", async () => {
    const built = Math.floor((Date.now() - 3 * day) / 1000) * 1000;
    const source = await addFeed(
      await serve(rss(`${CHANNEL}<lastBuildDate>${new Date(built).toUTCString()}</lastBuildDate>`, item('a', null) + item('b', null))),
    );
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    expect(Object.fromEntries((await rows(source.id)).map((r) => [r.item_key, r.published_at]))).toEqual({ a: built - 1, b: built - 2 });
  });

  it('of a feed without any date are at least a day old', async () => {
    const stamp = Date.now();
    // A feed that stamps itself with the time it was generated says nothing about its items.
    const source = await addFeed(
      await serve(rss(`${CHANNEL}<lastBuildDate>${new Date(stamp).toUTCString()}</lastBuildDate>`, item('a', null) + item('b', null))),
    );
    const before = Date.now();
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    const after = Date.now();
    const [a, b] = (await rows(source.id)).map((r) => r.published_at);
    expect(a! - b!).toBe(1);
    expect(a).toBeGreaterThanOrEqual(before - day - 1);
    expect(a).toBeLessThanOrEqual(after - day - 1);
  });
});

describe('a feed with more full content than a refresh reads', () => {
  it('keeps the content of the newest items up to the budget, the summaries of all, with a warning', async () => {
    // 150 items of ~60 KB of content each (~9 Mi characters): over MAX_CONTENT_PER_REFRESH_CHARS.
    const para = `<p>${'word '.repeat(1199)}</p>`;
    const items = Array.from({ length: 150 }, (_, i) => {
      const date = new Date(Date.UTC(2024, 0, 1) - i * 3_600_000).toUTCString();
      return `<item><title>n${i}</title><guid>big-${i}</guid><pubDate>${date}</pubDate><description>summary ${i}</description>
        <content:encoded><![CDATA[${para.repeat(10)}]]></content:encoded></item>`;
    });
    const body = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
      <title>Big</title><link>https://big.example/</link><description>d</description>${items.join('')}</channel></rss>`;
    const source = await addFeed(await serve(body));
    const { refresh: report } = await refresh(source.id);
    expect(report.outcome).toBe('ok');
    const kept = Math.floor(MAX_CONTENT_PER_REFRESH_CHARS / (para.length * 10));
    expect(report.warnings).toContain(
      `the content of ${150 - kept} items not kept: a refresh reads at most 2 Mi characters of content, newest items first; their summaries are kept`,
    );
    const stored = await rows(source.id);
    expect(stored).toHaveLength(150);
    expect(stored.filter((r) => r.content_html !== '').map((r) => r.title)).toEqual(Array.from({ length: kept }, (_, i) => `n${i}`));
    expect(stored.every((r, i) => r.summary === `summary ${i}`)).toBe(true);
  });
});
