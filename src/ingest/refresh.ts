import {
  type ArticleFetched,
  type ArticleState,
  articleCleanupStatement,
  articleFetchedStatement,
  articleQueuedStatement,
  articleStates,
  storedArticles,
} from '../db/article-fetches';
import { type FetchRecord, findSourceByUrl, recordFetch, type Source, type SourceState, sourceViews } from '../db/sources';
import { announce } from '../publish/announce';
import { emitItemsAdded } from '../push/webhooks';
import { storedItemState, storeUpstreamEntries, type UpstreamEntry } from '../db/upstream-entries';
import { slugify } from '../domain/slug';
import { canonicalLink, contentHash, tagsOf, upstreamEntryId } from './entries';
import { decodeHtmlBytes } from './fetch/decode';
import { FetchBudget, fetchUpstreamPolitely } from './fetch/page-fetch';
import { readPageSource, sourceRules, userAgent } from './page-source';
import { ARTICLE_QUEUE_LEASE_MS, ARTICLE_TIME_BUDGET_MS, ITEMS_PER_SOURCE } from './limits';
import { queueArticles } from './article-queue';
import { type ArticleJob, type ArticleRun, outcomeEntry, runArticleJobs, sortOutcomes } from './articles';
import { planFullText } from './full-text';
import { parseFeed } from './parse/parse-feed';
import { DEFAULT_POLICY, failureDelay, successInterval } from './schedule';
import type { UpstreamFeed, UpstreamItem } from './types';

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

/**
 * Refreshes one source: conditional fetch, parse, store what changed, record the outcome and the
 * next due time. Never throws: every failure is recorded on the source, its items stay, and no
 * other source is touched.
 */
export type RefreshOptions = {
  /** Fetch the articles of every post (page source) or summary-only item (full_text) again, unconditionally. */
  refetch?: boolean;
  /** The invocation's subrequest budget, shared with the other refreshes of the invocation. */
  budget?: FetchBudget;
};

export async function refreshSource(env: Env, source: Source, now = Date.now(), options: RefreshOptions = {}): Promise<RefreshReport> {
  const budget = options.budget ?? new FetchBudget();
  const refetch = options.refetch ?? false;
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
    const page = source.kind === 'page';
    const fullText = !page && source.fullText;
    const run: ArticleRun = {
      userAgent: userAgent(env),
      allowLoopback: env.ALLOW_LOOPBACK_UPSTREAMS === 'true',
      budget,
      deadline: Number.POSITIVE_INFINITY,
      rules: page ? sourceRules(source) : undefined,
      now,
    };
    // Conditional, unless articles are to be fetched again: the validators of a page source's
    // list page (or a full-text feed) are stored only by a refresh that left nothing over (see
    // `leftover` below), so posts left over are always seen again.
    const fetched = await fetchUpstreamPolitely(source.url, {
      ...run,
      etag: refetch ? null : source.etag,
      lastModified: refetch ? null : source.lastModified,
      force: true,
      robots: page,
    });
    lap('fetch');
    if (fetched.kind === 'robots' || fetched.kind === 'deferred') {
      const [kind, message] = fetched.kind === 'robots' ? [fetched.errorKind, fetched.message] : ['internal', fetched.reason];
      return await failure(null, kind, `The list page: ${message}`);
    }
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
    // Article pages (page sources, full text): states to record, jobs for the queue, and whether
    // anything is left over for the next refresh.
    const states = page || fullText ? await articleStates(env.DB, source.id) : new Map<string, ArticleState>();
    const articles = { fetched: [] as ArticleFetched[], deferred: [] as ArticleJob[], deferReasons: [] as string[], leftover: false };
    // Article fetches have a time budget of their own, from now.
    run.deadline = Date.now() + ARTICLE_TIME_BUDGET_MS;
    if (page) {
      // A page source: the list page, then the posts' article pages (src/ingest/page-source.ts).
      const html = decodeHtmlBytes(fetched.bytes, fetched.contentType).text;
      fetched.bytes = new Uint8Array(0);
      stored = await storedState;
      const known = stored;
      const read = await readPageSource({
        db: env.DB,
        sourceId: source.id,
        listHtml: html,
        listUrl: fetched.finalUrl,
        isStored: (id) => known.has(id),
        states,
        refetch,
        run,
      });
      lap('extract');
      if (!read.ok) return await failure(fetched.status, read.errorKind, read.message);
      feed = { title: read.title, siteUrl: read.siteUrl, date: null, ttlMinutes: null, warnings: read.warnings };
      entries = read.entries;
      seen = read.seen;
      Object.assign(articles, { fetched: read.fetched, deferred: read.deferred, deferReasons: read.deferReasons, leftover: read.leftover });
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
      entries = upstream.items.map((item) => toEntry(source.id, upstream, item));
      stored = await storedState;
      seen = entries.length;
    }
    let compared: (UpstreamEntry & { hash: string })[] = [];
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
      compared.push({ ...entry, hash: await contentHash(entry) });
    }
    lap('compare');
    if (fullText) {
      const done = await fillFullText(env.DB, source.id, compared, stored, states, refetch, run);
      compared = done.entries;
      feed.warnings.push(...done.warnings);
      Object.assign(articles, { fetched: done.fetched, deferred: done.deferred, deferReasons: done.deferReasons, leftover: done.leftover });
      lap('articles');
    }
    const changed = compared.filter((entry) => stored.get(entry.id)?.hash !== entry.hash);
    const queued = articles.deferred.length ? await queueArticles(env, source.id, articles.deferred) : { queued: [], warnings: [] };
    const queueWarnings = articles.deferred.length
      ? [`${articles.deferred.length} article pages left for the queue (${articles.deferReasons.join('; ')})`, ...queued.warnings]
      : [];
    const record: FetchRecord = {
      outcome: 'ok',
      status: fetched.status,
      errorKind: null,
      error: null,
      warnings: [...moveWarnings, ...feed.warnings, ...queueWarnings],
      consecutiveFailures: 0,
      nextDueAt: now + successInterval({ ...hints, ttlMinutes: feed.ttlMinutes }, DEFAULT_POLICY),
      state: 'active',
      pausedReason: null,
      // Something left over (an article failed or waits in the queue): no validators, so the next
      // refresh reads the list (or feed) in full and sees those posts again.
      etag: articles.leftover ? null : fetched.etag,
      lastModified: articles.leftover ? null : fetched.lastModified,
      url: moved,
      title: feed.title,
      siteUrl: feed.siteUrl,
    };
    const extra = [
      ...(articles.fetched.length ? [articleFetchedStatement(env.DB, source.id, articles.fetched, now)] : []),
      ...(queued.queued.length ? [articleQueuedStatement(env.DB, source.id, queued.queued, now + ARTICLE_QUEUE_LEASE_MS, now)] : []),
      ...(page || fullText ? [articleCleanupStatement(env.DB, source.id)] : []),
    ];
    const { removed } = await storeUpstreamEntries(env.DB, source, changed, record, ITEMS_PER_SOURCE, now, extra);
    lap('store');
    // The source's feed and the planets it is in changed: tell the WebSub hub.
    if (changed.length || removed) await announce(env, sourceViews(source));
    await emitItemsAdded(env, source, changed, stored);
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

function toEntry(sourceId: number, feed: UpstreamFeed, item: UpstreamItem): UpstreamEntry {
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

/**
 * The full-text step of a feed source: the summary-only items that need their article get it
 * (planFullText, runArticleJobs); an item whose article is not fetched now keeps its stored article,
 * or its summary. Answers the entries to compare (with their new hash), the article states to
 * record, the jobs for the queue, and whether anything is left over for the next refresh.
 */
async function fillFullText(
  db: D1Database,
  sourceId: number,
  entries: (UpstreamEntry & { hash: string })[],
  stored: Map<string, { hash: string | null }>,
  states: Map<string, ArticleState>,
  refetch: boolean,
  run: ArticleRun,
) {
  const plan = planFullText(entries, (id) => stored.has(id), states, refetch, run.now);
  const outcomes = await runArticleJobs(run, plan.jobs);
  const copies = await storedArticles(
    db,
    sourceId,
    outcomes.filter((o) => o.kind !== 'fetched' && o.job.stored).map((o) => o.job.key),
  );
  const replaced = new Map<string, UpstreamEntry & { hash: string }>();
  for (const outcome of outcomes) {
    const entry = outcomeEntry(sourceId, outcome, copies)!;
    replaced.set(entry.id, { ...entry, hash: await contentHash(entry) });
  }
  const { fetched, deferred, deferReasons, warnings, leftover } = sortOutcomes(outcomes, {
    fetched: [],
    deferred: [],
    deferReasons: new Set(),
    warnings: [],
    leftover: plan.queued > 0,
  });
  return {
    deferReasons: [...deferReasons],
    entries: entries.filter((e) => !plan.keep.has(e.id)).map((e) => replaced.get(e.id) ?? e),
    fetched,
    deferred,
    warnings,
    leftover,
  };
}
