// Security headers and CORS, on every kind of response the worker gives.
import { describe, expect, it } from 'vitest';
import { IFRAME_HOSTS } from '../../src/html/sanitize';
import { BEARER, get } from '../support/worker';

const POST = '/posts/tips-for-becoming-a-good-boxer';

/** A Content-Security-Policy header parsed per CSP Level 3: directive name -> source list. */
function parseCsp(header: string | null): Map<string, string[]> {
  expect(header).not.toBeNull();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...values] = part.trim().split(/[ \t]+/);
    if (!name) continue;
    // A repeated directive is ignored by browsers: never send one.
    expect(directives.has(name.toLowerCase()), `duplicate ${name}`).toBe(false);
    directives.set(name.toLowerCase(), values);
  }
  return directives;
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

const HTML_PAGES = ['/', '/tags/tech/', '/authors/news-desk/', POST, '/planet/', '/nope', '/posts/no-such-post'];

describe('Content-Security-Policy', () => {
  it.each(HTML_PAGES)('%s carries a strict policy that allows its own style sheet only', async (path) => {
    const res = await get(path);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
    const html = await res.text();
    const csp = parseCsp(res.headers.get('content-security-policy'));
    expect([...csp.keys()].sort()).toEqual([
      'base-uri',
      'default-src',
      'form-action',
      'frame-ancestors',
      'frame-src',
      'img-src',
      'media-src',
      'object-src',
      'style-src',
    ]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    // No script-src: scripts fall back to default-src 'none'.
    expect(csp.has('script-src')).toBe(false);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('img-src')).toEqual(['http:', 'https:', 'data:']);
    expect(csp.get('media-src')).toEqual(['http:', 'https:', 'data:']);
    expect(csp.get('frame-src')!.sort()).toEqual([...IFRAME_HOSTS].map((h) => `https://${h}`).sort());

    // The page runs no script (a post page's JSON-LD is a data block, which no policy governs),
    // and every inline style element is allowed by its hash, nothing else.
    expect(html.match(/<script[^>]*>/gi) ?? []).toEqual(path === POST ? ['<script type="application/ld+json">'] : []);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    // style-src holds hashes only: this page's sheet (the console's pages have a policy of their own, tests/admin-console.test.ts).
    expect(csp.get('style-src')).toContain(`'sha256-${await sha256(styles[0]!)}'`);
    expect(csp.get('style-src')!.every((source) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(source))).toBe(true);
  });

  it('is not sent on feeds, JSON or problems, which are not documents that run anything', async () => {
    for (const path of ['/feed.xml', '/feed.json', '/opml.xml', '/tags/nope/feed.xml']) {
      expect((await get(path)).headers.get('content-security-policy'), path).toBeNull();
    }
  });
});

describe('X-Content-Type-Options', () => {
  const CASES: [string, RequestInit | undefined, number][] = [
    ['/feed.xml', undefined, 200],
    ['/atom.xml', undefined, 200],
    ['/feed.json', undefined, 200],
    ['/tags/tech/feed.xml', undefined, 200],
    ['/feed.xml?limit=0', undefined, 400],
    ['/tags/nope/atom.xml', undefined, 404],
    ['/nope/feed.xml', undefined, 404],
    ['/nope', undefined, 404],
    ['/opml.xml', undefined, 200],
    [POST, undefined, 200],
    ['/', undefined, 200],
    ['/planet/', undefined, 200],
    ['/planet', { redirect: 'manual' }, 301],
    ['/tags/tech', { redirect: 'manual' }, 301],
    ['/api/posts', undefined, 401],
    ['/api/posts', { headers: BEARER }, 200],
    ['/api/sources/export', { headers: BEARER }, 200],
    ['/feed.xml', { method: 'HEAD' }, 200],
    ['/feed.xml', { method: 'OPTIONS', headers: { origin: 'https://reader.example', 'access-control-request-method': 'GET' } }, 204],
  ];

  it.each(CASES)('%s (%o) answers %i with nosniff', async (path, init, status) => {
    const res = await get(path, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a 304 carries it too', async () => {
    const etag = (await get('/feed.xml')).headers.get('etag')!;
    const res = await get('/feed.xml', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://reader.example';
  const PREFLIGHT = {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'if-none-match, if-modified-since',
    },
  };
  const PUBLIC = [
    '/feed.xml',
    '/atom.xml',
    '/feed.json',
    '/tags/tech/feed.xml',
    '/authors/news-desk/feed.json',
    '/planet/atom.xml',
    '/opml.xml',
    '/',
    '/tags/tech/',
    POST,
  ];

  it.each(PUBLIC)('a preflight for %s is answered 204 allowing GET with conditional headers', async (path) => {
    const res = await get(path, PREFLIGHT);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(
      res.headers
        .get('access-control-allow-methods')!
        .split(',')
        .map((m) => m.trim()),
    ).toEqual(['GET', 'HEAD']);
    expect(
      res.headers
        .get('access-control-allow-headers')!
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .sort(),
    ).toEqual(['if-modified-since', 'if-none-match']);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });

  it.each(['/feed.xml', '/tags/tech/atom.xml', '/opml.xml', '/'])(
    'GET %s is readable from any origin, validators exposed',
    async (path) => {
      const res = await get(path, { headers: { origin: ORIGIN } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(
        res.headers
          .get('access-control-expose-headers')!
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .sort(),
      ).toEqual(['etag', 'last-modified', 'link']);
    },
  );

  it.each([
    ['/tags/no-such-tag/feed.xml', 404],
    ['/authors/nobody/atom.xml', 404],
    ['/sources/999999/feed.json', 404],
    ['/feed.xml?limit=0', 400],
    ['/planet/feed.xml?tag=--', 400],
  ] as const)('the problem %s answers (%i) is readable cross-origin too', async (path, status) => {
    const res = await get(path, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('the admin API gets no CORS headers, on a preflight or a request', async () => {
    const preflight = await get('/api/posts', { ...PREFLIGHT, headers: { ...PREFLIGHT.headers, 'access-control-request-method': 'POST' } });
    expect(preflight.status).not.toBe(204);
    const answered = await get('/api/posts', { headers: { ...BEARER, origin: ORIGIN } });
    expect(answered.status).toBe(200);
    for (const res of [preflight, answered]) {
      expect([...res.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});
