import { type FilterRule, parseStoredFilters } from '../domain/filters';

// Filter rules in D1 (migration 0022): a view's own rules, the stored items they are judged on, and
// the marks they leave: entries.blocked_by (a source's rules) and entry_view_blocks (a view's).

/** The rules of each view key given that has any. */
export async function viewFilters(db: D1Database, keys: string[]): Promise<Map<string, FilterRule[]>> {
  if (keys.length === 0) return new Map();
  return viewFiltersOf((await viewFiltersStatement(db, keys).all<ViewFiltersRow>()).results);
}

/** The row viewFiltersStatement reads: one per view with rules. */
export type ViewFiltersRow = { view: string; filters: string };

/** The statement viewFilters runs, for a caller that batches it with other reads (its rows go to viewFiltersOf). */
export function viewFiltersStatement(db: D1Database, keys: string[]): D1PreparedStatement {
  return db.prepare('SELECT view, filters FROM view_filters WHERE view IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(keys));
}

/** viewFiltersStatement's rows as viewFilters answers them. */
export function viewFiltersOf(rows: ViewFiltersRow[]): Map<string, FilterRule[]> {
  return new Map(rows.map((r) => [r.view, parseStoredFilters(r.filters)] as const).filter(([, rules]) => rules.length > 0));
}

/** Stores a view's rules (an empty list removes them). */
export function setViewFiltersStatement(db: D1Database, key: string, rules: FilterRule[], now: number): D1PreparedStatement {
  return rules.length === 0
    ? db.prepare('DELETE FROM view_filters WHERE view = ?1').bind(key)
    : db
        .prepare(
          `INSERT INTO view_filters (view, filters, updated_at) VALUES (?1, ?2, ?3)
           ON CONFLICT (view) DO UPDATE SET filters = excluded.filters, updated_at = excluded.updated_at`,
        )
        .bind(key, JSON.stringify(rules), now);
}

/** A stored upstream item as the rules read it. */
export type FilterableRow = {
  id: string;
  source_id: number;
  title: string;
  summary: string;
  content_html: string;
  url: string | null;
  enclosures: string;
  published_at: number;
  blocked_by: string | null;
  /** JSON arrays of names. */
  authors: string;
  tags: string;
};

const FILTERABLE = `SELECT e.id, e.source_id, e.title, e.summary, e.content_html, e.url, e.enclosures, e.published_at, e.blocked_by,
  (SELECT json_group_array(name) FROM (SELECT name FROM entry_authors WHERE entry_id = e.id ORDER BY position)) AS authors,
  (SELECT json_group_array(name) FROM (SELECT name FROM entry_tags WHERE entry_id = e.id ORDER BY position)) AS tags
  FROM entries e`;

/** The stored items of one source, newest first. */
export async function sourceFilterables(db: D1Database, sourceId: number): Promise<FilterableRow[]> {
  const { results } = await db
    .prepare(`${FILTERABLE} WHERE e.source_id = ?1 ORDER BY e.published_at DESC, e.id DESC`)
    .bind(sourceId)
    .all<FilterableRow>();
  return results;
}

/** The stored items of the sources given (a view's sources), newest first. */
export async function sourcesFilterables(db: D1Database, sourceIds: number[]): Promise<FilterableRow[]> {
  const { results } = await db
    .prepare(`${FILTERABLE} WHERE e.source_id IN (SELECT value FROM json_each(?1)) ORDER BY e.published_at DESC, e.id DESC`)
    .bind(JSON.stringify(sourceIds))
    .all<FilterableRow>();
  return results;
}

/** The ids of the sources whose items a view merges: the site's, every source, or a tag's. */
export async function viewSourceIds(db: D1Database, key: string): Promise<number[]> {
  const statement =
    key === 'site'
      ? db.prepare('SELECT id FROM sources WHERE site = 1')
      : key === 'planet'
        ? db.prepare('SELECT id FROM sources')
        : db.prepare('SELECT source_id AS id FROM source_tags WHERE slug = ?1').bind(key.slice('planet-tag:'.length));
  const { results } = await statement.all<{ id: number }>();
  return results.map((r) => r.id);
}

/** Marks a source's items as its rules judged them (`reason` null: served). */
export function blockedByStatement(db: D1Database, verdicts: { id: string; reason: string | null }[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE entries SET blocked_by = v.value ->> '$.reason'
       FROM (SELECT value FROM json_each(?1)) AS v WHERE entries.id = v.value ->> '$.id'`,
    )
    .bind(JSON.stringify(verdicts));
}

/** One item a view's rules block in that view. */
export type ViewBlock = { view: string; entryId: string; reason: string };

/**
 * Replaces the view blocks of the items given (ids) by `blocks`: an item written again is judged
 * again by every view it shows in.
 */
export function entryViewBlockStatements(db: D1Database, entryIds: string[], blocks: ViewBlock[]): D1PreparedStatement[] {
  if (entryIds.length === 0) return [];
  return [
    db.prepare('DELETE FROM entry_view_blocks WHERE entry_id IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(entryIds)),
    ...(blocks.length ? [insertBlocks(db, blocks)] : []),
  ];
}

/** Replaces every block of one view by `blocks` (its rules changed). */
export function viewBlockStatements(db: D1Database, view: string, blocks: ViewBlock[]): D1PreparedStatement[] {
  return [db.prepare('DELETE FROM entry_view_blocks WHERE view = ?1').bind(view), ...(blocks.length ? [insertBlocks(db, blocks)] : [])];
}

/** Blocks of items still stored (a refresh may trim the item it judged, in the same batch). */
function insertBlocks(db: D1Database, blocks: ViewBlock[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR REPLACE INTO entry_view_blocks (view, entry_id, reason)
       SELECT value ->> '$.view', value ->> '$.entryId', value ->> '$.reason' FROM json_each(?1)
       WHERE EXISTS (SELECT 1 FROM entries WHERE id = value ->> '$.entryId')`,
    )
    .bind(JSON.stringify(blocks));
}

/** The tags with a planet of their own whose rules the console offers: the sources' tags, and any with rules stored. */
export async function filteredTags(db: D1Database): Promise<{ slug: string; name: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT slug, min(name) AS name FROM (
         SELECT slug, name FROM source_tags
         UNION ALL SELECT substr(view, 12), substr(view, 12) FROM view_filters WHERE view LIKE 'planet-tag:%'
       ) GROUP BY slug ORDER BY slug`,
    )
    .all<{ slug: string; name: string }>();
  return results;
}
