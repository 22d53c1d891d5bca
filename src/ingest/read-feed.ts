// Reading a feed source: its body parsed (parse/parse-feed.ts), each item made an entry to store.

import type { UpstreamEntry } from '../db/upstream-entries';
import { slugify } from '../domain/slug';
import { canonicalLink, tagsOf, upstreamEntryId } from './entries';
import { ITEMS_PER_SOURCE } from './limits';
import { type ModifiedReply, RefreshFailure } from './outcome';
import { parseFeed } from './parse/parse-feed';
import type { SourceRead } from './source-read';
import type { UpstreamFeed, UpstreamItem } from './types';
import type { ItemReuse } from './unchanged';

/**
 * The items of the feed in `reply`, as entries of source `sourceId`. A body that is no feed throws
 * its RefreshFailure; an HTML page says which feed it offers, or that it can be followed as a page
 * source. Items `reuse` knows are skipped (src/ingest/unchanged.ts); the digest of each item read
 * is returned by entry id.
 */
export async function readFeed(sourceId: number, reply: ModifiedReply, reuse?: Promise<ItemReuse | undefined>): Promise<SourceRead> {
  // The body is handed over, not kept here: the parse lets it go once decoded (up to 15 MiB).
  const body = { bytes: reply.bytes, contentType: reply.contentType, url: reply.finalUrl, maxItems: ITEMS_PER_SOURCE, reuse };
  reply.bytes = new Uint8Array(0);
  const parsed = await parseFeed(body);
  if (!parsed.ok) {
    const offer = parsed.alternate
      ? ` This page offers a feed at ${parsed.alternate}.`
      : parsed.htmlPage
        ? ' It offers no feed; it can be followed as a page source: PATCH {"kind": "page"}.'
        : '';
    throw new RefreshFailure(parsed.kind, parsed.message + offer, reply.status, null, parsed.alternate ?? null);
  }
  const feed = parsed.feed;
  const entries = feed.items.map((item) => toEntry(sourceId, feed, item));
  // Items taken as read are stored already: they are seen, not read again.
  const reused = (await reuse)?.reused ?? 0;
  const digests = new Map<string, string>();
  for (const [n, item] of feed.items.entries()) if (item.digest) digests.set(entries[n]!.id, item.digest);
  return {
    entries,
    seen: entries.length + reused,
    reused,
    digests,
    title: feed.title,
    siteUrl: feed.siteUrl,
    date: feed.date,
    ttlMinutes: feed.ttlMinutes,
    warnings: feed.warnings,
    articles: { fetched: [], deferred: [], deferReasons: [], leftover: false },
  };
}

/** An item of a feed as an entry of source `sourceId`. */
export function toEntry(sourceId: number, feed: UpstreamFeed, item: UpstreamItem): UpstreamEntry {
  return {
    id: upstreamEntryId(sourceId, item.key),
    key: item.key,
    title: item.title,
    summary: item.summaryHtml,
    contentHtml: item.contentHtml,
    // An item without a link of its own has none: the upstream's home page is not its permalink.
    url: item.url,
    canonicalUrl: canonicalLink(item.url),
    image: item.image,
    enclosures: item.enclosures,
    language: item.language ?? feed.language,
    publishedAt: item.publishedAt,
    updatedAt: item.updatedAt,
    authors: item.authors.map((a) => ({ ...a, slug: slugify(a.name) || 'author' })),
    tags: tagsOf(item.categories),
    // Only when there is one: the stored items' hashes (of this object) stay as they were.
    ...(item.source ? { upstreamSource: item.source } : {}),
  };
}
