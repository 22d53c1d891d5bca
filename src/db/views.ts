/**
 * Views are queries: a feed is a named selection of entries, newest first. This module is the
 * only place that knows how each view selects its entries; everything else passes a `View`.
 */
export type View =
  | { kind: 'site' }
  | { kind: 'tag'; slug: string }
  | { kind: 'author'; slug: string };

/** The key of a view in `view_versions` and in cache keys. */
export function viewKey(view: View): string {
  return view.kind === 'site' ? 'site' : `${view.kind}:${view.slug}`;
}

/** The inverse of `viewKey`; null for a key that names no view. */
export function viewFromKey(key: string): View | null {
  if (key === 'site') return { kind: 'site' };
  const match = /^(tag|author):(.+)$/.exec(key);
  return match ? { kind: match[1] as 'tag' | 'author', slug: match[2]! } : null;
}

type ViewSql = {
  /** Ids of the view's visible entries, newest first. Binds: ?1 now, ?2 limit, ?3 slug. */
  ids: string;
  /** Newest visible_at of the view. Binds: ?1 now, ?3 slug. */
  newest: string;
};

// Each selection reads one index range in order (see migrations/0001): no scan, no sort, so a
// view costs the same with 100 posts stored as with 100,000.
const OWN_POSTS: ViewSql = {
  ids: `SELECT id FROM entries WHERE source_id IS NULL AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: `SELECT max(visible_at) FROM entries WHERE source_id IS NULL AND visible_at <= ?1`,
};

function joinView(table: 'entry_tags' | 'entry_authors'): ViewSql {
  return {
    ids: `SELECT entry_id FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1
          ORDER BY visible_at DESC, entry_id DESC LIMIT ?2`,
    newest: `SELECT max(visible_at) FROM ${table} WHERE slug = ?3 AND source_id IS NULL AND visible_at <= ?1`,
  };
}

const SQL: Record<View['kind'], ViewSql> = {
  site: OWN_POSTS,
  tag: joinView('entry_tags'),
  author: joinView('entry_authors'),
};

export function viewSql(view: View): ViewSql {
  return SQL[view.kind];
}

export function viewSlug(view: View): string | null {
  return view.kind === 'site' ? null : view.slug;
}
