/**
 * Views are queries: a feed is a named selection of entries, newest first. This module is the
 * only place that knows how each view selects its entries; everything else passes a `View`.
 */
export type View =
  | { kind: 'site' }
  | { kind: 'tag'; slug: string }
  | { kind: 'author'; slug: string }
  /** One upstream feed, cleaned. */
  | { kind: 'source'; id: number }
  /** Every upstream feed merged, or those of the sources the publisher tagged `tag`. */
  | { kind: 'planet'; tag: string | null };

/** The key of a view in `view_versions` and in cache keys. */
export function viewKey(view: View): string {
  switch (view.kind) {
    case 'site':
      return 'site';
    case 'source':
      return `source:${view.id}`;
    case 'planet':
      return view.tag === null ? 'planet' : `planet-tag:${view.tag}`;
    default:
      return `${view.kind}:${view.slug}`;
  }
}

/** The inverse of `viewKey`; null for a key that names no view. */
export function viewFromKey(key: string): View | null {
  if (key === 'site') return { kind: 'site' };
  if (key === 'planet') return { kind: 'planet', tag: null };
  const match = /^(tag|author|source|planet-tag):(.+)$/.exec(key);
  if (!match) return null;
  const [, kind, param] = match as unknown as [string, string, string];
  if (kind === 'source') return { kind: 'source', id: Number(param) };
  if (kind === 'planet-tag') return { kind: 'planet', tag: param };
  return { kind: kind as 'tag' | 'author', slug: param };
}

type ViewSql = {
  /** Visible entries, newest first, as (id, dedupe key). Binds: ?1 now, ?2 limit, ?3 param. */
  ids: string;
  /** Newest visible_at of the view. Binds: ?1 now, ?3 param. */
  newest: string;
  /** Non-null when the view exists at all (else 404); null: the view always exists. Binds: ?1 now, ?3 param. */
  exists: string | null;
  /** Merged views hold the same story from several sources: keep the newest per canonical link. */
  dedupe: boolean;
};

// Each selection reads one index range in order (see migrations/0001 and 0003): no scan, no
// sort, so a view costs the same with 100 posts stored as with 100,000. The one exception is a
// tagged planet, which merges the ranges of the tag's sources.
const OWN_POSTS: ViewSql = {
  ids: `SELECT id, NULL FROM entries WHERE source_id IS NULL AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(visible_at) FROM entries WHERE source_id IS NULL AND visible_at <= ?1`,
  exists: null,
  dedupe: false,
};

function joinView(table: 'entry_tags' | 'entry_authors'): ViewSql {
  const newest = `SELECT max(visible_at) FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1`;
  return {
    ids: `SELECT entry_id, NULL FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1
          ORDER BY visible_at DESC, entry_id DESC LIMIT ?2`,
    newest,
    // A tag or author exists while it has a visible post.
    exists: newest,
    dedupe: false,
  };
}

const SOURCE: ViewSql = {
  ids: `SELECT id, NULL FROM entries WHERE source_id = ?3 AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(visible_at) FROM entries WHERE source_id = ?3 AND visible_at <= ?1`,
  exists: `SELECT 1 FROM sources WHERE id = ?3`,
  dedupe: false,
};

const PLANET: ViewSql = {
  ids: `SELECT id, canonical_url FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(visible_at) FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1`,
  exists: null,
  dedupe: true,
};

const PLANET_TAG: ViewSql = {
  ids: `SELECT e.id, e.canonical_url FROM source_tags t JOIN entries e ON e.source_id = t.source_id
        WHERE t.slug = ?3 AND e.visible_at <= ?1 ORDER BY e.visible_at DESC, e.id DESC LIMIT ?2`,
  newest: `SELECT max(e.visible_at) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
           WHERE t.slug = ?3 AND e.visible_at <= ?1`,
  exists: `SELECT 1 FROM source_tags WHERE slug = ?3 LIMIT 1`,
  dedupe: true,
};

export function viewSql(view: View): ViewSql {
  switch (view.kind) {
    case 'site':
      return OWN_POSTS;
    case 'tag':
      return joinView('entry_tags');
    case 'author':
      return joinView('entry_authors');
    case 'source':
      return SOURCE;
    case 'planet':
      return view.tag === null ? PLANET : PLANET_TAG;
  }
}

/** The value bound to ?3, for views that select by one; null otherwise. */
export function viewParam(view: View): string | number | null {
  switch (view.kind) {
    case 'site':
      return null;
    case 'source':
      return view.id;
    case 'planet':
      return view.tag;
    default:
      return view.slug;
  }
}
