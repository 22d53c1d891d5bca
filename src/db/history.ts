import type { Entry } from '../domain/entry';
import { ARCHIVE_PAGE_SIZE, currentSize } from '../views/archive';
import { definitionOf, type View } from '../views/registry';
import { paramOf, selectionOf } from './view-sql';
import { findPostsByIds } from './entries';

// The reads of a view's complete history (src/views/archive.ts). Every statement reads the view's
// own index range, as its feed does: counting it, or skipping to an offset in it. Both walk index
// entries only (never table rows) up to the page asked for, so an archive read costs a covering
// index walk of the entries before it plus ARCHIVE_PAGE_SIZE rows (see docs/operations.md, Limits).

/**
 * A history statement with its values bound: ?1 now, ?2 a number of entries, ?3 the view's param,
 * ?4 an offset, up to the highest a statement uses (D1 refuses values beyond its parameters).
 */
function bound(db: D1Database, sql: string, view: View, now: number, size: number, offset = 0): D1PreparedStatement {
  const values = [now, size, paramOf(view), offset];
  const highest = Math.max(0, ...Array.from(sql.matchAll(/\?(\d+)/g), (m) => Number(m[1])));
  return db.prepare(sql).bind(...values.slice(0, highest));
}

/** Keeps the first row per dedupe key (merged views: one copy of a story per document), never reading more rows. */
function distinct(rows: [string, string | null][]): string[] {
  const seen = new Set<string>();
  return rows.filter(([id, key]) => !seen.has(key ?? id) && seen.add(key ?? id)).map(([id]) => id);
}

/**
 * The subscription document's entries: the newest ones not in an archive page (currentSize),
 * newest first, and how many entries the view holds in all.
 */
export async function listCurrentEntries(db: D1Database, view: View, now: number): Promise<{ entries: Entry[]; total: number }> {
  const sql = selectionOf(view);
  const total = (await bound(db, `SELECT (${sql.history.count}) AS total`, view, now, 0).first<{ total: number }>())?.total ?? 0;
  const size = currentSize(total);
  if (size === 0) return { entries: [], total };
  const rows = await bound(db, sql.ids, view, now, size).raw<[string, string | null]>();
  return { entries: await findPostsByIds(db, distinct(rows)), total };
}

/**
 * Page `page` of a view's HTML list (1 = the newest `size` entries), newest first, and how many
 * entries the view holds in all. Pages are counted from the newest, so each is read as the
 * history's slice at the matching offset from the oldest: the same index walk as an archive page.
 * A page past the end has no entries.
 */
export async function listPageEntries(
  db: D1Database,
  view: View,
  now: number,
  page: number,
  size: number,
): Promise<{ entries: Entry[]; total: number }> {
  const sql = selectionOf(view);
  const total = (await bound(db, `SELECT (${sql.history.count}) AS total`, view, now, 0).first<{ total: number }>())?.total ?? 0;
  const skip = (page - 1) * size;
  if (skip >= total) return { entries: [], total };
  const take = Math.min(size, total - skip);
  const rows = await bound(
    db,
    `WITH page (id, key, visible_at) AS (${sql.history.page})
     SELECT id, key FROM page ORDER BY visible_at DESC, id DESC`,
    view,
    now,
    take,
    total - skip - take,
  ).raw<[string, string | null]>();
  return { entries: await findPostsByIds(db, distinct(rows)), total };
}

/**
 * Whether any visible entry of the view, in its whole history, carries audio (an `audio/*`
 * enclosure): what makes a feed a podcast (src/render/build-document.ts), so that its subscription
 * document, its `?limit` and `?content` variants and every archive page agree. Own-post views only
 * (upstream shows are not republished as the site's podcast): others are never podcasts and cost
 * no query. The walk stops at the first entry with audio.
 */
export function carriesAudioStatement(db: D1Database, view: View, now: number): D1PreparedStatement | null {
  if (!definitionOf(view).ownPosts) return null;
  const sql = selectionOf(view);
  // ?2 = -1: no LIMIT (SQLite), ?4 = 0: from the oldest entry. The walk starts from the entries
  // with audio (migrations/0026's partial index: none at all for most publications) and only then
  // asks, for each, whether the view holds it: a correlated EXISTS, which SQLite runs only when
  // there is such an entry, where `IN (SELECT id FROM page)` would read the whole history first.
  return bound(
    db,
    `WITH page (id, key, visible_at) AS (${sql.history.page})
     SELECT EXISTS (SELECT 1 FROM entries e
                    WHERE instr(e.enclosures, '"audio/') > 0
                      AND EXISTS (SELECT 1 FROM json_each(e.enclosures) WHERE json_extract(value, '$.type') LIKE 'audio/%')
                      AND EXISTS (SELECT 1 FROM page WHERE page.id = e.id)) AS audio`,
    view,
    now,
    -1,
    0,
  );
}

/** See carriesAudioStatement. */
export async function viewCarriesAudio(db: D1Database, view: View, now: number): Promise<boolean> {
  const statement = carriesAudioStatement(db, view, now);
  return statement !== null && ((await statement.first<{ audio: number }>())?.audio ?? 0) === 1;
}

/** One entry of an archive page, with what its rendering depends on (its version). */
type PageRow = { id: string; key: string | null; updated_at: number; content_hash: string | null; origin: string | null };

/**
 * An archive page as read for its version stamp: the view's size, the page's entries oldest first,
 * and whether the view is a podcast (viewCarriesAudio).
 */
export type ArchivePage = { total: number; rows: PageRow[]; name: string | null; audio: boolean };

/**
 * Archive page `page` (1 = the oldest ARCHIVE_PAGE_SIZE entries): the view's entry count and the
 * page's entries with their update time, content hash and source, in one round trip (with the
 * view's display name). This is what an archive's ETag is made of; a page past the end has no rows.
 */
export async function readArchivePage(db: D1Database, view: View, now: number, page: number): Promise<ArchivePage> {
  const sql = selectionOf(view);
  const stamp = bound(
    db,
    `WITH page (id, key, visible_at) AS (${sql.history.page})
     SELECT (${sql.history.count}) AS total, page.id AS id, page.key AS key, e.updated_at AS updated_at,
            e.content_hash AS content_hash,
            CASE WHEN s.id IS NOT NULL THEN json_array(s.title_override, s.title, s.url, s.site_url) END AS origin
     FROM (SELECT 1) LEFT JOIN page LEFT JOIN entries e ON e.id = page.id LEFT JOIN sources s ON s.id = e.source_id
     ORDER BY page.visible_at, page.id`,
    view,
    now,
    ARCHIVE_PAGE_SIZE,
    (page - 1) * ARCHIVE_PAGE_SIZE,
  );
  const name = sql.name === null ? null : db.prepare(sql.name).bind(paramOf(view));
  const audio = carriesAudioStatement(db, view, now);
  const [rows, audioRows, names] = await db.batch<Record<string, unknown>>([
    stamp,
    audio ?? db.prepare('SELECT 0 AS audio'),
    ...(name ? [name] : []),
  ]);
  const results = rows!.results as (PageRow & { total: number; id: string | null })[];
  return {
    total: results[0]?.total ?? 0,
    rows: results.filter((r) => r.id !== null),
    name: (names?.results[0] as { name: string } | undefined)?.name ?? null,
    audio: (audioRows?.results[0] as { audio: number } | undefined)?.audio === 1,
  };
}

/** The page's entries, newest first as in every feed, one copy per story in merged views. */
export async function archiveEntries(db: D1Database, page: ArchivePage): Promise<Entry[]> {
  const newestFirst = page.rows.map((r): [string, string | null] => [r.id, r.key]).reverse();
  return findPostsByIds(db, distinct(newestFirst));
}
