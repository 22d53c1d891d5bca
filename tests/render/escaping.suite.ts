// Hostile but legal text must come out well-formed and intact in every format; the characters
// XML cannot carry are removed, and relative URLs inside content become absolute.
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, get, insertPost, SITE } from '../support/worker';

const ID = 'urn:uuid:00000000-0000-4000-8000-0000000e5c01';
const RAW_TITLE = 'Tom & Jerry <b>bold</b> "quoted" \'single\' ]]> twice ]]> &amp; 😀 שלום עולם \u0001\u0008\u000B\uFFFE end';
const CLEAN_TITLE = 'Tom & Jerry <b>bold</b> "quoted" \'single\' ]]> twice ]]> &amp; 😀 שלום עולם  end';
const CONTENT =
  '<p dir="rtl">مرحبا بالعالم &amp; 😀</p><p>Code: <code>a[b[0]]&gt;c</code> and raw ]]> twice ]]></p>' +
  '<p><a href="/about">about</a> <a href="#note">note</a> <a href="mailto:a@example.com">mail</a> ' +
  '<img src="images/a.png" srcset="images/a.png 1x, /images/a@2x.png 2x" alt="a"></p>\u0002';
const SLUG = 'hostile-text';
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const _decodeHtml = (html: string) => html.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
const POST_URL = `${SITE}/posts/${SLUG}`;

beforeAll(async () => {
  await insertPost({
    id: ID,
    slug: SLUG,
    title: RAW_TITLE,
    summary: '<p>Summary with ]]> and &amp;</p>',
    content: CONTENT,
    publishedAt: Date.UTC(2024, 5, 1),
    tags: [['q-a', 'Q&A "quotes"']],
    authors: [['o-brien', "Seán O'Brien & <Co>"]],
    enclosures: [{ url: '/media/episode.mp3', type: 'audio/mpeg', length: 12345 }],
  });
});

describe.each(['/', '/tags/q-a/', '/authors/o-brien/'])('hostile text in the feeds of %s', (base) => {
  it('RSS stays well-formed and readers see the title and content intact', async (ctx) => {
    const xml = await (await get(`${base}feed.xml`)).text();
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    const parsed = await new Parser({ customFields: { item: ['dc:creator'] } }).parseString(xml);
    const item = parsed.items.find((i) => i.guid === ID) as unknown as Record<string, unknown> & Parser.Item;
    expect(item.title).toBe(CLEAN_TITLE);
    expect(item['content:encoded']).toContain('<p dir="rtl">مرحبا بالعالم &amp; 😀</p>');
    expect(item['content:encoded']).toContain(`<a href="${SITE}/about">`);
    expect(item['content:encoded']).toContain(`<a href="${POST_URL}#note">`);
    expect(item['content:encoded']).toContain('<a href="mailto:a@example.com">');
    expect(item['content:encoded']).toContain(`src="${SITE}/posts/images/a.png"`);
    expect(item['content:encoded']).toContain(`srcset="${SITE}/posts/images/a.png 1x, ${SITE}/images/a@2x.png 2x"`);
    expect(item['content:encoded']).not.toContain('\u0002');
    expect(item.categories).toEqual([{ _: 'Q&A "quotes"', $: { domain: `${SITE}/tags/` } }]);
    expect(item['dc:creator']).toBe("Seán O'Brien & <Co>");
    expect(item.enclosure).toEqual({ url: `${SITE}/media/episode.mp3`, type: 'audio/mpeg', length: '12345' });
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
      bozo: boolean;
      entries: { id: string; title: string; authors: string[] }[];
    };
    expect(fp.bozo).toBe(false);
    expect(fp.entries.find((e) => e.id === ID)).toMatchObject({ title: CLEAN_TITLE, authors: ["Seán O'Brien & <Co>"] });
  });

  it('Atom stays well-formed and schema-valid, and readers see the title intact', async (ctx) => {
    const xml = await (await get(`${base}atom.xml`)).text();
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    expect((await check(ctx, 'jing', xml)).ok).toBe(true);
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
      bozo: boolean;
      entries: { id: string; title: string; authors: string[]; content: string }[];
    };
    expect(fp.bozo).toBe(false);
    const entry = fp.entries.find((e) => e.id === ID)!;
    // Atom titles are plain text (type="text"): the reader gets our text as it is.
    expect(entry.title).toBe(CLEAN_TITLE);
    expect(entry.authors).toEqual(["Seán O'Brien & <Co>"]);
    const parsed = await new Parser().parseString(xml);
    const item = parsed.items.find((i) => i.id === ID)!;
    expect(item.title).toBe(CLEAN_TITLE);
    expect(item.content).toContain(`<a href="${SITE}/about">`);
    expect(item.content).toContain('raw ]]> twice ]]>'); // escaped text, no CDATA to split
  });

  it('JSON Feed carries the same clean title and absolute content', async () => {
    const feed = (await (await get(`${base}feed.json`)).json()) as {
      items: { id: string; title: string; content_html: string; tags: string[]; authors: { name: string }[]; attachments: unknown[] }[];
    };
    const item = feed.items.find((i) => i.id === ID)!;
    expect(item.title).toBe(CLEAN_TITLE);
    expect(item.content_html).toContain(`<a href="${SITE}/about">`);
    expect(item.tags).toEqual(['Q&A "quotes"']);
    expect(item.authors).toEqual([{ name: "Seán O'Brien & <Co>" }]);
    expect(item.attachments).toEqual([{ url: `${SITE}/media/episode.mp3`, mime_type: 'audio/mpeg', size_in_bytes: 12345 }]);
  });
});

describe('hostile text in pages', () => {
  it('is escaped in the list and the post page, which parse as HTML5 without errors', async (ctx) => {
    for (const path of ['/', `/posts/${SLUG}`]) {
      const html = await (await get(path)).text();
      expect(html).toContain('Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;');
      expect(html).not.toContain('<b>bold</b>');
      expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    }
  });
});
