import type { Enclosure, UpstreamSource } from '../domain/entry';

/** A category as text, or an Atom category whose label (`name`) is not its `term`. */
export type UpstreamCategory = string | { name: string; term: string };

/** One upstream item after decoding, parsing, normalizing and sanitizing. */
export type UpstreamItem = {
  key: string;
  guid: string | null;
  title: string;
  url: string | null;
  summaryHtml: string;
  contentHtml: string;
  publishedAt: number | null;
  updatedAt: number | null;
  authors: { name: string; email?: string; url?: string }[];
  categories: UpstreamCategory[];
  enclosures: Enclosure[];
  image: string | null;
  /** The item's own language (BCP 47, canonical); null: none given (the feed's applies). */
  language: string | null;
  /** RSS `<source url>` / Atom `<source>`: the feed the item came from before; null: none. */
  source: UpstreamSource | null;
  /** The digest of the raw fields it was made from, when the refresh keeps one (src/ingest/unchanged.ts). */
  digest?: string;
};

export type UpstreamFeed = {
  format: 'rss' | 'atom' | 'json';
  title: string | null;
  siteUrl: string | null;
  description: string | null;
  ttlMinutes: number | null;
  /** The feed's language (RSS `language`, Atom `xml:lang`, JSON Feed `language`), canonical; null: none. */
  language: string | null;
  /** The feed's own date (RSS channel pubDate/lastBuildDate, Atom feed updated), if it has a usable one. */
  date: number | null;
  items: UpstreamItem[];
  warnings: string[];
};

type ParseErrorKind = 'empty' | 'not_a_feed' | 'invalid_xml' | 'invalid_json' | 'invalid_feed';

export type ParseResult =
  | { ok: true; feed: UpstreamFeed }
  /** `htmlPage`: the document is a web page (it may link to a feed: `alternate`). */
  | { ok: false; kind: ParseErrorKind; message: string; alternate?: string; htmlPage?: true };
