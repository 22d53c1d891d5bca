// The site's own WebSub hub (src/push/, docs/push.md) against subscribers the stub server runs on
// 127.0.0.1 (tests/setup/subscriber.ts, which checks every signature with Node's crypto). Each
// MUST of the W3C WebSub Recommendation's hub sections (§5.1 to §7.1) has a test here, named
// after it. Requests go through the app and the real push queue, as in production.
import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../../src';
import {
  CALLBACK_TIMEOUT_MS,
  DEFAULT_LEASE_SECONDS,
  HUB_DELIVERY_ATTEMPTS,
  MAX_LEASE_SECONDS,
  MAX_SUBSCRIPTIONS_PER_HOST,
  MAX_SUBSCRIPTIONS_PER_TOPIC,
  MIN_LEASE_SECONDS,
} from '../../src/push/limits';
import { listHubSubscriptions } from '../../src/push/hub-subscriptions';
import { insertPost, SITE } from '../support/worker';
import { configure, consume, hubRequest, publish, type ReceiverConfig, received, receiver, until } from './push-helpers';

type Row = {
  id: number;
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  verified_at: number;
  expires_at: number;
};
const rowOf = (callback: string) =>
  env.DB.prepare('SELECT * FROM hub_subscriptions WHERE callback = ?1').bind(callback).first<Row & Record<string, unknown>>();

let tags = 0;
/** A tag feed of its own for one test (its first post makes it exist), and its topic URLs. */
async function tagFeed(): Promise<{ slug: string; rss: string; atom: string; json: string; summary: string }> {
  const slug = `hub-topic-${++tags}`;
  await insertPost({
    id: `urn:uuid:00000000-0000-4000-8000-0000000d${String(tags).padStart(4, '0')}`,
    slug: `${slug}-first`,
    title: `First of ${slug}`,
    publishedAt: Date.UTC(2020, 0, 1) + tags * 60_000,
    tags: [[slug, slug]],
  });
  const base = `${SITE}/tags/${slug}/`;
  return { slug, rss: `${base}feed.xml`, atom: `${base}atom.xml`, json: `${base}feed.json`, summary: `${base}feed.xml?content=summary` };
}

/** Subscribes a new receiver to `topic` through the hub and waits until the subscription is stored. */
async function subscribed(topic: string, config: ReceiverConfig = {}, params: Record<string, string> = {}, query = '') {
  const r = await receiver('sub', config, query);
  const res = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': r.url, ...params });
  expect(res.status, await res.clone().text()).toBe(202);
  const row = await until(
    () => rowOf(r.url),
    (row) => row !== null,
  );
  return { ...r, row: row! };
}

const deliveries = async (name: string) => (await received(name)).posts;

// Every test leaves no subscription behind: a hostile one would slow the deliveries of the next.
afterEach(async () => {
  await env.DB.exec('DELETE FROM hub_subscriptions');
});

describe('end to end: discovery, subscription, verification, distribution', () => {
  it('a subscriber finds the hub on /feed.xml, subscribes, is verified, and gets the new document, signed, within seconds of a publish', async () => {
    const feed = await SELF.fetch(`${SITE}/feed.xml`);
    const links = Object.fromEntries(
      [...(feed.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)].map(([, url, rel]) => [rel, url] as const),
    );
    expect(links).toEqual({ hub: `${SITE}/hub`, self: `${SITE}/feed.xml` });
    expect(await feed.text()).toContain(`<atom:link href="${SITE}/hub" rel="hub"/>`);

    const secret = 'a secret the subscriber chose';
    const r = await receiver('e2e', { hubSecret: secret });
    const res = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': links.self!, 'hub.callback': r.url, 'hub.secret': secret });
    expect(res.status).toBe(202);
    const [verification] = (
      await until(
        () => received(r.name),
        (l) => l.gets.length > 0,
      )
    ).gets;
    expect(verification!.query).toMatchObject({ 'hub.mode': 'subscribe', 'hub.topic': `${SITE}/feed.xml` });
    await until(
      () => rowOf(r.url),
      (row) => row !== null,
    );

    const publishedAt = Date.now();
    const post = await publish({ title: 'Pushed within seconds' });
    const [delivery] = await until(
      () => deliveries(r.name),
      (posts) => posts.length > 0,
    );
    expect(delivery!.at - publishedAt).toBeLessThan(10_000);
    expect(delivery!.hubSignature).toBe('valid');
    expect(delivery!.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(delivery!.headers.link).toBe(`<${SITE}/hub>; rel="hub", <${SITE}/feed.xml>; rel="self"`);
    expect(delivery!.body).toContain(post.title);
    expect(delivery!.body).toBe(await (await SELF.fetch(`${SITE}/feed.xml`)).text());
  });
});

describe('§5.1 subscriber sends subscription request', () => {
  it('accepts hub.callback, hub.mode and hub.topic with 202, and verifies afterwards', async () => {
    const feed = await tagFeed();
    const { row } = await subscribed(feed.rss);
    expect(row).toMatchObject({ topic: feed.rss, secret: null, lease_seconds: DEFAULT_LEASE_SECONDS });
  });

  it('accepts hub.secret and ignores parameters it does not understand', async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss, {}, { 'hub.secret': 's3cret', 'hub.verify': 'sync', 'x-anything': '1' });
    expect(sub.row.secret).toBe('s3cret');
    // What the console lists: the subscription, signed, and never its secret.
    const listed = await listHubSubscriptions(env);
    expect(listed).toContainEqual(expect.objectContaining({ topic: feed.rss, callback: sub.url, signed: true, delivered: 0 }));
    expect(JSON.stringify(listed)).not.toContain('s3cret');
  });

  it('answers an unusable request with a 4xx and a plain-text reason', async () => {
    const feed = await tagFeed();
    const r = await receiver('bad');
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ 'hub.topic': feed.rss, 'hub.callback': r.url }, 400, /hub\.mode/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': feed.rss }, 400, /hub\.callback is required/],
      [{ 'hub.mode': 'subscribe', 'hub.callback': r.url }, 400, /hub\.topic is required/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': 'ftp://example.com/x' }, 400, /http or https/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url, 'hub.lease_seconds': '-5' }, 400, /lease_seconds/],
      [{ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url, 'hub.secret': 'x'.repeat(200) }, 400, /hub\.secret/],
      [{ 'hub.mode': 'publish', 'hub.url': feed.rss }, 400, /no publish requests/],
    ];
    for (const [params, status, reason] of cases) {
      const res = await hubRequest(params);
      expect(res.status, JSON.stringify(params)).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(reason);
    }
    // A secret of 199 bytes is fine (it must be less than 200).
    const ok = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url, 'hub.secret': 'x'.repeat(199) });
    expect(ok.status).toBe(202);
    const form = await SELF.fetch(`${SITE}/hub`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(form.status).toBe(415);
    const huge = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url, pad: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
  });

  it('lets a subscriber re-request an active subscription: the new lease and secret replace the old once verified', async () => {
    const feed = await tagFeed();
    const first = await subscribed(feed.rss, {}, { 'hub.secret': 'old', 'hub.lease_seconds': '7200' });
    expect(
      await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': first.url, 'hub.lease_seconds': '86400' }),
    ).toHaveProperty('status', 202);
    const renewed = await until(
      () => rowOf(first.url),
      (row) => row?.lease_seconds === 86400,
    );
    expect(renewed).toMatchObject({ id: first.row.id, secret: null });
    expect(renewed!.expires_at).toBe(renewed!.verified_at + 86400 * 1000);
    expect(renewed!.verified_at).toBeGreaterThan(first.row.verified_at);
  });

  it('leaves the subscription unchanged when a re-request fails verification', async () => {
    const feed = await tagFeed();
    const first = await subscribed(feed.rss, {}, { 'hub.secret': 'kept', 'hub.lease_seconds': '7200' });
    await configure(first.name, { verify: 'wrong' });
    await hubRequest({
      'hub.mode': 'subscribe',
      'hub.topic': feed.rss,
      'hub.callback': first.url,
      'hub.secret': 'new',
      'hub.lease_seconds': '86400',
    });
    await until(
      () => received(first.name),
      (log) => log.gets.length === 2,
    );
    await settle();
    expect(await rowOf(first.url)).toEqual(first.row);
  });

  it('decodes percent-encoded unreserved characters of hub.topic and hub.callback', async () => {
    const feed = await tagFeed();
    const r = await receiver('encoded');
    const encodedCallback = r.url.replace(/encoded-/, '%65ncoded%2D');
    const encodedTopic = feed.rss.replace(/feed\.xml$/, '%66eed%2Exml');
    expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': encodedTopic, 'hub.callback': encodedCallback })).status).toBe(202);
    const row = await until(
      () => rowOf(r.url),
      (row) => row !== null,
    );
    expect(row).toMatchObject({ topic: feed.rss, callback: r.url });
  });

  it("preserves the callback's query string, appending the hub's parameters with &", async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss, {}, {}, '?id=42&token=a%20b');
    const [get] = (await received(sub.name)).gets;
    expect(get!.url).toMatch(new RegExp(`^/receiver/${sub.name}\\?id=42&token=a%20b&hub\\.mode=subscribe&`));
    await publish({ title: 'Query kept', tags: [feed.slug] });
    const [post] = await until(
      () => deliveries(sub.name),
      (posts) => posts.length > 0,
    );
    expect(post!.url).toBe(`/receiver/${sub.name}?id=42&token=a%20b`);
  });
});

describe('§5.1.2 subscription response details', () => {
  it('answers 202 whatever the verification will bring: a callback that refuses gets 202, and no subscription', async () => {
    const feed = await tagFeed();
    const r = await receiver('refuses', { verify: '404' });
    expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url })).status).toBe(202);
    await until(
      () => received(r.name),
      (log) => log.gets.length === 1,
    );
    await settle();
    expect(await rowOf(r.url)).toBeNull();
  });

  it('refuses callbacks the Worker may not request, with 400', async () => {
    const feed = await tagFeed();
    for (const callback of [
      'http://10.0.0.1/cb',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/cb',
      'http://user:pw@example.com/cb',
    ]) {
      const res = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': callback });
      expect(res.status, callback).toBe(400);
      expect(await res.text()).toMatch(/^hub\.callback /);
    }
  });

  it('refuses a subscription over the limit per topic or per callback host, with 403', async () => {
    const feed = await tagFeed();
    const far = Date.now() + 86_400_000;
    const fill = (topic: string, host: (i: string) => string, count: number) =>
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
         INSERT INTO hub_subscriptions (topic, callback, callback_host, lease_seconds, verified_at, expires_at)
         SELECT ?1, 'https://' || ${host('i')} || '/cb/' || i, ${host('i')}, 3600, ?2, ?2 + 3600000 FROM n`,
      )
        .bind(topic, far - 3_600_000, count)
        .run();
    // One subscription short of the limit, and one of a receiver here, which will renew.
    await fill(feed.rss, (i) => `'h' || ${i} || '.example'`, MAX_SUBSCRIPTIONS_PER_TOPIC - 1);
    const renewing = await subscribed(feed.rss);
    const r = await receiver('limited');
    const full = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url });
    expect(full.status).toBe(403);
    expect(await full.text()).toMatch(`has ${MAX_SUBSCRIPTIONS_PER_TOPIC} subscriptions`);
    // A live pair may always renew; another topic is fine.
    expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': renewing.url })).status).toBe(202);
    expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.atom, 'hub.callback': r.url })).status).toBe(202);
    await until(
      () => received(renewing.name),
      (log) => log.gets.length === 2,
    );
    await env.DB.exec('DELETE FROM hub_subscriptions');

    const host = new URL(r.url).host;
    await fill(feed.json, () => `'${host}'`, MAX_SUBSCRIPTIONS_PER_HOST);
    const crowded = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url });
    expect(crowded.status).toBe(403);
    expect(await crowded.text()).toMatch(`Callbacks on ${host} hold ${MAX_SUBSCRIPTIONS_PER_HOST} subscriptions`);
    await until(
      () => received(r.name),
      (log) => log.gets.length === 1,
    );
  });
});

describe('§5.2 subscription validation: a topic this hub does not serve is denied', () => {
  it('sends the denial to the callback (hub.mode=denied, hub.topic, hub.reason) and stores nothing', async () => {
    const feed = await tagFeed();
    const topics = [
      ['https://elsewhere.example/feed.xml', /not a feed of/],
      [`${SITE}/tags/no-such-tag-anywhere/feed.xml`, /answers 404/],
      [`${feed.rss}?limit=5`, /does not advertise this hub/],
      [`${SITE}/tags/${feed.slug}/archive/1/feed.xml`, /answers 404|does not advertise this hub/],
      [`${feed.rss}?content=summary&x=1`, /rel="self" URL: .*content=summary$/],
      [`${SITE}/about/`, /does not advertise this hub|answers/],
    ] as const;
    for (const [topic, reason] of topics) {
      const r = await receiver('denied', {}, '?keep=1');
      expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': r.url })).status, topic).toBe(202);
      const [get] = (
        await until(
          () => received(r.name),
          (log) => log.gets.length === 1,
        )
      ).gets;
      expect(get!.query, topic).toMatchObject({ keep: '1', 'hub.mode': 'denied', 'hub.topic': topic });
      expect(get!.query['hub.reason']).toMatch(reason);
      expect(get!.query['hub.challenge']).toBeUndefined();
      expect(await rowOf(r.url)).toBeNull();
    }
  });
});

describe('§5.3 hub verifies intent of the subscriber', () => {
  it('sends a GET with hub.mode, hub.topic, a fresh random hub.challenge and hub.lease_seconds', async () => {
    const feed = await tagFeed();
    const first = await subscribed(feed.summary);
    const second = await subscribed(feed.summary);
    const [a] = (await received(first.name)).gets;
    const [b] = (await received(second.name)).gets;
    for (const get of [a!, b!]) {
      expect(Object.keys(get.query).sort()).toEqual(['hub.challenge', 'hub.lease_seconds', 'hub.mode', 'hub.topic']);
      expect(get.query).toMatchObject({
        'hub.mode': 'subscribe',
        'hub.topic': feed.summary,
        'hub.lease_seconds': String(DEFAULT_LEASE_SECONDS),
      });
      expect(get.query['hub.challenge']!.length).toBeGreaterThanOrEqual(32);
    }
    expect(a!.query['hub.challenge']).not.toBe(b!.query['hub.challenge']);
  });

  it('grants a lease within its bounds, counted from the verification request, never a perpetual one', async () => {
    const feed = await tagFeed();
    for (const [asked, granted] of [
      ['7200', 7200],
      ['1', MIN_LEASE_SECONDS],
      ['999999999999', MAX_LEASE_SECONDS],
    ] as const) {
      const before = Date.now();
      const sub = await subscribed(feed.rss, {}, { 'hub.lease_seconds': asked });
      const [get] = (await received(sub.name)).gets;
      expect(get!.query['hub.lease_seconds']).toBe(String(granted));
      expect(sub.row.lease_seconds).toBe(granted);
      expect(sub.row.verified_at).toBeGreaterThanOrEqual(before);
      expect(sub.row.verified_at).toBeLessThanOrEqual(get!.at);
      expect(sub.row.expires_at).toBe(sub.row.verified_at + granted * 1000);
    }
  });

  it('verifies only a 2xx whose body is the challenge: a wrong echo, 404, 500, a redirect or an endless body verify nothing', async () => {
    const feed = await tagFeed();
    const hostile = await Promise.all(
      (['wrong', '404', '500', 'redirect', 'huge'] as const).map((verify) => receiver(`refusing-${verify}`, { verify })),
    );
    for (const r of hostile)
      expect((await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url })).status).toBe(202);
    for (const r of hostile)
      await until(
        () => received(r.name),
        (log) => log.gets.length >= 1,
      );
    await settle();
    for (const r of hostile) expect(await rowOf(r.url), r.name).toBeNull();
    // The redirect was not followed.
    expect((await received(`${hostile[3]!.name}-redirected`)).gets).toEqual([]);
  });

  it('a callback that did not answer (5xx) is asked again later, with backoff; a refusal (404) is final', async () => {
    const feed = await tagFeed();
    const down = await receiver('down', { verify: '500' });
    const refuses = await receiver('no', { verify: '404' });
    const request = (callback: string) =>
      ({ kind: 'verify', mode: 'subscribe', topic: feed.rss, callback, leaseSeconds: 3600, secret: null }) as const;
    const [retried, refused] = await consume([request(down.url), request(refuses.url)]);
    expect(retried!.retryIn).toBeGreaterThanOrEqual(10);
    expect(refused).toEqual({ acked: true, retryIn: null });
    expect(await consume([request(down.url)], { attempts: 3 })).toEqual([{ acked: true, retryIn: null }]);
  });

  it('unsubscribes only once the callback confirms the unsubscription; a refused one changes nothing', async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss);
    await configure(sub.name, { verify: '404' });
    await hubRequest({ 'hub.mode': 'unsubscribe', 'hub.topic': feed.rss, 'hub.callback': sub.url });
    await until(
      () => received(sub.name),
      (log) => log.gets.length === 2,
    );
    await settle();
    expect(await rowOf(sub.url)).toEqual(sub.row);

    await configure(sub.name, { verify: 'ok' });
    expect(
      (await hubRequest({ 'hub.mode': 'unsubscribe', 'hub.topic': feed.rss, 'hub.callback': sub.url, 'hub.lease_seconds': 'ignored' }))
        .status,
    ).toBe(202);
    const gets = (
      await until(
        () => received(sub.name),
        (log) => log.gets.length === 3,
      )
    ).gets;
    expect(gets[2]!.query).toMatchObject({ 'hub.mode': 'unsubscribe', 'hub.topic': feed.rss });
    expect(gets[2]!.query['hub.lease_seconds']).toBeUndefined();
    await until(
      () => rowOf(sub.url),
      (row) => row === null,
    );

    await publish({ title: 'After the unsubscription', tags: [feed.slug] });
    await settle(3000);
    expect(await deliveries(sub.name)).toEqual([]);
  });

  it('enforces lease expiry: an expired subscription gets nothing, and the cron removes it', async () => {
    const feed = await tagFeed();
    const live = await subscribed(feed.rss);
    const expired = await subscribed(feed.rss);
    await env.DB.prepare('UPDATE hub_subscriptions SET expires_at = ?2 WHERE id = ?1')
      .bind(expired.row.id, Date.now() - 1)
      .run();
    await publish({ title: 'Only for the live one', tags: [feed.slug] });
    await until(
      () => deliveries(live.name),
      (posts) => posts.length === 1,
    );
    await settle();
    expect(await deliveries(expired.name)).toEqual([]);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await rowOf(expired.url)).toBeNull();
    expect(await rowOf(live.url)).not.toBeNull();
  });
});

describe('§7 content distribution', () => {
  it("POSTs the topic's full document with its Content-Type and Link rel=hub and rel=self, in every format and variant", async () => {
    const feed = await tagFeed();
    const topics = [feed.rss, feed.atom, feed.json, feed.summary];
    const subs = await Promise.all(topics.map((topic) => subscribed(topic)));
    await publish({ title: 'Distributed everywhere', tags: [feed.slug] });
    for (const [i, topic] of topics.entries()) {
      const [post] = await until(
        () => deliveries(subs[i]!.name),
        (posts) => posts.length === 1,
      );
      const current = await SELF.fetch(topic);
      expect(post!.headers['content-type'], topic).toBe(current.headers.get('content-type'));
      expect(post!.headers.link).toBe(`<${SITE}/hub>; rel="hub", <${topic}>; rel="self"`);
      expect(post!.body).toBe(await current.text());
      expect(post!.body).toContain('Distributed everywhere');
      expect(post!.hubSignature).toBe('absent');
    }
    // A full document, not a diff: the tag's first post is still in it.
    expect((await deliveries(subs[0]!.name))[0]!.body).toContain(`First of ${feed.slug}`);
  });

  it('signs with X-Hub-Signature: sha256=<HMAC of the body> exactly when the subscription has a secret (§7.1)', async () => {
    const feed = await tagFeed();
    const signed = await subscribed(feed.atom, { hubSecret: 'ünïcode secret' }, { 'hub.secret': 'ünïcode secret' });
    const forged = await subscribed(feed.atom, { hubSecret: 'what the subscriber expects' }, { 'hub.secret': 'what the hub was told' });
    const plain = await subscribed(feed.atom);
    await publish({ title: 'Signed delivery', tags: [feed.slug] });
    const [a] = await until(
      () => deliveries(signed.name),
      (p) => p.length === 1,
    );
    const [b] = await until(
      () => deliveries(forged.name),
      (p) => p.length === 1,
    );
    const [c] = await until(
      () => deliveries(plain.name),
      (p) => p.length === 1,
    );
    expect(a!.headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect([a!.hubSignature, b!.hubSignature, c!.hubSignature]).toEqual(['valid', 'invalid', 'absent']);
  });

  it('takes any 2xx as delivered and ignores its body, however long', async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss, { deliver: 'huge' });
    await publish({ title: 'Into an endless answer', tags: [feed.slug] });
    await until(
      () => deliveries(sub.name),
      (p) => p.length === 1,
    );
    const row = await until(
      () => rowOf(sub.url),
      (row) => row?.delivered === 1,
    );
    expect(row).toMatchObject({ failures: 0, last_status: 200, last_error: null });
  });

  it('takes every other answer as a failure, retried with backoff; the subscription stays and gets the next change', async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss, { deliver: '500' });
    const redirecting = await subscribed(feed.rss, { deliver: 'redirect' });
    const message = (s: { row: Row }) => ({ kind: 'deliver', subscriptionId: s.row.id, topic: feed.rss }) as const;
    const [failed, redirected] = await consume([message(sub), message(redirecting)]);
    expect(failed!.retryIn).toBeGreaterThanOrEqual(10);
    expect(redirected!.retryIn).toBeGreaterThanOrEqual(10);
    expect(await rowOf(sub.url)).toMatchObject({ failures: 1, last_status: 500, last_error: 'answered 500', delivered: 0 });
    expect(await rowOf(redirecting.url)).toMatchObject({
      failures: 1,
      last_status: 307,
      last_error: 'answered 307; redirects are not followed',
    });
    expect((await received(`${redirecting.name}-redirected`)).posts).toEqual([]);
    // The hub's own limit: the last attempt is not retried, and the subscription stays.
    expect(await consume([message(sub)], { attempts: HUB_DELIVERY_ATTEMPTS })).toEqual([{ acked: true, retryIn: null }]);
    expect(await rowOf(sub.url)).toMatchObject({ failures: 2 });

    await configure(sub.name, { deliver: 'ok' });
    await publish({ title: 'The next change', tags: [feed.slug] });
    await until(
      () => deliveries(sub.name),
      (posts) => posts.some((p) => p.body.includes('The next change')),
    );
    expect(
      await until(
        () => rowOf(sub.url),
        (row) => row?.delivered === 1,
      ),
    ).toMatchObject({ failures: 0, last_status: 204 });
  });

  it('ends the subscription when the callback answers 410 Gone', async () => {
    const feed = await tagFeed();
    const sub = await subscribed(feed.rss, { deliver: '410' });
    await publish({ title: 'Gone subscriber', tags: [feed.slug] });
    await until(
      () => deliveries(sub.name),
      (p) => p.length === 1,
    );
    await until(
      () => rowOf(sub.url),
      (row) => row === null,
    );
  });
});

describe('hostile subscribers never hold up the others', () => {
  it('slow, redirecting, endless and wrong verifications: the good subscriber is verified meanwhile', async () => {
    const feed = await tagFeed();
    const hostile = await Promise.all(
      (['slow', 'redirect', 'huge', 'wrong'] as const).map((verify) => receiver(`hostile-${verify}`, { verify })),
    );
    const good = await receiver('patient');
    const started = Date.now();
    for (const r of [...hostile, good]) await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url });
    await until(
      () => rowOf(good.url),
      (row) => row !== null,
    );
    expect(Date.now() - started).toBeLessThan(CALLBACK_TIMEOUT_MS);
  });

  it('slow, endless, redirecting and failing callbacks: the good subscriber gets the delivery within seconds', {
    timeout: 90_000,
  }, async () => {
    const feed = await tagFeed();
    const hostile = await Promise.all((['slow', 'huge', 'redirect', '500'] as const).map((deliver) => subscribed(feed.rss, { deliver })));
    const good = await subscribed(feed.rss);
    const started = Date.now();
    await publish({ title: 'Not held up', tags: [feed.slug] });
    await until(
      () => deliveries(good.name),
      (p) => p.length === 1,
    );
    expect(Date.now() - started).toBeLessThan(CALLBACK_TIMEOUT_MS);
    // Every hostile one was sent the delivery too, each on its own.
    for (const sub of hostile)
      await until(
        () => deliveries(sub.name),
        (p) => p.length === 1,
      );
  });
});

/** Gives the queue time to do what it would do (to see that nothing more happens). */
const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));
