import type { View } from '../views/registry';

// The SQL of every kind of view (src/views/ holds what they are: keys, paths, names). Each
// selection reads one index range in order (see migrations/0001 and 0003): no scan, no sort, so a
// view costs the same with 100 entries stored as with 100,000. src/db/entries.ts and
// src/db/history.ts run these.

/** A view's SQL. */
export type ViewSelection = {
  /** Visible entries, newest first, as (id, dedupe key). Binds: ?1 now, ?2 limit, ?3 param. */
  ids: string;
  /** Newest visible_at of the view. Binds: ?1 now, ?3 param. */
  newest: string;
  /**
   * The earliest visible_at after now (a scheduled post): until then the stamp cannot move by
   * itself, so a stamp read earlier may be reused (src/serve/stamp-memo.ts). Binds: ?1 now, ?3 param.
   */
  upcoming: string;
  /** Non-null when the view may not exist (then a 404); null: it always exists. Binds: ?1 now, ?3 param. */
  exists: string | null;
  /** Its display name (a tag's, an author's, a source's); null: none. Binds: ?1 param. */
  name: string | null;
  /** Merged views hold the same story from several sources: keep the newest per canonical link. */
  dedupe: boolean;
  /**
   * Its complete history, in archive pages (src/views/archive.ts). Binds: ?1 now, ?2 page size,
   * ?3 param, ?4 offset; each statement is bound up to the highest of these it uses.
   */
  history: {
    /** How many entries are visible: counted over the same index range as `ids`. */
    count: string;
    /** ?2 visible entries from the ?4-th oldest, oldest first by (visible_at, id), as (id, dedupe key, visible_at). */
    page: string;
  };
};

/** The SQL of one kind of view, and the value its statements bind to ?3 (a slug or an id; null: none). */
type KindSql<V extends View> = { selection(view: V): ViewSelection; param(view: V): string | number | null };

/**
 * An upstream entry the view may show: no rule of its source blocks it (entries.blocked_by), and
 * none of the view's own (entry_view_blocks, keyed by the view's key). Filters: docs/filters.md.
 */
const SERVED = (view: string) =>
  `blocked_by IS NULL AND NOT EXISTS (SELECT 1 FROM entry_view_blocks b WHERE b.view = '${view}' AND b.entry_id = entries.id)`;
const TAGGED_SERVED = `e.blocked_by IS NULL AND NOT EXISTS (
  SELECT 1 FROM entry_view_blocks b WHERE b.view = 'planet-tag:' || ?3 AND b.entry_id = e.id)`;

/**
 * The site's own published posts: those written through the API, and the posts of the sources
 * that feed the site (`site`: the publisher's own web pages read by a page source). Each branch
 * reads its newest entries from its own index range, at most `limit` each; only those are merged
 * (a site has few sources that feed it, and each keeps at most ITEMS_PER_SOURCE entries).
 */
const SITE: ViewSelection = {
  ids: `SELECT id, NULL FROM (
          SELECT * FROM (SELECT id, visible_at FROM entries WHERE source_id IS NULL AND visible_at <= ?1
                         ORDER BY visible_at DESC, id DESC LIMIT ?2)
          UNION ALL
          SELECT * FROM (SELECT id, visible_at FROM entries
                         WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND ${SERVED('site')} AND visible_at <= ?1
                         ORDER BY visible_at DESC, id DESC LIMIT ?2))
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(v) FROM (
             SELECT max(visible_at) AS v FROM entries WHERE source_id IS NULL AND visible_at <= ?1
             UNION ALL
             SELECT max(visible_at) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND ${SERVED('site')} AND visible_at <= ?1)`,
  upcoming: `SELECT min(v) FROM (
             SELECT min(visible_at) AS v FROM entries WHERE source_id IS NULL AND visible_at > ?1
             UNION ALL
             SELECT min(visible_at) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND ${SERVED('site')} AND visible_at > ?1)`,
  exists: null,
  name: null,
  dedupe: false,
  history: {
    count: `SELECT (SELECT count(*) FROM entries WHERE source_id IS NULL AND visible_at <= ?1)
                 + (SELECT count(*) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND ${SERVED('site')} AND visible_at <= ?1)`,
    // A compound ORDER BY: SQLite merges the two ordered ranges instead of sorting their union.
    page: `SELECT id, NULL, visible_at FROM entries WHERE source_id IS NULL AND visible_at <= ?1
           UNION ALL
           SELECT id, NULL, visible_at FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND ${SERVED('site')} AND visible_at <= ?1
           ORDER BY 3, 1 LIMIT ?2 OFFSET ?4`,
  },
};

/**
 * A tag's or an author's own posts. Both read their join table (`entry_tags`, `entry_authors`),
 * whose `visible_at` copy makes the view one index range; they exist while they have a visible post.
 */
function taxonomy(table: 'entry_tags' | 'entry_authors'): ViewSelection {
  const newest = `SELECT max(visible_at) FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1`;
  return {
    ids: `SELECT entry_id, NULL FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1
          ORDER BY visible_at DESC, entry_id DESC LIMIT ?2`,
    newest,
    upcoming: `SELECT min(visible_at) FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at > ?1`,
    exists: newest,
    name: `SELECT name FROM ${table} WHERE slug = ?1 AND source_id IS NULL ORDER BY visible_at DESC LIMIT 1`,
    dedupe: false,
    history: {
      count: `SELECT count(*) FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1`,
      page: `SELECT entry_id, NULL, visible_at FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1
             ORDER BY visible_at, entry_id LIMIT ?2 OFFSET ?4`,
    },
  };
}
const TAG = taxonomy('entry_tags');
const AUTHOR = taxonomy('entry_authors');

/** One upstream source's items. */
const SOURCE: ViewSelection = {
  ids: `SELECT id, NULL FROM entries WHERE source_id = ?3 AND blocked_by IS NULL AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: 'SELECT max(visible_at) FROM entries WHERE source_id = ?3 AND blocked_by IS NULL AND visible_at <= ?1',
  upcoming: 'SELECT min(visible_at) FROM entries WHERE source_id = ?3 AND blocked_by IS NULL AND visible_at > ?1',
  exists: 'SELECT 1 FROM sources WHERE id = ?3',
  name: 'SELECT coalesce(title_override, title, url) AS name FROM sources WHERE id = ?1',
  dedupe: false,
  history: {
    count: 'SELECT count(*) FROM entries WHERE source_id = ?3 AND blocked_by IS NULL AND visible_at <= ?1',
    page: `SELECT id, NULL, visible_at FROM entries WHERE source_id = ?3 AND blocked_by IS NULL AND visible_at <= ?1
           ORDER BY visible_at, id LIMIT ?2 OFFSET ?4`,
  },
};

/** Every upstream source merged (a "planet"). */
const PLANET: ViewSelection = {
  ids: `SELECT id, canonical_url FROM entries WHERE source_id IS NOT NULL AND ${SERVED('planet')} AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(visible_at) FROM entries WHERE source_id IS NOT NULL AND ${SERVED('planet')} AND visible_at <= ?1`,
  upcoming: `SELECT min(visible_at) FROM entries WHERE source_id IS NOT NULL AND ${SERVED('planet')} AND visible_at > ?1`,
  exists: null,
  name: null,
  dedupe: true,
  history: {
    count: `SELECT count(*) FROM entries WHERE source_id IS NOT NULL AND ${SERVED('planet')} AND visible_at <= ?1`,
    page: `SELECT id, canonical_url, visible_at FROM entries WHERE source_id IS NOT NULL AND ${SERVED('planet')} AND visible_at <= ?1
           ORDER BY visible_at, id LIMIT ?2 OFFSET ?4`,
  },
};

// The sources the publisher tagged: the one selection that is not a single index range, it merges
// the ranges of the tag's sources.
const TAGGED_PLANET: ViewSelection = {
  ids: `SELECT e.id, e.canonical_url FROM source_tags t JOIN entries e ON e.source_id = t.source_id
        WHERE t.slug = ?3 AND ${TAGGED_SERVED} AND e.visible_at <= ?1 ORDER BY e.visible_at DESC, e.id DESC LIMIT ?2`,
  newest: `SELECT max(e.visible_at) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
           WHERE t.slug = ?3 AND ${TAGGED_SERVED} AND e.visible_at <= ?1`,
  upcoming: `SELECT min(e.visible_at) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
             WHERE t.slug = ?3 AND ${TAGGED_SERVED} AND e.visible_at > ?1`,
  exists: 'SELECT 1 FROM source_tags WHERE slug = ?3 LIMIT 1',
  name: 'SELECT name FROM source_tags WHERE slug = ?1 LIMIT 1',
  dedupe: true,
  history: {
    count: `SELECT count(*) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
            WHERE t.slug = ?3 AND ${TAGGED_SERVED} AND e.visible_at <= ?1`,
    page: `SELECT e.id, e.canonical_url, e.visible_at FROM source_tags t JOIN entries e ON e.source_id = t.source_id
           WHERE t.slug = ?3 AND ${TAGGED_SERVED} AND e.visible_at <= ?1 ORDER BY e.visible_at, e.id LIMIT ?2 OFFSET ?4`,
  },
};

const BY_KIND: { [K in View['kind']]: KindSql<Extract<View, { kind: K }>> } = {
  site: { selection: () => SITE, param: () => null },
  tag: { selection: () => TAG, param: (view) => view.slug },
  author: { selection: () => AUTHOR, param: (view) => view.slug },
  source: { selection: () => SOURCE, param: (view) => view.id },
  planet: { selection: (view) => (view.tag === null ? PLANET : TAGGED_PLANET), param: (view) => view.tag },
};

const sqlOf = (view: View) => BY_KIND[view.kind] as KindSql<View>;

/** The SQL of a view. */
export const selectionOf = (view: View): ViewSelection => sqlOf(view).selection(view);

/** The value a view's statements bind to ?3 (a slug or an id); null when it selects by none. */
export const paramOf = (view: View): string | number | null => sqlOf(view).param(view);

/** False for a view that always exists (the site, the whole planet): it is never a 404, even empty. */
export const mayBeMissing = (view: View): boolean => selectionOf(view).exists !== null;
