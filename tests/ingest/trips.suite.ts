// A steady refresh's trips to D1 (docs/benchmarks.md, "Steady upstreams"): the source and the
// digest of its last stored document come in one query (getSourceForRefresh), the outcome and the
// source as it stands afterwards in one batch, through the queue consumer (what production runs)
// and the admin API alike. Each trip costs the Worker the D1 client's work and, in production, a
// wait for the database. A D1 binding that counts its trips stands in for env.DB.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src';
import { claimDueSources, getSource, getSourceForRefresh } from '../../src/db/sources';
import { CLAIM_LEASE_MS, type RefreshMessage } from '../../src/scheduled';
import { addSource, AUTH, SITE, upstream } from '../support/worker';

const item = (n: number) => `<item><guid>urn:trips:${n}</guid><title>Item ${n}</title>
  <link>https://trips.example/${n}</link><pubDate>${new Date(Date.UTC(2026, 0, 1 + n)).toUTCString()}</pubDate>
  <description><![CDATA[<p>Body of item ${n}</p>]]></description></item>`;
const feed = (newest: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Trips</title><link>https://trips.example/</link>
  ${Array.from({ length: 5 }, (_, i) => item(newest - i)).join('\n')}</channel></rss>`;

/** Serves `body` at /docs/<name> on the stub; `validated`: with an ETag, 304 to a matching If-None-Match. */
async function serve(name: string, body: string, validated = false) {
  const headers = { 'content-type': 'application/rss+xml', ...(validated ? { 'x-etag': 'yes' } : {}) };
  expect((await fetch(upstream(`/docs/${name}`), { method: 'PUT', body, headers })).status).toBe(204);
  return upstream(`/docs/${name}`);
}

/** env with a D1 binding that counts its trips (each statement run on its own, each batch) by their first statement's SQL. */
function counting(): { env: Env; trips: () => string[]; reset: () => void } {
  const trips: string[] = [];
  const db = env.DB;
  const sqlOf = new WeakMap<object, string>();
  const counted = <T extends object>(statement: T, sql: string): T => {
    sqlOf.set(statement, sql);
    const s = statement as unknown as Record<string, unknown>;
    for (const method of ['first', 'all', 'run', 'raw']) {
      const real = s[method] as (...args: unknown[]) => unknown;
      s[method] = (...args: unknown[]) => {
        trips.push(sql);
        return real.apply(statement, args);
      };
    }
    const bind = s.bind as (...args: unknown[]) => T;
    s.bind = (...args: unknown[]) => counted(bind.apply(statement, args) as object, sql) as T;
    return statement;
  };
  const DB = {
    prepare: (sql: string) => counted(db.prepare(sql), sql),
    batch: (statements: D1PreparedStatement[]) => {
      trips.push(`batch: ${sqlOf.get(statements[0]!) ?? '?'}`);
      return db.batch(statements);
    },
    exec: (sql: string) => {
      trips.push(sql);
      return db.exec(sql);
    },
    withSession: () => {
      throw new Error('not in a refresh');
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
  return {
    env: { ...env, DB },
    trips: () => trips.map((sql) => sql.replace(/\s+/g, ' ').trim().slice(0, 60)),
    reset: () => {
      trips.length = 0;
    },
  };
}

/** One refresh message for `sourceId`, through the Worker's queue handler with `e` as its env. */
async function consume(e: Env, sourceId: number) {
  const batch = createMessageBatch<RefreshMessage>('syndicate-refresh', [
    { id: `trips-${sourceId}-${Date.now()}`, timestamp: new Date(), attempts: 1, body: { kind: 'source', sourceId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, e, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks).toHaveLength(1);
}

const lastFetch = (id: number) =>
  env.DB.prepare('SELECT outcome, items_new FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC LIMIT 1')
    .bind(id)
    .first<{ outcome: string; items_new: number | null }>();
const storedDigest = async (id: number) =>
  (await env.DB.prepare('SELECT digest FROM source_documents WHERE source_id = ?1').bind(id).first<{ digest: string }>())?.digest ?? null;

describe('a steady refresh', () => {
  it('reads the source and its last document in one query: the same source getSource reads, and the digest once kept', async () => {
    const { id } = await addSource(await serve('trips-read.xml', feed(5)), { kind: 'feed' });
    expect(await getSourceForRefresh(env.DB, id)).toEqual({ source: await getSource(env.DB, id), lastDocument: null });
    await consume(env, id);
    const after = await getSourceForRefresh(env.DB, id);
    expect(after?.lastDocument).toMatch(/^[0-9a-f]{64}$/);
    expect(after).toEqual({ source: await getSource(env.DB, id), lastDocument: await storedDigest(id) });
    expect(await getSourceForRefresh(env.DB, 987_654)).toBeNull();
  });

  it('through the queue consumer: an unchanged document and a 304 each take two trips to D1', async () => {
    const steady = (await addSource(await serve('trips-steady.xml', feed(5)), { kind: 'feed' })).id;
    const validated = (await addSource(await serve('trips-etag.xml', feed(5), true), { kind: 'feed' })).id;
    await consume(env, steady);
    await consume(env, validated);

    const unchanged = counting();
    await consume(unchanged.env, steady);
    expect(await lastFetch(steady)).toEqual({ outcome: 'not_modified', items_new: null });
    expect(unchanged.trips()).toEqual([
      expect.stringMatching(/^SELECT s\.\*/),
      expect.stringMatching(/^batch: UPDATE sources SET last_fetched_at/),
    ]);

    const notModified = counting();
    await consume(notModified.env, validated);
    expect(await lastFetch(validated)).toEqual({ outcome: 'not_modified', items_new: null });
    expect(notModified.trips()).toEqual([
      expect.stringMatching(/^SELECT s\.\*/),
      expect.stringMatching(/^batch: UPDATE sources SET last_fetched_at/),
    ]);

    // A new item: read again, and stored; the stored items and the views' filter rules come in one batch.
    await serve('trips-steady.xml', feed(6));
    const oneNew = counting();
    await consume(oneNew.env, steady);
    expect(await lastFetch(steady)).toEqual({ outcome: 'ok', items_new: 1 });
    expect(oneNew.trips().slice(0, 2)).toEqual([
      expect.stringMatching(/^SELECT s\.\*/),
      expect.stringMatching(/^batch: SELECT id, published_at, content_hash/),
    ]);
    expect(oneNew.trips().filter((sql) => sql.startsWith('SELECT view, filters'))).toEqual([]);
  });

  it('through the admin API: two trips, and the source it answers is the one stored after the refresh', async () => {
    const { id } = await addSource(await serve('trips-admin.xml', feed(5)), { kind: 'feed' });
    const refresh = async (e: Env) => {
      const res = await worker.fetch(
        new Request(`${SITE}/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH }),
        e,
        createExecutionContext(),
      );
      expect(res.status).toBe(200);
      return (await res.json()) as { refresh: { outcome: string }; source: { last_fetched_at: string; last_outcome: string } };
    };
    // The first admin write of an isolate (here: of a D1 binding) checks the slugs once (adoptedSlugs).
    const counted = counting();
    expect((await refresh(counted.env)).refresh.outcome).toBe('ok');
    counted.reset();
    const body = await refresh(counted.env);
    expect(body.refresh.outcome).toBe('unchanged');
    expect(counted.trips()).toEqual([
      expect.stringMatching(/^SELECT s\.\*/),
      expect.stringMatching(/^batch: UPDATE sources SET last_fetched_at/),
    ]);
    const stored = (await getSource(env.DB, id))!;
    expect(body.source).toMatchObject({ last_fetched_at: new Date(stored.lastFetchedAt!).toISOString(), last_outcome: 'not_modified' });
  });

  it("leaves the cron's lease alone: a leased source is not claimed again until its refresh records an outcome", async () => {
    const { id } = await addSource(await serve('trips-lease.xml', feed(5)), { kind: 'feed' });
    await consume(env, id);
    const now = Date.now();
    await env.DB.prepare('UPDATE sources SET next_due_at = ?2 WHERE id = ?1')
      .bind(id, now - 1)
      .run();
    expect(await claimDueSources(env.DB, now, 1000, now + CLAIM_LEASE_MS)).toContain(id);
    // A concurrent cron run finds it leased, not due.
    expect(await claimDueSources(env.DB, now + 1, 1000, now + 1 + CLAIM_LEASE_MS)).not.toContain(id);
    const leased = await getSourceForRefresh(env.DB, id);
    expect(leased?.source.nextDueAt).toBe(now + CLAIM_LEASE_MS);
    // The consumer's refresh (the document unchanged) records its outcome and ends the lease.
    await consume(env, id);
    const lease = await env.DB.prepare('SELECT lease_until FROM sources WHERE id = ?1').bind(id).first<{ lease_until: number | null }>();
    expect(lease?.lease_until).toBeNull();
    expect(await lastFetch(id)).toEqual({ outcome: 'not_modified', items_new: null });
  });
});
