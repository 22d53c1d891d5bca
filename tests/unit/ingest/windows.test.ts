// Large documents read window by window (parse-feed.ts readWindows, xml-repair.ts itemWindows):
// the same feed as one tree would give, whatever falls on a window's edge.
import { describe, expect, it } from 'vitest';
import { parseFeed, WINDOW_CHARS } from '../../../src/ingest/parse/parse-feed';
import type { UpstreamFeed } from '../../../src/ingest/types';
import { itemWindows } from '../../../src/ingest/parse/xml-repair';

const FEED_URL = 'https://feeds.example.org/feed.xml';
const pad = 'Sed ut perspiciatis unde omnis iste natus error sit voluptatem. '.repeat(120);
/** An item of ~8 KB (so that 3 windows hold fewer than the 500 items read) whose CDATA holds an end tag of its own kind. */
const rssItem = (n: number) =>
  `<item><title>Item ${n}</title><link>/p/${n}</link><guid>g${n}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1) - n * 60_000).toUTCString()}</pubDate><description><![CDATA[<p>${n} ${pad}</p><pre></item></pre>]]></description></item>\n`;
const atomEntry = (n: number) =>
  `<entry><id>e${n}</id><title>Entry ${n}</title><link href="/e/${n}"/><updated>2026-01-01T00:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>${n} ${pad}</p></div></content></entry>\n`;

async function feed(text: string): Promise<UpstreamFeed> {
  const result = await parseFeed({ bytes: new TextEncoder().encode(text), contentType: null, url: FEED_URL, maxItems: 500 });
  if (!result.ok) throw new Error(`${result.kind}: ${result.message}`);
  return result.feed;
}

describe('a large document read window by window', () => {
  const n = Math.ceil((3 * WINDOW_CHARS) / rssItem(0).length);
  it('fits under the items read', () => expect(n).toBeLessThan(500));
  // The channel's <title> is in the head, its <ttl> after the items, in the tail.
  const big = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link><description><![CDATA[not an <item> here]]></description>${Array.from({ length: n }, (_, i) => rssItem(i)).join('')}<ttl>42</ttl></channel></rss>`;

  it('is cut at item ends outside CDATA, into windows that cover every item', () => {
    const cut = itemWindows(big, 'rss', WINDOW_CHARS)!;
    expect(cut.windows.length).toBeGreaterThanOrEqual(3);
    expect(cut.head).toMatch(/not an <item> here\]\]><\/description>$/);
    expect(cut.tail).toBe('\n<ttl>42</ttl></channel></rss>');
    for (const [start, end] of cut.windows) {
      expect(big.slice(start, start + 8).trimStart()).toMatch(/^<item>/);
      expect(big.slice(end - 7, end)).toBe('</item>');
    }
    expect(cut.windows.map(([s, e]) => big.slice(s, e)).join('')).toBe(big.slice(cut.head.length, big.length - cut.tail.length));
  });

  it('gives every item in order, and the channel from head and tail', async () => {
    const read = await feed(big);
    expect(read.items.map((i) => i.key)).toEqual(Array.from({ length: n }, (_, i) => `g${i}`));
    expect(read.title).toBe('Big');
    expect(read.ttlMinutes).toBe(42);
    expect(read.items[7]!.url).toBe('https://big.example/p/7');
    // The end tag inside each item's CDATA cut nothing: the item's HTML runs to its end.
    for (const item of read.items.slice(0, 100)) expect(item.contentHtml).toMatch(/<pre><\/pre>$/);
  });

  it('reads Atom entries the same way, xhtml content included', async () => {
    const m = Math.ceil((2.5 * WINDOW_CHARS) / atomEntry(0).length);
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom big</title><id>urn:x</id>${Array.from({ length: m }, (_, i) => atomEntry(i)).join('')}</feed>`;
    expect(itemWindows(atom, 'feed', WINDOW_CHARS)!.windows.length).toBeGreaterThanOrEqual(2);
    const read = await feed(atom);
    expect(read.title).toBe('Atom big');
    expect(read.items.length).toBe(m);
    expect(read.items[3]!.contentHtml).toContain('<p>3 Sed ut');
  });

  it('falls back to the whole document when a window is not well-formed', async () => {
    const broken = big.replace('<title>Item 5</title>', '<title>Item 5</description>');
    const read = await feed(broken);
    expect(read.items.length).toBe(n);
    expect(read.warnings.join(' ')).toMatch(/not well-formed/);
  });
});
