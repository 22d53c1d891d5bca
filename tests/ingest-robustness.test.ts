// Findings of a robustness review of the ingest path, each through the real refresh path (the
// admin API's refresh against the stub upstream on 127.0.0.1, tests/setup/upstream.ts) with the
// stored rows read back with plain SQL. Documents are generated here and PUT to the stub.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { get } from './helpers';

const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;

type Report = {
  outcome: string; errorKind: string | null; error: string | null; alternate: string | null; warnings: string[];
  items: { seen: number; changed: number; removed: number } | null;
};
type SourceJson = { id: number; title: string; upstream_title: string | null; site_url: string | null; item_count: number; consecutive_failures: number; last_outcome: string };

const api = (path: string, init: RequestInit = {}) => get(`/api/sources${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });

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
async function addSource(url: string): Promise<SourceJson> {
  const res = await api('', { method: 'POST', body: JSON.stringify({ url }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as SourceJson;
}
async function refresh(id: number): Promise<{ refresh: Report; source: SourceJson }> {
  const res = await api(`/${id}/refresh`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as { refresh: Report; source: SourceJson };
}

type Row = { id: string; item_key: string; title: string; summary: string; content_html: string; url: string; image: string | null; enclosures: string; published_at: number; updated_at: number };
async function rows(sourceId: number): Promise<Row[]> {
  const { results } = await env.DB.prepare(
    `SELECT id, item_key, title, summary, content_html, url, image, enclosures, published_at, updated_at
     FROM entries WHERE source_id = ?1 ORDER BY published_at DESC, id DESC`,
  ).bind(sourceId).all<Row>();
  return results;
}
const tagsOf = async (entryId: string) =>
  (await env.DB.prepare('SELECT name FROM entry_tags WHERE entry_id = ?1 ORDER BY position').bind(entryId).all<{ name: string }>()).results.map((r) => r.name);
const authorsOf = async (entryId: string) =>
  (await env.DB.prepare('SELECT name, email, url FROM entry_authors WHERE entry_id = ?1 ORDER BY position').bind(entryId).all<{ name: string; email: string | null; url: string | null }>()).results;
const sourceRow = async (id: number) =>
  (await env.DB.prepare('SELECT title, site_url, last_outcome, last_error_kind, consecutive_failures, last_warnings FROM sources WHERE id = ?1').bind(id).first<{
    title: string | null; site_url: string | null; last_outcome: string; last_error_kind: string | null; consecutive_failures: number; last_warnings: string;
  }>())!;

/** Characters XML 1.0 forbids, as the output checks see them (UTF-16 code units). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const rss = (channel: string, items: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>${channel}${items}</channel></rss>\n`;
const CHANNEL = '<title>Robust</title><link>https://site.example/</link><description>d</description>';
const day = 24 * 3600_000;

describe('5. no single item can fail a refresh', () => {
  it('three items with 800 KB titles, 1 MB summaries, 10,000 categories, 5,000 authors and enclosures are stored, capped', async () => {
    const entry = (n: number) => {
      const categories = Array.from({ length: 10_000 }, (_, i) => `<category term="c${n}-${i}"/>`).join('');
      const authors = Array.from({ length: 5_000 }, (_, i) => `<author><name>Author ${i} ${'n'.repeat(i === 0 ? 5000 : 3)}</name><email>${'e'.repeat(i === 0 ? 300 : 3)}@x.example</email><uri>https://a.example/${'u'.repeat(i === 0 ? 5000 : 1)}</uri></author>`).join('');
      const enclosures = Array.from({ length: 5_000 }, (_, i) => `<link rel="enclosure" type="audio/mpeg" length="${i}" href="https://cdn.example/${i === 0 ? 'x'.repeat(5000) : i}.mp3"/>`).join('');
      return `<entry><id>urn:long:${n}:${'i'.repeat(100_000)}</id><title>${`Title ${n} `.padEnd(800 * 1024, 'T')}</title>
        <link rel="alternate" href="https://site.example/${'p'.repeat(10_000)}"/>
        <updated>2024-01-0${n + 1}T00:00:00Z</updated><summary type="html">${`&lt;p&gt;Summary ${n} `.padEnd(1024 * 1024, 's')}</summary>
        <content type="html">&lt;p&gt;content ${n}&lt;/p&gt;</content>
        <media:thumbnail url="https://img.example/${'m'.repeat(10_000)}.png"/>${categories}${authors}${enclosures}</entry>`;
    };
    const doc = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><title>Big fields</title><id>urn:big</id><link href="https://site.example/"/>${[0, 1, 2].map(entry).join('')}</feed>`;
    expect(doc.length).toBeGreaterThan(7_000_000);
    const source = await addSource(await serve(doc, 'application/atom+xml'));
    const { refresh: report } = await refresh(source.id);
    expect(report.outcome, report.error ?? '').toBe('ok');
    expect(report.items).toMatchObject({ seen: 3, changed: 3 });
    for (const warning of ['title over 1000 characters; cut', 'summary over 16384 bytes; cut to the start of its text', 'more than 20 categories; the first 20 kept',
      'more than 10 authors; the first 10 kept', 'more than 10 enclosures; the first 10 kept', 'the link over 4096 characters dropped', 'an image URL over 4096 characters dropped',
      'an enclosure URL over 4096 characters dropped', "an author's email or URL over its limit dropped"]) {
      expect(report.warnings.filter((w) => w.endsWith(warning)), warning).toHaveLength(3);
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
      expect(row.url).toBe('https://site.example/'); // the long link dropped: the site's
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
    expect((await refresh(source.id)).refresh.items).toMatchObject({ seen: 3, changed: 0 });
  });
});

describe('8. summaries derived from content', () => {
  it('decode entities and keep a bare "<" as text, in every format', async () => {
    const content = '<p>Caf&eacute; &#8217;s &amp; 3<4, a < b, &lt;tag&gt;</p>';
    const source = await addSource(await serve(rss(CHANNEL, `<item><link>https://site.example/d</link><guid>d</guid><content:encoded><![CDATA[${content}]]></content:encoded></item>`)));
    expect((await refresh(source.id)).refresh.outcome).toBe('ok');
    const [row] = await rows(source.id);
    const text = 'Café ’s & 3<4, a < b, <tag>';
    // Stored: the content as sanitized, no summary of its own, and the title derived from the text.
    expect(row).toMatchObject({ summary: '', content_html: content, title: text });
    const json = (await (await get(`/sources/${source.id}/feed.json`)).json()) as { items: { title: string; summary: string }[] };
    expect(json.items[0]).toMatchObject({ title: text, summary: text });
    const xml = await (await get(`/sources/${source.id}/feed.xml`)).text();
    expect(xml).toContain('<description><![CDATA[<p>Café ’s &amp; 3&lt;4, a &lt; b, &lt;tag&gt;</p>]]></description>');
    const atom = await (await get(`/sources/${source.id}/atom.xml`)).text();
    expect(atom).toContain('<summary type="html"><![CDATA[<p>Café ’s &amp; 3&lt;4, a &lt; b, &lt;tag&gt;</p>]]></summary>');
  });
});
