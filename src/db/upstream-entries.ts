import type { EntryWrite } from '../domain/entry';
import { entryStatements } from './entry-writer';
import { type FetchRecord, recordFetchStatements, sourceViews } from './sources';
import { bumpStatements } from './versions';

/**
 * An upstream item on its way to storage: an EntryWrite whose dates are not settled yet (an item
 * without a usable date keeps the one it got when first seen) and whose hash is not taken yet.
 */
export type UpstreamEntry = Omit<
  EntryWrite,
  'sourceId' | 'itemKey' | 'slug' | 'status' | 'contentHash' | 'url' | 'publishedAt' | 'updatedAt'
> & {
  key: string;
  /** The item's own link; null when it has none. */
  url: string | null;
  publishedAt: number | null;
  updatedAt: number | null;
};

/** What is stored of one upstream item: see storedItemState. */
export type StoredItem = {
  publishedAt: number;
  hash: string | null;
  key: string | null;
  digest: string | null;
  /** The filter rule that blocks it (src/filters/), or null. */
  blockedBy: string | null;
};

/**
 * What is stored of a source's items (at most its cap, one index range): their dates, to keep
 * first-seen times, content hashes, to write only what changed, and the digests of the raw items
 * they were made from, to skip reading those again (src/ingest/unchanged.ts).
 */
export async function storedItemState(db: D1Database, sourceId: number): Promise<Map<string, StoredItem>> {
  const { results } = await db
    .prepare('SELECT id, published_at, content_hash, item_key, ingest_digest, blocked_by FROM entries WHERE source_id = ?1')
    .bind(sourceId)
    .all<{
      id: string;
      published_at: number;
      content_hash: string | null;
      item_key: string | null;
      ingest_digest: string | null;
      blocked_by: string | null;
    }>();
  return new Map(
    results.map((r) => [
      r.id,
      { publishedAt: r.published_at, hash: r.content_hash, key: r.item_key, digest: r.ingest_digest, blockedBy: r.blocked_by },
    ]),
  );
}

/**
 * Writes the new and changed items of a source, trims it to its newest `cap` items, and records
 * the fetch (`record`; null for articles fetched outside a refresh), with the caller's `extra`
 * statements, in one batch (one transaction): a refresh is stored whole or not at all. Views are
 * bumped only when an item really changed.
 */
export async function storeUpstreamEntries(
  db: D1Database,
  source: { id: number; tags: { slug: string }[]; site: boolean },
  changed: (UpstreamEntry & { hash: string; blockedBy?: string | null })[],
  record: FetchRecord | null,
  cap: number,
  now: number,
  extra: D1PreparedStatement[] = [],
  /** One part of a refresh stored in parts (src/ingest/large-feed.ts): the items only; its last part trims, counts and bumps. */
  part = false,
): Promise<{ removed: number }> {
  const statements = entryStatements(
    db,
    changed.map(({ key, hash, publishedAt, updatedAt, ...e }) => ({
      ...e,
      sourceId: source.id,
      itemKey: key,
      slug: null,
      status: 'published',
      contentHash: hash,
      publishedAt: publishedAt ?? now,
      updatedAt: updatedAt ?? publishedAt ?? now,
    })),
  );
  if (part) {
    await db.batch([...statements, ...extra]);
    return { removed: 0 };
  }
  const trimIndex = statements.length;
  statements.push(
    // Items that vanished upstream stay; only the oldest beyond the cap go.
    db
      .prepare(
        `DELETE FROM entries WHERE source_id = ?1 AND id NOT IN (
           SELECT id FROM entries WHERE source_id = ?1 ORDER BY visible_at DESC, id DESC LIMIT ?2)`,
      )
      .bind(source.id, cap),
    db.prepare('UPDATE sources SET item_count = (SELECT count(*) FROM entries WHERE source_id = ?1) WHERE id = ?1').bind(source.id),
    ...(record ? recordFetchStatements(db, source.id, record, now) : []),
    ...extra,
  );
  if (changed.length) statements.push(...bumpStatements(db, sourceViews(source), now));
  const results = await db.batch(statements);
  const removed = results[trimIndex]!.meta.changes ?? 0;
  if (removed > 0 && !changed.length) await db.batch(bumpStatements(db, sourceViews(source), now));
  return { removed };
}
