// The site's own WebSub hub (src/push/, docs/push.md), end to end and subscribing (§5.1, §5.2),
// against subscribers the stub server runs on 127.0.0.1 (tests/setup/subscriber.ts); verifying and
// distributing are in hub-deliver.test.ts, the two files run side by side. Each test is named
// after the MUST it checks, and hostile subscribers hold up no other one.
import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLBACK_TIMEOUT_MS, DEFAULT_LEASE_SECONDS, MAX_SUBSCRIPTIONS_PER_HOST, MAX_SUBSCRIPTIONS_PER_TOPIC } from '../../src/push/limits';
import { app } from '../../src/app';
import { listHubSubscriptions } from '../../src/push/hub-subscriptions';
import { SITE } from '../support/worker';
import { deliveries, rowOf, settle, subscribed, tagFeed } from './hub-helpers';
import { configure, consume, hubRequest, publish, received, receiver, recordingQueue, until } from './push-helpers';

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

describe('hostile subscribers never hold up the others', () => {
  it('slow, redirecting, endless and wrong verifications: the good subscriber is verified meanwhile', async () => {
    const feed = await tagFeed();
    const hostile = await Promise.all(
      (['slow', 'redirect', 'huge', 'wrong'] as const).map((verify) => receiver(`hostile-${verify}`, { verify })),
    );
    const good = await receiver('patient');
    // A crowd's verifications arrive as one batch: they are kept as sent and handed to the consumer
    // together, so that no slow one may hold up the rest.
    const { env: recording, sent } = recordingQueue();
    const ctx = { waitUntil: () => {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    for (const r of [...hostile, good]) {
      const res = await app.request(
        `${SITE}/hub`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': feed.rss, 'hub.callback': r.url }).toString(),
        },
        recording,
        ctx,
      );
      expect(res.status).toBe(202);
    }
    expect(sent).toHaveLength(5);
    const started = Date.now();
    // The slow one is given up only after CALLBACK_TIMEOUT_MS: the test does not wait for it.
    consume(sent).catch(() => {});
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
