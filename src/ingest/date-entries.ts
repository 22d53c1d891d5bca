// The date step of a refresh: every entry gets the dates it is stored with, and its content hash.

import type { UpstreamEntry } from '../db/upstream-entries';
import { contentHash } from './entries';

/** An entry with its dates settled and its content hash taken: ready to compare with the stored copy. */
export type DatedEntry = UpstreamEntry & { hash: string };

/**
 * Dates `entries` (in place) and hashes them. An item without a usable date keeps the date it got
 * when first seen, on every later refresh, so it never jumps to the top of a merged feed again.
 * First seen on a source's first refresh (nothing `stored`), it is dated below the feed's dated
 * items (undatedAnchor); first seen later, it is new: the time it was first seen. Future dates are
 * clamped to that time. Items dated together keep the feed's order, a millisecond apart.
 */
export async function dateEntries(
  entries: UpstreamEntry[],
  stored: Map<string, { publishedAt: number }>,
  feedDate: number | null,
  now: number,
  /** The position of the first entry in the feed (a window of a large one: src/ingest/large-feed.ts). */
  first = 0,
): Promise<DatedEntry[]> {
  const dated: DatedEntry[] = [];
  const undatedAt = undatedAnchor(entries, stored.size === 0, feedDate, now);
  let undated = 0;
  for (const [n, entry] of entries.entries()) {
    const index = first + n;
    const before = stored.get(entry.id);
    if (entry.publishedAt === null) entry.publishedAt = before?.publishedAt ?? (undatedAt !== null ? undatedAt - ++undated : now - index);
    else if (entry.publishedAt > now) entry.publishedAt = before?.publishedAt ?? now - index;
    if (entry.updatedAt === null || entry.updatedAt > now || entry.updatedAt < entry.publishedAt) entry.updatedAt = entry.publishedAt;
    dated.push({ ...entry, hash: await contentHash(entry) });
  }
  return dated;
}

/** How old an undated item of a new source is taken to be, at least, when nothing in its feed is dated. */
const UNDATED_BACKDATE_MS = 24 * 3600_000;

/**
 * The date just above the undated items of a source's first refresh, or null when they are new
 * (a later refresh: they appeared since the last one, and the time they were first seen is
 * right). Everything a new subscription lists was published before it was added, so its undated
 * items must not outrank today's dated news of the other sources: they go just below the oldest
 * dated item of the feed, in feed order; when no item is dated, below the feed's own date
 * (channel pubDate or lastBuildDate, Atom feed updated), but at least a day back, since feeds
 * often stamp themselves with the time they were generated.
 */
function undatedAnchor(entries: UpstreamEntry[], firstRefresh: boolean, feedDate: number | null, now: number): number | null {
  if (!firstRefresh) return null;
  let oldest = Number.POSITIVE_INFINITY;
  for (const e of entries) if (e.publishedAt !== null && e.publishedAt <= now && e.publishedAt < oldest) oldest = e.publishedAt;
  return Number.isFinite(oldest) ? oldest : Math.min(feedDate ?? Number.POSITIVE_INFINITY, now - UNDATED_BACKDATE_MS);
}
