import type { SiteConfig } from '../config';
import { definitionOf, pageUrl, type View, viewFromPath, viewPath } from './registry';
import type { FeedFormat } from '../domain/format';

/** File name of each feed format under a view's path. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

export { pageUrl, viewPath };

/**
 * What a feed URL's query asks for besides the view. It is part of the document's own URL (its
 * self link, which must match the address it was fetched from), of its ETag and of its cache key.
 */
export type FeedVariant = {
  /** `?limit=N` as the reader asked for it; null: not asked (the default number of items). */
  limit: number | null;
  /** `?content=summary`: summaries only, no full content. */
  content: 'full' | 'summary';
  /** An HTML list's `?page=N` (1 = the newest entries); absent: page 1. Feeds have none. */
  page?: number;
  /** `?filter=a|b`: only items whose title or content holds one of these (canonical: urlFilterTerms); absent: all. */
  filter?: readonly string[];
  /** `?filterout=a|b`: not the items whose title or content holds one of these; absent: none dropped. */
  filterout?: readonly string[];
};

/** Whether a variant carries a subscriber's word filter (docs/filters.md). */
export const filtered = (variant: FeedVariant): boolean => Boolean(variant.filter?.length || variant.filterout?.length);

export const DEFAULT_VARIANT: FeedVariant = { limit: null, content: 'full' };
export const SUMMARY_VARIANT: FeedVariant = { limit: null, content: 'summary' };

/**
 * The variants whose documents are WebSub topics: a view's subscription documents, full and
 * summaries only (the HTML pages and the OPML offer both). announce() pings each of them in every
 * format when the view changes, and only they advertise the hub (advertisedHub). A `?limit=N`
 * document (one of a hundred per variant and format) and archive pages are read by polling.
 */
export const HUB_VARIANTS: readonly FeedVariant[] = [DEFAULT_VARIANT, SUMMARY_VARIANT];

/** The hub a document of this variant advertises (rel="hub", `hubs`, the Link header): see HUB_VARIANTS. */
export function advertisedHub(config: SiteConfig, variant: FeedVariant): string | null {
  return !filtered(variant) && HUB_VARIANTS.some((v) => v.limit === variant.limit && v.content === variant.content) ? config.hub : null;
}

/**
 * The variant's query parameters, in the one order self links use: `limit`, `content`, `filter`,
 * `filterout`; a filter's terms in canonical form, percent-encoded (a space %20, `|` %7C).
 */
export function variantParams(variant: FeedVariant): string[] {
  const params: string[] = [];
  if (variant.limit !== null) params.push(`limit=${variant.limit}`);
  if (variant.content === 'summary') params.push('content=summary');
  if (variant.filter?.length) params.push(`filter=${encodeURIComponent(variant.filter.join('|'))}`);
  if (variant.filterout?.length) params.push(`filterout=${encodeURIComponent(variant.filterout.join('|'))}`);
  return params;
}

/** Absolute URLs of a view's feeds in each format, for one variant (by default the plain feed). */
export function feedUrls(config: SiteConfig, view: View, variant: FeedVariant = DEFAULT_VARIANT): Record<FeedFormat, string> {
  const base = config.url + viewPath(view);
  const params = [definitionOf(view).query(view).replace(/^\?/, ''), ...variantParams(variant)].filter(Boolean);
  const query = params.length ? `?${params.join('&')}` : '';
  return { rss: base + FEED_FILES.rss + query, atom: base + FEED_FILES.atom + query, json: base + FEED_FILES.json + query };
}

/**
 * The view and format of one of our feed URLs (absolute, on SITE_URL), or null: `<view path>` +
 * a FEED_FILES name, and the view's query (a planet's `?tag=`).
 */
export function feedAt(config: SiteConfig, url: string): { view: View; format: FeedFormat } | null {
  const parsed = new URL(url);
  if (parsed.origin !== new URL(config.url).origin) return null;
  const slash = parsed.pathname.lastIndexOf('/') + 1;
  const file = parsed.pathname.slice(slash);
  const format = (Object.keys(FEED_FILES) as FeedFormat[]).find((f) => FEED_FILES[f] === file);
  if (!format) return null;
  const view = viewFromPath(parsed.pathname.slice(0, slash), parsed.searchParams);
  return view ? { view, format } : null;
}

export function postUrl(config: SiteConfig, slug: string): string {
  return `${config.url}/posts/${encodeURIComponent(slug)}`;
}

/** Page `page` of a view's HTML list: its page URL, with `?page=N` from page 2 on (and a planet's `?tag=`). */
export function listPageUrl(config: SiteConfig, view: View, page: number): string {
  const params = [definitionOf(view).query(view).replace(/^\?/, ''), page > 1 ? `page=${page}` : ''].filter(Boolean);
  return config.url + viewPath(view) + (params.length ? `?${params.join('&')}` : '');
}
