// What readers get is what was written upstream: content of every Atom type in its order with
// its text and links, titles and summaries as text, authors and categories as the feed gave them.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/ingest/parse/parse-feed';
import type { UpstreamFeed } from '../../../src/ingest/types';

const FEED_URL = 'https://blog.example.org/feed.atom';

async function feedOf(text: string): Promise<UpstreamFeed> {
  const result = await parseFeed({ bytes: new TextEncoder().encode(text), contentType: null, url: FEED_URL });
  if (!result.ok) throw new Error(`${result.kind}: ${result.message}`);
  return result.feed;
}
const atom = (head: string, entries: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  ${head}
  <id>tag:blog.example.org,2024:feed</id>
  <updated>2024-03-01T12:00:00Z</updated>
  <link rel="alternate" type="text/html" href="https://blog.example.org/"/>
  <link rel="self" href="https://blog.example.org/feed.atom"/>
  ${entries}
</feed>`;
const entry = (id: string, inner: string) =>
  `<entry><id>tag:blog.example.org,2024:${id}</id><title>${id}</title><updated>2024-03-01T12:00:00Z</updated><link href="https://blog.example.org/${id}"/>${inner}</entry>`;
const link = (href: string, text: string) => `<a href="${href}" rel="noopener noreferrer">${text}</a>`;

describe('Atom content of every type keeps its order, text and links', () => {
  it('type="xhtml": paragraphs, inline links and lists stay where they were', async () => {
    const feed = await feedOf(
      atom(
        '<title>Example Blog</title><author><name>Jane Doe</name></author>',
        entry(
          'one',
          `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Read <a href="/x">this</a> now.</p><ul><li>a</li></ul><p>more</p></div></content>`,
        ),
      ),
    );
    expect(feed.title).toBe('Example Blog');
    expect(feed.items[0]!.title).toBe('one');
    expect(feed.items[0]!.contentHtml).toBe(`<p>Read ${link('https://blog.example.org/x', 'this')} now.</p><ul><li>a</li></ul><p>more</p>`);
  });

  it('type="xhtml" with nested inline markup, entities, CDATA, prefixes and namespaced attributes', async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title>',
        entry(
          'nested',
          `<content type="xhtml" xml:base="https://blog.example.org/posts/">
  <xh:div xmlns:xh="http://www.w3.org/1999/xhtml" xmlns:xlink="http://www.w3.org/1999/xlink">
    <xh:h2>Heading &amp; <xh:code>code &lt;tag&gt;</xh:code></xh:h2>
    <xh:p xml:lang="fr">Un <xh:strong>mot <xh:em>très</xh:em> <xh:a href="a?x=1&amp;y=2">lié</xh:a></xh:strong>, puis &#8220;cité&#8221;<xh:br/>ligne</xh:p>
    <xh:ol><xh:li>one <xh:a href="/1" xlink:title="t">1</xh:a></xh:li><xh:li>two<xh:ul><xh:li>deep</xh:li></xh:ul></xh:li></xh:ol>
    <xh:p><![CDATA[<not markup>]]> <xh:img src="i.png" alt="pic"/> end</xh:p>
  </xh:div>
</content>`,
        ),
      ),
    );
    expect(feed.items[0]!.contentHtml).toBe(
      [
        '<h2>Heading &amp; <code>code &lt;tag&gt;</code></h2>',
        `<p lang="fr">Un <strong>mot <em>très</em> ${link('https://blog.example.org/posts/a?x=1&amp;y=2', 'lié')}</strong>, puis “cité”<br>ligne</p>`,
        `<ol><li>one ${link('https://blog.example.org/1', '1')}</li><li>two<ul><li>deep</li></ul></li></ol>`,
        '<p>&lt;not markup&gt; <img src="https://blog.example.org/posts/i.png" alt="pic"> end</p>',
      ].join('\n    '),
    );
  });

  it('type="xhtml" as feeds write it: a prefix declared on the feed, a div without its xmlns, no div', async () => {
    const feed = await feedOf(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:xhtml="http://www.w3.org/1999/xhtml"><title>T</title><id>urn:f</id><updated>2024-03-01T12:00:00Z</updated>
        <entry><id>urn:1</id><title>a</title><updated>2024-03-01T12:00:00Z</updated><content type="xhtml"><xhtml:div><xhtml:p>One <xhtml:a href="https://e.example/">link</xhtml:a>.</xhtml:p></xhtml:div></content></entry>
        <entry><id>urn:2</id><title>b</title><updated>2024-03-01T12:00:00Z</updated><content type="xhtml"><div><p>Two <a href="https://e.example/">link</a>.</p></div></content></entry>
        <entry><id>urn:3</id><title>c</title><updated>2024-03-01T12:00:00Z</updated><content type="xhtml">Three <b>bold</b> words</content></entry>
      </feed>`,
    );
    expect(feed.items.map((i) => i.contentHtml)).toEqual([
      `<p>One ${link('https://e.example/', 'link')}.</p>`,
      `<p>Two ${link('https://e.example/', 'link')}.</p>`,
      'Three <b>bold</b> words',
    ]);
  });

  it('type="html" and type="text" keep their text and order too', async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title>',
        entry(
          'html',
          '<content type="html">&lt;p&gt;Read &lt;a href="/x"&gt;this&lt;/a&gt; now.&lt;/p&gt;&lt;p&gt;more&lt;/p&gt;</content>',
        ) + entry('text', '<content type="text">Read &lt;this&gt; &amp; that, now.</content>'),
      ),
    );
    expect(feed.items.map((i) => i.contentHtml)).toEqual([
      `<p>Read ${link('https://blog.example.org/x', 'this')} now.</p><p>more</p>`,
      '<p>Read &lt;this&gt; &amp; that, now.</p>',
    ]);
  });

  it('xhtml titles, summaries and the feed title are their text, never taken from the content', async () => {
    const feed = await feedOf(
      atom(
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">The <em>Example</em> Blog</div></title>',
        `<entry><id>urn:t</id><updated>2024-03-01T12:00:00Z</updated>
          <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <em>xhtml</em> title</div></title>
          <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A <a href="https://e.example/">summary</a> here.</p></div></summary>
          <content type="html">&lt;p&gt;Body text&lt;/p&gt;</content></entry>`,
      ),
    );
    expect(feed.title).toBe('The Example Blog');
    expect(feed.items[0]!.title).toBe('An xhtml title');
    expect(feed.items[0]!.summaryHtml).toBe(`<p>A ${link('https://e.example/', 'summary')} here.</p>`);
  });

  it('hostile xhtml still goes through the sanitizer', async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title>',
        entry(
          'xss',
          `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script><a href="javascript:alert(1)">b</a><img src="x" onerror="alert(2)"/></p></div></content>`,
        ),
      ),
    );
    expect(feed.items[0]!.contentHtml).not.toMatch(/<script|onclick|onerror|javascript:|alert\(1\)/i);
    expect(feed.items[0]!.contentHtml).toContain('<p>a');
  });
});

const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>R</title><link>https://blog.example.org/</link><description>d</description>${items}</channel></rss>`;

describe('generated text', () => {
  it('a title made from HTML has no space before punctuation, and blocks stay apart', async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title>',
        `<entry><id>urn:a</id><updated>2024-03-01T12:00:00Z</updated><summary type="html">&lt;p&gt;Some &lt;b&gt;markup&lt;/b&gt;, an &lt;a href="/e"&gt;entity&lt;/a&gt; &amp;amp; more.&lt;/p&gt;&lt;p&gt;Next&lt;/p&gt;</summary></entry>`,
      ),
    );
    expect(feed.items[0]!.title).toBe('Some markup, an entity & more. Next');
  });
  it('an RSS title with inline markup reads as its text', async () => {
    const feed = await feedOf(rss('<item><guid>g</guid><title>Why &lt;em&gt;this&lt;/em&gt;, not that</title></item>'));
    expect(feed.items[0]!.title).toBe('Why this, not that');
  });
  it('Atom type="text" keeps its line breaks as paragraphs', async () => {
    const feed = await feedOf(
      atom('<title>T</title>', entry('text', '<content type="text">Line one\nLine &lt;two&gt;\n\n  Para two\n</content>')),
    );
    expect(feed.items[0]!.contentHtml).toBe('<p>Line one<br>Line &lt;two&gt;</p><p>Para two</p>');
  });
  it('an RSS description without markup keeps its line breaks; one with markup is HTML as before', async () => {
    const feed = await feedOf(
      rss(
        '<item><guid>a</guid><title>a</title><description>First line\r\nsecond line\r\n\r\nAT&amp;amp;T, 3 &lt; 4</description></item>' +
          '<item><guid>b</guid><title>b</title><description>&lt;p&gt;one\nline&lt;/p&gt;</description></item>',
      ),
    );
    expect(feed.items.map((i) => i.contentHtml)).toEqual(['<p>First line<br>second line</p><p>AT&amp;T, 3 &lt; 4</p>', '<p>one\nline</p>']);
  });
  it('JSON Feed content_text and summary keep their line breaks', async () => {
    const feed = await feedOf(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'J',
        items: [{ id: '1', title: 't', content_text: 'a <b>\nb\n\nc', summary: 's1\n\ns2' }],
      }),
    );
    expect(feed.items[0]!.contentHtml).toBe('<p>a &lt;b&gt;<br>b</p><p>c</p>');
    expect(feed.items[0]!.summaryHtml).toBe('<p>s1</p><p>s2</p>');
  });
});

describe('upstream authors survive', () => {
  it("an Atom feed's <author> applies to entries without one; an entry's <source> author comes first", async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title><author><name>Jane Doe</name><uri>/jane</uri><email>jane@example.org</email></author>',
        entry('inherits', '') +
          entry('own', '<author><name>Ann Own</name></author>') +
          entry(
            'copied',
            '<source><id>urn:elsewhere</id><title>Elsewhere</title><author><name>Sam Source</name></author><updated>2024-01-01T00:00:00Z</updated></source>',
          ),
      ),
    );
    expect(feed.items.map((i) => i.authors)).toEqual([
      [{ name: 'Jane Doe', email: 'jane@example.org', url: 'https://blog.example.org/jane' }],
      [{ name: 'Ann Own' }],
      [{ name: 'Sam Source' }],
    ]);
  });
  it("a JSON Feed item without authors has the feed's (1.1 authors, 1.0 author)", async () => {
    const json = (top: object) =>
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'J',
        ...top,
        items: [
          { id: '1', content_text: 'a' },
          { id: '2', content_text: 'b', authors: [{ name: 'Own' }] },
        ],
      });
    const v11 = await feedOf(json({ authors: [{ name: 'Feed Writer', url: '/about' }] }));
    expect(v11.items.map((i) => i.authors)).toEqual([[{ name: 'Feed Writer', url: 'https://blog.example.org/about' }], [{ name: 'Own' }]]);
    const v10 = await feedOf(json({ author: { name: 'Old Style' } }));
    expect(v10.items.map((i) => i.authors)).toEqual([[{ name: 'Old Style' }], [{ name: 'Own' }]]);
  });
});

describe('upstream categories survive', () => {
  it('an Atom category keeps its term, and its label as the label', async () => {
    const feed = await feedOf(
      atom(
        '<title>T</title>',
        entry(
          'cats',
          '<category term="web-dev" label="Web development"/><category term="rust"/><category term="x" label=" "/><category term="" label="Only a label"/>',
        ),
      ),
    );
    expect(feed.items[0]!.categories).toEqual([{ name: 'Web development', term: 'web-dev' }, 'rust', 'x', 'Only a label']);
  });
});

describe('an upstream item keeps the source it names', () => {
  it('RSS <source url> and Atom <source> are read, URLs resolved', async () => {
    const rssFeed = await feedOf(
      rss(
        '<item><guid>s</guid><title>copied</title><source url="https://orig.example/feed.xml">The Original</source></item><item><guid>n</guid><title>own</title></item>',
      ),
    );
    expect(rssFeed.items.map((i) => i.source)).toEqual([
      { title: 'The Original', feedUrl: 'https://orig.example/feed.xml', siteUrl: null, id: null },
      null,
    ]);
    const atomFeed = await feedOf(
      atom(
        '<title>T</title>',
        entry(
          'copied',
          '<source><id>tag:orig.example,2020:feed</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">The <b>Original</b></div></title><link rel="self" href="/orig.atom"/><link href="https://orig.example/"/><updated>2024-01-01T00:00:00Z</updated></source>',
        ),
      ),
    );
    expect(atomFeed.items[0]!.source).toEqual({
      title: 'The Original',
      feedUrl: 'https://blog.example.org/orig.atom',
      siteUrl: 'https://orig.example/',
      id: 'tag:orig.example,2020:feed',
    });
  });
});
