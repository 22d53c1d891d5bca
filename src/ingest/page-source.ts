// Page sources: a feed made from a site's own web pages. The list page is read by extractList
// (with the publisher's rules, if any); each post's article page is fetched when the post is new,
// when its list entry changed (a conditional GET), or on request, and read by
// extractSanitizedArticle (articles.ts). What this module answers goes through the same
// date-and-store steps as a feed's items (refresh.ts).

import { decodeHTML } from 'entities';
import { upstreamSettings } from '../config';
import { type ArticleFetched, type ArticleState, storedArticles } from '../db/article-fetches';
import type { Source } from '../domain/source';
import { ExtractError, extractList, type ListResult, type ListRules, parseListRules } from '../extract';
import { truncateText } from '../html/text';
import { type ArticleJob, type ArticleRun, outcomeEntry, runArticleJobs, sortOutcomes } from './articles';
import { jsonHash, upstreamEntryId } from './entries';
import { decodeHtmlBytes } from './fetch/decode';
import { FetchBudget, fetchPolitely } from './fetch/page-fetch';
import { ITEMS_PER_SOURCE, MAX_TITLE_CHARS, MAX_TITLE_GRAPHEMES, MAX_URL_CHARS } from './limits';
import { type ModifiedReply, RefreshFailure } from './outcome';
import type { SourceRead } from './source-read';

/** A page fetched and decoded, or why not (a fetch error kind, with the HTTP status if any). */
export type FetchedPage =
  | { ok: true; html: string; url: string; status: number }
  | { ok: false; errorKind: string; message: string; status: number | null; retryAfterMs: number | null };

/**
 * Fetches one web page on its own (the preview, POST /api/extract): robots.txt and the per-host
 * limit apply, through the safe fetcher (address checks, caps, timeout, redirects), and decodes it.
 */
export async function fetchPage(env: Env, url: string): Promise<FetchedPage> {
  const page = await fetchPolitely(url, {
    ...upstreamSettings(env),
    budget: new FetchBudget(),
    force: true,
  });
  if (page.kind === 'ok') return { ok: true, html: page.html, url: page.url, status: page.status };
  if (page.kind === 'error') return { ok: false, ...page };
  // Neither happens to an unconditional, forced fetch without a deadline.
  return { ok: false, errorKind: 'internal', message: `unexpected ${page.kind}`, status: null, retryAfterMs: null };
}

/** A source's stored rules as ListRules (they were validated when stored). */
export function sourceRules(source: Pick<Source, 'rules'>): ListRules | undefined {
  return source.rules ? parseListRules(source.rules) : undefined;
}

export type PageReadInput = {
  db: D1Database;
  sourceId: number;
  /** The list page, as fetched. */
  list: ModifiedReply;
  /** Ids of the stored posts. */
  isStored: (id: string) => boolean;
  states: Map<string, ArticleState>;
  /** Fetch every post's article again, unconditionally (on request). */
  refetch: boolean;
  run: ArticleRun;
};

/** What the list says about a post: its article is fetched again when this changes. */
export const listFingerprint = (item: ListResult['items'][number]) =>
  jsonHash([item.title, item.published, item.summary ?? null, item.image ?? null, item.authors ?? null]);

/**
 * Reads a list page and the article pages it calls for: a post not stored yet, a stored post
 * whose list entry changed since its article was fetched (conditional GET: a 304 keeps the stored
 * article), or every post with `refetch`. A post whose article is in the queue is left to it. A
 * post whose page cannot be fetched or read is a warning (tried again next time), a post
 * robots.txt disallows a warning (skipped), never a failed refresh; a list page with no post, too
 * large or too deep throws a RefreshFailure of ExtractError's kind.
 */
export async function readPageSource(input: PageReadInput): Promise<SourceRead> {
  const { run, states } = input;
  const listHtml = decodeHtmlBytes(input.list.bytes, input.list.contentType).text;
  const listUrl = input.list.finalUrl;
  input.list.bytes = new Uint8Array(0);
  let list: ListResult;
  try {
    list = extractList(listHtml, listUrl, input.run.rules, run.now);
  } catch (error) {
    if (error instanceof ExtractError) throw new RefreshFailure(error.kind, `The list page: ${error.message}`, input.list.status);
    throw error;
  }
  const warnings = list.warnings.map((w) => `list page: ${w}`);
  const fetched: ArticleFetched[] = [];
  const jobs: ArticleJob[] = [];
  let queued = 0;
  for (const item of list.items.slice(0, ITEMS_PER_SOURCE)) {
    if (item.url.length > MAX_URL_CHARS) continue;
    const fingerprint = await listFingerprint(item);
    const stored = input.isStored(upstreamEntryId(input.sourceId, item.url));
    const state = states.get(item.url);
    const job: ArticleJob = {
      key: item.url,
      url: item.url,
      fingerprint,
      etag: null,
      lastModified: null,
      stored,
      base: { kind: 'page', item },
    };
    if (input.refetch) jobs.push(job);
    else if (state?.queuedUntil && state.queuedUntil > run.now) queued++;
    else if (!stored) jobs.push(job);
    // A post stored before article states were kept: what the list says now is its fingerprint.
    else if (!state?.fingerprint) fetched.push({ key: item.url, fingerprint, etag: null, lastModified: null });
    else if (state.fingerprint !== fingerprint) jobs.push({ ...job, etag: state.etag, lastModified: state.lastModified });
  }
  const outcomes = await runArticleJobs(run, jobs);
  const copies = await storedArticles(
    input.db,
    input.sourceId,
    outcomes.filter((o) => o.kind === 'not_modified' && o.job.stored).map((o) => o.job.key),
  );
  const entries = outcomes.flatMap((outcome) => outcomeEntry(input.sourceId, outcome, copies) ?? []);
  const sorted = sortOutcomes(outcomes, { fetched, deferred: [], deferReasons: new Set(), warnings, leftover: queued > 0 });
  return {
    entries,
    seen: list.items.length,
    title: pageTitle(listHtml),
    siteUrl: new URL('/', listUrl).href,
    date: null,
    ttlMinutes: null,
    warnings,
    articles: { fetched, deferred: sorted.deferred, deferReasons: [...sorted.deferReasons], leftover: sorted.leftover },
    ...(list.nextPage && list.nextPage !== listUrl ? { nextPage: list.nextPage } : {}),
  };
}

/** The list page's own title (og:site_name, else <title>), as plain text. */
function pageTitle(html: string): string | null {
  const head = html.slice(0, 64 * 1024);
  const og = /<meta[^>]+property=["']og:site_name["'][^>]+content=["']([^"']+)["']/i.exec(head);
  const title = og?.[1] ?? /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1];
  if (!title) return null;
  // Character references decoded as the HTML standard says (the entities package, as feed titles are).
  const text = decodeHTML(title).trim();
  return text ? truncateText(text, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS) : null;
}
