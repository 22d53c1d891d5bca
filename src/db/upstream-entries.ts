import type { EntryWrite } from '../domain/entry';
import type { FilterRule } from '../domain/filters';
import type { Source } from '../domain/source';
import { type ViewFiltersRow, viewFiltersOf, viewFiltersStatement } from './filters';
import { entryStatements } from './entry-writer';
import { type FetchRecord, readSourceStatement, recordFetchStatements, sourceOfResult, sourceViews } from './sources';
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

type StoredItemRow = {
  id: string;
  published_at: number;
  content_hash: string | null;
  item_key: string | null;
  ingest_digest: string | null;
  blocked_by: string | null;
};

const storedItemStatement = (db: D1Database, sourceId: number) =>
  db.prepare('SELECT id, published_at, content_hash, item_key, ingest_digest, blocked_by FROM entries WHERE source_id = ?1').bind(sourceId);

const storedItemsOf = (rows: StoredItemRow[]): Map<string, StoredItem> =>
  new Map(
    rows.map((r) => [
      r.id,
      { publishedAt: r.published_at, hash: r.content_hash, key: r.item_key, digest: r.ingest_digest, blockedBy: r.blocked_by },
    ]),
  );

/**
 * What is stored of a source's items (at most its cap, one index range): their dates, to keep
 * first-seen times, content hashes, to write only what changed, and the digests of the raw items
 * they were made from, to skip reading those again (src/ingest/unchanged.ts).
 */
export async function storedItemState(db: D1Database, sourceId: number): Promise<Map<string, StoredItem>> {
  return storedItemsOf((await storedItemStatement(db, sourceId).all<StoredItemRow>()).results);
}

/**
 * storedItemState, and the rules of the views `viewKeys` (filters.ts, viewFilters) that judge what
 * the refresh writes, in one trip to D1.
 */
export async function refreshState(
  db: D1Database,
  sourceId: number,
  viewKeys: string[],
): Promise<{ stored: Map<string, StoredItem>; viewRules: Map<string, FilterRule[]> }> {
  if (viewKeys.length === 0) return { stored: await storedItemState(db, sourceId), viewRules: new Map() };
  const [items, views] = await db.batch([storedItemStatement(db, sourceId), viewFiltersStatement(db, viewKeys)]);
  return {
    stored: storedItemsOf(items!.results as StoredItemRow[]),
    viewRules: viewFiltersOf(views!.results as ViewFiltersRow[]),
  };
}

/**
 * Writes the new and changed items of a source, trims it to its newest `cap` items, and records
 * the fetch (`record`; null for articles fetched outside a refresh), with the caller's `extra`
 * statements, in one batch (one transaction): a refresh is stored whole or not at all. Views are
 * bumped only when an item really changed. With `readBack`, the batch ends by reading the source
 * back (recordFetch's `readBack`).
 */
export async function storeUpstreamEntries(
  db: D1Database,
  source: { id: number; tags: { slug: string }[]; site: boolean },
  changed: (UpstreamEntry & { hash: string; blockedBy?: string | null })[],
  record: FetchRecord | null,
  cap: number,
  now: number,
  extra: D1PreparedStatement[] = [],
  {
    readBack = false,
    part = false,
  }: {
    /** End the batch by reading the source back (recordFetch's `readBack`). */
    readBack?: boolean;
    /** One part of a refresh stored in parts (src/ingest/large-feed.ts): the items only; its last part trims, counts and bumps. */
    part?: boolean;
  } = {},
): Promise<{ removed: number; source: Source | null }> {
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
    return { removed: 0, source: null };
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
  if (readBack) statements.push(readSourceStatement(db, source.id));
  const results = await db.batch(statements);
  const removed = results[trimIndex]!.meta.changes ?? 0;
  if (removed > 0 && !changed.length) await db.batch(bumpStatements(db, sourceViews(source), now));
  return { removed, source: readBack ? sourceOfResult(results.at(-1)!) : null };
}
