import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { getSource } from '../../src/db/sources';
import worker from '../../src';
import { CLAIM_LEASE_MS, INLINE_REFRESHES, type RefreshMessage, refreshDueSources, warmSiteFeeds } from '../../src/scheduled';
import { addSource, AUTH, get, insertPost, SITE, upstream } from '../support/worker';

describe('cron', () => {
  it('renders the site feeds into the cache once a scheduled post has gone live', async () => {
    const now = Date.now();
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000c201',
      slug: 'scheduled',
      title: 'Goes live soon',
      publishedAt: now + 60_000,
    });
    // Before its time the post is in no feed.
    expect(await (await get('/feed.xml')).text()).not.toContain('Goes live soon');

    const ctx = createExecutionContext();
    const rendered = await warmSiteFeeds(env, now + 120_000, ctx);
    await waitOnExecutionContext(ctx);
    expect(rendered).toEqual(['rss', 'atom', 'json']);
    // Nothing changed since: a second run renders nothing.
    expect(await warmSiteFeeds(env, now + 120_000, createExecutionContext())).toEqual([]);
  });

  it('the worker exports a scheduled handler that runs to completion', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const res = await get('/feed.xml');
    expect(res.headers.get('server-timing')).toMatch(/memory|cache-api/);
  });
});

describe('cron refreshes upstream sources', () => {
  let serial = 0;
  const addStubSource = async (path: string) => (await addSource(upstream(`${path}?cron=${++serial}`))).id;
  const state = (id: number) => getSource(env.DB, id);
  const park = () =>
    env.DB.prepare('UPDATE sources SET next_due_at = ?1')
      .bind(Date.now() + 3_600_000)
      .run();

  it('a few due sources are refreshed in the cron invocation itself; one bad source stops nothing', async () => {
    await park();
    const good = await addStubSource('/corpus/34-jsonfeed-valid.json');
    const bad = await addStubSource('/status/500');
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await state(good)).toMatchObject({ lastOutcome: 'ok', consecutiveFailures: 0 });
    expect((await state(good))!.itemCount).toBeGreaterThan(0);
    expect(await state(bad)).toMatchObject({ lastOutcome: 'error', consecutiveFailures: 1 });
    // Not due again until their interval has passed: the next run fetches nothing.
    const next = await refreshDueSources(env, Date.now());
    expect(next).toEqual({ interrupted: [], inline: [], queued: [] });
  });

  it('beyond a handful, due sources go to the queue one message each, leased so no run queues them twice', async () => {
    await park();
    const ids = [];
    for (let i = 0; i < INLINE_REFRESHES + 3; i++) ids.push(await addStubSource('/corpus/34-jsonfeed-valid.json'));
    const sent: { body: RefreshMessage }[] = [];
    const queueEnv = {
      ...env,
      REFRESH_QUEUE: { sendBatch: async (batch: { body: RefreshMessage }[]) => void sent.push(...batch) },
    } as unknown as Env;
    const now = Date.now();
    const result = await refreshDueSources(queueEnv, now);
    expect(result.queued).toEqual(ids);
    expect(sent.map((m) => m.body.sourceId)).toEqual(ids);
    expect((await state(ids[0]!))!.nextDueAt).toBe(now + CLAIM_LEASE_MS);
    expect(await refreshDueSources(queueEnv, now + 1000)).toEqual({ interrupted: [], inline: [], queued: [] });

    // The consumer refreshes each source of its batch and acknowledges every message.
    const batch = createMessageBatch<RefreshMessage>(
      'syndicate-refresh',
      sent.map((m, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: m.body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result2 = await getQueueResult(batch, ctx);
    expect(result2.ackAll).toBe(false);
    expect([...result2.explicitAcks].sort()).toEqual(sent.map((_, i) => `m${i}`).sort());
    expect(result2.retryMessages).toEqual([]);
    for (const id of ids) expect(await state(id)).toMatchObject({ lastOutcome: 'ok' });
  });

  it('the consumer retries the message of a refresh that D1 could not record, and acks the others', async () => {
    await park();
    const [broken, fine] = [await addStubSource('/corpus/34-jsonfeed-valid.json'), await addStubSource('/corpus/34-jsonfeed-valid.json')];
    // A D1 that refuses every write recording the outcome of `broken`'s refresh.
    const failingDb = new Proxy(env.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'prepare') return typeof value === 'function' ? value.bind(target) : value;
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (!sql.includes('last_fetched_at')) return statement;
          return Object.assign(Object.create(statement), {
            bind: (...args: unknown[]) => {
              if (args[0] === broken) throw new Error('D1 is unavailable');
              return statement.bind(...args);
            },
          });
        };
      },
    });
    const batch = createMessageBatch<RefreshMessage>(
      'syndicate-refresh',
      [broken, fine].map((sourceId, i) => ({ id: `r${i}`, timestamp: new Date(), attempts: 1, body: { sourceId } })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, DB: failingDb }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual(['r1']);
    expect(result.retryMessages).toEqual([{ msgId: 'r0' }]);
    expect(await state(fine)).toMatchObject({ lastOutcome: 'ok' });
    expect(await state(broken)).toMatchObject({ lastOutcome: null });
  });

  it('paused and gone sources are never claimed', async () => {
    await park();
    const paused = await addStubSource('/corpus/34-jsonfeed-valid.json');
    await get(`/api/sources/${paused}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ paused: true }) });
    await env.DB.prepare('UPDATE sources SET next_due_at = 0 WHERE id = ?1').bind(paused).run();
    expect(await refreshDueSources(env, Date.now())).toEqual({ interrupted: [], inline: [], queued: [] });
  });
});

describe('a source just added', () => {
  const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
  let serial = 0;
  const feed = () => `${inject('upstreamUrl')}/corpus/34-jsonfeed-valid.json?soon=${++serial}`;
  /** The worker with a queue that keeps what it is sent (or refuses it). */
  const withQueue = (refuse = false) => {
    const sent: RefreshMessage[] = [];
    const bindings = {
      ...env,
      REFRESH_QUEUE: {
        sendBatch: async (batch: { body: RefreshMessage }[]) => {
          if (refuse) throw new Error('queue unavailable');
          sent.push(...batch.map((m) => m.body));
        },
      },
    } as unknown as Env;
    const request = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(new URL(path, SITE), init), bindings, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    return { sent, request };
  };
  const deliver = async (messages: RefreshMessage[]) => {
    const batch = createMessageBatch<RefreshMessage>(
      'syndicate-refresh',
      messages.map((body, i) => ({ id: `n${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    return getQueueResult(batch, ctx);
  };
  const park = () =>
    env.DB.prepare('UPDATE sources SET next_due_at = ?1')
      .bind(Date.now() + 3_600_000)
      .run();

  it('is refreshed at once through the queue, with no cron run', async () => {
    const queue = withQueue();
    const res = await queue.request('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url: feed() }) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(queue.sent).toEqual([{ kind: 'source', sourceId: id }]);
    expect(await getSource(env.DB, id)).toMatchObject({ lastOutcome: null, itemCount: 0 });

    const result = await deliver(queue.sent);
    expect(result.explicitAcks).toEqual(['n0']);
    const source = await getSource(env.DB, id);
    expect(source).toMatchObject({ lastOutcome: 'ok', consecutiveFailures: 0 });
    expect(source!.itemCount).toBeGreaterThan(0);
  });

  it('of an OPML import each get a message; sources the queue refuses stay due for the cron', async () => {
    const opml = (urls: string[]) =>
      `<opml version="2.0"><body>${urls.map((u) => `<outline text="f" xmlUrl="${u.replace(/&/g, '&amp;')}"/>`).join('')}</body></opml>`;
    const init = (urls: string[]) => ({ method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml(urls) });
    const queue = withQueue();
    const res = await queue.request('/api/sources/import', init([feed(), feed()]));
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { added: { id: number }[] }).added.map((s) => s.id);
    expect(ids).toHaveLength(2);
    expect(queue.sent).toEqual(ids.map((sourceId) => ({ kind: 'source', sourceId })));

    await park();
    const refusing = withQueue(true);
    const added = await refusing.request('/api/sources/import', init([feed()]));
    expect(added.status).toBe(200);
    const [id] = ((await added.json()) as { added: { id: number }[] }).added.map((s) => s.id);
    expect(refusing.sent).toEqual([]);
    expect(await refreshDueSources(env, Date.now())).toMatchObject({ inline: [id] });
    expect(await getSource(env.DB, id!)).toMatchObject({ lastOutcome: 'ok' });
  });
});
