// The site's own WebSub hub (src/push/, docs/push.md), verifying intent (§5.3) and distributing
// content (§7), against subscribers the stub server runs on 127.0.0.1 (tests/setup/subscriber.ts,
// which checks every signature with Node's crypto); subscribing is in hub-subscribe.suite.ts. Each
// test is named after the MUST it checks. Requests go through the app and the real push queue.
import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../../src';
import { DEFAULT_LEASE_SECONDS, HUB_DELIVERY_ATTEMPTS, MAX_LEASE_SECONDS, MIN_LEASE_SECONDS } from '../../src/push/limits';
import { SITE } from '../support/worker';
import { deliveries, type Row, rowOf, settle, subscribed, tagFeed } from './hub-helpers';
import { configure, consume, hubRequest, publish, received, receiver, until } from './push-helpers';

afterEach(async () => {
  await env.DB.exec('DELETE FROM hub_subscriptions');
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
