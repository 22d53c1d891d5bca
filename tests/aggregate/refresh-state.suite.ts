// A source's state across refreshes: the publisher's pause survives a manual refresh, and a refresh
// that dies midway is recorded as a failure once its lease runs out (through the cron, with a
// controlled clock).
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getSource } from '../../src/db/sources';
import worker from '../../src';
import { refreshSource } from '../../src/ingest/refresh';
import { DEFAULT_POLICY } from '../../src/ingest/schedule';
import { CLAIM_LEASE_MS, INTERRUPTED_ERROR, INLINE_REFRESHES, type RefreshMessage, refreshDueSources } from '../../src/scheduled';
import { addSource, AUTH, get, upstream } from '../support/worker';

const api = (path: string, init: RequestInit = {}) => get(`/api/sources${path}`, { ...init, headers: AUTH });
let serial = 0;
/** Adds a source for `path` on the stub, under a URL of its own. */
const addStubSource = async (path: string) => (await addSource(upstream(`${path}${path.includes('?') ? '&' : '?'}state=${++serial}`))).id;
const pause = async (id: number) =>
  expect((await api(`/${id}`, { method: 'PATCH', body: JSON.stringify({ paused: true }) })).status).toBe(200);
type Refreshed = {
  refresh: { outcome: string; state: string; pausedReason: string | null };
  source: { state: string; paused_reason: string | null; last_outcome: string; item_count: number };
};
const refreshNow = async (id: number) => {
  const res = await api(`/${id}/refresh`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as Refreshed;
};
const lease = async (id: number) =>
  (await env.DB.prepare('SELECT lease_until FROM sources WHERE id = ?1').bind(id).first<{ lease_until: number | null }>())!.lease_until;

describe("the publisher's pause", () => {
  it.each([
    ['a successful refresh', '/corpus/34-jsonfeed-valid.json', 'ok'],
    ['a failed refresh', '/status/500', 'error'],
    ['a 410', '/status/410', 'gone'],
  ])('outlasts %s through POST /refresh, which records the outcome', async (_name, path, outcome) => {
    const id = await addStubSource(path);
    await pause(id);
    const body = await refreshNow(id);
    expect(body.refresh).toMatchObject({ outcome, state: 'paused', pausedReason: 'paused by the publisher' });
    expect(body.source).toMatchObject({ state: 'paused', paused_reason: 'paused by the publisher', last_outcome: outcome });
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'paused', pausedReason: 'paused by the publisher', lastOutcome: outcome });
    if (outcome === 'ok') expect(body.source.item_count).toBeGreaterThan(0);
    // Still paused: the cron never claims it.
    await env.DB.prepare('UPDATE sources SET next_due_at = 0 WHERE id = ?1').bind(id).run();
    const claimed = await refreshDueSources(env, Date.now());
    expect([...claimed.inline, ...claimed.queued]).not.toContain(id);
  });

  it('outlasts a refresh that was already running when the publisher paused', async () => {
    const id = await addStubSource('/corpus/34-jsonfeed-valid.json');
    const asClaimed = (await getSource(env.DB, id))!;
    await pause(id);
    await refreshSource(env, asClaimed);
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'paused', pausedReason: 'paused by the publisher', lastOutcome: 'ok' });
  });

  it('a source paused after failures is active again once a manual refresh succeeds', async () => {
    const id = await addStubSource('/corpus/34-jsonfeed-valid.json');
    await env.DB.prepare(
      `UPDATE sources SET state = 'paused', paused_reason = 'paused after 10 failed refreshes in a row (last: http_status)', consecutive_failures = 10 WHERE id = ?1`,
    )
      .bind(id)
      .run();
    const body = await refreshNow(id);
    expect(body.refresh).toMatchObject({ outcome: 'ok', state: 'active', pausedReason: null });
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'active', pausedReason: null, consecutiveFailures: 0 });
  });
});

describe('a refresh that dies midway', () => {
  const park = () =>
    env.DB.prepare('UPDATE sources SET next_due_at = ?1, lease_until = NULL')
      .bind(Date.now() + 365 * 86_400_000)
      .run();
  /** The cron as Cloudflare runs it, at a chosen time. */
  async function cron(at: number) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('is recorded as an interrupted failure when its lease runs out, backs off, and the next refresh clears it', async () => {
    await park();
    const ids: number[] = [];
    for (let i = 0; i <= INLINE_REFRESHES; i++) ids.push(await addStubSource('/corpus/34-jsonfeed-valid.json'));
    const t0 = Date.now();
    // The cron claims them and queues one message each; the messages are lost (no consumer runs).
    const lost: RefreshMessage[] = [];
    const droppingQueue = {
      ...env,
      REFRESH_QUEUE: { sendBatch: async (batch: { body: RefreshMessage }[]) => void lost.push(...batch.map((m) => m.body)) },
    } as unknown as Env;
    expect(await refreshDueSources(droppingQueue, t0)).toEqual({ interrupted: [], inline: [], queued: ids });
    expect(lost.map((m) => m.sourceId)).toEqual(ids);
    for (const id of ids) {
      expect(await lease(id)).toBe(t0 + CLAIM_LEASE_MS);
      expect(await getSource(env.DB, id)).toMatchObject({ lastOutcome: null, consecutiveFailures: 0 });
    }

    // While the lease holds, nothing is recorded and nothing is claimed again.
    await cron(t0 + CLAIM_LEASE_MS - 1);
    for (const id of ids)
      expect(await getSource(env.DB, id)).toMatchObject({ lastOutcome: null, consecutiveFailures: 0, nextDueAt: t0 + CLAIM_LEASE_MS });

    // The lease runs out with no outcome: a failure, backed off, not refreshed in the same run.
    const t1 = t0 + CLAIM_LEASE_MS;
    await cron(t1);
    for (const id of ids) {
      expect(await getSource(env.DB, id)).toMatchObject({
        state: 'active',
        lastOutcome: 'error',
        lastErrorKind: 'interrupted',
        lastError: INTERRUPTED_ERROR,
        lastStatus: null,
        consecutiveFailures: 1,
        nextDueAt: t1 + DEFAULT_POLICY.baseIntervalMs,
        itemCount: 0,
      });
      expect(await lease(id)).toBeNull();
    }
    // Recorded once: a later run before the backoff ends does nothing to them.
    expect(await refreshDueSources(droppingQueue, t1 + 60_000)).toEqual({ interrupted: [], inline: [], queued: [] });

    // After the backoff the cron claims them again; this time the refresh runs and clears the lease.
    const t2 = t1 + DEFAULT_POLICY.baseIntervalMs;
    expect(await refreshDueSources(droppingQueue, t2)).toEqual({ interrupted: [], inline: [], queued: ids });
    // The queue consumer gets the messages this time.
    const batch = createMessageBatch<RefreshMessage>(
      'syndicate-refresh',
      ids.map((sourceId, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { sourceId } })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    for (const id of ids) {
      expect(await getSource(env.DB, id)).toMatchObject({ lastOutcome: 'ok', consecutiveFailures: 0, lastErrorKind: null });
      expect(await lease(id)).toBeNull();
    }
  });

  it('an inline refresh clears its lease; an interrupted tenth failure in a row pauses the source', async () => {
    await park();
    const done = await addStubSource('/corpus/34-jsonfeed-valid.json');
    const t0 = Date.now();
    await cron(t0);
    expect(await getSource(env.DB, done)).toMatchObject({ lastOutcome: 'ok', consecutiveFailures: 0 });
    expect(await lease(done)).toBeNull();

    const dying = await addStubSource('/corpus/34-jsonfeed-valid.json');
    await env.DB.prepare('UPDATE sources SET consecutive_failures = 9, next_due_at = ?2, lease_until = ?2 WHERE id = ?1')
      .bind(dying, t0 - 1)
      .run();
    await env.DB.prepare('UPDATE sources SET next_due_at = ?2 WHERE id = ?1')
      .bind(done, t0 + 365 * 86_400_000)
      .run();
    await cron(t0);
    expect(await getSource(env.DB, dying)).toMatchObject({
      state: 'paused',
      consecutiveFailures: 10,
      lastErrorKind: 'interrupted',
      pausedReason: 'paused after 10 failed refreshes in a row (last: interrupted); resume with PATCH {"paused": false}',
    });
    expect(await lease(dying)).toBeNull();
  });

  it('pausing a source with a refresh in flight ends its lease: resuming it records no interrupted failure', async () => {
    await park();
    const id = await addStubSource('/corpus/34-jsonfeed-valid.json');
    const t0 = Date.now();
    const droppingQueue = { ...env, REFRESH_QUEUE: { sendBatch: async () => {} } } as unknown as Env;
    await env.DB.prepare('UPDATE sources SET next_due_at = ?2, lease_until = ?2 WHERE id = ?1')
      .bind(id, t0 + CLAIM_LEASE_MS)
      .run();
    await pause(id);
    expect(await lease(id)).toBeNull();
    expect((await api(`/${id}`, { method: 'PATCH', body: JSON.stringify({ paused: false }) })).status).toBe(200);
    const run = await refreshDueSources(droppingQueue, t0 + CLAIM_LEASE_MS + 1);
    expect(run.interrupted).toEqual([]);
    expect(run.inline).toEqual([id]);
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'active', lastOutcome: 'ok', consecutiveFailures: 0 });
  });
});
