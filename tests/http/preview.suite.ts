// A feed URL opened in a browser: a top-level navigation (Sec-Fetch-Mode: navigate,
// Sec-Fetch-Dest: document) gets an HTML preview; every other request gets exactly the feed
// bytes. The variants vary on those headers and never share an ETag. (tests/browser/ opens the
// preview in headless Chromium.)
import { describe, expect, it } from 'vitest';
import { check, get, SITE } from '../support/worker';

const NAVIGATE = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none' };
const FEEDS = ['/feed.xml', '/atom.xml', '/feed.json', '/tags/news/feed.xml', '/authors/news-desk/atom.xml', '/planet/feed.json'];

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

describe('feed preview for browsers', () => {
  for (const path of FEEDS) {
    it(`${path}: a navigation gets the preview, anything else the feed bytes, each with its own ETag`, async (ctx) => {
      const feed = await get(path);
      const feedBytes = await feed.text();
      expect(feed.headers.get('content-type')).not.toMatch(/html/);
      expect(feed.headers.get('vary')).toMatch(/Sec-Fetch-Mode, Sec-Fetch-Dest/);

      const page = await get(path, { headers: NAVIGATE });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('vary')).toMatch(/Sec-Fetch-Mode, Sec-Fetch-Dest/);
      expect(page.headers.get('etag')).not.toBe(feed.headers.get('etag'));
      expect(page.headers.get('link')).toBeNull();
      const html = await page.text();
      const feedUrl = `${SITE}${path}`;
      expect(html).toContain('This is a web feed');
      expect(html).toContain(`value="${feedUrl}"`);
      expect(html).toContain(`https://feedly.com/i/subscription/feed/${encodeURIComponent(feedUrl)}`);
      expect(html).toContain(`href="feed:${feedUrl}"`);
      expect(html).toContain(`href="${feedUrl}?raw=1"`);
      expect(html).not.toMatch(/<\?xml-stylesheet/);
      const parsed = await check(ctx, 'html5', html);
      expect(parsed.ok, parsed.output).toBe(true);

      // The one inline script is the one the policy allows by hash.
      const script = /<script>([^<]*)<\/script>/.exec(html)?.[1];
      expect(script).toBeTruthy();
      expect(page.headers.get('content-security-policy')).toContain(`script-src 'sha256-${await sha256Base64(script!)}'`);

      // The feed's ETag does not validate the preview, nor the preview's the feed.
      expect((await get(path, { headers: { ...NAVIGATE, 'if-none-match': feed.headers.get('etag')! } })).status).toBe(200);
      expect((await get(path, { headers: { 'if-none-match': page.headers.get('etag')! } })).status).toBe(200);
      expect((await get(path, { headers: { ...NAVIGATE, 'if-none-match': page.headers.get('etag')! } })).status).toBe(304);

      // The raw document, one click away, is the feed byte for byte.
      const raw = await get(`${path}?raw=1`, { headers: NAVIGATE });
      expect(raw.headers.get('content-type')).toBe(feed.headers.get('content-type'));
      expect(await raw.text()).toBe(feedBytes);
    });
  }

  it('lists the items the feed carries, with their titles and links', async () => {
    const feed = (await (await get('/feed.json')).json()) as { items: { title: string; url: string }[] };
    const html = await (await get('/feed.json', { headers: NAVIGATE })).text();
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) expect(html).toContain(`href="${item.url}"`);
  });

  it('only a top-level document navigation: an iframe, a fetch() or a reader gets the feed', async () => {
    const bytes = await (await get('/feed.xml')).text();
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
      { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' },
      { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'document' },
      { 'user-agent': 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers)', accept: 'text/html' },
    ]) {
      const res = await get('/feed.xml', { headers });
      expect(res.headers.get('content-type'), JSON.stringify(headers)).toBe('application/rss+xml; charset=utf-8');
      expect(await res.text()).toBe(bytes);
    }
  });
});
