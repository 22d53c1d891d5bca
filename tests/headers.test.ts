// Security headers and CORS, on every kind of response the worker gives.
import { describe, expect, it } from 'vitest';
import { IFRAME_HOSTS } from '../src/ingest/sanitize';
import { get } from './helpers';

const AUTH = { authorization: 'Bearer test-admin-token' };
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
    expect([...csp.keys()].sort()).toEqual(
      ['base-uri', 'default-src', 'form-action', 'frame-ancestors', 'frame-src', 'img-src', 'media-src', 'object-src', 'style-src'],
    );
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

    // The page has no script, and every inline style element is allowed by its hash, nothing else.
    expect(html).not.toMatch(/<script/i);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    expect(csp.get('style-src')).toEqual([`'sha256-${await sha256(styles[0]!)}'`]);
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
    ['/api/posts', { headers: AUTH }, 200],
    ['/api/sources/export', { headers: AUTH }, 200],
    ['/feed.xml', { method: 'HEAD' }, 200],
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
