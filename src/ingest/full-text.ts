// Full text for feed sources (`full_text: true`): an item whose feed carries only a summary gets
// the article read from its link as its content, keeping the feed's title, date and authors. The
// article is fetched once, and again only when the feed's item changes or on request (the same
// rule as a page source's posts, articles.ts).

import { cleanLinks } from './link-hygiene';
import { type ArticleState, storedArticles } from '../db/article-fetches';
import type { UpstreamEntry } from '../db/upstream-entries';
import { htmlToText } from '../html/text';
import { type ArticleJob, type ArticleRun, type ArticleWork, outcomeEntry, runArticleJobs, sortOutcomes } from './articles';
import type { DatedEntry } from './date-entries';
import { contentHash } from './entries';
import { FULL_TEXT_MIN_CHARS } from './limits';

/**
 * Whether an item carries only a summary: its content, as plain text, is empty, shorter than
 * FULL_TEXT_MIN_CHARS characters, or no longer than its summary's text.
 */
export function summaryOnly(entry: Pick<UpstreamEntry, 'contentHtml' | 'summary'>): boolean {
  const content = htmlToText(entry.contentHtml).length;
  return content < FULL_TEXT_MIN_CHARS || content <= htmlToText(entry.summary).length;
}

export type FullTextPlan = {
  jobs: ArticleJob[];
  /** Ids of stored items whose stored article stays as it is (the feed's item did not change, or it is in the queue). */
  keep: Set<string>;
  /** Items whose article is in the queue. */
  queued: number;
};

/**
 * Which items of a full-text source need their article: a summary-only item with its own link that
 * is new, whose feed item changed since its article was fetched (the stored validators make it a
 * conditional GET), or every such item with `refetch`. `entries` carry their hash: what the feed
 * says about the item, its fingerprint.
 */
export function planFullText(
  entries: DatedEntry[],
  isStored: (id: string) => boolean,
  states: Map<string, ArticleState>,
  refetch: boolean,
  now: number,
): FullTextPlan {
  const plan: FullTextPlan = { jobs: [], keep: new Set(), queued: 0 };
  for (const entry of entries) {
    if (entry.url === null || entry.canonicalUrl === null || !summaryOnly(entry)) continue;
    const stored = isStored(entry.id);
    const state = states.get(entry.key);
    const { hash, ...base } = entry;
    const job: ArticleJob = {
      key: entry.key,
      url: entry.url,
      fingerprint: hash,
      etag: null,
      lastModified: null,
      stored,
      base: { kind: 'feed', entry: base },
    };
    if (refetch) plan.jobs.push(job);
    else if (state?.queuedUntil && state.queuedUntil > now) {
      plan.queued++;
      if (stored) plan.keep.add(entry.id);
    } else if (!stored || !state?.fingerprint) plan.jobs.push(job);
    else if (state.fingerprint === hash) plan.keep.add(entry.id);
    else plan.jobs.push({ ...job, etag: state.etag, lastModified: state.lastModified });
  }
  return plan;
}

/**
 * The full-text step of a feed source's refresh: the summary-only items that need their article
 * get it (planFullText, runArticleJobs); an item whose article this refresh does not fetch keeps
 * its stored article, or its summary. Answers the entries to compare (with their new hash), the
 * warnings, and the article work to record and queue.
 */
export async function fillFullText(
  db: D1Database,
  sourceId: number,
  entries: DatedEntry[],
  stored: Map<string, { hash: string | null }>,
  states: Map<string, ArticleState>,
  refetch: boolean,
  run: ArticleRun,
): Promise<{ entries: DatedEntry[]; warnings: string[]; articles: ArticleWork }> {
  const plan = planFullText(entries, (id) => stored.has(id), states, refetch, run.now);
  const outcomes = await runArticleJobs(run, plan.jobs);
  const copies = await storedArticles(
    db,
    sourceId,
    outcomes.filter((o) => o.kind !== 'fetched' && o.job.stored).map((o) => o.job.key),
  );
  const replaced = new Map<string, DatedEntry>();
  for (const outcome of outcomes) {
    const entry = outcomeEntry(sourceId, outcome, copies)!;
    // The article's links lose their tracking parameters as the feed's did (link-hygiene.ts).
    if (run.tracking) await cleanLinks([entry], run.tracking);
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
    entries: entries.filter((e) => !plan.keep.has(e.id)).map((e) => replaced.get(e.id) ?? e),
    warnings,
    articles: { fetched, deferred, deferReasons: [...deferReasons], leftover },
  };
}
