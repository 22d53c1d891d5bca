import { v5 as uuidv5 } from 'uuid';
import type { Tag } from '../domain/entry';
import { siteConfig } from '../config';
import { type FetchRecord, findSourceByUrl, recordFetch, type Source, type SourceState } from '../db/sources';
import { storedItemState, storeUpstreamEntries, type UpstreamEntry } from '../db/upstream-entries';
import { slugify } from '../domain/slug';
import { decodeHtmlBytes } from './fetch/decode';
import { fetchUpstream } from './fetch/fetch-upstream';
import { type PageItem, readPageSource, sourceRules } from './page-source';
import { ITEMS_PER_SOURCE, MAX_CATEGORIES } from './limits';
import { parseFeed } from './parse/parse-feed';
import { DEFAULT_POLICY, failureDelay, successInterval } from './schedule';
import type { UpstreamFeed, UpstreamItem } from './types';

/** UUIDv5 namespace of upstream entry ids (fixed forever: ids derive from it). */
const ENTRY_NAMESPACE = '5b0c6f1e-8d1a-4c4e-9a57-2f0f3c7d9e41';

/** What one refresh did, as the API returns it and the source records it. */
export type RefreshReport = {
  sourceId: number;
  url: string;
  outcome: 'ok' | 'not_modified' | 'error' | 'gone';
  status: number | null;
  errorKind: string | null;
  error: string | null;
  /** A feed URL offered by an HTML page fetched instead of a feed. */
  alternate: string | null;
  items: { seen: number; changed: number; removed: number } | null;
  /** Milliseconds per step (fetch, parse, compare, store). Deployed Workers advance the clock on I/O only. */
  timings: Record<string, number>;
  warnings: string[];
  state: SourceState;
  pausedReason: string | null;
  nextDueAt: number;
};

/** The permanent id of an upstream item: the same source and key always give the same urn:uuid. */
function upstreamEntryId(sourceId: number, key: string): string {
  return `urn:uuid:${uuidv5(`${sourceId}\n${key}`, ENTRY_NAMESPACE)}`;
}

/**
 * The link merged views deduplicate on: the same story under http and https, with a fragment or
 * with tracking parameters is one story.
 */
function canonicalLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.hash = '';
    for (const name of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_)/i.test(name)) u.searchParams.delete(name);
    return `//${u.host}${u.pathname.replace(/\/+$/, '') || '/'}${u.search}`;
  } catch {
    return null;
  }
}

/**
 * Refreshes one source: conditional fetch, parse, store what changed, record the outcome and the
 * next due time. Never throws: every failure is recorded on the source, its items stay, and no
 * other source is touched.
 */
export async function refreshSource(env: Env, source: Source, now = Date.now()): Promise<RefreshReport> {
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (step: string) => {
    const t = performance.now();
    timings[step] = Math.round((t - clock) * 10) / 10;
    clock = t;
  };
  const report = (record: FetchRecord, extra: Partial<RefreshReport> = {}): RefreshReport => ({
    sourceId: source.id,
    url: record.url ?? source.url,
    outcome: record.outcome,
    status: record.status,
    errorKind: record.errorKind,
    error: record.error,
    alternate: null,
    items: null,
    timings,
    warnings: record.warnings,
    // A publisher's pause stays (recordFetchStatement keeps it too).
    state: source.pausedByPublisher ? 'paused' : record.state,
    pausedReason: source.pausedByPublisher ? source.pausedReason : record.pausedReason,
    nextDueAt: record.nextDueAt,
    ...extra,
  });
  const failure = async (
    status: number | null,
    errorKind: string,
    error: string,
    retryAfterMs: number | null = null,
    extra: Partial<RefreshReport> = {},
  ) => {
    const failures = source.consecutiveFailures + 1;
    const { delayMs, pause } = failureDelay(failures, retryAfterMs, DEFAULT_POLICY);
    const record: FetchRecord = {
      outcome: 'error',
      status,
      errorKind,
      error,
      warnings: [],
      consecutiveFailures: failures,
      nextDueAt: now + delayMs,
      state: pause ? 'paused' : source.state === 'paused' ? 'paused' : 'active',
      pausedReason: pause
        ? `paused after ${failures} failed refreshes in a row (last: ${errorKind}); resume with PATCH {"paused": false}`
        : source.pausedReason,
    };
    await recordFetch(env.DB, source.id, record, now);
    return report(record, extra);
  };

  try {
    const config = siteConfig(env);
    // A page source asks for its list page in full every time: posts left over by the last
    // refresh (over MAX_ARTICLE_FETCHES, or whose page failed) must be fetched even when the list
    // page did not change.
    const page = source.kind === 'page';
    const fetched = await fetchUpstream(source.url, {
      etag: page ? null : source.etag,
      lastModified: page ? null : source.lastModified,
      userAgent: `Syndicate/0.1 (feed aggregator; +${config.url}/)`,
      allowLoopback: env.ALLOW_LOOPBACK_UPSTREAMS === 'true',
    });
    lap('fetch');
    if (fetched.kind === 'error') {
      return await failure(fetched.status ?? null, fetched.errorKind, fetched.message, fetched.retryAfterMs ?? null);
    }
    if (fetched.kind === 'gone') {
      const record: FetchRecord = {
        outcome: 'gone',
        status: 410,
        errorKind: 'gone',
        error: 'The upstream answered 410 Gone: the feed was removed. Its items stay.',
        warnings: [],
        consecutiveFailures: 0,
        nextDueAt: now + DEFAULT_POLICY.maxIntervalMs,
        state: 'gone',
        pausedReason: 'the upstream answered 410 Gone',
      };
      await recordFetch(env.DB, source.id, record, now);
      return report(record);
    }
    // A permanent move changes the stored URL, unless another source has that URL already: then
    // the URL stays, and the refresh says why (the publisher may delete one of the two).
    const movedTo = fetched.permanentUrl && fetched.permanentUrl !== source.url ? fetched.permanentUrl : undefined;
    const taken = movedTo ? await findSourceByUrl(env.DB, movedTo) : null;
    const moved = taken ? undefined : movedTo;
    const moveWarnings = taken
      ? [`the upstream moved permanently to ${movedTo}, which is source ${taken.id} already; this source keeps its URL`]
      : [];
    const hints = { cacheControl: fetched.cacheControl, expires: fetched.expires, now };
    if (fetched.kind === 'not_modified') {
      const record: FetchRecord = {
        outcome: 'not_modified',
        status: 304,
        errorKind: null,
        error: null,
        warnings: moveWarnings,
        consecutiveFailures: 0,
        nextDueAt: now + successInterval({ ...hints, ttlMinutes: null }, DEFAULT_POLICY),
        state: 'active',
        pausedReason: null,
        // A 304 may come without validators: keep the stored ones then.
        etag: fetched.etag ?? undefined,
        lastModified: fetched.lastModified ?? undefined,
        url: moved,
      };
      await recordFetch(env.DB, source.id, record, now);
      return report(record);
    }

    // The stored state is read from D1 while the feed is parsed.
    const storedState = storedItemState(env.DB, source.id);
    storedState.catch(() => {});
    let feed: Pick<UpstreamFeed, 'title' | 'siteUrl' | 'date' | 'ttlMinutes' | 'warnings'>;
    let entries: UpstreamEntry[];
    let stored: Awaited<typeof storedState>;
    let seen: number;
    if (page) {
      // A page source: the list page, then each post not stored yet (src/ingest/page-source.ts).
      const html = decodeHtmlBytes(fetched.bytes, fetched.contentType).text;
      fetched.bytes = new Uint8Array(0);
      stored = await storedState;
      const known = stored;
      const read = await readPageSource(
        env,
        html,
        fetched.finalUrl,
        sourceRules(source),
        (url) => known.has(upstreamEntryId(source.id, url)),
        now,
      );
      lap('extract');
      if (!read.ok) return await failure(fetched.status, read.errorKind, read.message);
      feed = { title: read.title, siteUrl: read.siteUrl, date: null, ttlMinutes: null, warnings: read.warnings };
      entries = read.items.map((item) => pageEntry(source.id, item));
      seen = read.seen;
    } else {
      // The body is handed over, not kept here: the parse lets it go once decoded (up to 15 MiB).
      const body = { bytes: fetched.bytes, contentType: fetched.contentType, url: fetched.finalUrl, maxItems: ITEMS_PER_SOURCE };
      fetched.bytes = new Uint8Array(0);
      const parsed = await parseFeed(body);
      lap('parse');
      if (!parsed.ok) {
        // An HTML page without a feed may still be followed, as a page source.
        const offer = parsed.alternate
          ? ` This page offers a feed at ${parsed.alternate}.`
          : parsed.htmlPage
            ? ' It offers no feed; it can be followed as a page source: PATCH {"kind": "page"}.'
            : '';
        return await failure(fetched.status, parsed.kind, parsed.message + offer, null, { alternate: parsed.alternate ?? null });
      }
      const upstream = parsed.feed;
      feed = upstream;
      entries = upstream.items.map((item) => toEntry(source.id, upstream, item, fetched.finalUrl));
      stored = await storedState;
      seen = entries.length;
    }
    const changed: (UpstreamEntry & { hash: string })[] = [];
    const undatedAt = undatedAnchor(entries, stored.size === 0, feed.date, now);
    let undated = 0;
    for (const [index, entry] of entries.entries()) {
      const before = stored.get(entry.id);
      // An item without a usable date keeps the date it got when first seen, on every later
      // refresh, so it never jumps to the top of a merged feed again. First seen on a source's
      // first refresh, it is dated below the feed's dated items (undatedAnchor); first seen later,
      // it is new: the time it was first seen. Future dates are clamped to that time. Items dated
      // together keep the feed's order, a millisecond apart.
      if (entry.publishedAt === null) entry.publishedAt = before?.publishedAt ?? (undatedAt !== null ? undatedAt - ++undated : now - index);
      else if (entry.publishedAt > now) entry.publishedAt = before?.publishedAt ?? now - index;
      if (entry.updatedAt === null || entry.updatedAt > now || entry.updatedAt < entry.publishedAt) entry.updatedAt = entry.publishedAt;
      const hash = await contentHash(entry);
      if (before?.hash !== hash) changed.push({ ...entry, hash });
    }
    lap('compare');
    const record: FetchRecord = {
      outcome: 'ok',
      status: fetched.status,
      errorKind: null,
      error: null,
      warnings: [...moveWarnings, ...feed.warnings],
      consecutiveFailures: 0,
      nextDueAt: now + successInterval({ ...hints, ttlMinutes: feed.ttlMinutes }, DEFAULT_POLICY),
      state: 'active',
      pausedReason: null,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      url: moved,
      title: feed.title,
      siteUrl: feed.siteUrl,
    };
    const { removed } = await storeUpstreamEntries(env.DB, source, changed, record, ITEMS_PER_SOURCE, now);
    lap('store');
    return report(record, { items: { seen, changed: changed.length, removed } });
  } catch (error) {
    console.error('refresh failed', source.id, source.url, error);
    return failure(null, 'internal', error instanceof Error ? error.message : String(error));
  }
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

/** An upstream item's categories as tags: slugged, each slug once, at most MAX_CATEGORIES. */
function tagsOf(categories: string[]): Tag[] {
  const seen = new Set<string>();
  return categories
    .map((name) => ({ slug: slugify(name), name }))
    .filter((t) => t.slug !== '' && !seen.has(t.slug) && seen.add(t.slug))
    .slice(0, MAX_CATEGORIES);
}

function pageEntry(sourceId: number, item: PageItem): UpstreamEntry {
  return {
    id: upstreamEntryId(sourceId, item.key),
    key: item.key,
    title: item.title,
    summary: item.summary,
    contentHtml: item.contentHtml,
    url: item.url,
    canonicalUrl: canonicalLink(item.url),
    image: item.image,
    enclosures: [],
    language: item.language,
    publishedAt: item.publishedAt,
    updatedAt: null,
    authors: item.authors,
    tags: tagsOf(item.categories),
  };
}

function toEntry(sourceId: number, feed: UpstreamFeed, item: UpstreamItem, feedUrl: string): UpstreamEntry {
  return {
    id: upstreamEntryId(sourceId, item.key),
    key: item.key,
    title: item.title,
    summary: item.summaryHtml,
    contentHtml: item.contentHtml,
    // An item without a link of its own points at the upstream's home page.
    url: item.url ?? feed.siteUrl ?? feedUrl,
    canonicalUrl: canonicalLink(item.url),
    image: item.image,
    enclosures: item.enclosures,
    language: item.language ?? feed.language,
    publishedAt: item.publishedAt,
    updatedAt: item.updatedAt,
    authors: item.authors.map((a) => ({ ...a, slug: slugify(a.name) || 'author' })),
    tags: tagsOf(item.categories),
  };
}

async function contentHash(entry: UpstreamEntry): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(entry));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
