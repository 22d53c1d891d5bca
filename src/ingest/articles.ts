// Article pages of a refresh: the posts of a page source, and the items of a full-text feed source
// that carry only a summary. Each is a job (where, what the list or feed said, the validators of
// the stored copy); jobs run with bounded concurrency behind robots.txt and the per-host limit
// (fetch/page-fetch.ts), within the invocation's subrequest budget and the refresh's deadline;
// what is not reached goes to the refresh queue (article-queue.ts).

import type { TrackingParams } from '../html/tracking';
import { canonicalLanguage } from '../domain/language';
import type { ArticleFetched, StoredArticle } from '../db/article-fetches';
import type { UpstreamEntry } from '../db/upstream-entries';
import { slugify } from '../domain/slug';
import { type Article, ExtractError, extractSanitizedArticle, type ListItem, type ListRules, wholeTitle } from '../extract';
import { escapeHtml, truncateText } from '../html/text';
import { canonicalLink, tagsOf, upstreamEntryId } from './entries';
import { type FetchBudget, fetchPolitely } from './fetch/page-fetch';
import {
  ARTICLE_CONCURRENCY,
  MAX_ARTICLE_FETCHES,
  MAX_AUTHORS,
  MAX_CATEGORIES,
  MAX_CONTENT_BYTES,
  MAX_SUMMARY_BYTES,
  MAX_TITLE_CHARS,
  MAX_TITLE_GRAPHEMES,
} from './limits';

/** What the article's post is built from besides the article: a page source's list entry, or a feed's item (dates settled). */
export type ArticleBase = { kind: 'page'; item: ListItem } | { kind: 'feed'; entry: UpstreamEntry };

/** One article page to fetch. */
export type ArticleJob = {
  /** The post's item key (a page source's: its URL). */
  key: string;
  url: string;
  /** What the list or feed said about the post: stored once the article is fetched. */
  fingerprint: string;
  /** The stored copy's validators (a conditional GET), or null (a new post, or a refetch on request). */
  etag: string | null;
  lastModified: string | null;
  /** The post is stored already: a 304, a failure or a deferral keeps its stored article. */
  stored: boolean;
  base: ArticleBase;
};

export type ArticleOutcome =
  | { job: ArticleJob; kind: 'fetched'; article: Article; etag: string | null; lastModified: string | null }
  | { job: ArticleJob; kind: 'not_modified'; etag: string | null; lastModified: string | null }
  /** `skipped`: robots.txt disallows the page; it is not tried again until the list changes. */
  | { job: ArticleJob; kind: 'failed'; warning: string; skipped: boolean }
  | { job: ArticleJob; kind: 'deferred'; reason: string };

export type ArticleRun = {
  userAgent: string;
  allowLoopback: boolean;
  budget: FetchBudget;
  /** No article starts after this (ms). */
  deadline: number;
  rules?: ListRules;
  now: number;
  /** Tracking parameters removed from the links of the articles read (link-hygiene.ts); absent: none. */
  tracking?: TrackingParams;
};

/**
 * Fetches and reads the articles of `jobs`, ARTICLE_CONCURRENCY at a time (each host at most
 * PER_HOST_CONCURRENCY), at most MAX_ARTICLE_FETCHES of them: the others, and those the budget or
 * the deadline do not reach, are `deferred`. Never throws for one article: a fetch or extraction
 * failure is `failed` with a warning.
 */
export async function runArticleJobs(run: ArticleRun, jobs: ArticleJob[]): Promise<ArticleOutcome[]> {
  const outcomes: ArticleOutcome[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      outcomes[index] =
        index >= MAX_ARTICLE_FETCHES
          ? { job, kind: 'deferred', reason: `more than the ${MAX_ARTICLE_FETCHES} article pages fetched at once` }
          : await runJob(run, job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ARTICLE_CONCURRENCY, jobs.length) }, worker));
  return outcomes;
}

async function runJob(run: ArticleRun, job: ArticleJob): Promise<ArticleOutcome> {
  const page = await fetchPolitely(job.url, {
    userAgent: run.userAgent,
    allowLoopback: run.allowLoopback,
    budget: run.budget,
    etag: job.etag,
    lastModified: job.lastModified,
    deadline: run.deadline,
    now: run.now,
  });
  if (page.kind === 'deferred') return { job, kind: 'deferred', reason: page.reason };
  if (page.kind === 'not_modified')
    return { job, kind: 'not_modified', etag: page.etag ?? job.etag, lastModified: page.lastModified ?? job.lastModified };
  if (page.kind === 'error') {
    const skipped = page.errorKind === 'robots_disallowed';
    return {
      job,
      kind: 'failed',
      warning: `${job.url}: ${skipped ? 'skipped' : 'not fetched'} (${page.errorKind}: ${page.message})${skipped ? '' : '; tried again next refresh'}`,
      skipped,
    };
  }
  const rules = job.base.kind === 'page' ? run.rules : undefined;
  try {
    const article = extractSanitizedArticle(page.html, page.url, {
      now: run.now,
      dateLocale: rules?.dateLocale,
      contentSelector: rules?.content,
      remove: rules?.remove,
    });
    return { job, kind: 'fetched', article, etag: page.etag, lastModified: page.lastModified };
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    return {
      job,
      kind: 'failed',
      warning: `${job.url}: not read (${error.kind}: ${error.message}); tried again next refresh`,
      skipped: false,
    };
  }
}

const fits = (html: string) => new TextEncoder().encode(html).length <= MAX_CONTENT_BYTES;

/** What a run of article jobs leaves to record: the article states, the jobs for the queue, the warnings. */
export type SortedOutcomes = {
  fetched: ArticleFetched[];
  deferred: ArticleJob[];
  deferReasons: Set<string>;
  warnings: string[];
  /** Something is left for the next refresh (deferred, or failed and worth trying again). */
  leftover: boolean;
};

/** What the article pages of a refresh leave to record, once sorted. */
export type ArticleWork = {
  /** Article states to record: articles fetched (200 or 304), and stored posts seen for the first time since states exist. */
  fetched: ArticleFetched[];
  /** Jobs not reached: for the queue, and why. */
  deferred: ArticleJob[];
  deferReasons: string[];
  /** Posts the next refresh must look at again (failed articles, or some still in the queue): the list is then fetched in full. */
  leftover: boolean;
};

/** Sorts the outcomes of runArticleJobs into what a page source's and a full-text source's refresh record. */
export function sortOutcomes(outcomes: ArticleOutcome[], into: SortedOutcomes): SortedOutcomes {
  for (const outcome of outcomes) {
    if (outcome.kind === 'fetched' || outcome.kind === 'not_modified') {
      into.fetched.push({
        key: outcome.job.key,
        fingerprint: outcome.job.fingerprint,
        etag: outcome.etag,
        lastModified: outcome.lastModified,
      });
    } else if (outcome.kind === 'deferred') {
      into.deferred.push(outcome.job);
      into.deferReasons.add(outcome.reason);
      into.leftover = true;
    } else {
      into.warnings.push(outcome.warning);
      if (!outcome.skipped) into.leftover = true;
    }
  }
  return into;
}

/**
 * The entry an outcome stores, or null when nothing is to be written: a page source's post whose
 * article failed keeps what is stored (a new one waits for its article); a feed's item keeps its
 * stored article, or its summary when it has none. `stored` holds the stored copies of the jobs
 * that are stored.
 */
export function outcomeEntry(sourceId: number, outcome: ArticleOutcome, stored: Map<string, StoredArticle>): UpstreamEntry | null {
  const { job } = outcome;
  const before = job.stored ? stored.get(job.key) : undefined;
  if (job.base.kind === 'feed') {
    const entry = job.base.entry;
    if (outcome.kind === 'fetched' && outcome.article.contentHtml && fits(outcome.article.contentHtml))
      return { ...entry, contentHtml: outcome.article.contentHtml };
    if (outcome.kind === 'fetched') return entry;
    return before ? { ...entry, contentHtml: before.contentHtml } : entry;
  }
  const item = job.base.item;
  if (outcome.kind === 'fetched') return pageEntry(sourceId, item, outcome.article);
  if (outcome.kind === 'not_modified' && before) return storedPageEntry(sourceId, item, before);
  return null;
}

const authorsOf = (authors: { name: string; url?: string }[]) =>
  authors.slice(0, MAX_AUTHORS).map((a) => ({ name: a.name, slug: slugify(a.name) || 'author', ...(a.url ? { url: a.url } : {}) }));
const listSummary = (text: string) => `<p>${escapeHtml(truncateText(text, 2000, MAX_SUMMARY_BYTES / 4))}</p>`;

/** A page source's post from its list entry and its article page: the list's title, authors, date and image first. */
export function pageEntry(sourceId: number, entry: ListItem, article: Article): UpstreamEntry {
  const excerpt = entry.summary || article.excerpt;
  return {
    id: upstreamEntryId(sourceId, entry.url),
    key: entry.url,
    // A list that cuts long titles short ("…") gives way to the article page's own title.
    title: truncateText(entry.title ? wholeTitle(entry.title, article.title) : article.title, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS),
    summary: excerpt ? listSummary(excerpt) : '',
    contentHtml: fits(article.contentHtml) ? article.contentHtml : '',
    url: entry.url,
    canonicalUrl: canonicalLink(entry.url),
    image: entry.image ?? article.image,
    enclosures: [],
    publishedAt: postDate(entry.published, article.published),
    updatedAt: null,
    authors: authorsOf(entry.authors?.length ? entry.authors : article.authors),
    tags: tagsOf(article.categories.slice(0, MAX_CATEGORIES)),
    language: canonicalLanguage(article.lang),
  };
}

/** A stored post whose article answered 304: its stored article, with what the list says now. */
function storedPageEntry(sourceId: number, entry: ListItem, stored: StoredArticle): UpstreamEntry {
  return {
    id: upstreamEntryId(sourceId, entry.url),
    key: entry.url,
    title: entry.title ? truncateText(wholeTitle(entry.title, stored.title), MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS) : stored.title,
    summary: entry.summary ? listSummary(entry.summary) : stored.summary,
    contentHtml: stored.contentHtml,
    url: entry.url,
    canonicalUrl: canonicalLink(entry.url),
    image: entry.image ?? stored.image,
    enclosures: [],
    publishedAt: postDate(entry.published, stored.publishedAt),
    updatedAt: null,
    authors: entry.authors?.length ? authorsOf(entry.authors) : stored.authors,
    tags: stored.tags,
    language: stored.language,
  };
}

const HOUR_MS = 3_600_000;

/**
 * The list's date, unless it is a bare day (a list says "November 6, 2020": midnight UTC) and the
 * article page gives a time on that same day, in any time zone (UTC−12 to UTC+14): then the
 * article's, so that posts of one day keep their order.
 */
function postDate(listed: number | null, article: number | null): number | null {
  if (listed === null) return article;
  const bareDay = listed % (24 * HOUR_MS) === 0;
  return bareDay && article !== null && article >= listed - 14 * HOUR_MS && article < listed + 36 * HOUR_MS ? article : listed;
}
