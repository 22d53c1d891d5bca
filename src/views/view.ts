import type { SiteConfig } from '../config';

/** A feed: a named selection of entries, newest first. One definition per kind (see registry.ts). */
export type View =
  | { kind: 'site' }
  | { kind: 'tag'; slug: string }
  | { kind: 'author'; slug: string }
  /** One upstream feed, cleaned. */
  | { kind: 'source'; id: number }
  /** Every upstream feed merged, or those of the sources the publisher tagged `tag`. */
  | { kind: 'planet'; tag: string | null };

/** What a write changed, for each view kind to say which of its views show it. */
export type Change =
  /** An own post, with the tag and author slugs it had before and has after the write. */
  | { kind: 'post'; tags: string[]; authors: string[] }
  /** An upstream source (its items, title or tags), with its tag slugs before and after; `site`: its posts are the site's too. */
  | { kind: 'source'; id: number; tags: string[]; site: boolean };

/**
 * A view's SQL. Each selection reads one index range in order (see migrations/0001 and 0003):
 * no scan, no sort, so a view costs the same with 100 entries stored as with 100,000. Only
 * src/db/entries.ts runs these.
 */
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

/** Everything the rest of the code asks about a kind of view. */
export type ViewDefinition<V extends View = View> = {
  kind: V['kind'];
  /** Its key in `view_versions` and in cache keys; `fromKey` reads one back (null: not this kind). */
  key(view: V): string;
  fromKey(key: string): V | null;
  /** Path of its HTML page, ending in `/`; its feeds live beside it (`<path>feed.xml` …). */
  path(view: V): string;
  /** The inverse of `path` and `query` (the path percent-encoded as in a URL); null: not this kind. */
  fromPath(path: string, query: URLSearchParams): V | null;
  /** The query string that completes its URLs: `''`, or `?tag=<slug>` for a tagged planet. */
  query(view: V): string;
  selection(view: V): ViewSelection;
  /** The value bound to ?3 in its selection (a slug or an id); null when it selects by none. */
  param(view: V): string | number | null;
  /** What a 404 says when it does not exist. */
  missing(view: V): string;
  /** Feed and page title and description, from its display name (null when it has none). */
  describe(config: SiteConfig, view: V, name: string | null): { title: string; description: string };
  /** Own posts: authors and tags link to their pages here. Upstream items link to the upstream. */
  ownPosts: boolean;
  /** The views of this kind that a write changed. */
  touchedBy(change: Change): V[];
};
