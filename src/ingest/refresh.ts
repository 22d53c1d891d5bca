// Refreshing one source, in named steps: fetch the upstream (a conditional GET) and judge its
// reply (outcome.ts); read a feed (read-feed.ts) or a page (page-source.ts: the list page, then
// its posts); date the entries (date-entries.ts); for a full-text feed, fetch the articles of
// summary-only items (full-text.ts); store what changed. Every outcome is built in outcome.ts.
// A page source's first refresh also queues its list's next page (backfill): a backfill message
// runs the same steps on that page, storing its posts without touching the source's record.

import {
  appendWarningsStatement,
  articleCleanupStatement,
  articleFetchedStatement,
  articleQueuedStatement,
  articleStates,
  type ArticleState,
} from '../db/article-fetches';
import { largeFeedSettings, upstreamSettings } from '../config';
import { findSourceByUrl, recordFetch, sourceViews } from '../db/sources';
import { documentDigestStatement, ingestDigestStatement, storedDocumentDigest } from '../db/ingest-digests';
import { refreshState, type StoredItem, storeUpstreamEntries } from '../db/upstream-entries';
import type { FilterRule } from '../domain/filters';
import type { Source } from '../domain/source';
import { announce } from '../publish/announce';
import { emitItemsAdded } from '../push/webhooks';
import { queueArticles } from './article-queue';
import type { ArticleRun, ArticleWork } from './articles';
import { type DatedEntry, dateEntries } from './date-entries';
import type { BodyRest } from './fetch/fetch-upstream';
import { FetchBudget, fetchUpstreamPolitely } from './fetch/page-fetch';
import { filteredViewKeys, judgeIncoming } from './filtering';
import { cleanLinks, normalizeKeys, trackingParamsOf } from './link-hygiene';
import { fillFullText } from './full-text';
import { ARTICLE_QUEUE_LEASE_MS, ARTICLE_TIME_BUDGET_MS, ITEMS_PER_SOURCE } from './limits';
import {
  acceptReply,
  failed,
  gone,
  type ModifiedReply,
  type Move,
  notModified,
  RefreshFailure,
  type RefreshRecord,
  type RefreshReport,
  refreshReport,
  succeeded,
  type UpstreamReply,
} from './outcome';
import { refreshLargeFeed } from './large-feed';
import { readPageSource, sourceRules } from './page-source';
import { readFeed } from './read-feed';
import type { BackfillMessage } from './refresh-queue';
import type { SourceRead } from './source-read';
import { documentDigest, INGEST_VERSION, itemReuse, skipsUnchanged, unchangedDocument } from './unchanged';

export type RefreshOptions = {
  /** Fetch the articles of every post (page source) or summary-only item (full_text) again, unconditionally. */
  refetch?: boolean;
  /** The invocation's subrequest budget, shared with the other refreshes of the invocation. */
  budget?: FetchBudget;
  /** Read an older page of a page source's list (a backfill message) instead of its URL. */
  backfill?: BackfillPage;
  /** The ingest version digests are taken under (tests stand for a newer parser or sanitizer with it). */
  ingestVersion?: string;
  /**
   * The digest of the source's last stored document, when the caller read it with the source
   * (getSourceForRefresh: one query for both); undefined: the refresh reads it itself.
   */
  lastDocument?: string | null;
};

/** An older page of a page source's list: its URL, and its number (the source's URL is page 1). */
export type BackfillPage = { url: string; page: number };

/** Pages of its list a page source's first refresh reads, unless its rules say otherwise (`backfillPages`). */
export const DEFAULT_BACKFILL_PAGES = 5;

/**
 * Refreshes one source: conditional fetch, read, date, store what changed, record the outcome and
 * the next due time. Every failure of the upstream (or of a step) is recorded on the source, its
 * items stay, and no other source is touched; it throws only when D1 cannot record the outcome.
 */
export async function refreshSource(env: Env, source: Source, now = Date.now(), options: RefreshOptions = {}): Promise<RefreshReport> {
  return runRefresh(env, source, now, options, null);
}

/**
 * refreshSource, and the source as it stands afterwards, read in the batch that records the
 * refresh (no trip of its own to D1): the admin API answers both. `source` is null only when the
 * refresh recorded nothing on the source (a backfill page).
 */
export async function refreshAndRead(
  env: Env,
  source: Source,
  now: number,
  options: RefreshOptions = {},
): Promise<{ report: RefreshReport; source: Source | null }> {
  const after: { source: Source | null } = { source: null };
  const report = await runRefresh(env, source, now, options, after);
  return { report, source: after.source };
}

/** The refresh; with `after`, the batch that records it also reads the source back into it. */
async function runRefresh(
  env: Env,
  source: Source,
  now: number,
  options: RefreshOptions,
  after: { source: Source | null } | null,
): Promise<RefreshReport> {
  const { backfill } = options;
  const readBack = after !== null;
  const keep = (read: Source | null) => {
    if (after) after.source = read;
  };
  const refetch = (options.refetch ?? false) || backfill !== undefined;
  const timings = stepTimings();
  const started = performance.now();
  const recorded = async (record: RefreshRecord, alternate: string | null = null) => {
    // A backfill page that fails leaves the source's record alone: its warnings say what happened.
    if (backfill) await appendWarningsStatement(env.DB, source.id, [backfillWarning(backfill, record.error ?? record.outcome)]).run();
    else keep(await recordFetch(env.DB, source.id, { ...record, durationMs: performance.now() - started }, now, readBack));
    return refreshReport(source, record, timings.taken, { alternate });
  };
  // A feed read whole each time may skip what it stored already (unchanged.ts).
  const skips = !backfill && skipsUnchanged(source, refetch);
  const version = options.ingestVersion ?? INGEST_VERSION;
  const lastDocument =
    !skips || options.lastDocument !== undefined ? Promise.resolve(options.lastDocument ?? null) : storedDocumentDigest(env.DB, source.id);
  lastDocument.catch(() => {});
  try {
    const run = articleRun(env, source, options.budget ?? new FetchBudget(), now);
    // A feed read whole each time (no page source, no full text, no backfill) may be read window by window.
    const windowed = source.kind !== 'page' && !source.fullText && !backfill;
    const reply = await fetchSource(source, run, refetch, backfill?.url, windowed ? largeFeedSettings(env).streamAfterBytes : undefined);
    timings.lap('fetch');
    if (reply.kind === 'gone') return await recorded(gone(now));
    const move: Move = backfill ? { url: undefined, warnings: [] } : await permanentMove(env.DB, source, reply.permanentUrl);
    if (reply.kind === 'not_modified') return await recorded(notModified(reply, move, now));
    if (reply.rest) {
      // Too large to hold whole: read and stored window by window (large-feed.ts), unless it is no XML feed.
      const state = refreshState(env.DB, source.id, filteredViewKeys(source));
      state.catch(() => {});
      const stored = state.then((s) => s.stored);
      stored.catch(() => {});
      const report = await refreshLargeFeed(
        env,
        source,
        {
          reply: reply as ModifiedReply & { rest: BodyRest },
          move,
          stored,
          viewRules: state.then((s) => s.viewRules),
          ...(skips ? { reuse: stored.then((s) => itemReuse(s, version)) } : {}),
          digestVersion: skips ? version : null,
          started,
          lap: timings.lap,
          taken: timings.taken,
        },
        now,
      );
      if (report) return report;
    }
    const document = skips ? await documentDigest(reply, version) : null;
    if (document !== null && document === (await lastDocument)) {
      timings.lap('compare');
      const record = unchangedDocument(reply, move, source.lastWarnings, now);
      keep(await recordFetch(env.DB, source.id, record, now, readBack));
      timings.lap('store');
      return refreshReport(source, record, timings.taken, { outcome: 'unchanged' });
    }

    // The stored state, and the rules of the views the items show in, are read from D1 (one trip)
    // while the feed is parsed.
    const state = refreshState(env.DB, source.id, filteredViewKeys(source));
    state.catch(() => {});
    const storedState = state.then((s) => s.stored);
    storedState.catch(() => {});
    const page = source.kind === 'page';
    const fullText = !page && source.fullText;
    const states = page || fullText ? await articleStates(env.DB, source.id) : new Map<string, ArticleState>();
    // Article fetches have a time budget of their own, starting once the list is fetched.
    run.deadline = Date.now() + ARTICLE_TIME_BUDGET_MS;
    const read = page
      ? await readPage(env.DB, source, reply, await storedState, states, refetch, run)
      : await readFeed(source.id, reply, skips ? storedState.then((s) => itemReuse(s, version)) : undefined);
    timings.lap(page ? 'extract' : 'parse');
    const stored = await storedState;
    // Link hygiene: tracking parameters leave links, and a feed item keyed by its link is one item
    // whatever parameters it came with (a page source's posts keep their keys: their article states hang on them).
    const tracking = trackingParamsOf(env);
    await cleanLinks(read.entries, tracking);
    if (!page) read.entries = normalizeKeys(source.id, read.entries, (id) => stored.has(id), tracking);
    let entries = await dateEntries(read.entries, stored, read.date, now);
    timings.lap('compare');
    let articles = read.articles;
    if (fullText) {
      const done = await fillFullText(env.DB, source.id, entries, stored, states, refetch, run);
      entries = done.entries;
      read.warnings.push(...done.warnings);
      articles = done.articles;
      timings.lap('articles');
    }
    const { viewRules } = await state;
    const {
      record,
      items,
      blocked,
      after: written,
    } = await store(env, source, { reply, move, read, entries, stored, viewRules, articles, backfill, started, document, readBack }, now);
    keep(written);
    timings.lap('store');
    const pageNumber = backfill?.page ?? 1;
    // The first refresh (no post stored yet) and each backfill page queue the list's next page.
    if (page && read.nextPage && (backfill || stored.size === 0) && pageNumber < backfillPages(run)) {
      const next: BackfillMessage = { kind: 'backfill', sourceId: source.id, url: read.nextPage, page: pageNumber + 1 };
      try {
        await env.REFRESH_QUEUE.send(next);
      } catch (error) {
        record.warnings.push(
          `page ${next.page} of the list could not be queued (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
    // The source's feed and the planets it is in changed: tell the WebSub hub.
    if (items.changed || items.removed) await announce(env, sourceViews(source));
    // Items first seen in this refresh are news for the webhooks that asked for it (unless a filter blocks them).
    await emitItemsAdded(
      env,
      source,
      entries.filter((e) => !blocked.has(e.id)),
      stored,
    );
    return refreshReport(source, record, timings.taken, { items });
  } catch (error) {
    if (!(error instanceof RefreshFailure)) console.error('refresh failed', source.id, source.url, error);
    const failure =
      error instanceof RefreshFailure ? error : new RefreshFailure('internal', error instanceof Error ? error.message : String(error));
    return recorded(failed(source, failure, now), failure.alternate);
  }
}

/** Milliseconds per step, each from the end of the one before. */
function stepTimings() {
  const taken: Record<string, number> = {};
  let clock = performance.now();
  return {
    taken,
    lap(step: string) {
      const t = performance.now();
      // A step taken in turns (the windows of a large feed) adds up.
      taken[step] = Math.round(((taken[step] ?? 0) + t - clock) * 10) / 10;
      clock = t;
    },
  };
}

/** How a refresh of `source` fetches: its limits, and a page source's rules. The deadline is set once the list is read. */
function articleRun(env: Env, source: Source, budget: FetchBudget, now: number): ArticleRun {
  return {
    ...upstreamSettings(env),
    budget,
    deadline: Number.POSITIVE_INFINITY,
    rules: source.kind === 'page' ? sourceRules(source) : undefined,
    now,
    tracking: trackingParamsOf(env),
  };
}

/** Pages a page source's first refresh reads (1 to 20; 1 reads the first page only). */
const backfillPages = (run: ArticleRun) => run.rules?.backfillPages ?? DEFAULT_BACKFILL_PAGES;

const backfillWarning = (page: BackfillPage, what: string) => `backfill: page ${page.page} of the list (${page.url}): ${what}`;

/**
 * The fetch step: the feed, or a page source's list page (behind robots.txt). Conditional, unless
 * articles are to be fetched again: the validators of a list page (or a full-text feed) are stored
 * only by a refresh that left nothing over (succeeded's `leftover`), so posts left over are always
 * seen again. A failed fetch throws its RefreshFailure.
 */
async function fetchSource(
  source: Source,
  run: ArticleRun,
  refetch: boolean,
  url = source.url,
  streamAfter?: number,
): Promise<UpstreamReply> {
  const fetched = await fetchUpstreamPolitely(url, {
    ...run,
    etag: refetch ? null : source.etag,
    lastModified: refetch ? null : source.lastModified,
    force: true,
    robots: source.kind === 'page',
    ...(streamAfter !== undefined ? { streamAfter } : {}),
  });
  return acceptReply(fetched);
}

/**
 * A permanent move changes the stored URL, unless another source has that URL already: then the
 * URL stays, and the refresh says why (the publisher may delete one of the two).
 */
async function permanentMove(db: D1Database, source: Source, permanentUrl: string | null): Promise<Move> {
  const movedTo = permanentUrl && permanentUrl !== source.url ? permanentUrl : undefined;
  const taken = movedTo ? await findSourceByUrl(db, movedTo) : null;
  return {
    url: taken ? undefined : movedTo,
    warnings: taken ? [`the upstream moved permanently to ${movedTo}, which is source ${taken.id} already; this source keeps its URL`] : [],
  };
}

/** The read step of a page source: the list page, then the article pages of its posts (page-source.ts). */
function readPage(
  db: D1Database,
  source: Source,
  list: ModifiedReply,
  stored: Map<string, unknown>,
  states: Map<string, ArticleState>,
  refetch: boolean,
  run: ArticleRun,
): Promise<SourceRead> {
  return readPageSource({ db, sourceId: source.id, list, isStored: (id) => stored.has(id), states, refetch, run });
}

/**
 * The store step: the article pages not reached go to the queue; the entries that changed, the
 * article states and the source's record are written in one batch (storeUpstreamEntries).
 */
async function store(
  env: Env,
  source: Source,
  step: {
    reply: ModifiedReply;
    move: Move;
    read: SourceRead;
    entries: DatedEntry[];
    stored: Map<string, StoredItem>;
    /** The rules of the views the source's items show in (refreshState). */
    viewRules: Map<string, FilterRule[]>;
    articles: ArticleWork;
    backfill?: BackfillPage;
    /** performance.now() when the refresh began: the history's duration. */
    started: number;
    /** The document's digest, kept so that the same document is not read again. */
    document?: string | null;
    /** Read the source back in the batch that stores the refresh (refreshAndRead). */
    readBack: boolean;
  },
  now: number,
): Promise<{ record: RefreshRecord; items: NonNullable<RefreshReport['items']>; blocked: Set<string>; after: Source | null }> {
  const { read, articles, stored } = step;
  const changed = step.entries.filter((entry) => stored.get(entry.id)?.hash !== entry.hash);
  const queued = articles.deferred.length ? await queueArticles(env, source.id, articles.deferred) : { queued: [], warnings: [] };
  const queueWarnings = articles.deferred.length
    ? [`${articles.deferred.length} article pages left for the queue (${articles.deferReasons.join('; ')})`, ...queued.warnings]
    : [];
  const record = succeeded(
    step.reply,
    {
      move: step.move,
      warnings: [...step.move.warnings, ...read.warnings, ...queueWarnings],
      ttlMinutes: read.ttlMinutes,
      leftover: articles.leftover,
      title: read.title,
      siteUrl: read.siteUrl,
    },
    now,
  );
  // The history's row of this refresh: entries first seen, and stored ones that changed.
  const added = changed.filter((entry) => !stored.has(entry.id)).length;
  record.items = { new: added, updated: changed.length - added };
  record.durationMs = performance.now() - step.started;
  const readsArticles = source.kind === 'page' || source.fullText;
  const extra = [
    ...(articles.fetched.length ? [articleFetchedStatement(env.DB, source.id, articles.fetched, now)] : []),
    ...(queued.queued.length ? [articleQueuedStatement(env.DB, source.id, queued.queued, now + ARTICLE_QUEUE_LEASE_MS, now)] : []),
    ...(readsArticles ? [articleCleanupStatement(env.DB, source.id)] : []),
    ...unchangedStatements(env.DB, source.id, step, now),
  ];
  // A backfill page adds posts and warnings; the source's record is its first page's.
  const { backfill } = step;
  if (backfill && record.warnings.length) {
    extra.push(
      appendWarningsStatement(
        env.DB,
        source.id,
        record.warnings.map((w) => backfillWarning(backfill, w)),
      ),
    );
  }
  // The filter rules judge what is written; what is not written keeps its mark.
  const judged = await judgeIncoming(env.DB, source, changed, now, step.viewRules);
  extra.push(...judged.statements);
  const blocked = new Set(judged.entries.filter((e) => e.blockedBy !== null).map((e) => e.id));
  const written = new Set(judged.entries.map((e) => e.id));
  for (const entry of step.entries) if (!written.has(entry.id) && stored.get(entry.id)?.blockedBy) blocked.add(entry.id);
  const { removed, source: after } = await storeUpstreamEntries(
    env.DB,
    source,
    judged.entries,
    backfill ? null : record,
    ITEMS_PER_SOURCE,
    now,
    extra,
    { readBack: step.readBack && !backfill },
  );
  return {
    record,
    items: { seen: read.seen, changed: changed.length, removed, blocked: blocked.size, reused: read.reused ?? 0 },
    blocked,
    after,
  };
}

/** What the next refresh skips by: the document's digest, and the raw-item digests that are new or changed. */
function unchangedStatements(
  db: D1Database,
  sourceId: number,
  step: { read: SourceRead; stored: Map<string, StoredItem>; document?: string | null },
  now: number,
): D1PreparedStatement[] {
  const digests = [...(step.read.digests ?? [])].filter(([id, digest]) => step.stored.get(id)?.digest !== digest);
  return [
    ...(digests.length ? [ingestDigestStatement(db, sourceId, digests)] : []),
    ...(step.document ? [documentDigestStatement(db, sourceId, step.document, now)] : []),
  ];
}
