import type { PodcastSettings } from '../config';
import type { Author, Enclosure } from '../domain/entry';
import type { FeedFormat } from '../domain/format';

/** The formats a document is rendered in (src/domain/format.ts). */
export type { FeedFormat, PreviewFormat, ViewFormat } from '../domain/format';

/** One entry as the renderers see it: every URL absolute, every date final. */
export type FeedItem = {
  id: string;
  /** The item's permalink; null for an upstream item that has none (no link is made up for it). */
  url: string | null;
  title: string;
  /** HTML, URLs absolute. */
  summaryHtml: string;
  /** HTML, URLs absolute. */
  contentHtml: string;
  published: Date;
  updated: Date;
  /** Authors, each with `page`, the URL of their page on this site. */
  authors: (Author & { page: string })[];
  /** Tags, each with its page here (null for upstream categories, which have none); `term`: an upstream Atom term its name labels. */
  categories: { name: string; url: string | null; term?: string }[];
  /** Every enclosure, URLs absolute, in the stored order (RSS `<enclosure>` takes the first). */
  enclosures: Enclosure[];
  image: string | null;
  /** The item's language when it differs from the feed's (Atom xml:lang, RSS dc:language, JSON language); null: the feed's. */
  language: string | null;
  /** The upstream feed an aggregated item comes from (Atom and RSS `source`, JSON `_syndicate`). */
  origin: { title: string; feedUrl: string; homeUrl: string } | null;
  /**
   * The feed the upstream says the item came from before (its own RSS/Atom `source`): Atom and RSS
   * `source` credit it instead of `origin`, as RFC 4287 §4.2.11 keeps a source already present.
   */
  via?: { title: string | null; id: string | null; feedUrl: string | null; homeUrl: string | null } | null;
};

/** Everything a renderer needs, and nothing else: `(document, format) -> bytes`. */
export type FeedDocument = {
  title: string;
  description: string;
  language: string;
  /** The HTML page this feed stands for. */
  homeUrl: string;
  /** The feed's id (Atom `id`): its plain Atom URL, the same for every variant. */
  id: string;
  /** Self URLs of the three formats of this feed, with the variant's query (`?limit`, `?content`). */
  links: Record<FeedFormat, string>;
  /** RFC 5005 archive links and marks (src/views/archive.ts); absent: none (`?limit` feeds, HTML pages). */
  history?: FeedHistory;
  /** The summary variant's URLs of the plain feed (what the HTML pages advertise beside `links`). */
  summaryLinks: Record<FeedFormat, string>;
  /** `?content=summary`: items carry their summary only (no content:encoded, Atom content, content_html). */
  summaryOnly: boolean;
  /** Square image (Atom icon, JSON icon and favicon) and wide image (Atom logo, RSS image); null: none. */
  icon: string | null;
  logo: string | null;
  /**
   * Set when the feed is a podcast (an own-post feed with audio anywhere in its history) and the
   * settings describe a complete show: its iTunes tags (RSS only). Null: no iTunes tags at all.
   */
  podcast: (PodcastSettings & { author: string }) | null;
  /** WebSub hub advertised with rel="hub", or null (no hub, or a document the hub is not told about: HUB_VARIANTS). */
  hub: string | null;
  /** Taxonomy URL of the categories (RSS `domain`, Atom `scheme`); null where they are upstream's. */
  categoryScheme: string | null;
  /** Set when a move sends readers here (POST /api/moves): a podcast's RSS says `itunes:new-feed-url`. */
  newFeedUrl?: string;
  /** Set on a retired feed's farewell (src/moves/farewell.ts): JSON Feed says `expired`. */
  expired?: boolean;
  /** The feed's last change: its newest entry's update time, never the render time. */
  updated: Date;
  items: FeedItem[];
};

/** History namespace of RFC 5005 (Feed Paging and Archiving). */
export const FH_NS = 'http://purl.org/syndication/history/1.0';

/**
 * A feed document's place in its complete history (RFC 5005 §4). JSON Feed has no archive
 * relations: its `next_url` (JSON Feed 1.1 paging) points at `prev`, the next older page.
 */
export type FeedHistory = {
  /**
   * `complete`: a subscription document holding every entry (fh:complete); `archive`: an archive
   * page (fh:archive); null: a subscription document with archive pages before it.
   */
  mark: 'complete' | 'archive' | null;
  /** `prev-archive`: the next older archive page, in each format; null: none. */
  prev: Record<FeedFormat, string> | null;
  /** `next-archive`: the next newer archive page; null: none (the newest archive, or not an archive). */
  next: Record<FeedFormat, string> | null;
  /** `current`: the subscription document (archive pages only). */
  current: Record<FeedFormat, string> | null;
};
