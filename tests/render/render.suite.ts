import { absolutizeAll, absolutizeUrls } from '../../src/html/absolute-urls';
// The renderer on its own, with input the database cannot even hold (lone surrogates) and the
// cases where the `feed` package needs our help (see src/render/rss.ts).
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { FeedDocument } from '../../src/render/document';
import { renderFeed } from '../../src/render/render';
import { xmlSafe } from '../../src/html/text';
import { check } from '../support/worker';

const TITLE = 'a ]]> b ]]> c ]]]]> d &amp; e & f';

function doc(overrides: Partial<FeedDocument['items'][number]> = {}): FeedDocument {
  return {
    title: 'T & <T>',
    description: 'D &amp; D',
    language: 'en',
    homeUrl: 'https://example.com/',
    id: 'https://example.com/atom.xml',
    links: { rss: 'https://example.com/feed.xml', atom: 'https://example.com/atom.xml', json: 'https://example.com/feed.json' },
    summaryLinks: {
      rss: 'https://example.com/feed.xml?content=summary',
      atom: 'https://example.com/atom.xml?content=summary',
      json: 'https://example.com/feed.json?content=summary',
    },
    summaryOnly: false,
    icon: null,
    logo: null,
    podcast: null,
    categoryScheme: 'https://example.com/tags/?a=1&b=2',
    hub: 'https://hub.example.com/?a=1&b=2',
    updated: new Date(Date.UTC(2024, 0, 2)),
    items: [
      {
        id: 'urn:uuid:0b7e0a64-3c5b-4d59-9a47-7c1f1e0c0001',
        url: 'https://example.com/posts/a?x=1&y=2',
        title: TITLE,
        summaryHtml: '<p>s ]]> s</p>',
        contentHtml: '<p>c ]]> c ]]> c</p>',
        published: new Date(Date.UTC(2024, 0, 1)),
        updated: new Date(Date.UTC(2024, 0, 2)),
        authors: [{ slug: 'x', name: 'A & <B>', page: 'https://example.com/authors/x/' }],
        origin: null,
        categories: [{ name: 'x < y & z', url: 'https://example.com/tags/x/' }],
        enclosures: [{ url: 'https://example.com/e.mp3?a=1&b=2', type: 'audio/mpeg', length: 42 }],
        image: null,
        language: null,
        ...overrides,
      },
    ],
  };
}

describe('xmlSafe', () => {
  it('removes what XML 1.0 forbids and keeps everything else', () => {
    expect(xmlSafe('a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh')).toBe('abcdefgh');
    expect(xmlSafe('tab\tlf\ncr\r')).toBe('tab\tlf\ncr\r');
    expect(xmlSafe('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe('lone  high, lone  low, pair 😀');
  });
});

describe('renderer', () => {
  it('RSS keeps a title with several "]]>" and a literal "&amp;" intact', async (ctx) => {
    const xml = renderFeed(doc(), 'rss');
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('T & <T>');
    expect(feed.description).toBe('D &amp; D');
    const item = feed.items[0]!;
    expect(item.title).toBe(TITLE);
    expect(item.link).toBe('https://example.com/posts/a?x=1&y=2');
    expect(item['content:encoded']).toBe('<p>c ]]&gt; c ]]&gt; c</p>');
    expect(item.enclosure).toEqual({ url: 'https://example.com/e.mp3?a=1&b=2', type: 'audio/mpeg', length: '42' });
  });

  it('RSS: several authors in one dc:creator; the first of several enclosures is what every reader offers', async (ctx) => {
    const authors = [
      { slug: 'ada', name: 'Ada', page: 'https://example.com/authors/ada/' },
      { slug: 'bob', name: 'Bob & Co', page: 'https://example.com/authors/bob/' },
    ];
    const enclosures = [
      { url: 'https://example.com/ep.mp3', type: 'audio/mpeg', length: 42 },
      { url: 'https://example.com/ep.ogg', type: 'audio/ogg', length: 41 },
    ];
    const xml = renderFeed(doc({ authors, enclosures, image: 'https://example.com/cover.jpg' }), 'rss');
    // newsboat (rsspp) keeps the last dc:creator, and the last of <enclosure> and media:content.
    expect(xml.match(/<dc:creator>[^<]*<\/dc:creator>/g)).toEqual(['<dc:creator>Ada, Bob &amp; Co</dc:creator>']);
    const media = [...xml.matchAll(/<(?:enclosure|media:content) [^>]*url="([^"]+)"/g)].map((m) => m[1]);
    expect(media.at(-1)).toBe('https://example.com/ep.mp3');
    expect(xml.match(/<enclosure /g)).toHaveLength(1);
    expect(xml).toContain('<enclosure url="https://example.com/ep.mp3" length="42" type="audio/mpeg"/>');
    const item = (await new Parser({ customFields: { item: ['dc:creator'] } }).parseString(xml)).items[0]!;
    expect(item['dc:creator']).toBe('Ada, Bob & Co');
    expect(item.enclosure?.url).toBe('https://example.com/ep.mp3');
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
      entries: { authors: string[]; enclosures: { href: string }[] }[];
    };
    expect(fp.entries[0]!.authors).toEqual(['Ada, Bob & Co']);
    expect(fp.entries[0]!.enclosures.map((e) => e.href)).toEqual(['https://example.com/ep.mp3']);
  });

  it('RSS items always have a description before content:encoded, even without a summary', async () => {
    const feed = await new Parser().parseString(renderFeed(doc({ summaryHtml: '', contentHtml: '' }), 'rss'));
    expect(feed.items[0]!.content).toBe(`<p>${TITLE.replace(/&/g, '&amp;').replace(/>/g, '&gt;')}</p>`);
  });

  it('Atom stays well-formed and schema-valid with the same input', async (ctx) => {
    const xml = renderFeed(doc(), 'atom');
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);
    expect((await check(ctx, 'jing', xml)).ok).toBe(true);
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
      bozo: boolean;
      entries: { authors: string[]; tags: string[] }[];
    };
    expect(fp.bozo).toBe(false);
    expect(fp.entries[0]!.authors).toEqual(['A & <B>']);
    expect(fp.entries[0]!.tags).toEqual(['x < y & z']);
  });

  it('Atom: an entry without content or summary gets its title as summary; an upstream entry credits its source', async (ctx) => {
    const origin = { title: 'Upstream & Co', feedUrl: 'https://up.example/feed?a=1&b=2', homeUrl: 'https://up.example/' };
    const xml = renderFeed(doc({ summaryHtml: '', contentHtml: '', origin, authors: [] }), 'atom');
    expect(xml).toContain('<summary type="html">&lt;p&gt;');
    expect(xml).toMatch(
      /<source>[\s\S]*<id>https:\/\/up\.example\/feed\?a=1&amp;b=2<\/id>[\s\S]*<author>\s*<name>Upstream &amp; Co<\/name>\s*<\/author>\s*<\/source>/,
    );
    expect((await check(ctx, 'jing', xml)).output).toBe('');
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as { bozo: boolean };
    expect(fp.bozo).toBe(false);
  });

  it('is deterministic: the same document gives the same bytes, and never the render time', () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const a = renderFeed(doc(), format);
      expect(renderFeed(doc(), format)).toBe(a);
      expect(a).toContain(format === 'rss' ? 'Tue, 02 Jan 2024 00:00:00 GMT' : '2024-01-02T00:00:00.000Z');
    }
  });
});

describe('absolutizeAll', () => {
  const fragments = [
    { html: '<p><a href="../up">up</a> <img src="img.png" srcset="a.png 1x, /b.png 2x"></p>', base: 'https://example.com/posts/one' },
    { html: '<p>no links</p>', base: 'https://example.com/posts/two' },
    { html: '<a href="x">x</a><!--syndicate:not-ours:0-->', base: 'https://example.com/deep/path/three' },
    { html: '<video poster="/p.jpg" src="v.mp4"></video>', base: 'https://other.example/four/' },
  ];
  it('gives each fragment what a pass of its own would', async () => {
    const alone = await Promise.all(fragments.map((f) => absolutizeUrls(f.html, f.base)));
    expect(await absolutizeAll(fragments)).toEqual(alone);
    expect(alone[0]).toBe(
      '<p><a href="https://example.com/up">up</a> <img src="https://example.com/posts/img.png" srcset="https://example.com/posts/a.png 1x, https://example.com/b.png 2x"></p>',
    );
    expect(alone[3]).toBe('<video poster="https://other.example/p.jpg" src="https://other.example/four/v.mp4"></video>');
  });
  it('falls back to one pass each when a fragment leaves a raw-text element open', async () => {
    const open = [{ html: '<style>p{}', base: 'https://example.com/a' }, ...fragments];
    const alone = await Promise.all(open.map((f) => absolutizeUrls(f.html, f.base)));
    expect(await absolutizeAll(open)).toEqual(alone);
  });
});
