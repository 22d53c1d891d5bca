import { siteConfig } from './config';
import { forgetMoves } from './moves/serve-moves';
import { refreshStaleSearchDocs } from './db/search';
import { adoptSlugsOnce } from './db/slugs';
import { claimDueSources, getSource, getSourceForRefresh, recordFetchStatements, takeExpiredLeases } from './db/sources';
import { consumeArticleMessage } from './ingest/article-queue';
import { FetchBudget } from './ingest/fetch/page-fetch';
import { interrupted, type RefreshReport } from './ingest/outcome';
import { refreshSource } from './ingest/refresh';
import { type BackfillMessage, type RefreshMessage, sendRefreshMessages } from './ingest/refresh-queue';
import { CLAIM_LEASE_MS, CLAIM_PER_RUN } from './ingest/schedule';
import type { FeedFormat } from './render/document';
import { warmFeeds } from './serve/serve-view';
import { forgetStamps } from './serve/stamp-memo';

export { INTERRUPTED_ERROR } from './ingest/outcome';
export type { RefreshMessage, SourceMessage } from './ingest/refresh-queue';
export { CLAIM_LEASE_MS };

/** Cron: the site's main feeds rendered into the cache if a scheduled post went live (see warmFeeds). */
export const warmSiteFeeds = (env: Env, now: number, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<FeedFormat[]> =>
  warmFeeds(env, { kind: 'site' }, now, ctx);

/** Search documents rewritten as text per cron run (those written by plain SQL: docs/search.md). */
export const SEARCH_TEXT_PER_RUN = 500;

/** Cron: the search documents still holding HTML (the seed, rows stored before search) rewritten as text. */
export const refreshSearchText = (env: Env): Promise<number> => refreshStaleSearchDocs(env.DB, SEARCH_TEXT_PER_RUN);

/** Due sources refreshed right in the cron invocation; more than this go through the queue. */
export const INLINE_REFRESHES = 3;

/**
 * Cron: first records the refreshes that died (a lease that ran out with no outcome) as failures,
 * with the usual backoff; then claims the sources that are due. A few are refreshed here; beyond
 * that each goes to the refresh queue as one message, so that every consumer invocation fetches
 * only a handful of URLs (the free plan allows 50 subrequests per invocation) and a thousand
 * sources spread over many invocations, in parallel, on Cloudflare's side.
 */
export async function refreshDueSources(env: Env, now: number): Promise<{ interrupted: number[]; inline: number[]; queued: number[] }> {
  const died = await recordInterruptedRefreshes(env.DB, now);
  const ids = await claimDueSources(env.DB, now, CLAIM_PER_RUN, now + CLAIM_LEASE_MS);
  if (ids.length <= INLINE_REFRESHES) {
    // The few refreshes of this invocation share its subrequest budget.
    await refreshByIds(env, ids, now, new FetchBudget());
    return { interrupted: died, inline: ids, queued: [] };
  }
  await sendRefreshMessages(env, ids);
  return { interrupted: died, inline: [], queued: ids };
}

/**
 * A refresh that dies midway (the isolate is stopped, a queue message is lost) records nothing and
 * leaves its lease behind. Once the lease has run out, that is recorded as an `interrupted` error:
 * one more failure in a row, backed off (and paused after ten) like any other, not retried at once.
 */
async function recordInterruptedRefreshes(db: D1Database, now: number): Promise<number[]> {
  const expired = await takeExpiredLeases(db, now, CLAIM_PER_RUN);
  if (expired.length === 0) return [];
  await db.batch(expired.flatMap((lease) => recordFetchStatements(db, lease.id, interrupted(lease, now), now)));
  return expired.map((e) => e.id);
}

/**
 * Refreshes one active source. A refresh records its own failures (fetch, parse, store); it
 * throws only when D1 cannot record anything at all, and then the source keeps its lease, so the
 * cron records the refresh as interrupted once the lease runs out.
 */
async function refreshById(env: Env, id: number, now: number, budget: FetchBudget): Promise<RefreshReport | null> {
  const found = await getSourceForRefresh(env.DB, id);
  return found && found.source.state === 'active'
    ? refreshSource(env, found.source, now, { budget, lastDocument: found.lastDocument })
    : null;
}

/** Refreshes active sources by id, in parallel; one source's failure, even a thrown one, touches no other. */
/** A backfill page of an active page source (one paused, gone or made a feed meanwhile is left). */
async function backfillById(env: Env, message: BackfillMessage, now: number, budget: FetchBudget): Promise<void> {
  const source = await getSource(env.DB, message.sourceId);
  if (source?.state !== 'active' || source.kind !== 'page') return;
  await refreshSource(env, source, now, { budget, backfill: { url: message.url, page: message.page } });
}

async function refreshByIds(env: Env, ids: number[], now: number, budget: FetchBudget): Promise<RefreshReport[]> {
  const settled = await Promise.allSettled(ids.map((id) => refreshById(env, id, now, budget)));
  forgetStamps(env);
  settled.forEach((s, i) => {
    if (s.status === 'rejected') console.error('refresh could not be recorded', ids[i], s.reason);
  });
  return settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
}

/**
 * Queue consumer: a source to refresh, or article pages to fetch; each message is acked once its
 * work is recorded, retried if it could not be. The messages of a batch share the invocation's
 * subrequest budget (SUBREQUESTS_PER_INVOCATION): articles beyond it go back to the queue.
 */
export async function consumeRefreshQueue(batch: MessageBatch<RefreshMessage>, env: Env): Promise<void> {
  const now = Date.now();
  const budget = new FetchBudget();
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const body = message.body;
        if (body.kind === 'articles') await consumeArticleMessage(env, body, budget, now);
        else if (body.kind === 'backfill') await backfillById(env, body, now, budget);
        else await refreshById(env, body.sourceId, now, budget);
        message.ack();
      } catch (error) {
        console.error('refresh could not be recorded; the message is retried', message.body.sourceId, error);
        message.retry({ delaySeconds: 60 });
      }
    }),
  );
  forgetStamps(env);
}

/** Gives every stored tag and author name its key and slug, once (src/db/slugs.ts). */
export async function adoptStoredSlugs(env: Env, now: number): Promise<void> {
  const moves = await adoptSlugsOnce(env.DB, siteConfig(env).url, now);
  if (moves.length > 0) forgetMoves(env.DB);
}
