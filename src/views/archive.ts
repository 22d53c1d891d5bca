import type { SiteConfig } from '../config';
import type { FeedFormat } from '../domain/format';
import { definitionOf, type View, viewPath } from './registry';
import { FEED_FILES, type FeedVariant, variantParams } from './urls';

// Complete history: RFC 5005 §4, "Archived Feeds". A view's visible entries, oldest first by
// (visible_at, id), are cut into pages of ARCHIVE_PAGE_SIZE counted from the oldest: page 1 holds
// the oldest 20, page 2 the next 20, and so on. A new entry is the newest, so it never moves an
// entry from one page to another: an archive's membership changes only when an entry is deleted or
// unpublished, or one is dated (or backdated) before the page's newest entry; then that page and
// every newer one shift, and their versions (ETags) change.
//
// The subscription document (the feed without `?limit`) holds every entry that is not archived:
// the newest ARCHIVE_PAGE_SIZE to 2 × ARCHIVE_PAGE_SIZE − 1, so that a page is archived only when
// the subscription document keeps at least a full page after it. Subscription document and
// archives together hold every entry exactly once. Archive pages come two at least: a lone page
// would link no other archive (it is both the oldest and the newest), which RFC 5005 allows but
// readers and the W3C validator ("Archive incomplete") take for a broken archive; so a feed of
// fewer than 3 × ARCHIVE_PAGE_SIZE entries is complete (fh:complete) and holds them all.

/** Entries per archive page, and the fewest the subscription document holds when there are archives. */
export const ARCHIVE_PAGE_SIZE = 20;

/** Archived pages of a view holding `total` visible entries: pages 1 to this number exist. */
export const archivedPages = (total: number): number => (total < 3 * ARCHIVE_PAGE_SIZE ? 0 : Math.floor(total / ARCHIVE_PAGE_SIZE) - 1);

/** Entries the subscription document holds (the newest ones): everything after the archived pages. */
export const currentSize = (total: number): number => total - archivedPages(total) * ARCHIVE_PAGE_SIZE;

/**
 * Archive page `page` in each format: `<view path>archive/<page>/<file>`, with the view's query (a
 * planet's `?tag=`) and the variant's `?content=summary` (`?limit` has no archive), e.g.
 * `/tags/news/archive/3/atom.xml`.
 */
export function archiveUrls(config: SiteConfig, view: View, page: number, variant: FeedVariant): Record<FeedFormat, string> {
  const base = `${config.url}${viewPath(view)}archive/${page}/`;
  const params = [definitionOf(view).query(view).replace(/^\?/, ''), ...variantParams({ ...variant, limit: null })].filter(Boolean);
  const query = params.length ? `?${params.join('&')}` : '';
  return { rss: base + FEED_FILES.rss + query, atom: base + FEED_FILES.atom + query, json: base + FEED_FILES.json + query };
}
