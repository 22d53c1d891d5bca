// Article pages a refresh did not reach (over MAX_ARTICLE_FETCHES, the invocation's subrequest
// budget or the refresh's time budget) go to the refresh queue, ARTICLES_PER_MESSAGE to a
// message, each carrying what the list or feed said about its posts, so that the consumer never
// reads the list again. The consumer fetches them within its own budget and stores them like a
// refresh would; what it cannot reach it queues again.

import {
  appendWarningsStatement,
  articleFetchedStatement,
  articleQueuedStatement,
  articleUnqueuedStatement,
  storedArticles,
} from '../db/article-fetches';
import { upstreamSettings } from '../config';
import { getSource, sourceViews } from '../db/sources';
import { announce } from '../publish/announce';
import { emitItemsAdded } from '../push/webhooks';
import { judgeIncoming } from './filtering';
import { cleanLinks, trackingParamsOf } from './link-hygiene';
import { storedItemState, storeUpstreamEntries, type UpstreamEntry } from '../db/upstream-entries';
import { type ArticleJob, outcomeEntry, runArticleJobs } from './articles';
import { contentHash } from './entries';
import type { FetchBudget } from './fetch/page-fetch';
import { ARTICLE_QUEUE_LEASE_MS, ARTICLE_TIME_BUDGET_MS, ARTICLES_PER_MESSAGE, ITEMS_PER_SOURCE, MAX_MESSAGE_BYTES } from './limits';
import { sourceRules } from './page-source';

/** A queue message with article pages of one source to fetch. */
export type ArticleMessage = { kind: 'articles'; sourceId: number; jobs: ArticleJob[] };

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/**
 * Sends `jobs` to the refresh queue and answers the keys sent (the caller marks them queued, in
 * the same batch as what it stores) and warnings: a job too large for a message, or a queue that
 * refused them (they are left to the next refresh).
 */
export async function queueArticles(env: Env, sourceId: number, jobs: ArticleJob[]): Promise<{ queued: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  const messages: ArticleMessage[] = [];
  for (const job of jobs) {
    const last = messages.at(-1);
    if (bytes(job) > MAX_MESSAGE_BYTES - 200) {
      warnings.push(`${job.url}: what the list says about it is too large for a queue message; the next refresh fetches it`);
    } else if (last && last.jobs.length < ARTICLES_PER_MESSAGE && bytes(last) + bytes(job) < MAX_MESSAGE_BYTES) last.jobs.push(job);
    else messages.push({ kind: 'articles', sourceId, jobs: [job] });
  }
  const queued: string[] = [];
  for (let i = 0; i < messages.length; i += 100) {
    const chunk = messages.slice(i, i + 100);
    try {
      await env.REFRESH_QUEUE.sendBatch(chunk.map((body) => ({ body })));
      queued.push(...chunk.flatMap((m) => m.jobs.map((j) => j.key)));
    } catch (error) {
      const n = chunk.reduce((sum, m) => sum + m.jobs.length, 0);
      warnings.push(
        `${n} article pages could not be queued (${error instanceof Error ? error.message : String(error)}); the next refresh fetches them`,
      );
    }
  }
  return { queued, warnings };
}

/**
 * Queue consumer: fetches the articles of one message (within the invocation's `budget`) and stores
 * them, with their article states, in one batch; the articles it did not reach go to the queue
 * again. Throws only when D1 could not record the work (the message is then retried).
 */
export async function consumeArticleMessage(env: Env, message: ArticleMessage, budget: FetchBudget, now: number): Promise<void> {
  const source = await getSource(env.DB, message.sourceId);
  if (!source) return;
  const keys = message.jobs.map((j) => j.key);
  const wanted = (job: ArticleJob) => (job.base.kind === 'page' ? source.kind === 'page' : source.kind === 'feed' && source.fullText);
  const jobs = message.jobs.filter(wanted);
  if (source.state !== 'active' || jobs.length === 0) {
    // Paused, gone, or no longer reading articles: its next refresh decides again.
    await articleUnqueuedStatement(env.DB, source.id, keys).run();
    return;
  }
  const outcomes = await runArticleJobs(
    {
      ...upstreamSettings(env),
      budget,
      deadline: now + ARTICLE_TIME_BUDGET_MS,
      rules: sourceRules(source),
      now,
    },
    jobs,
  );
  const [stored, copies] = await Promise.all([
    storedItemState(env.DB, source.id),
    storedArticles(
      env.DB,
      source.id,
      outcomes.filter((o) => o.kind !== 'fetched' && o.job.stored).map((o) => o.job.key),
    ),
  ]);
  const changed: (UpstreamEntry & { hash: string })[] = [];
  const warnings: string[] = [];
  const fetched = [];
  const unqueue: string[] = keys.filter((key) => !jobs.some((j) => j.key === key));
  const again: ArticleJob[] = [];
  for (const outcome of outcomes) {
    const entry = outcomeEntry(source.id, outcome, copies);
    if (entry) {
      await cleanLinks([entry], trackingParamsOf(env));
      const before = stored.get(entry.id);
      // As a refresh dates them: an undated post keeps the date it was first stored with, else now.
      if (entry.publishedAt === null || entry.publishedAt > now) entry.publishedAt = before?.publishedAt ?? now;
      if (entry.updatedAt === null || entry.updatedAt > now || entry.updatedAt < entry.publishedAt) entry.updatedAt = entry.publishedAt;
      const hash = await contentHash(entry);
      if (before?.hash !== hash) changed.push({ ...entry, hash });
    }
    if (outcome.kind === 'fetched' || outcome.kind === 'not_modified') {
      fetched.push({ key: outcome.job.key, fingerprint: outcome.job.fingerprint, etag: outcome.etag, lastModified: outcome.lastModified });
    } else if (outcome.kind === 'deferred') again.push(outcome.job);
    else {
      warnings.push(outcome.warning);
      unqueue.push(outcome.job.key);
    }
  }
  const requeued = again.length ? await queueArticles(env, source.id, again) : { queued: [], warnings: [] };
  warnings.push(...requeued.warnings);
  unqueue.push(...again.map((j) => j.key).filter((key) => !requeued.queued.includes(key)));
  const extra = [
    ...(fetched.length ? [articleFetchedStatement(env.DB, source.id, fetched, now)] : []),
    ...(unqueue.length ? [articleUnqueuedStatement(env.DB, source.id, unqueue)] : []),
    ...(requeued.queued.length ? [articleQueuedStatement(env.DB, source.id, requeued.queued, now + ARTICLE_QUEUE_LEASE_MS, now)] : []),
    ...(warnings.length
      ? [
          appendWarningsStatement(
            env.DB,
            source.id,
            warnings.map((w) => `queue: ${w}`),
          ),
        ]
      : []),
  ];
  // The source's filter rules and those of its views judge the posts as a refresh does.
  const judged = await judgeIncoming(env.DB, source, changed, now);
  extra.push(...judged.statements);
  const { removed } = await storeUpstreamEntries(env.DB, source, judged.entries, null, ITEMS_PER_SOURCE, now, extra);
  // Posts read through the queue change the source's feeds as a refresh does: tell the WebSub hub.
  if (changed.length || removed) await announce(env, sourceViews(source));
  await emitItemsAdded(
    env,
    source,
    judged.entries.filter((e) => e.blockedBy === null),
    stored,
  );
}
