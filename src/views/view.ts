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
 * Where a kind of view is served, and what in the request names the view: `page` is its HTML
 * page's route (Hono syntax, ending in `/`); its feeds are routed at `<page><file>` and its
 * archive pages at `<page>archive/:page/<file>` (src/routes/feeds.ts, src/routes/pages.ts).
 * `by` says what names the view: nothing, the path's `:slug`, the path's `:id` (a whole number
 * from 1), or the query's optional `?tag=<slug>`. `slashless`: the page's path without its last
 * `/` redirects to the page.
 */
export type ViewRoute<V extends View> = { page: string; slashless: boolean } & (
  | { by: null; view(): V }
  | { by: 'slug'; view(slug: string): V }
  | { by: 'id'; view(id: number): V }
  | { by: 'tag'; view(tag: string | null): V }
);

/** Everything the rest of the code asks about a kind of view. */
export type ViewDefinition<V extends View = View> = {
  kind: V['kind'];
  /** Its key in `view_versions` and in cache keys; `fromKey` reads one back (null: not this kind). */
  key(view: V): string;
  fromKey(key: string): V | null;
  /** Its routes, and the view a matched route names. */
  route: ViewRoute<V>;
  /** Path of its HTML page, ending in `/`; its feeds live beside it (`<path>feed.xml` …). */
  path(view: V): string;
  /** The inverse of `path` and `query` (the path percent-encoded as in a URL); null: not this kind. */
  fromPath(path: string, query: URLSearchParams): V | null;
  /** The query string that completes its URLs: `''`, or `?tag=<slug>` for a tagged planet. */
  query(view: V): string;
  /** What a 404 says when it does not exist. */
  missing(view: V): string;
  /** Feed and page title and description, from its display name (null when it has none). */
  describe(config: SiteConfig, view: V, name: string | null): { title: string; description: string };
  /** Own posts: authors and tags link to their pages here. Upstream items link to the upstream. */
  ownPosts: boolean;
  /**
   * Its page also lists the sources it merges, with their health: whether it lists a source, by
   * the source's tag slugs. Null: its page lists entries only.
   */
  listsSources: ((view: V, sourceTags: readonly string[]) => boolean) | null;
  /** The views of this kind that a write changed. */
  touchedBy(change: Change): V[];
};
