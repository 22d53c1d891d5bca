// What a feed document says about itself, as the W3C Feed Validation Service reads it: a self
// link that is the address it was fetched from (`?limit`, `?content`), plausible dates on empty
// feeds, distinct entry `updated` values on merged feeds; and the summary-only variant.
import { env } from 'cloudflare:workers';
import Parser from 'rss-parser';
import { describe, expect, inject, it } from 'vitest';
import { NEVER_UPDATED } from '../../src/render/build-document';
import { addSource, AUTH, check, get, SITE } from '../support/worker';

/** The self links a document gives: RSS atom:link, Atom link, JSON feed_url. */
function selfOf(body: string, format: 'rss' | 'atom' | 'json'): string {
  if (format === 'json') return (JSON.parse(body) as { feed_url: string }).feed_url;
  const match = /<(?:atom:)?link(?=[^>]*rel="self")[^>]*href="([^"]+)"/.exec(body);
  return match![1]!.replace(/&amp;/g, '&');
}

const FILES = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' } as const;

/** Adds a feed source without fetching anything (`kind` given: no detection, so no request leaves the test). */
const addFeed = async (url: string, tags: string[] = []) => (await addSource(url, { tags, kind: 'feed' })).id;

async function refresh(id: number) {
  const res = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
  expect(((await res.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
}

describe('self links name the query the document was fetched with', () => {
  for (const format of ['rss', 'atom', 'json'] as const) {
    it(`${format}: ?limit, ?content and both, in the document and the Link header`, async () => {
      for (const query of ['?limit=3', '?content=summary', '?limit=2&content=summary']) {
        const res = await get(`/${FILES[format]}${query}`);
        expect(res.status).toBe(200);
        const expected = `${SITE}/${FILES[format]}${query}`;
        expect(selfOf(await res.text(), format)).toBe(expected);
        expect(res.headers.get('link')).toContain(`<${expected}>; rel="self"`);
      }
      // Without a query the self link has none.
      expect(selfOf(await (await get(`/${FILES[format]}`)).text(), format)).toBe(`${SITE}/${FILES[format]}`);
    });
  }

  it('a tagged planet keeps its tag before the variant', async () => {
    await addFeed('https://variants.example/feed.xml', ['Variants']);
    const res = await get('/planet/atom.xml?content=summary&tag=variants&limit=4');
    expect(res.status).toBe(200);
    expect(selfOf(await res.text(), 'atom')).toBe(`${SITE}/planet/atom.xml?tag=variants&limit=4&content=summary`);
  });

  it('the Atom id stays the feed plain URL whatever the variant', async () => {
    const plain = await (await get('/atom.xml')).text();
    const limited = await (await get('/atom.xml?limit=3&content=summary')).text();
    const id = (xml: string) => /<id>([^<]+)<\/id>/.exec(xml)![1];
    expect(id(limited)).toBe(`${SITE}/atom.xml`);
    expect(id(limited)).toBe(id(plain));
  });
});

describe('empty feeds have plausible dates', () => {
  it('an empty planet with no source at all says NEVER_UPDATED (2000-01-01), not 1970', async () => {
    // The planet of a tag no source has yet would be a 404; the whole planet exists always.
    await env.DB.exec('DELETE FROM entries WHERE source_id IS NOT NULL');
    await env.DB.exec('DELETE FROM sources');
    await env.DB.exec("DELETE FROM view_versions WHERE view LIKE 'planet%' OR view LIKE 'source:%'");
    const atom = await (await get('/planet/atom.xml')).text();
    expect(/<feed[\s\S]*?<updated>([^<]+)<\/updated>/.exec(atom)![1]).toBe(new Date(NEVER_UPDATED).toISOString());
    const rss = await (await get('/planet/feed.xml')).text();
    expect(/<lastBuildDate>([^<]+)<\/lastBuildDate>/.exec(rss)![1]).toBe(new Date(NEVER_UPDATED).toUTCString());
  });

  it('a source that has never been fetched, and the planet, date from when it was added', async () => {
    const before = Date.now();
    const id = await addFeed('https://never-fetched.example/feed.xml');
    const after = Date.now();
    for (const path of [`/sources/${id}/atom.xml`, '/planet/atom.xml']) {
      const atom = await (await get(path)).text();
      expect(atom).not.toContain('<entry>');
      const updated = Date.parse(/<updated>([^<]+)<\/updated>/.exec(atom)![1]!);
      expect(updated).toBeGreaterThanOrEqual(before);
      expect(updated).toBeLessThanOrEqual(after);
    }
    const rss = await (await get(`/sources/${id}/feed.xml`)).text();
    const built = Date.parse(/<lastBuildDate>([^<]+)<\/lastBuildDate>/.exec(rss)![1]!);
    expect(built).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('sources added by an OPML import date from the import', async () => {
    const before = Date.now();
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
      <outline text="a" type="rss" xmlUrl="https://imported-a.example/feed.xml"/></body></opml>`;
    const res = await get('/api/sources/import', { method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml });
    expect(res.status).toBe(200);
    const { id } = (await env.DB.prepare(`SELECT id FROM sources WHERE url = 'https://imported-a.example/feed.xml'`).first<{
      id: number;
    }>())!;
    const atom = await (await get(`/sources/${id}/atom.xml`)).text();
    expect(Date.parse(/<updated>([^<]+)<\/updated>/.exec(atom)![1]!)).toBeGreaterThanOrEqual(before);
  });
});

describe('entries of one document have distinct `updated` values', () => {
  it('items dated to the same second upstream get distinct values, the first keeping its own', async (ctx) => {
    const item = (n: number) =>
      `<item><title>Same ${n}</title><link>https://same-second.example/${n}</link><guid>same-${n}</guid><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>`;
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Same second</title>
      <link>https://same-second.example/</link><description>d</description>${[1, 2, 3].map(item).join('')}</channel></rss>`;
    const id = await addFeed(`${inject('upstreamUrl')}/inline?body=${encodeURIComponent(rss)}`);
    await refresh(id);
    for (const path of [`/sources/${id}/atom.xml`, '/planet/atom.xml']) {
      const atom = await (await get(path)).text();
      expect((await check(ctx, 'jing', atom)).ok).toBe(true);
      const updated = [...atom.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]!);
      expect(new Set(updated).size).toBe(updated.length);
      if (path.startsWith('/sources/')) {
        expect(updated[0]).toBe('2026-11-03T10:00:00.000Z');
        expect(updated.slice(1).every((u) => Date.parse(u) - Date.parse(updated[0]!) < 10)).toBe(true);
      }
    }
  });
});

describe('?content=summary', () => {
  it('RSS: a description and no content:encoded; its own ETag', async (ctx) => {
    const full = await get('/feed.xml');
    const summary = await get('/feed.xml?content=summary');
    expect(summary.status).toBe(200);
    const xml = await summary.text();
    expect((await full.text()).includes('<content:encoded>')).toBe(true);
    expect(xml).not.toContain('content:encoded');
    expect(summary.headers.get('etag')).not.toBe(full.headers.get('etag'));
    // The full feed's ETag does not answer for the summary variant.
    expect((await get('/feed.xml?content=summary', { headers: { 'if-none-match': full.headers.get('etag')! } })).status).toBe(200);
    expect((await get('/feed.xml?content=summary', { headers: { 'if-none-match': summary.headers.get('etag')! } })).status).toBe(304);
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
      bozo: boolean;
      entries: { content: string | null; summary: string | null; authors: string[] }[];
    };
    expect(fp.bozo).toBe(false);
    expect(fp.entries.length).toBeGreaterThan(0);
    expect(fp.entries.every((e) => e.content === null && e.summary && e.authors.length > 0)).toBe(true);
    const parsed = await new Parser().parseString(xml);
    expect(parsed.items.every((i) => i['content:encoded'] === undefined)).toBe(true);
  });

  it('Atom: summaries and no content, schema-valid', async (ctx) => {
    const xml = await (await get('/atom.xml?content=summary&limit=50')).text();
    expect((await check(ctx, 'jing', xml)).ok).toBe(true);
    const entries = xml.split('<entry').length - 1;
    expect(entries).toBeGreaterThan(0);
    expect(xml).not.toContain('<content');
    expect(xml.split('<summary type="html">').length - 1).toBe(entries);
  });

  it('JSON Feed: content_text (the summary as text) instead of content_html', async () => {
    const json = (await (await get('/feed.json?content=summary')).json()) as {
      items: { content_html?: string; content_text?: string; summary?: string }[];
    };
    expect(json.items.length).toBeGreaterThan(0);
    for (const item of json.items) {
      expect(item.content_html).toBeUndefined();
      expect(typeof item.content_text).toBe('string');
      expect(item.content_text!.length).toBeGreaterThan(0);
      if (item.summary) expect(item.content_text).toBe(item.summary);
    }
  });

  it('any other value is a 400 naming content', async () => {
    for (const value of ['full', 'Summary', '', 'summary,full']) {
      const res = await get(`/tags/tech/feed.xml?content=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toEqual(['content']);
    }
  });

  it('pages and the OPML advertise it', async () => {
    const page = await (await get('/tags/tech/')).text();
    for (const file of Object.values(FILES)) {
      expect(page).toContain(`href="${SITE}/tags/tech/${file}?content=summary"`);
      expect(page).toContain(`href="${SITE}/${file}?content=summary"`);
    }
    expect(page).toMatch(
      /<link rel="alternate" type="application\/atom\+xml" title="[^"]*summaries only[^"]*" href="[^"]*\/atom\.xml\?content=summary"/,
    );
    const opml = await (await get('/opml.xml')).text();
    expect(opml).toContain(`xmlUrl="${SITE}/feed.xml?content=summary"`);
  });
});
