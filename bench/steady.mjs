// The steady upstreams of `npm run bench` (bench/run.mjs) and bench/profile-refresh.mjs: feeds of
// 20 items of ~5 KB (~97 KB) served without validators, as many upstreams are (every poll gets the
// whole document), and the same feed served with an ETag (a refresh gets a 304).
import { createServer } from 'node:http';

/**
 * Steady upstream `i` at `round`: the newest `round + 19` down to `round`, so each round adds one
 * item at the top and drops the oldest.
 */
export function steadyFeed(i, round) {
  const entries = Array.from({ length: 20 }, (_, k) => {
    const n = round + 19 - k;
    const body = Array.from(
      { length: 12 },
      (_, p) =>
        `<p>Steady ${i} item ${n} paragraph ${p}. ${'Sed ut perspiciatis unde omnis iste natus error sit voluptatem. '.repeat(5)}<a href="/rel/${n}">link</a></p>`,
    ).join('');
    return `<item><title>Steady ${i} item ${n}</title><link>https://steady${i}.example/p/${n}</link><guid>s${i}-${n}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toUTCString()}</pubDate><dc:creator>Writer ${n % 3}</dc:creator><category>cat-${n % 4}</category><description><![CDATA[<p>Summary ${n}</p>]]></description><content:encoded><![CDATA[${body}<script>alert(1)</script><img src="/i/${n}.png" onerror="x()">]]></content:encoded></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Steady ${i}</title><link>https://steady${i}.example/</link><description>Feed ${i}</description>\n${entries}\n</channel></rss>\n`;
}

/** The round each steady upstream is at (POST /steady/<i>/next moves it on). */
export const steadyRounds = new Map();

/** The document steady upstream `i` serves now. */
export const steadyNow = (i) => steadyFeed(i, steadyRounds.get(i) ?? 0);

/**
 * Answers the steady paths: GET /steady/<i> (no validators), POST /steady/<i>/next (the next
 * round), GET /steady/<i>/validated (with an ETag: 304 to a matching If-None-Match). False for
 * any other path.
 */
export function steadyRoute(req, res, pathname) {
  const m = /^\/steady\/(\d+)(\/next|\/validated)?$/.exec(pathname);
  if (!m) return false;
  const i = Number(m[1]);
  if (m[2] === '/next') {
    steadyRounds.set(i, (steadyRounds.get(i) ?? 0) + 1);
    res.writeHead(204).end();
  } else if (m[2] === '/validated') {
    const etag = `"steady-${i}-${steadyRounds.get(i) ?? 0}"`;
    if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(steadyNow(i));
  } else {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(steadyNow(i));
  }
  return true;
}

/** A server of the steady paths alone, on 127.0.0.1. */
export function startSteadyUpstream() {
  const server = createServer((req, res) => {
    if (!steadyRoute(req, res, new URL(req.url, 'http://127.0.0.1').pathname)) res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` })),
  );
}
