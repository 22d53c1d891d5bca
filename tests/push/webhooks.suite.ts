// Webhooks (src/push/webhooks.ts, docs/push.md) against endpoints the stub server runs on
// 127.0.0.1 (tests/setup/subscriber.ts). Every signature is checked there with Node's crypto,
// following the published Standard Webhooks algorithm, not with the code under test.
import { createExecutionContext, createScheduledController, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, inject, it } from 'vitest';
import worker from '../../src';
import { getSource } from '../../src/db/sources';
import { refreshSource } from '../../src/ingest/refresh';
import { MAX_WEBHOOK_PAYLOAD_BYTES, WEBHOOK_ATTEMPTS } from '../../src/push/limits';
import { insertPost, SITE } from '../support/worker';
import { AUTH, configure, consume, publish, type ReceivedPost, type ReceiverConfig, received, receiver, until } from './push-helpers';

type Summary = {
  id: number;
  url: string;
  events: string[];
  format: string;
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  failures: number;
  deliveries: { id: string; event: string; state: string; attempts: number; last_status: number | null; last_error: string | null }[];
};

const api = (path: string, init: RequestInit = {}) => SELF.fetch(`${SITE}/api/webhooks${path}`, { headers: AUTH, ...init });

/** A receiver with a webhook pointing at it (the receiver knows the secret, to check signatures). */
async function hooked(events: string[], format = 'json', config: ReceiverConfig = {}) {
  const r = await receiver('hook', config);
  const res = await api('', { method: 'POST', body: JSON.stringify({ url: r.url, events, format }) });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as Summary & { secret: string };
  await configure(r.name, { ...config, webhookSecret: created.secret });
  return { ...r, webhook: created };
}

const posts = async (name: string) => (await received(name)).posts;
const payload = (post: ReceivedPost) => JSON.parse(post.body) as { type: string; timestamp: string; data: Record<string, unknown> };
const webhookRow = async (id: number) => (await (await api(`/${id}`)).json()) as Summary;
const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await env.DB.batch([env.DB.prepare('DELETE FROM webhook_deliveries'), env.DB.prepare('DELETE FROM webhooks')]);
});

describe('managing webhooks', () => {
  it('POST creates one and shows its whsec_ secret once; GET lists it without; DELETE removes it', async () => {
    const r = await receiver('managed');
    const res = await api('', { method: 'POST', body: JSON.stringify({ url: r.url, events: ['post.published', 'post.published'] }) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Summary & { secret: string };
    expect(res.headers.get('location')).toBe(`/api/webhooks/${created.id}`);
    expect(created).toMatchObject({ url: r.url, events: ['post.published'], format: 'json', state: 'active', deliveries: [] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);

    const list = (await (await api('')).json()) as { webhooks: Summary[] };
    expect(list.webhooks.map((w) => w.id)).toEqual([created.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    expect(JSON.stringify(await webhookRow(created.id))).not.toContain(created.secret);

    expect((await api(`/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api(`/${created.id}`)).status).toBe(404);
  });

  it('refuses what it cannot deliver with a 400 naming the field, and anyone without the token with a 401', async () => {
    const r = await receiver('refused');
    const cases: [unknown, string][] = [
      [{ url: r.url, events: ['post.created'] }, 'events.0'],
      [{ url: r.url, events: [] }, 'events'],
      [{ url: r.url, events: ['post.updated'], format: 'xml' }, 'format'],
      [{ url: 'not a url', events: ['post.updated'] }, 'url'],
      [{ url: 'ftp://example.com/hook', events: ['post.updated'] }, 'url'],
      [{ url: 'http://169.254.169.254/latest/meta-data/', events: ['post.updated'] }, 'url'],
      [{ url: 'http://10.0.0.1/hook', events: ['post.updated'] }, 'url'],
      [{ url: r.url, events: ['post.updated'], secret: 'mine' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await api('', { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = (await res.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const anonymous = await SELF.fetch(`${SITE}/api/webhooks`);
    expect(anonymous.status).toBe(401);
  });
});

describe('signed events', () => {
  it('a published post reaches its webhook with webhook-id, webhook-timestamp and a webhook-signature that verifies', async () => {
    const hook = await hooked(['post.published']);
    const before = Math.floor(Date.now() / 1000);
    const post = await publish({ title: 'Announced by webhook', tags: ['Hooks'] });
    const [delivery] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    expect(delivery!.webhookSignature).toBe('valid');
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(Number(delivery!.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(delivery!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const body = payload(delivery!);
    expect(body.type).toBe('post.published');
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before * 1000);
    expect(body.data).toMatchObject({ id: post.id, title: 'Announced by webhook', url: post.url, tags: ['Hooks'], status: 'published' });
    const stored = await until(
      () => webhookRow(hook.webhook.id),
      (w) => w.deliveries[0]?.state === 'delivered',
    );
    expect(stored.deliveries[0]).toMatchObject({
      id: delivery!.headers['webhook-id'],
      event: 'post.published',
      attempts: 1,
      last_status: 204,
    });
  });

  it('each webhook gets only the events it asked for: published, updated, deleted', async () => {
    const all = await hooked(['post.published', 'post.updated', 'post.deleted']);
    const deletions = await hooked(['post.deleted']);
    const post = await publish({ title: 'A life in three events' });
    await until(
      () => posts(all.name),
      (p) => p.length === 1,
    );
    const patch = await SELF.fetch(`${SITE}/api/posts/${post.id}`, {
      method: 'PATCH',
      headers: AUTH,
      body: JSON.stringify({ title: 'Renamed' }),
    });
    expect(patch.status).toBe(200);
    await until(
      () => posts(all.name),
      (p) => p.length === 2,
    );
    expect((await SELF.fetch(`${SITE}/api/posts/${post.id}`, { method: 'DELETE', headers: AUTH })).status).toBe(204);
    const got = await until(
      () => posts(all.name),
      (p) => p.length === 3,
    );
    expect(got.map((p) => payload(p).type)).toEqual(['post.published', 'post.updated', 'post.deleted']);
    expect(payload(got[1]!).data.title).toBe('Renamed');
    expect(payload(got[2]!).data.id).toBe(post.id);
    expect(got.every((p) => p.webhookSignature === 'valid')).toBe(true);
    expect(new Set(got.map((p) => p.headers['webhook-id'])).size).toBe(3);
    const [deleted] = await until(
      () => posts(deletions.name),
      (p) => p.length === 1,
    );
    expect(payload(deleted!).type).toBe('post.deleted');
    expect(deleted!.headers['webhook-id']).toBe(got[2]!.headers['webhook-id']);
    await settle();
    expect(await posts(deletions.name)).toHaveLength(1);
  });

  it('the jsonfeed format sends a JSON Feed 1.1 document with the post as its item and the event in _syndicate', async () => {
    const hook = await hooked(['post.published'], 'jsonfeed');
    const post = await publish({ title: 'As a JSON Feed', content_html: '<p>Full <em>content</em>.</p>' });
    const [delivery] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    expect(delivery!.webhookSignature).toBe('valid');
    expect(delivery!.headers['content-type']).toBe('application/feed+json');
    const feed = JSON.parse(delivery!.body) as {
      version: string;
      items: { id: string; content_html: string }[];
      _syndicate: { event: string };
    };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ id: post.id, content_html: '<p>Full <em>content</em>.</p>' });
    expect(feed._syndicate.event).toBe('post.published');
  });

  it('a post too large for one payload is sent with its summary only', async () => {
    const hook = await hooked(['post.published']);
    await publish({ title: 'Huge', summary: 'Short summary', content_html: `<p>${'word '.repeat(MAX_WEBHOOK_PAYLOAD_BYTES / 4)}</p>` });
    const [delivery] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    expect(delivery!.body.length).toBeLessThanOrEqual(MAX_WEBHOOK_PAYLOAD_BYTES);
    expect(payload(delivery!).data).toMatchObject({ title: 'Huge', summary: 'Short summary' });
    expect(payload(delivery!).data.content_html).toBeUndefined();
  });

  it('a refresh that adds items sends one source.item_added listing them; a refresh that adds none sends nothing', async () => {
    const hook = await hooked(['source.item_added']);
    const feedHook = await hooked(['source.item_added'], 'jsonfeed');
    const res = await SELF.fetch(`${SITE}/api/sources`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${inject('upstreamUrl')}/corpus/34-jsonfeed-valid.json?webhooks=1` }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const first = await refreshSource(env, (await getSource(env.DB, id))!, Date.now());
    expect(first.items?.changed).toBeGreaterThan(0);
    const [event] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    expect(event!.webhookSignature).toBe('valid');
    const body = JSON.parse(event!.body) as {
      type: string;
      data: { source: { id: number; feed_url: string }; items: { id: string; title: string }[] };
    };
    expect(body.type).toBe('source.item_added');
    expect(body.data.source).toMatchObject({ id, feed_url: `${SITE}/sources/${id}/feed.json` });
    expect(body.data.items).toHaveLength(first.items!.changed);
    const [asFeed] = await until(
      () => posts(feedHook.name),
      (p) => p.length === 1,
    );
    const feed = JSON.parse(asFeed!.body) as { feed_url: string; items: { id: string }[] };
    expect(feed.feed_url).toBe(`${SITE}/sources/${id}/feed.json`);
    expect(feed.items.map((i) => i.id).sort()).toEqual(body.data.items.map((i) => i.id).sort());

    expect((await refreshSource(env, (await getSource(env.DB, id))!, Date.now())).outcome).toBe('not_modified');
    await settle();
    expect(await posts(hook.name)).toHaveLength(1);
  });

  it('a scheduled post going live sends post.published from the cron', async () => {
    const hook = await hooked(['post.published']);
    const now = Date.now();
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000bb01',
      slug: 'live-later',
      title: 'Live later',
      publishedAt: now + 60_000,
    });
    const cron = async (at: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await cron(now);
    await cron(now + 120_000);
    const [delivery] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    expect(payload(delivery!)).toMatchObject({ type: 'post.published', data: { id: 'urn:uuid:00000000-0000-4000-8000-00000000bb01' } });
  });
});

describe('retries and disablement', () => {
  it('a failed delivery is retried with backoff: the same webhook-id, a fresh timestamp and a valid signature on every attempt', async () => {
    const hook = await hooked(['post.published'], 'json', { deliver: '500' });
    await publish({ title: 'Retried' });
    const [first] = await until(
      () => posts(hook.name),
      (p) => p.length === 1,
    );
    const pending = await until(
      () => webhookRow(hook.webhook.id),
      (w) => w.deliveries[0]?.attempts === 1,
    );
    expect(pending.deliveries[0]).toMatchObject({ state: 'pending', last_status: 500, last_error: 'answered 500' });
    const deliveryId = (await env.DB.prepare('SELECT id FROM webhook_deliveries').first<number>('id'))!;

    // The queue's next attempt, run by hand: asked to wait longer each time.
    const [second] = await consume([{ kind: 'webhook', deliveryId }], { attempts: 2 });
    expect(second!.retryIn).toBeGreaterThanOrEqual(60);
    const [third] = await consume([{ kind: 'webhook', deliveryId }], { attempts: 3 });
    expect(third!.retryIn).toBeGreaterThanOrEqual(300);
    const attempts = await posts(hook.name);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((p) => p.headers['webhook-id']))).toEqual(new Set([first!.headers['webhook-id']]));
    expect(attempts.every((p) => p.webhookSignature === 'valid' && p.body === first!.body)).toBe(true);

    // Once the endpoint answers, the delivery is done and the webhook's failures reset.
    await configure(hook.name, { deliver: 'ok', webhookSecret: hook.webhook.secret });
    expect(await consume([{ kind: 'webhook', deliveryId }], { attempts: 4 })).toEqual([{ acked: true, retryIn: null }]);
    const done = await webhookRow(hook.webhook.id);
    expect(done).toMatchObject({ state: 'active', failures: 0 });
    expect(done.deliveries[0]).toMatchObject({ state: 'delivered', attempts: 4, last_status: 204, last_error: null });
  });

  it(`an event that fails all ${WEBHOOK_ATTEMPTS} attempts disables its webhook, with the reason shown; PATCH turns it back on`, async () => {
    const hook = await hooked(['post.published', 'post.updated'], 'json', { deliver: '500' });
    await publish({ title: 'Never delivered' });
    await until(
      () => webhookRow(hook.webhook.id),
      (w) => w.deliveries[0]?.attempts === 1,
    );
    const deliveryId = (await env.DB.prepare('SELECT id FROM webhook_deliveries').first<number>('id'))!;
    expect(await consume([{ kind: 'webhook', deliveryId }], { attempts: WEBHOOK_ATTEMPTS })).toEqual([{ acked: true, retryIn: null }]);
    const disabled = await webhookRow(hook.webhook.id);
    expect(disabled.state).toBe('disabled');
    expect(disabled.disabled_reason).toMatch(
      new RegExp(`failed all ${WEBHOOK_ATTEMPTS} attempts over about 18 hours \\(last attempt: answered 500\\)`),
    );
    expect(disabled.deliveries[0]).toMatchObject({ state: 'failed', attempts: 2 });
    const listed = (await (await api('')).json()) as { webhooks: Summary[] };
    expect(listed.webhooks[0]).toMatchObject({ state: 'disabled', disabled_reason: disabled.disabled_reason });

    // A disabled webhook gets no events.
    const seen = (await posts(hook.name)).length;
    await publish({ title: 'While disabled' });
    await settle();
    expect(await posts(hook.name)).toHaveLength(seen);
    expect((await webhookRow(hook.webhook.id)).deliveries).toHaveLength(1);

    await configure(hook.name, { deliver: 'ok', webhookSecret: hook.webhook.secret });
    const enabled = await api(`/${hook.webhook.id}`, { method: 'PATCH', body: JSON.stringify({ active: true }) });
    expect(enabled.status).toBe(200);
    expect(await enabled.json()).toMatchObject({ state: 'active', disabled_reason: null, failures: 0 });
    await publish({ title: 'Back on' });
    await until(
      () => posts(hook.name),
      (p) => p.some((x) => x.body.includes('Back on')),
    );
  });

  it('an endpoint that answers 410 Gone disables its webhook at once', async () => {
    const hook = await hooked(['post.published'], 'json', { deliver: '410' });
    await publish({ title: 'Gone endpoint' });
    const gone = await until(
      () => webhookRow(hook.webhook.id),
      (w) => w.state === 'disabled',
    );
    expect(gone.disabled_reason).toMatch(/answered 410 Gone/);
    expect(gone.deliveries[0]).toMatchObject({ state: 'failed', attempts: 1, last_status: 410 });
  });

  it('a slow, endless or redirecting endpoint holds up no other webhook', { timeout: 180_000 }, async () => {
    const hostile = await Promise.all(
      (['slow', 'huge', 'redirect'] as const).map((deliver) => hooked(['post.published'], 'json', { deliver })),
    );
    const good = await hooked(['post.published']);
    const started = Date.now();
    await publish({ title: 'Past the hostile ones' });
    await until(
      () => posts(good.name),
      (p) => p.length === 1,
    );
    expect(Date.now() - started).toBeLessThan(8_000);
    // The hostile ones are reached too, in their own time: a slow machine may need longer.
    for (const h of hostile)
      await until(
        () => posts(h.name),
        (p) => p.length === 1,
        90_000,
      );
    const redirected = await until(
      () => webhookRow(hostile[2]!.webhook.id),
      (w) => w.deliveries[0]?.attempts === 1,
    );
    expect(redirected.deliveries[0]).toMatchObject({
      state: 'pending',
      last_status: 307,
      last_error: 'answered 307; redirects are not followed',
    });
    expect((await received(`${hostile[2]!.name}-redirected`)).posts).toEqual([]);
  });
});
