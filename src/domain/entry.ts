/** A person credited on an entry. Only `name` is required. */
export type Author = {
  slug: string;
  name: string;
  email?: string;
  url?: string;
};

export type Tag = {
  slug: string;
  name: string;
  /** An upstream category's term when `name` is its label (Atom `<category term label>`). */
  term?: string;
};

/** A media file attached to an entry (podcast audio, video, a download). */
export type Enclosure = {
  url: string;
  type: string;
  length: number;
  /** Playing time in whole seconds (audio, video), when known: iTunes and Media RSS `duration`. */
  duration?: number;
};

/** Where an upstream entry came from: credited in every format (Atom/RSS `source`). */
export type Origin = {
  sourceId: number;
  /** The publisher's name for the source, else the upstream's title, else its URL. */
  title: string;
  feedUrl: string;
  siteUrl: string | null;
};

/**
 * The feed an upstream item itself says it came from (RSS `<source url>`, Atom `<source>`): RSS and
 * Atom output credit it instead of the origin. At least a title or a feed URL.
 */
export type UpstreamSource = { title: string | null; feedUrl: string | null; siteUrl: string | null; id: string | null };

export type EntryStatus = 'draft' | 'published';

/**
 * The one entry model: a post of the site's own, or (with `sourceId`) an item of an upstream
 * feed. Everything after storage (views, renderers, pages) works on this type only.
 */
export type Entry = {
  /** Stable public id: RSS guid, Atom id, JSON Feed id. Never changes. */
  id: string;
  sourceId: number | null;
  slug: string | null;
  title: string;
  /** HTML. */
  summary: string;
  /** HTML. */
  contentHtml: string;
  /** Permalink for upstream items; own posts derive theirs from the slug. */
  url: string | null;
  image: string | null;
  enclosures: Enclosure[];
  /** Its language (BCP 47, canonical); null: the feed's. */
  language: string | null;
  status: EntryStatus;
  publishedAt: Date;
  updatedAt: Date;
  authors: Author[];
  tags: Tag[];
  /** The upstream source of an aggregated entry; null for own posts. */
  origin: Origin | null;
  /** Where the upstream says the item came from before it (see UpstreamSource); null: nowhere else. */
  upstreamSource?: UpstreamSource | null;
};

/**
 * The one write type: what the entry writer (src/db/entry-writer.ts) stores for an own post
 * (`sourceId` null) or an upstream item. Tags and authors come with their slugs.
 */
export type EntryWrite = {
  id: string;
  sourceId: number | null;
  /** An upstream item's identity in its source (guid, link or hash); null for own posts. */
  itemKey: string | null;
  /** An own post's slug; null for upstream items, or for a post that takes the first free slug of its title. */
  slug: string | null;
  title: string;
  summary: string;
  contentHtml: string;
  url: string | null;
  /** The link used to tell the same story apart in merged views; null for own posts. */
  canonicalUrl: string | null;
  image: string | null;
  enclosures: Enclosure[];
  /** BCP 47, canonical (src/domain/language.ts); null: unknown. */
  language: string | null;
  status: EntryStatus;
  publishedAt: number;
  updatedAt: number;
  /** Upstream items: a hash of what was stored, so that a refresh writes only what changed. */
  contentHash: string | null;
  /** Upstream items: where the upstream says the item came from; absent or null: nowhere else. */
  upstreamSource?: UpstreamSource | null;
  /** Upstream items: the source's filter rule that blocks it (`filters.<n>`, `filters.keep`); absent or null: served. */
  blockedBy?: string | null;
  authors: Author[];
  tags: Tag[];
};
