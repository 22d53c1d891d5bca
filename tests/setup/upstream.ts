// Runs in Node before the suite: a stub "upstream web" on 127.0.0.1 that the worker under test
// fetches feeds from. It serves the bad-feed corpus byte for byte (tests/fixtures/badfeeds) and
// the fetch-level cases no file can express: redirects of every kind, status codes, an endless
// body, a slow drip, a lying Content-Length, a gzip bomb and a feed far over the byte cap (both
// generated here, streamed, never kept whole in memory).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { TestProject } from 'vitest/node';
import { serveDemoSite } from '../../scripts/demo-site.mjs';
import { xssSample } from '../fixtures/xss/vectors';
import { RECEIVER_ROUTES } from './subscriber';

const CORPUS = new URL('../fixtures/badfeeds/', import.meta.url).pathname;
const TYPES: Record<string, string> = { xml: 'application/xml', json: 'application/feed+json', html: 'text/html; charset=utf-8' };
const RSS_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Large</title><link>https://example.com/</link><description>x</description>\n';

/** ~200 MB of RSS whitespace as ~200 KB of gzip, made once on first use. */
let bomb: Promise<Buffer> | null = null;
function gzipBomb(): Promise<Buffer> {
  bomb ??= new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => parts.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(parts)));
    gzip.on('error', reject);
    gzip.write(RSS_HEAD);
    const spaces = Buffer.alloc(1024 * 1024, 0x20);
    let left = 200;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!gzip.write(spaces)) return void gzip.once('drain', pump);
      }
      gzip.end('</channel></rss>\n');
    };
    pump();
  });
  return bomb;
}

/** Writes chunks from `next` until it returns null or the client goes away. */
function stream(res: ServerResponse, next: (i: number) => string | null) {
  let i = 0;
  const write = () => {
    for (;;) {
      if (res.destroyed) return;
      const chunk = next(i++);
      if (chunk === null) return void res.end();
      if (!res.write(chunk)) return void res.once('drain', write);
    }
  };
  res.on('close', () => (i = Number.POSITIVE_INFINITY));
  write();
}

const HOSTILE_LINKS = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', ' vbscript:msgbox(1)', 'jav\tascript:alert(1)'];

/** A feed whose items carry `vectors`, numbered from `first`, newest first. */
function xssFeed(format: 'rss' | 'atom' | 'json', vectors: readonly string[], first: number): string {
  const xml = (s: string) =>
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 cannot carry these characters even escaped; the vector keeps the rest.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
  const items = vectors.map((v, i) => ({
    n: first + i,
    vector: v,
    link: (first + i) % 5 === 0 ? HOSTILE_LINKS[((first + i) / 5) % HOSTILE_LINKS.length]! : `https://upstream.example/p/${first + i}`,
    date: new Date(Date.UTC(2024, 0, 1) - (first + i) * 60_000).toISOString(),
  }));
  if (format === 'json') {
    return JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'XSS corpus',
      home_page_url: 'https://upstream.example/',
      items: items.map((it) => ({
        id: `xss-${it.n}`,
        url: it.link,
        title: `Vector ${it.n}`,
        content_html: it.vector,
        date_published: it.date,
      })),
    });
  }
  if (format === 'atom') {
    return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>XSS corpus</title><id>urn:xss</id>
<link href="https://upstream.example/"/><updated>2024-01-01T00:00:00Z</updated>
${items
  .map(
    (it) => `<entry><title>Vector ${it.n}</title><id>urn:xss:${it.n}</id><link href="${xml(it.link)}"/><updated>${it.date}</updated>
<summary type="html">${xml(it.vector)}</summary><content type="html">${xml(it.vector)}</content></entry>`,
  )
  .join('\n')}</feed>`;
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>XSS corpus</title><link>https://upstream.example/</link><description>x</description>
${items
  .map(
    (it) => `<item><title>Vector ${it.n}</title><guid isPermaLink="false">xss-${it.n}</guid><link>${xml(it.link)}</link>
<pubDate>${new Date(it.date).toUTCString()}</pubDate><enclosure url="${xml(it.link)}" type="audio/mpeg" length="1"/>
<description>${xml(it.vector)}</description><content:encoded>${xml(it.vector)}</content:encoded></item>`,
  )
  .join('\n')}</channel></rss>`;
}

const PAGES = new URL('../fixtures/pages/', import.meta.url).pathname;
const pageHits = new Map<string, number>();
/** Requests to /pages/<site>/ in flight now, the most at once, and when each started (ms), per site. */
const pageLoad = new Map<string, { now: number; max: number; starts: number[] }>();
/** Per host (host:port): what /robots.txt answers (404 when unset), and how often it was asked for. */
const robotsByHost = new Map<string, { status: number; body: string; location?: string }>();
const robotsHits = new Map<string, number>();
/** Requests per /docs/<name>, and how many of them were answered 304. */
const docHits = new Map<string, { hits: number; notModified: number }>();
/** Posts of the list fixtures that have a real article fixture of their own. */
const ARTICLE_AT: Record<string, string> = { '/pages/wordpress-sidebar/tips-for-becoming-a-good-boxer/': 'wordpress-boxer.html' };

/** The article page the stub serves at `path`: what a page source fetches for each new post. */
function generatedArticle(path: string): string {
  const words = path.split('/').filter(Boolean).join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page of ${words} | Site</title>
<meta property="article:published_time" content="2023-01-15T10:00:00Z"></head><body>
<header><nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/contact/">Contact</a></nav></header>
<main><article><h1>Page of ${words}</h1>
<p>The first paragraph of ${words} explains, at some length, what the post is about and why anyone would read it to the end.</p>
<div class="ad"><p>Advertisement</p></div>
<p>The second paragraph of ${words} goes into the details, with enough words for a reader and for a readability heuristic alike.</p>
<p>The third paragraph of ${words} wraps it all up and thanks the reader for staying with the post until its very last sentence.</p>
</article>
<aside class="sidebar"><h3>Popular posts</h3><ul><li><a href="/popular-one/">Sidebar post one</a></li><li><a href="/popular-two/">Sidebar post two</a></li></ul></aside></main>
<footer><p>Copyright 2024 The Site. All rights reserved.</p></footer></body></html>`;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** Topics each stub hub (/hub/<name>) was pinged for. */
const hubPings = new Map<string, string[]>();

/** Documents a test made up and PUT here (/docs/<name>), served back byte for byte. */
const docs = new Map<string, { body: Buffer; type: string; etag?: string; status?: number; chunk?: number; cut?: number }>();

/** RSS of `items` items, each with a CDATA section, padded to about `bytes` bytes in all. */
function manyItems(items: number, bytes: number): (i: number) => string | null {
  const head = RSS_HEAD.replace('<title>Large</title>', '<title>Many items</title>');
  const item = (i: number, pad: string) =>
    `<item><title>Item ${i}</title><link>https://example.com/m/${i}</link><guid isPermaLink="false">m-${i}</guid><pubDate>${new Date(Date.UTC(2024, 0, 1) - i * 60_000).toUTCString()}</pubDate><description><![CDATA[<p>Item ${i} ${pad}</p>]]></description></item>\n`;
  const bare = Buffer.byteLength(item(items, ''));
  const pad = 'x'.repeat(Math.max(0, Math.floor((bytes - Buffer.byteLength(head) - 20) / items) - bare));
  return (i) => (i === 0 ? head : i <= items ? item(i, pad) : i === items + 1 ? '</channel></rss>\n' : null);
}

const ROUTES: [RegExp, Handler][] = [
  // The demo publication (seed/site/, as `npm run dev` serves it; its links are relative) under /demo-site/.
  [/^\/demo-site(\/.*)?$/, (_req, res, url) => serveDemoSite(url.pathname.slice('/demo-site'.length) || '/', res)],
  // Page sources (tests/extract/page-sources.suite.ts). /pages/articles/<file>: an article fixture as is.
  // /pages/<list>/: the list fixture tests/fixtures/pages/lists/<list>.html, its site's absolute
  // origin and root-relative links moved under /pages/<list>/, so that every post it links to is
  // served here too: /pages/<list>/<path> is a generated article page (its own title, three
  // paragraphs naming the path, an ad label, a nav, a sidebar and a footer). Every request is
  // counted; GET /pages-hits?prefix=<path> answers how many hit paths under that prefix.
  [
    /^\/pages-hits$/,
    (_req, res, url) => {
      const prefix = url.searchParams.get('prefix') ?? '/';
      let n = 0;
      for (const [path, count] of pageHits) if (path.startsWith(prefix)) n += count;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hits: n }));
    },
  ],
  // GET /pages-load?site=<name>: the most requests to /pages/<name>/ in flight at once, and their start times.
  [
    /^\/pages-load$/,
    (_req, res, url) => {
      const load = pageLoad.get(url.searchParams.get('site') ?? '') ?? { now: 0, max: 0, starts: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ max: load.max, starts: load.starts }));
    },
  ],
  // /robots.txt: per host, as PUT /robots-config {"status", "body", "location"} on that host set it
  // (404 when never set); GET /robots-hits: how often this host's robots.txt was asked for.
  [
    /^\/robots\.txt$/,
    (req, res) => {
      const host = req.headers.host ?? '';
      robotsHits.set(host, (robotsHits.get(host) ?? 0) + 1);
      const config = robotsByHost.get(host);
      if (!config) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no robots.txt');
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (config.location) headers.location = config.location;
      res.writeHead(config.status, headers).end(config.body);
    },
  ],
  [
    /^\/robots-config$/,
    async (req, res) => {
      const parts: Buffer[] = [];
      for await (const chunk of req) parts.push(chunk as Buffer);
      const config = JSON.parse(Buffer.concat(parts).toString('utf8')) as { status?: number; body?: string; location?: string };
      robotsByHost.set(req.headers.host ?? '', { status: config.status ?? 200, body: config.body ?? '', location: config.location });
      res.writeHead(204).end();
    },
  ],
  [
    /^\/robots-hits$/,
    (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hits: robotsHits.get(req.headers.host ?? '') ?? 0 }));
    },
  ],
  // GET /docs-hits?name=<name>: requests to /docs/<name>, and how many were answered 304.
  [
    /^\/docs-hits$/,
    (_req, res, url) => {
      const hits = docHits.get(url.searchParams.get('name') ?? '') ?? { hits: 0, notModified: 0 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(hits));
    },
  ],
  [
    /^\/pages\/.+$/,
    async (req, res, url) => {
      pageHits.set(url.pathname, (pageHits.get(url.pathname) ?? 0) + 1);
      const html = { 'content-type': 'text/html; charset=utf-8' };
      const [, , name, ...rest] = url.pathname.split('/');
      // ?slow=<ms>: answer after that long; the site's requests in flight are counted meanwhile.
      const load = pageLoad.get(name ?? '') ?? { now: 0, max: 0, starts: [] };
      pageLoad.set(name ?? '', load);
      load.now++;
      load.max = Math.max(load.max, load.now);
      load.starts.push(Date.now());
      res.on('close', () => load.now--);
      const slow = Number(url.searchParams.get('slow') ?? 0);
      if (slow > 0) await new Promise((resolve) => setTimeout(resolve, slow));
      if (name === 'articles') {
        const file = rest.join('/');
        if (!/^[\w.-]+\.html$/.test(file)) return void res.writeHead(404).end();
        return void res.writeHead(200, html).end(readFileSync(`${PAGES}articles/${file}`));
      }
      if (!name || !/^[\w-]+$/.test(name)) return void res.writeHead(404).end();
      const base = `http://${req.headers.host}/pages/${name}`;
      if (rest.join('') === '') {
        let list: string;
        try {
          list = readFileSync(`${PAGES}lists/${name}.html`, 'utf8');
        } catch {
          return void res.writeHead(404).end();
        }
        list = list.replace(/https:\/\/[a-z-]+\.example(?=[/"])/g, base).replace(/(href=|src=|"url"\s*:\s*)"\/(?!\/)/g, `$1"${base}/`);
        return void res.writeHead(200, html).end(list);
      }
      const fixture = ARTICLE_AT[url.pathname];
      res.writeHead(200, html).end(fixture ? readFileSync(`${PAGES}articles/${fixture}`) : generatedArticle(url.pathname));
    },
  ],
  // The corpus, with a fixed ETag per file (304 when it matches) and ?ct= to lie about the type.
  [
    /^\/corpus\/([\w.-]+)$/,
    (req, res, url) => {
      const file = url.pathname.split('/').pop()!;
      let body: Buffer;
      try {
        body = readFileSync(CORPUS + file);
      } catch {
        return void res.writeHead(404).end();
      }
      const etag = `"${file}-v1"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      const type = url.searchParams.get('ct') ?? TYPES[file.split('.').pop()!] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, etag, 'content-length': body.length }).end(body);
    },
  ],
  // /redirect?to=<url>&code=301: one hop anywhere (also to private addresses and other schemes).
  [
    /^\/redirect$/,
    (_req, res, url) => {
      res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: url.searchParams.get('to') ?? '/' }).end();
    },
  ],
  // /chain/<n>?code=301: n relative hops, then the valid JSON Feed.
  [
    /^\/chain\/\d+$/,
    (_req, res, url) => {
      const n = Number(url.pathname.split('/').pop());
      const code = url.searchParams.get('code') ?? '301';
      res.writeHead(Number(code), { location: n > 1 ? `/chain/${n - 1}?code=${code}` : '/corpus/34-jsonfeed-valid.json' }).end();
    },
  ],
  [
    /^\/loop\/(a|b)$/,
    (_req, res, url) => {
      res.writeHead(302, { location: url.pathname.endsWith('a') ? '/loop/b' : '/loop/a' }).end();
    },
  ],
  // /status/<code>?retry-after=<value>: any status, no body of interest.
  [
    /^\/status\/\d{3}$/,
    (_req, res, url) => {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      const retryAfter = url.searchParams.get('retry-after');
      if (retryAfter) headers['retry-after'] = retryAfter;
      res.writeHead(Number(url.pathname.split('/').pop()), headers).end('status');
    },
  ],
  // 304 with no validators at all.
  [
    /^\/bare-304$/,
    (req, res) => {
      if (req.headers['if-none-match'] || req.headers['if-modified-since']) return void res.writeHead(304).end();
      res
        .writeHead(200, { 'content-type': 'application/feed+json', etag: '"bare-1"' })
        .end(readFileSync(`${CORPUS}34-jsonfeed-valid.json`));
    },
  ],
  // No Content-Length, never ends: only the client's byte cap stops it.
  [
    /^\/endless$/,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const filler = `<!-- ${'x'.repeat(64 * 1024)} -->\n`;
      stream(res, (i) => (i === 0 ? RSS_HEAD : filler));
    },
  ],
  // A feed of ~24 MB, 50,000 items, streamed.
  [
    /^\/huge$/,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const body = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(5);
      stream(res, (i) =>
        i === 0
          ? RSS_HEAD
          : i <= 50_000
            ? `<item><title>Item ${i}</title><link>https://example.com/p/${i}</link><guid isPermaLink="false">g-${i}</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><description>${body}</description></item>\n`
            : i === 50_001
              ? '</channel></rss>\n'
              : null,
      );
    },
  ],
  [
    /^\/gzip-bomb$/,
    async (_req, res) => {
      const body = await gzipBomb();
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
    },
  ],
  // One byte a second.
  [
    /^\/slow$/,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 1000);
      res.on('close', () => clearInterval(timer));
    },
  ],
  // Promises 100 KB, sends 100 bytes, hangs up.
  [
    /^\/lying-length$/,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': 100_000 });
      res.write(RSS_HEAD.slice(0, 100));
      setTimeout(() => res.destroy(), 50);
    },
  ],
  // /xss/<rss|atom|json>/<page>?size=50: the XSS corpus (tests/fixtures/xss), one vector per item,
  // as the item's summary and content; every fifth item also links to a hostile URL. &stride=<n>:
  // every n-th vector only (xssSample).
  [
    /^\/xss\/(rss|atom|json)\/\d+$/,
    (_req, res, url) => {
      const [, , format, page] = url.pathname.split('/');
      const size = Number(url.searchParams.get('size') ?? 50);
      const corpus = xssSample(Number(url.searchParams.get('stride') ?? 1));
      const vectors = corpus.slice(Number(page) * size, (Number(page) + 1) * size);
      const type = format === 'json' ? 'application/feed+json' : 'application/xml';
      res
        .writeHead(200, { 'content-type': `${type}; charset=utf-8` })
        .end(xssFeed(format as 'rss' | 'atom' | 'json', vectors, Number(page) * size));
    },
  ],
  // /inline?body=<document>&ct=<type>: a feed written by the test itself.
  [
    /^\/inline$/,
    (_req, res, url) => {
      res.writeHead(200, { 'content-type': url.searchParams.get('ct') ?? 'application/rss+xml' }).end(url.searchParams.get('body') ?? '');
    },
  ],
  // PUT /docs/<name> (body and Content-Type kept), then GET it: documents generated by a test.
  // PUT with `x-etag: yes`: served with an ETag of its body, and 304 to a matching If-None-Match.
  // PUT with `x-status: <code>`: served with that status.
  // PUT with `x-chunk: <n>`: written n bytes at a time, each write on a later turn of the event
  // loop (the reader gets it in many chunks); with `x-cut: <n>`: only the first n bytes, then the
  // connection is dropped.
  [
    /^\/docs\/[\w.-]+$/,
    async (req, res, url) => {
      const name = url.pathname.split('/').pop()!;
      if (req.method === 'PUT') {
        const parts: Buffer[] = [];
        for await (const chunk of req) parts.push(chunk as Buffer);
        const body = Buffer.concat(parts);
        const etag = req.headers['x-etag'] === 'yes' ? `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` : undefined;
        const status = Number(req.headers['x-status'] ?? 200);
        const chunk = Number(req.headers['x-chunk'] ?? 0) || undefined;
        const cut = Number(req.headers['x-cut'] ?? 0) || undefined;
        docs.set(name, { body, type: req.headers['content-type'] ?? 'application/octet-stream', etag, status, chunk, cut });
        return void res.writeHead(204).end();
      }
      const hits = docHits.get(name) ?? { hits: 0, notModified: 0 };
      docHits.set(name, hits);
      hits.hits++;
      const doc = docs.get(name);
      if (!doc) return void res.writeHead(404).end();
      if (doc.etag && req.headers['if-none-match'] === doc.etag) {
        hits.notModified++;
        return void res.writeHead(304, { etag: doc.etag }).end();
      }
      if (doc.chunk || doc.cut) {
        res.writeHead(doc.status ?? 200, { 'content-type': doc.type, 'content-length': doc.body.length });
        const size = doc.chunk ?? 64 * 1024;
        const end = doc.cut ?? doc.body.length;
        let at = 0;
        const next = () => {
          if (res.destroyed) return;
          if (at >= end) return void (doc.cut ? res.destroy() : res.end());
          res.write(doc.body.subarray(at, Math.min(at + size, end)));
          at += size;
          setImmediate(next);
        };
        return void next();
      }
      res
        .writeHead(doc.status ?? 200, {
          'content-type': doc.type,
          'content-length': doc.body.length,
          ...(doc.etag ? { etag: doc.etag } : {}),
        })
        .end(doc.body);
    },
  ],
  // /many-items?items=20000&bytes=15000000: a feed just under the cap with thousands of items, streamed.
  [
    /^\/many-items$/,
    (_req, res, url) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      stream(res, manyItems(Number(url.searchParams.get('items') ?? 20_000), Number(url.searchParams.get('bytes') ?? 15_000_000)));
    },
  ],
  // A WebSub hub: POST /hub/<name> records each publish ping (hub.mode=publish, hub.url=<topic>);
  // GET /hub/<name> answers the topics pinged so far, in order, as JSON. A test uses its own name.
  [
    /^\/hub\/[\w.-]+$/,
    async (req, res, url) => {
      const name = url.pathname.split('/').pop()!;
      if (req.method === 'POST') {
        const parts: Buffer[] = [];
        for await (const chunk of req) parts.push(chunk as Buffer);
        const form = new URLSearchParams(Buffer.concat(parts).toString('utf8'));
        const topic = form.get('hub.url');
        if (
          form.get('hub.mode') !== 'publish' ||
          !topic ||
          !/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')
        ) {
          return void res.writeHead(400).end();
        }
        hubPings.set(name, [...(hubPings.get(name) ?? []), topic]);
        return void res.writeHead(204).end();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(hubPings.get(name) ?? []));
    },
  ],
  [
    /^\/echo-headers$/,
    (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers));
    },
  ],
  // Push receivers: WebSub subscribers and webhook endpoints (tests/setup/subscriber.ts).
  ...RECEIVER_ROUTES,
];

/** Extra ports of the same stub: each is an origin of its own, with a robots.txt of its own. */
const EXTRA_ORIGINS = 12;

async function listen(): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = ROUTES.find(([pattern]) => pattern.test(url.pathname));
    if (!route) return void res.writeHead(404).end();
    try {
      await route[1](req, res, url);
    } catch {
      res.destroy();
    }
  });
  // Idle connections stay open until workerd closes them: one the stub closed after Node's idle
  // timeout while a request was on its way would fail it as "Network connection lost".
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('upstream stub has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export default async function setup(project: TestProject) {
  const main = await listen();
  const extra = await Promise.all(Array.from({ length: EXTRA_ORIGINS }, listen));
  project.provide('upstreamUrl', main.url);
  project.provide(
    'upstreamOrigins',
    extra.map((e) => e.url),
  );
  return () =>
    Promise.all(
      [main, ...extra].map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    ).then(() => {});
}
