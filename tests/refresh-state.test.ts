// A source's state across refreshes: the publisher's pause survives a manual refresh.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { getSource } from '../src/db/sources';
import { refreshSource } from '../src/ingest/refresh';
import { refreshDueSources } from '../src/scheduled';
import { get } from './helpers';

const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
const api = (path: string, init: RequestInit = {}) => get(`/api/sources${path}`, { ...init, headers: AUTH });
let serial = 0;
async function addSource(path: string): Promise<number> {
  const url = `${inject('upstreamUrl')}${path}${path.includes('?') ? '&' : '?'}state=${++serial}`;
  const res = await api('', { method: 'POST', body: JSON.stringify({ url }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}
const pause = async (id: number) => expect((await api(`/${id}`, { method: 'PATCH', body: JSON.stringify({ paused: true }) })).status).toBe(200);
type Refreshed = { refresh: { outcome: string; state: string; pausedReason: string | null }; source: { state: string; paused_reason: string | null; last_outcome: string; item_count: number } };
const refreshNow = async (id: number) => {
  const res = await api(`/${id}/refresh`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as Refreshed;
};

describe("the publisher's pause", () => {
  it.each([
    ['a successful refresh', '/corpus/34-jsonfeed-valid.json', 'ok'],
    ['a failed refresh', '/status/500', 'error'],
    ['a 410', '/status/410', 'gone'],
  ])('outlasts %s through POST /refresh, which records the outcome', async (_name, path, outcome) => {
    const id = await addSource(path);
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
    const id = await addSource('/corpus/34-jsonfeed-valid.json');
    const asClaimed = (await getSource(env.DB, id))!;
    await pause(id);
    await refreshSource(env, asClaimed);
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'paused', pausedReason: 'paused by the publisher', lastOutcome: 'ok' });
  });

  it('a source paused after failures is active again once a manual refresh succeeds', async () => {
    const id = await addSource('/corpus/34-jsonfeed-valid.json');
    await env.DB.prepare(`UPDATE sources SET state = 'paused', paused_reason = 'paused after 10 failed refreshes in a row (last: http_status)', consecutive_failures = 10 WHERE id = ?1`).bind(id).run();
    const body = await refreshNow(id);
    expect(body.refresh).toMatchObject({ outcome: 'ok', state: 'active', pausedReason: null });
    expect(await getSource(env.DB, id)).toMatchObject({ state: 'active', pausedReason: null, consecutiveFailures: 0 });
  });
});
