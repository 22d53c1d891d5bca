// Subscriber counts (src/stats/): counts read from aggregators' User-Agents, distinct direct
// clients a day from a hash under a daily key (no address stored), recorded in the background in
// batches; GET /api/stats and the /stats page behind a signed session cookie with CSRF checks.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { countRead, DAY_MS, dayOf } from '../../src/stats/recorder';
import { compactSubscriberCounts } from '../../src/stats/stats';
import { MAX_IDS_PER_READER, MAX_OTHER_ROWS, MAX_REPORTED_PER_FEED, OTHER_MAX, readerInfo } from '../../src/stats/user-agent';
import { ADMIN_TOKEN, BEARER, check, SITE } from '../support/worker';

/** Requests straight to the app with an execution context whose background work a test can await. */
function harness() {
  const background: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p), passThroughOnException() {}, props: {} };
  const request = (path: string, init: RequestInit = {}) =>
    app.request(new URL(path, SITE).href, init, env, ctx as unknown as ExecutionContext);
  return { ctx, background, request, settle: () => Promise.all(background.splice(0)) };
}
type Stats = {
  days: number;
  feeds: {
    url: string;
    subscribers: number;
    readers: { name: string; kind: string; subscribers: number }[];
    daily: { date: string; subscribers: number; direct: number; reported: number }[];
  }[];
};
const stats = async (query = '') => (await (await app.request(`${SITE}/api/stats${query}`, { headers: BEARER }, env)).json()) as Stats;

describe('reading the User-Agent', () => {
  // Shapes as the readers send them (feed ids and sites made up).
  const CASES: [string, { reader: string; subscribers: number | null; feedId: string | null }][] = [
    [
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; feed-id=9f3c1a)',
      { reader: 'Feedly', subscribers: 462, feedId: '9f3c1a' },
    ],
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1 subscriber; )', { reader: 'Feedly', subscribers: 1, feedId: null }],
    ['Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)', { reader: 'Inoreader', subscribers: 114, feedId: null }],
    [
      'NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/some-blog ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15")',
      { reader: 'NewsBlur', subscribers: 27, feedId: '7704055' },
    ],
    ['Feedbin feed-id:1697787 - 102 subscribers', { reader: 'Feedbin', subscribers: 102, feedId: '1697787' }],
    [
      'Mozilla/5.0 (compatible; theoldreader.com; 3 subscribers; feed-id=cead6c3a837650eeefd8fe4a)',
      { reader: 'The Old Reader', subscribers: 3, feedId: 'cead6c3a837650eeefd8fe4a' },
    ],
    [
      'Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)',
      { reader: 'BazQux', subscribers: 1, feedId: null },
    ],
    [
      'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; 12 subscribers)',
      { reader: 'Feedspot', subscribers: 12, feedId: null },
    ],
    ['Newsify Feed Fetcher (+http://newsify.co; 4 subscribers)', { reader: 'Newsify', subscribers: 4, feedId: null }],
    [
      'Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/x_feed/; 2 readers)',
      { reader: 'Dreamwidth', subscribers: 2, feedId: null },
    ],
    [
      'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 1,167 subscribers; feed-id=123)',
      { reader: 'Google Feedfetcher', subscribers: 1167, feedId: '123' },
    ],
    [
      'Mozilla/5.0 (X11; rv:1.2.1; Rojo 1.0; Aggregating on behalf of 3 subscriber(s) online at http://www.rojo.com/?feed-id=9)',
      { reader: 'Rojo', subscribers: 3, feedId: '9' },
    ],
    ['YahooFeedSeeker/2.0 (compatible; Mozilla 4.0; MSIE 5.5; users 5; views 20)', { reader: 'Yahoo', subscribers: 5, feedId: null }],
    // Unknown aggregators: the count is read all the same, the name from the product token.
    ['Kinjabot (; 1 Readers)', { reader: 'Kinjabot', subscribers: 1, feedId: null }],
    [
      'Mozilla/5.0 (compatible; SomeReader/3.1; +https://somereader.example; 77 subscribers)',
      { reader: 'SomeReader', subscribers: 77, feedId: null },
    ],
    // Direct clients: no count.
    ['NetNewsWire (RSS Reader; https://netnewswire.com/)', { reader: 'NetNewsWire', subscribers: null, feedId: null }],
    ['curl/8.5.0', { reader: 'curl', subscribers: null, feedId: null }],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
      { reader: 'Browser', subscribers: null, feedId: null },
    ],
    ['', { reader: 'unknown', subscribers: null, feedId: null }],
    ['Feedly/1.0 (999999999999 subscribers)', { reader: 'Feedly', subscribers: null, feedId: null }],
    // More than the reader could plausibly have for one feed: not believed, one direct client.
    [
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 5000001 subscribers; feed-id=1)',
      { reader: 'Feedly', subscribers: null, feedId: null },
    ],
    [
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 5000000 subscribers; feed-id=1)',
      { reader: 'Feedly', subscribers: 5_000_000, feedId: '1' },
    ],
    [
      'NewsBlur Feed Fetcher - 100,001 subscribers - https://www.newsblur.com/site/1/x',
      { reader: 'NewsBlur', subscribers: null, feedId: null },
    ],
    ['Mozilla/5.0 (compatible; SomeReader/3.1; 1001 subscribers)', { reader: 'SomeReader', subscribers: null, feedId: null }],
    ['NetNewsWire (RSS Reader; 5000 subscribers)', { reader: 'NetNewsWire', subscribers: null, feedId: null }],
  ];
  it.each(CASES)('%s', (ua, want) => expect(readerInfo(ua)).toEqual(want));
});

describe('counting feed reads', () => {
  it('counts in the background, in one batch per isolate: aggregators by their counts, direct clients once a day each', async () => {
    const { request, settle } = harness();
    const read = (ua: string, ip: string, headers: Record<string, string> = {}) =>
      request('/tags/tech/feed.xml', { headers: { 'user-agent': ua, 'cf-connecting-ip': ip, ...headers } });
    const first = await read('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 40 subscribers; feed-id=a)', '198.51.100.1');
    await read('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; feed-id=a)', '198.51.100.2');
    await read('Feedly/1.0 (+http://www.feedly.com/fetcher.html; 8 subscribers; feed-id=b)', '198.51.100.3');
    await read('Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)', '198.51.100.4');
    await read('NetNewsWire (RSS Reader; https://netnewswire.com/)', '203.0.113.7');
    await read('NetNewsWire (RSS Reader; https://netnewswire.com/)', '203.0.113.8');
    // The same client again, revalidating: still one.
    const again = await read('NetNewsWire (RSS Reader; https://netnewswire.com/)', '203.0.113.7', {
      'if-none-match': first.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
    await read('curl/8.5.0', '203.0.113.7');
    // Not feed reads: a page, a problem.
    await request('/tags/tech/', { headers: { 'user-agent': 'curl/8.5.0', 'cf-connecting-ip': '203.0.113.99' } });
    await request('/tags/nope/feed.xml', { headers: { 'user-agent': 'curl/8.5.0', 'cf-connecting-ip': '203.0.113.99' } });

    // Every read waits in the isolate's buffer: nothing is in D1 before the flush.
    expect((await stats()).feeds.find((f) => f.url === `${SITE}/tags/tech/feed.xml`)).toBeUndefined();
    await settle();

    const feed = (await stats()).feeds.find((f) => f.url === `${SITE}/tags/tech/feed.xml`)!;
    expect(feed.readers).toEqual([
      { name: 'Inoreader', kind: 'reported', subscribers: 114 },
      { name: 'Feedly', kind: 'reported', subscribers: 50 },
      { name: 'NetNewsWire', kind: 'direct', subscribers: 2 },
      { name: 'curl', kind: 'direct', subscribers: 1 },
    ]);
    expect(feed.subscribers).toBe(167);
    expect(feed.daily).toHaveLength(30);
    expect(feed.daily.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), subscribers: 167, direct: 3, reported: 164 });
    expect(feed.daily[0]).toMatchObject({ subscribers: 0 });
    expect((await stats()).feeds.map((f) => f.url)).not.toContain(`${SITE}/tags/tech/`);

    // No address is stored anywhere: direct clients are 128-bit hashes.
    const { results } = await env.DB.prepare("SELECT * FROM feed_subscribers WHERE feed = '/tags/tech/feed.xml'").all<
      Record<string, unknown>
    >();
    expect(JSON.stringify(results)).not.toMatch(/203\.0\.113|198\.51\.100/);
    expect(results.filter((r) => r.kind === 'direct').map((r) => r.client)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{32}$/)]),
    );
  });

  it('the same client hashes differently each day; past days become plain numbers; old keys are deleted', async () => {
    const { ctx, settle } = harness();
    const now = Date.now();
    const client = { feed: '/days/feed.xml', address: '192.0.2.1', userAgent: 'Reeder/5.0' };
    const flushes = [3, 2, 0].map((back) => countRead(env.DB, ctx, { ...client, at: now - back * DAY_MS }));
    flushes.push(countRead(env.DB, ctx, { ...client, address: '192.0.2.2', at: now - 3 * DAY_MS }));
    // One buffer, one flush, one D1 batch for all of them.
    expect(new Set(flushes).size).toBe(1);
    await settle();
    const rows = async () =>
      (
        await env.DB.prepare("SELECT day, client, count FROM feed_subscribers WHERE feed = '/days/feed.xml' ORDER BY day, client").all<{
          day: number;
          client: string;
          count: number;
        }>()
      ).results;
    const before = await rows();
    expect(before).toHaveLength(4);
    expect(new Set(before.map((r) => r.client)).size).toBe(4);
    const keyDays = async () =>
      (await env.DB.prepare('SELECT day FROM subscriber_keys ORDER BY day').all<{ day: number }>()).results.map((k) => k.day);

    await compactSubscriberCounts(env, now);
    // Once the days before yesterday are compacted, their keys are gone: nothing can be linked back.
    expect(await keyDays()).toEqual([dayOf(now)]);
    expect(await rows()).toEqual([
      { day: dayOf(now) - 3, client: 'direct:Reeder', count: 2 },
      { day: dayOf(now) - 2, client: 'direct:Reeder', count: 1 },
      { day: dayOf(now), client: before.at(-1)!.client, count: 1 },
    ]);
    const feed = (await stats('?days=5')).feeds.find((f) => f.url === `${SITE}/days/feed.xml`)!;
    expect(feed.daily.map((d) => d.subscribers)).toEqual([0, 2, 1, 0, 1]);
  });

  it('forged aggregator User-Agents cannot inflate a feed without limit: counts, feed-ids, reader names and the total are bounded', async () => {
    const { ctx, settle } = harness();
    const now = Date.now();
    const feed = '/forged/feed.xml';
    const read = (userAgent: string, i: number) => countRead(env.DB, ctx, { feed, address: `198.51.100.${i % 250}`, userAgent, at: now });
    // The reported attack: 600 anonymous reads, each claiming 99 million subscribers under a new feed-id.
    for (let i = 0; i < 600; i++) read(`Feedly/1.0 (+http://www.feedly.com/fetcher.html; 99000000 subscribers; feed-id=${i})`, i);
    await settle();
    // Not believable for Feedly: each is one direct client, and no reported row is written.
    let stat = (await stats()).feeds.find((f) => f.url === `${SITE}${feed}`)!;
    expect(stat.readers).toEqual([{ name: 'Feedly', kind: 'direct', subscribers: 600 }]);
    expect(stat.subscribers).toBe(600);

    // Believable counts under many forged ids, and under many made-up reader names.
    for (let i = 0; i < 200; i++) read(`Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${4_000_000 + i} subscribers; feed-id=f${i})`, i);
    for (let i = 0; i < 200; i++) read(`Mozilla/5.0 (compatible; Inoreader; ${900_000 + i} subscribers; feed-id=${i})`, i);
    for (let i = 0; i < 200; i++) read(`Mozilla/5.0 (compatible; Reader${i}/1.0; ${OTHER_MAX} subscribers)`, i);
    // An aggregator of the list not named above may claim up to its own maximum: 100,000.
    for (let i = 0; i < 50; i++) read(`NewsBlur Feed Fetcher - ${99_000 + i} subscribers - https://www.newsblur.com/site/${i}/x`, i);
    await settle();

    const { results } = await env.DB.prepare(
      "SELECT reader, count(*) AS n, sum(count) AS total FROM feed_subscribers WHERE feed = ?1 AND kind = 'reported' GROUP BY reader",
    )
      .bind(feed)
      .all<{ reader: string; n: number; total: number }>();
    const rows = Object.fromEntries(results.map((r) => [r.reader, r]));
    // At most three feed-ids per aggregator a day, the largest counts kept.
    expect(rows.Feedly).toEqual({ reader: 'Feedly', n: MAX_IDS_PER_READER, total: 4_000_199 + 4_000_198 + 4_000_197 });
    expect(rows.Inoreader!.n).toBe(MAX_IDS_PER_READER);
    expect(rows.NewsBlur!.n).toBe(MAX_IDS_PER_READER);
    // Every other reader's reports share five rows a day.
    expect(results.filter((r) => !['Feedly', 'Inoreader', 'NewsBlur'].includes(r.reader)).reduce((n, r) => n + r.n, 0)).toBe(
      MAX_OTHER_ROWS,
    );

    stat = (await stats()).feeds.find((f) => f.url === `${SITE}${feed}`)!;
    const reported = Object.fromEntries(stat.readers.filter((r) => r.kind === 'reported').map((r) => [r.name, r.subscribers]));
    // An aggregator's ids add up to no more than its maximum.
    expect(reported.Feedly).toBe(5_000_000);
    expect(reported.Inoreader).toBe(1_000_000);
    expect(reported.NewsBlur).toBe(100_000);
    expect(stat.readers.filter((r) => r.kind === 'reported')).toHaveLength(3 + MAX_OTHER_ROWS);
    expect(stat.subscribers).toBe(600 + 5_000_000 + 1_000_000 + 100_000 + MAX_OTHER_ROWS * OTHER_MAX);
    expect(stat.daily.at(-1)).toMatchObject({ subscribers: stat.subscribers, direct: 600 });
    expect(stat.subscribers).toBeLessThanOrEqual(600 + MAX_REPORTED_PER_FEED);
  });

  it('a feed is credited at most MAX_REPORTED_PER_FEED reported subscribers a day, also from rows stored before the bounds', async () => {
    const now = Date.now();
    const insert = env.DB.prepare(
      "INSERT INTO feed_subscribers (feed, day, client, kind, reader, count, seen_at) VALUES ('/old/feed.xml', ?1, ?2, 'reported', ?3, ?4, ?5)",
    );
    const big = ['Feedly', 'Inoreader', 'Google Feedfetcher', 'Netvibes'];
    await env.DB.batch(
      big.flatMap((name) => Array.from({ length: 100 }, (_, i) => insert.bind(dayOf(now), `reported:${name}:${i}`, name, 99_000_000, now))),
    );
    // Rows of readers not on the list, each under its own made-up name.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
       INSERT INTO feed_subscribers (feed, day, client, kind, reader, count, seen_at)
       SELECT '/old/feed.xml', ?1, 'reported:Made' || i || ':', 'reported', 'Made' || i, 99000000, ?2 FROM n`,
    )
      .bind(dayOf(now), now)
      .run();
    const stat = (await stats()).feeds.find((f) => f.url === `${SITE}/old/feed.xml`)!;
    expect(stat.readers.find((r) => r.name === 'Feedly')!.subscribers).toBe(5_000_000);
    expect(stat.readers.find((r) => r.name === 'Made1')!.subscribers).toBe(OTHER_MAX);
    expect(stat.subscribers).toBe(MAX_REPORTED_PER_FEED);
    expect(stat.daily.at(-1)).toMatchObject({ subscribers: MAX_REPORTED_PER_FEED, reported: MAX_REPORTED_PER_FEED });
  });

  it('GET /api/stats needs the token and a sensible ?days', async () => {
    expect((await app.request(`${SITE}/api/stats`, {}, env)).status).toBe(401);
    const bad = await app.request(`${SITE}/api/stats?days=0`, { headers: BEARER }, env);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('days');
  });
});

describe('the /stats page', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: SITE };
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

  it('signs in with the token for a signed HttpOnly, Secure, SameSite=Strict cookie, shows the counts with an SVG chart, signs out', async (tctx) => {
    const { request, settle } = harness();
    await request('/feed.xml', {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; inoreader.com; 9 subscribers)', 'cf-connecting-ip': '192.0.2.9' },
    });
    await settle();

    const signIn = await request('/stats');
    expect(signIn.status).toBe(200);
    const form = await signIn.text();
    expect(form).toContain('action="/stats/sign-in"');
    expect(JSON.parse((await check(tctx, 'html5', form)).output)).toEqual([]);
    const csrf = csrfOf(form);

    // hono/csrf: a post from another site (or with no Origin at all) is refused.
    const body = new URLSearchParams({ csrf, token: ADMIN_TOKEN }).toString();
    expect((await request('/stats/sign-in', { method: 'POST', headers: { ...FORM, origin: 'https://evil.example' }, body })).status).toBe(
      403,
    );
    // The per-form token: missing or forged is refused.
    const forged = new URLSearchParams({ csrf: `${Date.now() + 1000}.${'0'.repeat(64)}`, token: ADMIN_TOKEN }).toString();
    expect((await request('/stats/sign-in', { method: 'POST', headers: FORM, body: forged })).status).toBe(403);
    const wrong = await request('/stats/sign-in', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ csrf, token: 'not-the-token-at-all' }).toString(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await request('/stats/sign-in', { method: 'POST', headers: FORM, body });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/stats');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-syndicate-session=/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const page = await request('/stats', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain(`${SITE}/feed.xml`);
    expect(html).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect(html).toContain('<td>Inoreader</td>');
    expect(html).not.toMatch(/<script/i);
    expect(JSON.parse((await check(tctx, 'html5', html)).output)).toEqual([]);
    // The page's style sheets are exactly the ones the CSP allows.
    const csp = page.headers.get('content-security-policy')!;
    for (const [, sheet] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sheet)));
      expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
    }

    // A cookie signed by anyone else is no session.
    const tampered = cookie.replace(/=([0-9a-f])/, (_m, c: string) => `=${c === 'a' ? 'b' : 'a'}`);
    expect(await (await request('/stats', { headers: { cookie: tampered } })).text()).toContain('action="/stats/sign-in"');

    // Sign-out needs its own form's token.
    const signOutCsrf = csrfOf(html);
    expect(
      (await request('/stats/sign-out', { method: 'POST', headers: { ...FORM, cookie }, body: new URLSearchParams({ csrf }).toString() }))
        .status,
    ).toBe(403);
    const out = await request('/stats/sign-out', {
      method: 'POST',
      headers: { ...FORM, cookie },
      body: new URLSearchParams({ csrf: signOutCsrf }).toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-syndicate-session=; Max-Age=0/);
  });

  /** Signs in through the form; the session cookie (name=value). */
  async function signIn(request: ReturnType<typeof harness>['request']): Promise<string> {
    const csrf = csrfOf(await (await request('/stats')).text());
    const ok = await request('/stats/sign-in', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ csrf, token: ADMIN_TOKEN }).toString(),
    });
    expect(ok.status).toBe(303);
    return ok.headers.get('set-cookie')!.split(';')[0]!;
  }
  const signedIn = async (request: ReturnType<typeof harness>['request'], cookie: string) =>
    !(await (await request('/stats', { headers: { cookie } })).text()).includes('action="/stats/sign-in"');

  it('sign-out ends the session on the server: the same cookie replayed afterwards is no session; other sessions stay', async () => {
    const { request } = harness();
    const cookie = await signIn(request);
    const other = await signIn(request);
    expect(await signedIn(request, cookie)).toBe(true);
    const csrf = csrfOf(await (await request('/stats', { headers: { cookie } })).text());
    const out = await request('/stats/sign-out', {
      method: 'POST',
      headers: { ...FORM, cookie },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(out.status).toBe(303);

    // The browser forgets the cookie; a copy kept from before (still signed, not expired) is worthless.
    expect(await signedIn(request, cookie)).toBe(false);
    expect(await signedIn(request, other)).toBe(true);
    // D1 keeps a hash of the session id, never the id the cookie carries.
    const { results } = await env.DB.prepare('SELECT id FROM admin_sessions').all<{ id: string }>();
    const id = decodeURIComponent(other.split('=')[1]!).split('.')[0]!;
    expect(results.length).toBeGreaterThan(0);
    expect(JSON.stringify(results)).not.toContain(id);
  });

  it('expired sessions are no sessions, and their rows are deleted by the next sign-in', async () => {
    const { request } = harness();
    await env.DB.prepare('INSERT INTO admin_sessions (id, expires_at) VALUES (?1, ?2), (?3, ?4)')
      .bind('a'.repeat(64), Date.now() - 1, 'b'.repeat(64), Date.now() - 3_600_000)
      .run();
    const cookie = await signIn(request);
    const ids = (await env.DB.prepare('SELECT id FROM admin_sessions').all<{ id: string }>()).results.map((r) => r.id);
    expect(ids).not.toContain('a'.repeat(64));
    expect(ids).not.toContain('b'.repeat(64));
    // A live cookie whose row has expired (the row is the server's word) is no session either.
    await env.DB.prepare('UPDATE admin_sessions SET expires_at = ?1')
      .bind(Date.now() - 1)
      .run();
    expect(await signedIn(request, cookie)).toBe(false);
  });
});
