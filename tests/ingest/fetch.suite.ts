// The fetch-level cases a feed file cannot express, against the stub upstream on 127.0.0.1:
// first through fetchUpstream itself, then through the real refresh path and the source's state.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getSource } from '../../src/db/sources';
import { checkUpstreamUrl, fetchUpstream, type FetchOptions } from '../../src/ingest/fetch/fetch-upstream';
import { refreshSource } from '../../src/ingest/refresh';
import { DEFAULT_POLICY, failureDelay, successInterval } from '../../src/ingest/schedule';
import { AUTH, get, upstream } from '../support/worker';

const OPTIONS: FetchOptions = { etag: null, lastModified: null, userAgent: 'Syndicate-test', allowLoopback: true };
const fetchIt = (path: string, options: Partial<FetchOptions> = {}) => fetchUpstream(upstream(path), { ...OPTIONS, ...options });

describe('checkUpstreamUrl', () => {
  it.each([
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.0.1/',
    'http://169.254.169.254/latest/',
    'http://100.64.0.1/',
    'http://100.127.255.255/',
    'http://0.0.0.0/',
    'http://[fc00::1]/',
    'http://[fd12::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::]/',
    'http://[64:ff9b::a00:1]/',
    'http://[2002:a00:1::]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://192.0.2.1/',
    'http://[2001:db8::1]/',
    'file:///etc/passwd',
    'gopher://x/',
    'data:text/xml,<rss/>',
    'ftp://example.com/feed',
    'http://user:pw@example.com/',
    'not a url',
    // IPv4-compatible IPv6 (::/96, deprecated): ipaddr.js calls these unicast.
    'http://[::7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://[::a00:1]/',
    'http://[::10.0.0.1]/',
    'http://[::a9fe:a9fe]/',
    'http://[::808:808]/',
    // SIIT (::ffff:0:0/96) and NAT64 forms of loopback.
    'http://[::ffff:0:7f00:1]/',
    'http://[64:ff9b::7f00:1]/',
  ])('refuses %s, even with loopback allowed', (url) => {
    expect(checkUpstreamUrl(url, true)).not.toBeNull();
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://[::1]/',
    'http://localhost/',
    'http://a.localhost/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
  ])('refuses loopback %s unless allowed', (url) => {
    expect(checkUpstreamUrl(url, false)).not.toBeNull();
    expect(checkUpstreamUrl(url, true)).toBeNull();
  });

  it.each([
    'https://example.com/feed.xml',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://192.169.0.1/',
  ])('allows %s', (url) => {
    expect(checkUpstreamUrl(url, false)).toBeNull();
  });
});

describe('fetchUpstream', () => {
  it('sends a User-Agent, Accept and the stored validators', async () => {
    const outcome = await fetchIt('/echo-headers', { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    expect(outcome.kind).toBe('ok');
    const headers = JSON.parse(new TextDecoder().decode((outcome as { bytes: Uint8Array }).bytes)) as Record<string, string>;
    expect(headers).toMatchObject({
      'user-agent': 'Syndicate-test',
      'if-none-match': '"v1"',
      'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(headers.accept).toContain('application/rss+xml');
  });

  it('follows up to 5 redirects by hand and reports a permanent move', async () => {
    const outcome = await fetchIt('/chain/5?code=301');
    expect(outcome).toMatchObject({ kind: 'ok', permanentUrl: upstream('/corpus/34-jsonfeed-valid.json') });
    expect(await fetchIt('/chain/6?code=301')).toMatchObject({ kind: 'error', errorKind: 'too_many_redirects' });
    // A temporary hop anywhere in the chain means the stored URL stays.
    expect(await fetchIt('/chain/2?code=302')).toMatchObject({ kind: 'ok', permanentUrl: null });
    expect(await fetchIt('/loop/a')).toMatchObject({ kind: 'error', errorKind: 'redirect_loop' });
  });

  // The stub itself is on loopback, so loopback is allowed here; redirects to loopback are below.
  it.each([
    ['http://10.0.0.1/feed', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/', 'blocked_address'],
    ['http://0.0.0.0/', 'blocked_address'],
    ['http://100.64.0.1/', 'blocked_address'],
    ['http://[::ffff:10.0.0.1]/', 'blocked_address'],
    ['http://[::7f00:1]/', 'blocked_address'],
    ['http://[::127.0.0.1]/', 'blocked_address'],
    ['http://[::a00:1]/', 'blocked_address'],
    ['file:///etc/passwd', 'bad_url'],
    ['gopher://127.0.0.1:70/', 'bad_url'],
    ['data:text/xml,<rss/>', 'bad_url'],
  ])('checks every hop: a redirect to %s is refused (%s) without being fetched', async (target, errorKind) => {
    const first = upstream(`/redirect?code=301&to=${encodeURIComponent(target)}`);
    const fetched: string[] = [];
    const outcome = await fetchUpstream(first, {
      ...OPTIONS,
      fetcher: (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        fetched.push(url);
        if (url !== first) throw new Error(`fetched ${url}`);
        return fetch(input, init);
      },
    });
    expect(fetched).toEqual([first]);
    expect(outcome).toMatchObject({ kind: 'error', errorKind, finalUrl: new URL(target).href });
  });

  it.each(['http://127.0.0.1:1/', 'http://[::1]:1/', 'http://[::ffff:7f00:1]/', 'http://[::7f00:1]/', 'http://[::127.0.0.1]/'])(
    'with loopback not allowed, a redirect to %s is refused as blocked_address before any request',
    async (target) => {
      const fetched: string[] = [];
      const outcome = await fetchUpstream(`http://feed.example/redirect`, {
        ...OPTIONS,
        allowLoopback: false,
        fetcher: async (input) => {
          const url = input instanceof Request ? input.url : String(input);
          fetched.push(url);
          if (url !== 'http://feed.example/redirect') throw new Error(`fetched ${url}`);
          return new Response(null, { status: 301, headers: { location: target } });
        },
      });
      expect(fetched).toEqual(['http://feed.example/redirect']);
      expect(outcome).toMatchObject({ kind: 'error', errorKind: 'blocked_address' });
    },
  );

  it('follows an https-to-http redirect but never stores it as a permanent move', async () => {
    const hops: Record<string, Response> = {
      'https://secure.example/feed': new Response(null, { status: 301, headers: { location: 'http://secure.example/feed' } }),
      'http://secure.example/feed': new Response('<rss version="2.0"><channel><title>t</title></channel></rss>', { status: 200 }),
    };
    const outcome = await fetchUpstream('https://secure.example/feed', {
      ...OPTIONS,
      fetcher: async (input) => {
        const url = input instanceof Request ? input.url : String(input);
        const answer = hops[url];
        if (!answer) throw new Error(`unexpected fetch ${url}`);
        return answer;
      },
    });
    expect(outcome).toMatchObject({ kind: 'ok', finalUrl: 'http://secure.example/feed', permanentUrl: null });
  });

  it('answers 304 as not_modified, with or without validators', async () => {
    expect(await fetchIt('/bare-304', { etag: '"bare-1"' })).toMatchObject({ kind: 'not_modified', etag: null, lastModified: null });
    expect(await fetchIt('/corpus/34-jsonfeed-valid.json', { etag: '"34-jsonfeed-valid.json-v1"' })).toMatchObject({
      kind: 'not_modified',
      etag: '"34-jsonfeed-valid.json-v1"',
    });
  });

  it('reads Retry-After from 429 and 503, seconds or a date', async () => {
    const seconds = await fetchIt('/status/429?retry-after=120');
    expect(seconds).toMatchObject({ kind: 'error', errorKind: 'rate_limited', status: 429, retryAfterMs: 120_000 });
    const date = new Date(Date.now() + 3_600_000).toUTCString();
    const dated = await fetchIt(`/status/503?retry-after=${encodeURIComponent(date)}`);
    expect((dated as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
    expect(await fetchIt('/status/503?retry-after=soon')).not.toHaveProperty('retryAfterMs');
  });

  it('410 is gone, 500 an HTTP error', async () => {
    expect(await fetchIt('/status/410')).toMatchObject({ kind: 'gone' });
    expect(await fetchIt('/status/500')).toMatchObject({ kind: 'error', errorKind: 'http_status', status: 500 });
  });

  it('stops an endless body, a huge feed and a gzip bomb at the cap on decoded bytes', async () => {
    expect(await fetchIt('/endless', { maxBytes: 1024 * 1024 })).toMatchObject({ kind: 'error', errorKind: 'too_large' });
    expect(await fetchIt('/huge')).toMatchObject({ kind: 'error', errorKind: 'too_large' });
    expect(await fetchIt('/gzip-bomb')).toMatchObject({ kind: 'error', errorKind: 'too_large' });
  });

  it('times out a slow drip, and survives a Content-Length that lies', async () => {
    // The drip never ends: only the deadline can end the exchange (without it the test hangs).
    expect(await fetchIt('/slow', { timeoutMs: 1500 })).toMatchObject({
      kind: 'error',
      errorKind: 'timeout',
      message: 'No complete answer within 1.5 s.',
    });
    // 100 bytes of a promised 100,000, then the connection closes: never taken for a whole feed.
    expect(await fetchIt('/lying-length')).toMatchObject({ kind: 'error', errorKind: 'network' });
  });
});

describe('refresh policy', () => {
  it('backs off exponentially, honours Retry-After, pauses after 10 failures', () => {
    const base = DEFAULT_POLICY.baseIntervalMs;
    expect([1, 2, 3, 4].map((n) => failureDelay(n, null).delayMs)).toEqual([base, base * 2, base * 4, base * 8]);
    expect(failureDelay(30, null).delayMs).toBe(DEFAULT_POLICY.maxBackoffMs);
    expect(failureDelay(1, 3 * 3600_000).delayMs).toBe(3 * 3600_000);
    expect(failureDelay(9, null).pause).toBe(false);
    expect(failureDelay(10, null).pause).toBe(true);
  });

  it('lets the upstream stretch the interval, never shrink it, within a day', () => {
    const now = Date.now();
    expect(successInterval({ ttlMinutes: null, cacheControl: null, expires: null, now })).toBe(DEFAULT_POLICY.baseIntervalMs);
    expect(successInterval({ ttlMinutes: 120, cacheControl: null, expires: null, now })).toBe(120 * 60_000);
    expect(successInterval({ ttlMinutes: 1, cacheControl: 'max-age=10', expires: null, now })).toBe(DEFAULT_POLICY.baseIntervalMs);
    expect(successInterval({ ttlMinutes: null, cacheControl: 'public, max-age=7200', expires: null, now })).toBe(7200_000);
    expect(successInterval({ ttlMinutes: 100_000, cacheControl: null, expires: null, now })).toBe(DEFAULT_POLICY.maxIntervalMs);
    expect(
      successInterval({ ttlMinutes: null, cacheControl: null, expires: new Date(now + 5 * 3600_000).toUTCString(), now }),
    ).toBeGreaterThan(4.9 * 3600_000);
  });
});

describe('through the refresh path', () => {
  let serial = 0;
  async function source(path: string) {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: upstream(`${path}${path.includes('?') ? '&' : '?'}s=${++serial}`) }),
    });
    expect(res.status).toBe(201);
    return (await getSource(env.DB, ((await res.json()) as { id: number }).id))!;
  }

  it.each(['http://[::7f00:1]/feed.xml', 'http://[::127.0.0.1]/feed.xml', 'http://[::a00:1]/feed.xml', 'http://[::ffff:0:a00:1]/feed.xml'])(
    'a source at %s is refused with a 400 naming url (loopback upstreams are allowed here), and not stored',
    async (url) => {
      const res = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url }) });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: { field: string; message: string }[] };
      expect(problem.errors.map((e) => e.field)).toEqual(['url']);
      expect(problem.errors[0]!.message).toMatch(/^points at an? \w+ address/);
      expect(await env.DB.prepare('SELECT 1 FROM sources WHERE url = ?1').bind(new URL(url).href).first()).toBeNull();
    },
  );

  it('a source whose feed redirects to [::7f00:1] records blocked_address and stores nothing', async () => {
    const s = await source(`/redirect?code=302&to=${encodeURIComponent('http://[::7f00:1]:1/feed.xml')}`);
    const report = await refreshSource(env, s);
    expect(report).toMatchObject({ outcome: 'error', errorKind: 'blocked_address' });
    expect(await getSource(env.DB, s.id)).toMatchObject({
      lastOutcome: 'error',
      lastErrorKind: 'blocked_address',
      consecutiveFailures: 1,
      itemCount: 0,
    });
    expect((await getSource(env.DB, s.id))!.lastError).toContain('points at an ipv4Compatible address ([::7f00:1])');
  });

  it('a 301 chain moves the stored URL; the items come from the final one', async () => {
    const s = await source('/chain/2?code=301');
    const report = await refreshSource(env, s);
    expect(report.outcome).toBe('ok');
    expect((await getSource(env.DB, s.id))!.url).toBe(upstream('/corpus/34-jsonfeed-valid.json'));
  });

  it('410 retires the source and keeps its items', async () => {
    const s = await source('/status/410');
    await refreshSource(env, s);
    expect(await getSource(env.DB, s.id)).toMatchObject({ state: 'gone', lastOutcome: 'gone', lastStatus: 410 });
  });

  it('429 with Retry-After waits at least that long; failures count and back off', async () => {
    const s = await source('/status/429?retry-after=7200');
    const now = Date.now();
    await refreshSource(env, s, now);
    const after = (await getSource(env.DB, s.id))!;
    expect(after).toMatchObject({
      lastOutcome: 'error',
      lastErrorKind: 'rate_limited',
      lastStatus: 429,
      consecutiveFailures: 1,
      state: 'active',
    });
    expect(after.nextDueAt).toBe(now + 7200_000);
  });

  it('a source failing 10 times in a row is paused with a reason; other sources are untouched', async () => {
    const bad = await source('/status/500');
    const good = await source('/corpus/34-jsonfeed-valid.json');
    await refreshSource(env, good);
    const goodBefore = (await getSource(env.DB, good.id))!;
    let current = bad;
    for (let i = 0; i < 10; i++) {
      await refreshSource(env, current);
      current = (await getSource(env.DB, bad.id))!;
    }
    expect(current).toMatchObject({ state: 'paused', consecutiveFailures: 10, lastErrorKind: 'http_status' });
    expect(current.pausedReason).toMatch(/paused after 10 failed refreshes/);
    expect(await getSource(env.DB, good.id)).toEqual(goodBefore);
  });

  it('a 304 refresh keeps the validators and the items, and changes no feed', async () => {
    const s = await source('/corpus/34-jsonfeed-valid.json');
    await refreshSource(env, s);
    const stored = (await getSource(env.DB, s.id))!;
    const etag = (await get(`/sources/${s.id}/feed.json`)).headers.get('etag');
    const report = await refreshSource(env, stored);
    expect(report.outcome).toBe('not_modified');
    expect(await getSource(env.DB, s.id)).toMatchObject({ etag: stored.etag, itemCount: stored.itemCount, lastOutcome: 'not_modified' });
    expect((await get(`/sources/${s.id}/feed.json`)).headers.get('etag')).toBe(etag);
  });

  it('a real feed served as text/html, or with a charset contradicting its declaration, still parses', async () => {
    const html = await source('/corpus/15-xss-rss.xml?ct=text/html');
    expect((await refreshSource(env, html)).outcome).toBe('ok');
    const latin = await source(
      `/corpus/07-utf8-bom-declared-windows-1251.xml?ct=${encodeURIComponent('application/xml; charset=iso-8859-1')}`,
    );
    expect((await refreshSource(env, latin)).outcome).toBe('ok');
  });

  it('the byte cap stops a gzip bomb in a refresh and nothing is stored', async () => {
    const s = await source('/gzip-bomb');
    const report = await refreshSource(env, s);
    expect(report).toMatchObject({ outcome: 'error', errorKind: 'too_large' });
    expect((await getSource(env.DB, s.id))!.itemCount).toBe(0);
  });
});
