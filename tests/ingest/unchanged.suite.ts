// The cost of doing nothing (src/ingest/unchanged.ts), through the real refresh path against the
// stub upstream, which serves these documents without validators (an upstream that ignores
// conditional GET): the same document stops after its digest; unchanged items are not read again.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getSource } from '../../src/db/sources';
import { sourceViews } from '../../src/db/sources';
import { refreshSource, type RefreshOptions } from '../../src/ingest/refresh';
import { addSource, upstream } from '../support/worker';

type Item = { n: number; text?: string };
const item = ({ n, text }: Item) => `<item><guid>urn:steady:${n}</guid><title>Item ${n}</title>
  <link>https://steady.example/${n}</link><pubDate>${new Date(Date.UTC(2026, 0, 1 + n)).toUTCString()}</pubDate>
  <description><![CDATA[<p>${text ?? `Body of item ${n}`} <a href="/x/${n}" onclick="x()">more</a></p>]]></description></item>`;
const feed = (items: Item[], built = 'Thu, 01 Jan 2026 00:00:00 GMT') =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Steady</title><link>https://steady.example/</link>
  <lastBuildDate>${built}</lastBuildDate>${items.map(item).join('\n')}</channel></rss>`;
const twenty = Array.from({ length: 20 }, (_, i) => ({ n: 20 - i }));

async function serve(name: string, body: string) {
  const res = await fetch(upstream(`/docs/${name}`), { method: 'PUT', body, headers: { 'content-type': 'application/rss+xml' } });
  expect(res.status).toBe(204);
  return upstream(`/docs/${name}`);
}

async function refresh(id: number, options: RefreshOptions = {}) {
  const source = await getSource(env.DB, id);
  return refreshSource(env, source!, Date.now(), options);
}

const one = <T>(sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first<T>();
const versions = async (id: number) => {
  const views = sourceViews({ id, tags: [], site: false });
  const { results } = await env.DB.prepare(`SELECT view, version FROM view_versions WHERE view IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(views))
    .all<{ view: string; version: number }>();
  return results;
};
/** Marks every stored item's content hash stale: an item read again is then rewritten, one skipped is not. */
const staleHashes = (id: number) => env.DB.prepare(`UPDATE entries SET content_hash = 'stale' WHERE source_id = ?1`).bind(id).run();
const staleCount = async (id: number) =>
  (await one<{ n: number }>(`SELECT count(*) AS n FROM entries WHERE source_id = ?1 AND content_hash = 'stale'`, id))!.n;
const documentDigest = async (id: number) =>
  (await one<{ digest: string }>('SELECT digest FROM source_documents WHERE source_id = ?1', id))?.digest;

describe('a refresh of an upstream that ignores validators', () => {
  it('stops at the digest of an unchanged document, writing no entry', async () => {
    const url = await serve('steady-same.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    const first = await refresh(id);
    expect(first.outcome).toBe('ok');
    expect(first.items).toMatchObject({ seen: 20, changed: 20, reused: 0 });
    expect(await documentDigest(id)).toMatch(/^[0-9a-f]{64}$/);

    await staleHashes(id);
    const before = await versions(id);
    const second = await refresh(id);
    expect(second.outcome).toBe('unchanged');
    expect(second.status).toBe(200);
    expect(second.items).toBeNull();
    // Nothing was read, so nothing was compared or rewritten, and no view changed.
    expect(await staleCount(id)).toBe(20);
    expect(await versions(id)).toEqual(before);
    const row = await one<{ last_outcome: string; last_status: number }>('SELECT last_outcome, last_status FROM sources WHERE id = ?1', id);
    expect(row).toEqual({ last_outcome: 'not_modified', last_status: 200 });
  });

  it('reads only the item that changed', async () => {
    const url = await serve('steady-one.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    await staleHashes(id);
    await serve('steady-one.xml', feed(twenty.map((i) => (i.n === 7 ? { n: 7, text: 'A corrected body' } : i))));
    const report = await refresh(id);
    expect(report.outcome).toBe('ok');
    expect(report.items).toMatchObject({ seen: 20, changed: 1, reused: 19 });
    const stored = await one<{ content_html: string; content_hash: string }>(
      `SELECT content_html, content_hash FROM entries WHERE source_id = ?1 AND item_key = 'urn:steady:7'`,
      id,
    );
    expect(stored!.content_html).toContain('A corrected body');
    // Sanitized like the first time: the handler is gone, the link absolute.
    expect(stored!.content_html).not.toContain('onclick');
    expect(stored!.content_html).toContain('https://steady.example/x/7');
    expect(await staleCount(id)).toBe(19);
  });

  it('reads every item again under a new ingest version (a new sanitizer policy)', async () => {
    const url = await serve('steady-version.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    const digests = async () =>
      (
        await env.DB.prepare('SELECT ingest_digest AS d FROM entries WHERE source_id = ?1 ORDER BY id').bind(id).all<{ d: string }>()
      ).results.map((r) => r.d);
    const old = await digests();
    expect(old.every((d) => /^[0-9a-f]{32}$/.test(d))).toBe(true);
    await staleHashes(id);
    const report = await refresh(id, { ingestVersion: 'next-sanitizer' });
    expect(report.outcome).toBe('ok');
    expect(report.items).toMatchObject({ seen: 20, changed: 20, reused: 0 });
    expect(await staleCount(id)).toBe(0);
    const now = await digests();
    expect(now.every((d, i) => d !== old[i])).toBe(true);
    // Under that version the same document stops at its digest again.
    expect((await refresh(id, { ingestVersion: 'next-sanitizer' })).outcome).toBe('unchanged');
  });

  it('picks up a new order of the same items, reading none of them', async () => {
    const url = await serve('steady-order.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    const digest = await documentDigest(id);
    await staleHashes(id);
    const before = await versions(id);
    await serve('steady-order.xml', feed([...twenty].reverse()));
    const report = await refresh(id);
    expect(report.outcome).toBe('ok');
    expect(report.items).toMatchObject({ seen: 20, changed: 0, reused: 20 });
    expect(await documentDigest(id)).not.toBe(digest);
    expect(await staleCount(id)).toBe(20);
    expect(await versions(id)).toEqual(before);
    // The new order is the one kept: serving it again is unchanged.
    expect((await refresh(id)).outcome).toBe('unchanged');
  });

  it('writes only the document digest when the document changed but no item did', async () => {
    const url = await serve('steady-channel.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    const digest = await documentDigest(id);
    await staleHashes(id);
    const before = await versions(id);
    await serve('steady-channel.xml', feed(twenty, 'Fri, 02 Jan 2026 00:00:00 GMT'));
    const report = await refresh(id);
    expect(report.outcome).toBe('ok');
    expect(report.items).toMatchObject({ seen: 20, changed: 0, reused: 20 });
    expect(await staleCount(id)).toBe(20);
    expect(await versions(id)).toEqual(before);
    expect(await documentDigest(id)).not.toBe(digest);
  });

  it('adds a new item beside those taken as read, on its own key', async () => {
    const url = await serve('steady-new.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    await serve('steady-new.xml', feed([{ n: 21 }, ...twenty]));
    const report = await refresh(id);
    expect(report.items).toMatchObject({ seen: 21, changed: 1, reused: 20 });
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM entries WHERE source_id = ?1', id))!.n).toBe(21);
  });

  it('reads the document again when asked to refetch', async () => {
    const url = await serve('steady-refetch.xml', feed(twenty));
    const { id } = await addSource(url, { kind: 'feed' });
    await refresh(id);
    await staleHashes(id);
    const report = await refresh(id, { refetch: true });
    expect(report.outcome).toBe('ok');
    expect(report.items).toMatchObject({ seen: 20, changed: 20 });
  });
});
