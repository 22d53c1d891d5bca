// Large feeds read window by window (src/ingest/large-feed.ts), through the real refresh path
// against documents the stub upstream on 127.0.0.1 serves: what a refresh stores window by window
// is what it stores reading the same document whole. The threshold and the window size are
// lowered through FEED_STREAM_AFTER_BYTES and FEED_WINDOW_CHARS, so that documents of tens of
// kilobytes go through many windows; the same knob set above the cap reads them whole.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getSource } from '../../src/db/sources';
import { refreshSource } from '../../src/ingest/refresh';
import { AUTH, get, upstream } from '../support/worker';

/** Documents over 4 KB read window by window, about 3,000 characters of items a window. */
const WINDOWED = { ...env, FEED_STREAM_AFTER_BYTES: '4096', FEED_WINDOW_CHARS: '3000' } as Env;
/** Every document read whole, as before windows existed. */
const WHOLE = { ...env, FEED_STREAM_AFTER_BYTES: String(64 * 1024 * 1024) } as Env;

let serial = 0;
/** Serves `body` from the stub under a new name (headers: x-chunk, x-cut; see tests/setup/upstream.ts); its URL. */
async function serve(body: string | Uint8Array, type: string, headers: Record<string, string> = {}): Promise<string> {
  const name = `large-${crypto.randomUUID()}-${++serial}.xml`;
  const res = await fetch(upstream(`/docs/${name}`), { method: 'PUT', body, headers: { 'content-type': type, ...headers } });
  expect(res.status).toBe(204);
  return upstream(`/docs/${name}`);
}

async function addFeed(url: string, fields: Record<string, unknown> = {}) {
  const res = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url, kind: 'feed', ...fields }) });
  expect(res.status).toBe(201);
  return (await getSource(env.DB, ((await res.json()) as { id: number }).id))!;
}

/** What a source stored, newest first: every stored field that does not name the source. */
async function stored(sourceId: number) {
  const { results } = await env.DB.prepare(
    `SELECT e.item_key, e.blocked_by, e.title, e.summary, e.content_html, e.url, e.image, e.enclosures, e.published_at, e.updated_at, e.ingest_digest,
       (SELECT group_concat(t.slug || '=' || t.name, '|') FROM entry_tags t WHERE t.entry_id = e.id) AS tags,
       (SELECT group_concat(a.name, '|') FROM entry_authors a WHERE a.entry_id = e.id) AS authors
     FROM entries e WHERE e.source_id = ?1 ORDER BY e.visible_at DESC, e.id DESC`,
  )
    .bind(sourceId)
    .all<Record<string, unknown>>();
  return results;
}

const date = (i: number) => new Date(Date.UTC(2026, 0, 1) - i * 3_600_000).toUTCString();
const iso = (i: number) => new Date(Date.UTC(2026, 0, 1) - i * 3_600_000).toISOString();
const pad = (i: number) => `Lorem ipsum ${i} dolor sit amet, consectetur adipiscing elit; café, naïve, 東京, 🙂. `.repeat(3);

/** RSS 2.0 of `count` items (or the items numbered `order`); each item's CDATA holds "</item>", and a comment holding "</item>" follows each. */
function rss(count: number, { order = [...Array(count).keys()], encoding = 'UTF-8', comments = true } = {}): string {
  const items = order
    .map((i) => {
      return `<item><title>Item ${i}: caf\u00e9 &amp; cr\u00e8me</title><link>https://big.example/p/${i}?utm_source=feed</link><guid isPermaLink="false">g-${i}</guid><pubDate>${date(i)}</pubDate><category>Topic ${i % 3}</category><dc:creator>Writer ${i % 4}</dc:creator><description><![CDATA[<p>Summary ${i}: a CDATA section saying </item><item> is text</p>]]></description><content:encoded><![CDATA[<p>Body of ${i}. ${pad(i)}<a href="/rel/${i}">rel</a><script>alert(${i})</script></p>]]></content:encoded>${i % 5 === 0 ? `<enclosure url="https://big.example/a/${i}.mp3" type="audio/mpeg" length="${1000 + i}"/>` : ''}</item>\n${comments ? `<!-- after item ${i}: </item> <item> is a comment -->\n` : ''}`;
    })
    .join('');
  return `<?xml version="1.0" encoding="${encoding}"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Large &amp; windowed</title><link>https://big.example/</link><description>A feed read in windows</description><ttl>42</ttl>\n${items}</channel></rss>\n`;
}

/** Atom of `count` entries; a comment holding "</entry>" follows each, and each entry's CDATA holds one. */
function atom(count: number): string {
  const entries = Array.from(
    { length: count },
    (_, i) =>
      `<entry><id>urn:large:${i}</id><title type="html">Entry ${i} &lt;b&gt;bold&lt;/b&gt;</title><link rel="alternate" href="/e/${i}"/><updated>${iso(i)}</updated><published>${iso(i)}</published><author><name>Author ${i % 3}</name></author><category term="t${i % 4}" label="Label ${i % 4}"/><summary type="text">Summary ${i} &lt;not markup&gt;</summary><content type="html"><![CDATA[<p>Entry ${i}: ${pad(i)} </entry> inside CDATA</p>]]></content></entry>\n<!-- </entry><entry> in a comment -->\n`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/"><title>Atom, windowed</title><id>urn:large:feed</id><updated>${iso(0)}</updated><link rel="alternate" href="https://atom.example/"/><author><name>Feed author</name></author>\n${entries}</feed>\n`;
}

/** Refreshes a new source of `url` (a URL of its own: the query names the read) with `e`; the report and what it stored. */
async function refreshWith(e: Env, url: string, fields: Record<string, unknown> = {}) {
  const source = await addFeed(`${url}?read=${e === WHOLE ? 'whole' : 'windowed'}-${++serial}`, fields);
  const report = await refreshSource(e, source);
  return { source, report, rows: await stored(source.id), after: (await getSource(env.DB, source.id))! };
}

describe('a large feed is stored window by window as it would be whole', () => {
  it('RSS: the same items, fields and order, the same warnings and feed fields', async () => {
    // A PHP warning printed before the feed is skipped, and said so, as in a whole read.
    const junk = '<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/feed.php</b> on line <b>12</b><br />\n';
    const url = await serve(junk + rss(80), 'application/rss+xml');
    const whole = await refreshWith(WHOLE, url);
    const windowed = await refreshWith(WINDOWED, url);
    expect(whole.report.outcome, whole.report.error ?? '').toBe('ok');
    expect(windowed.report.warnings[0]).toMatch(/^\d+ characters before the feed's XML were skipped/);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    expect(windowed.rows).toHaveLength(80);
    expect(windowed.rows).toEqual(whole.rows);
    expect(windowed.report.warnings).toEqual(whole.report.warnings);
    expect(windowed.report.items).toEqual(whole.report.items);
    expect(windowed.after).toMatchObject({ title: 'Large & windowed', siteUrl: 'https://big.example/', itemCount: 80 });
    // The CDATA and the comment holding an end tag cut nothing: each item is whole.
    expect(windowed.rows[0]).toMatchObject({ title: 'Item 0: café & crème', url: 'https://big.example/p/0', tags: 'topic-0=Topic 0' });
    // The sanitizer drops the end tag from the HTML; what follows it is the same item's.
    expect(windowed.rows[79]!.summary).toMatch(/Summary 79: a CDATA section saying .*is text/);
    expect(windowed.rows[79]!.content_html).not.toContain('<script');
  });

  it('Atom: the same entries, fields and order', async () => {
    const url = await serve(atom(60), 'application/atom+xml');
    const whole = await refreshWith(WHOLE, url);
    const windowed = await refreshWith(WINDOWED, url);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    expect(windowed.rows).toHaveLength(60);
    expect(windowed.rows).toEqual(whole.rows);
    expect(windowed.report.warnings).toEqual(whole.report.warnings);
    expect(windowed.rows[59]).toMatchObject({ url: 'https://atom.example/e/59', authors: 'Author 2' });
    expect(windowed.rows[59]!.content_html).toMatch(/Entry 59: .* inside CDATA/);
  });

  it('more items than a source keeps: the newest 200, with the same warning', async () => {
    // 260 items, the newest in the middle of the document: windows before them hold items they outrank.
    const order = [...Array.from({ length: 130 }, (_, n) => 130 + n), ...Array.from({ length: 130 }, (_, n) => n)];
    // (No comments: a whole document's cut at 500 items counts the end tags in comments too.)
    const body = rss(260, { order, comments: false });
    const url = await serve(body, 'application/rss+xml');
    const whole = await refreshWith(WHOLE, url);
    const windowed = await refreshWith(WINDOWED, url);
    expect(whole.report.warnings, JSON.stringify(whole.report)).toContain('260 items upstream; the newest 200 kept');
    expect(windowed.report.warnings).toEqual(whole.report.warnings);
    expect(windowed.rows).toHaveLength(200);
    expect(windowed.rows).toEqual(whole.rows);
    expect(windowed.rows.at(-1)!.title).toMatch(/^Item 199:/);
  });

  it("the source's filter rules judge each window's items as they would the whole document's", async () => {
    const url = await serve(rss(70), 'application/rss+xml');
    const filters = [{ action: 'block', field: 'title', match: 'regex', pattern: '^Item \\d*7:' }];
    const whole = await refreshWith(WHOLE, url, { filters });
    const windowed = await refreshWith(WINDOWED, url, { filters });
    expect(windowed.report.items).toMatchObject({ blocked: 7 });
    expect(windowed.report.items).toEqual(whole.report.items);
    expect(windowed.rows.filter((r) => r.blocked_by !== null).map((r) => r.title)).toHaveLength(7);
    expect(windowed.rows).toEqual(whole.rows);
  });

  it('items split across many small chunks, characters split between them', async () => {
    const body = rss(40);
    const url = await serve(body, 'application/rss+xml; charset=utf-8', { 'x-chunk': '97' });
    const plain = await serve(body, 'application/rss+xml; charset=utf-8');
    const windowed = await refreshWith(WINDOWED, url);
    const whole = await refreshWith(WHOLE, plain);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    expect(windowed.rows).toHaveLength(40);
    expect(windowed.rows).toEqual(whole.rows);
    expect(windowed.rows.map((r) => r.content_html).join('')).not.toContain('\uFFFD');
    expect(windowed.rows[3]!.content_html).toContain('café, naïve, 東京, 🙂');
  });

  it('a windows-1252 feed declared ISO-8859-1 decodes as it would whole', async () => {
    // Latin-1 bytes, and 0x80 (the euro sign in windows-1252, which WHATWG reads ISO-8859-1 as).
    const text = rss(60, { encoding: 'ISO-8859-1' })
      .replace(/東京, 🙂/g, 'd\u00e9j\u00e0 vu')
      .replace(/<title>Item (\d+):/g, '<title>Item $1 \u20ac:');
    const bytes = Uint8Array.from([...text].map((c) => (c === '\u20ac' ? 0x80 : c.charCodeAt(0))));
    expect(bytes.some((b) => b > 0x7f)).toBe(true);
    const url = await serve(bytes, 'application/rss+xml', { 'x-chunk': '1000' });
    const windowed = await refreshWith(WINDOWED, url);
    const whole = await refreshWith(WHOLE, url);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    expect(windowed.rows).toEqual(whole.rows);
    expect(windowed.rows[0]!.title).toBe('Item 0 €: café & crème');
    expect(windowed.rows[0]!.content_html).toContain('déjà vu');
  });

  it('a document cut off inside an item: the whole items before it are stored, and the refresh says so', async () => {
    const body = rss(50);
    const cut = body.indexOf('<item><title>Item 37:') + 120;
    const url = await serve(body.slice(0, cut), 'application/rss+xml');
    const windowed = await refreshWith(WINDOWED, url);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    const titles = windowed.rows.map((r) => String(r.title));
    for (let i = 0; i < 37; i++) expect(titles).toContain(`Item ${i}: café & crème`);
    expect(windowed.report.warnings.join('\n')).toMatch(/not well-formed/);
    expect(windowed.after.lastWarnings.join('\n')).toMatch(/not well-formed/);
  });

  it('a connection dropped mid-body is an error that keeps what was stored; the next refresh completes it without duplicates', async () => {
    const body = rss(60);
    const name = `large-drop-${++serial}.xml`;
    const at = upstream(`/docs/${name}`);
    const put = (headers: Record<string, string>) =>
      fetch(at, { method: 'PUT', body, headers: { 'content-type': 'application/rss+xml', ...headers } });
    expect((await put({ 'x-chunk': '2048', 'x-cut': String(Math.floor(body.length * 0.6)) })).status).toBe(204);
    const source = await addFeed(at);
    const first = await refreshSource(WINDOWED, source);
    expect(first.outcome).toBe('error');
    const kept = await stored(source.id);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(60);
    // The source's record is the failure's; no document digest was kept, so nothing is skipped next time.
    expect((await getSource(env.DB, source.id))!.lastOutcome).toBe('error');

    expect((await put({})).status).toBe(204);
    const second = await refreshSource(WINDOWED, (await getSource(env.DB, source.id))!);
    expect(second.outcome, second.error ?? '').toBe('ok');
    expect(second.items).toMatchObject({ changed: 60 - kept.length });
    const rows = await stored(source.id);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.item_key)).size).toBe(60);
    expect(rows).toEqual((await refreshWith(WHOLE, await serve(body, 'application/rss+xml'))).rows);
  });

  it('the same large document again is taken as read: nothing is written', async () => {
    const url = await serve(rss(30), 'application/rss+xml');
    const { source } = await refreshWith(WINDOWED, url);
    const again = await refreshSource(WINDOWED, (await getSource(env.DB, source.id))!);
    expect(again.outcome).toBe('ok');
    expect(again.items).toMatchObject({ seen: 30, changed: 0, reused: 30 });
    const { results } = await env.DB.prepare('SELECT count(*) AS n FROM source_documents WHERE source_id = ?1')
      .bind(source.id)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
  });

  it('stops reading at the 500th item: a 24 MB feed is read, not refused as too large', async () => {
    // Read whole, this document is over the 15 MiB cap; window by window, reading stops long before it.
    const source = await addFeed(upstream(`/huge?n=${++serial}`));
    expect(await refreshSource(WHOLE, source)).toMatchObject({ outcome: 'error', errorKind: 'too_large' });
    const report = await refreshSource(env, (await getSource(env.DB, source.id))!);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.warnings).toEqual([
      'the document lists more than 500 items; only the first 500 were read',
      '500 items upstream; the newest 200 kept',
    ]);
    const rows = await stored(source.id);
    expect(rows).toHaveLength(200);
    expect(rows.map((r) => r.title)).toContain('Item 1');
    expect(rows.map((r) => r.title)).toContain('Item 200');
  });

  it('a large JSON feed is read whole', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      id: `j-${i}`,
      url: `https://json.example/${i}`,
      title: `JSON ${i}`,
      content_html: `<p>${pad(i)}</p>`,
      date_published: iso(i),
    }));
    const url = await serve(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Large JSON', items }),
      'application/feed+json',
    );
    const windowed = await refreshWith(WINDOWED, url);
    expect(windowed.report.outcome, windowed.report.error ?? '').toBe('ok');
    expect(windowed.rows).toHaveLength(40);
    expect(windowed.rows).toEqual((await refreshWith(WHOLE, url)).rows);
  });
});
