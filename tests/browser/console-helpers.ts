// What the console's browser tests share: sending a form the way a person does, a real image
// to upload (made here rather than kept as a binary fixture), and a feed served on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import type { APIRequestContext, APIResponse, Page } from 'playwright-core';

/** A 16 × 16 green PNG, made here (8-bit RGB, one filter byte a row). */
export function greenSquare(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(16 * 3, Buffer.from([0x2e, 0x7d, 0x32]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: 16 }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Does what sends a form (a click, a key) and waits for the page that answers it: the response to
 * the POST, or to the page it redirected to. Answers that page's status.
 */
export async function submit(on: Page, act: () => Promise<unknown>): Promise<number> {
  const answered = on.waitForResponse((r) => {
    const request = r.request();
    if (!request.isNavigationRequest() || (r.status() >= 300 && r.status() < 400)) return false;
    return request.method() === 'POST' || request.redirectedFrom()?.method() === 'POST';
  });
  const [response] = await Promise.all([answered, act()]);
  await on.waitForLoadState('domcontentloaded');
  return response.status();
}

/** The titles of the items of the feed serveFeed() serves. */
export const FEED_ITEMS = ['A local item about gardens', 'A local item about rivers'];

/**
 * An RSS feed on 127.0.0.1 (the demo server fetches it when started with ALLOW_LOOPBACK_UPSTREAMS):
 * the browser tests reach nothing beyond this machine. Its items link to pages of the same server.
 */
export async function serveFeed(): Promise<{ url: string; close: () => Promise<void> }> {
  // Its build date moves on with every request, as many feeds' do: a refresh always reads it again
  // (never "the same document as last time"), whether or not the queue refreshed it first.
  let served = 0;
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    if (req.url !== '/feed.xml')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Item</title><p>An item.</p>');
    const items = FEED_ITEMS.map(
      (title, i) =>
        `<item><title>${title}</title><link>${origin}/items/${i}</link><guid>local-${i}</guid><pubDate>${new Date(Date.UTC(2026, 0, 10 - i)).toUTCString()}</pubDate><description>${title}.</description></item>`,
    ).join('');
    res
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>A local feed</title><link>${origin}/</link><lastBuildDate>${new Date(Date.UTC(2026, 0, 10) + ++served * 1000).toUTCString()}</lastBuildDate>${items}</channel></rss>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/feed.xml`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A GET through Playwright's request context, sent once more when the kept-alive connection it
 * reused was closed by the server in the same instant (Node's servers close idle connections after
 * 5 s; the request then fails with "socket hang up" before any answer). A GET is safe to repeat.
 */
export async function get(
  request: APIRequestContext,
  url: string,
  options?: Parameters<APIRequestContext['get']>[1],
): Promise<APIResponse> {
  try {
    return await request.get(url, options);
  } catch (error) {
    if (!/ECONNRESET|socket hang up/.test(String(error))) throw error;
    return await request.get(url, options);
  }
}
