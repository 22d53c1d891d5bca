// Fetching web pages politely: robots.txt first (robots.ts), at most two requests per host at a
// time with its Crawl-delay between them (host-limiter.ts), within the invocation's subrequest
// budget and the refresh's time budget, through the safe fetcher (fetch-upstream.ts).

import { SUBREQUESTS_PER_INVOCATION } from '../limits';
import { decodeHtmlBytes } from './decode';
import { type FetchOutcome, fetchUpstream } from './fetch-upstream';
import { withHost } from './host-limiter';
import { robotsVerdict } from './robots';

/**
 * The fetches one Worker invocation may still start (the free plan allows 50 subrequests per
 * invocation), shared by every refresh and article message it handles. Every request counts,
 * redirect hops and robots.txt included.
 */
export class FetchBudget {
  #used = 0;
  constructor(readonly limit = SUBREQUESTS_PER_INVOCATION) {}

  /** Whether another fetch may start (a forced one always may: a list page must be read). */
  canStart(force = false): boolean {
    return force || this.#used < this.limit;
  }

  get used(): number {
    return this.#used;
  }

  /** `fetch`, counting every request it makes. */
  readonly fetcher: typeof fetch = (input, init) => {
    this.#used++;
    return fetch(input, init);
  };

  /**
   * Starts one fetch if the budget allows: its first request is counted at once, so that fetches
   * checked side by side cannot pass the limit together; its redirects are counted as they go.
   * null: the budget is spent.
   */
  take(force = false): typeof fetch | null {
    if (!this.canStart(force)) return null;
    this.#used++;
    let first = true;
    return (input, init) => {
      if (first) first = false;
      else this.#used++;
      return fetch(input, init);
    };
  }
}

export type PageFetchOptions = {
  userAgent: string;
  allowLoopback: boolean;
  budget: FetchBudget;
  /** Validators of the stored copy: a conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
  /** Not started after this time (ms): `deferred`. null: no deadline. */
  deadline?: number | null;
  /** Start even when the budget is spent (the list page of a refresh). */
  force?: boolean;
  /** Check robots.txt first (page sources and articles); false for a feed document. */
  robots?: boolean;
  now?: number;
  /** A body longer than this comes back as its head and the stream of the rest (FetchOptions.streamAfter). */
  streamAfter?: number;
};

export type PageFetch =
  | { kind: 'ok'; html: string; url: string; status: number; etag: string | null; lastModified: string | null }
  | { kind: 'not_modified'; url: string; etag: string | null; lastModified: string | null }
  /** Not started: the invocation's budget is spent or the deadline passed. */
  | { kind: 'deferred'; reason: string }
  | { kind: 'error'; errorKind: string; message: string; status: number | null; retryAfterMs: number | null };

/** What fetchUpstream answers, or why the fetch never started (robots.txt, budget, deadline). */
export type PoliteOutcome =
  | FetchOutcome
  | { kind: 'deferred'; reason: string }
  | { kind: 'robots'; errorKind: 'robots_disallowed' | 'robots_unreachable'; message: string };

/** fetchUpstream behind robots.txt, the per-host limit and the budgets. Never throws. */
export async function fetchUpstreamPolitely(url: string, options: PageFetchOptions): Promise<PoliteOutcome> {
  const { budget } = options;
  const base = { userAgent: options.userAgent, allowLoopback: options.allowLoopback, fetcher: budget.fetcher };
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return { kind: 'error', errorKind: 'bad_url', message: `${url} is not an absolute URL.` };
  }
  const spent = { kind: 'deferred', reason: 'the subrequest budget of this invocation is spent' } as const;
  let crawlDelayMs = 0;
  if (options.robots !== false) {
    if (!budget.canStart(options.force)) return spent;
    const verdict = await robotsVerdict(url, base, options.now);
    if (!verdict.allowed) return { kind: 'robots', errorKind: verdict.errorKind, message: verdict.message };
    crawlDelayMs = verdict.crawlDelayMs;
  }
  const result = await withHost(host, crawlDelayMs, options.deadline ?? null, async (): Promise<PoliteOutcome> => {
    const fetcher = budget.take(options.force);
    if (!fetcher) return spent;
    return fetchUpstream(url, {
      ...base,
      fetcher,
      etag: options.etag ?? null,
      lastModified: options.lastModified ?? null,
      ...(options.streamAfter !== undefined ? { streamAfter: options.streamAfter } : {}),
    });
  });
  return result ?? { kind: 'deferred', reason: 'the time budget of this refresh ran out' };
}

/** Fetches one web page politely and decodes it (BOM, Content-Type, <meta charset>, UTF-8). Never throws. */
export async function fetchPolitely(url: string, options: PageFetchOptions): Promise<PageFetch> {
  const fetched = await fetchUpstreamPolitely(url, options);
  switch (fetched.kind) {
    case 'deferred':
      return fetched;
    case 'robots':
      return { kind: 'error', errorKind: fetched.errorKind, message: fetched.message, status: null, retryAfterMs: null };
    case 'error':
      return {
        kind: 'error',
        errorKind: fetched.errorKind,
        message: fetched.message,
        status: fetched.status ?? null,
        retryAfterMs: fetched.retryAfterMs ?? null,
      };
    case 'gone':
      return { kind: 'error', errorKind: 'http_status', message: 'The page answered 410 Gone.', status: 410, retryAfterMs: null };
    case 'not_modified':
      if (!options.etag && !options.lastModified) {
        return {
          kind: 'error',
          errorKind: 'http_status',
          message: 'The page answered 304 to an unconditional request.',
          status: 304,
          retryAfterMs: null,
        };
      }
      return { kind: 'not_modified', url: fetched.finalUrl, etag: fetched.etag, lastModified: fetched.lastModified };
    case 'ok':
      return {
        kind: 'ok',
        html: decodeHtmlBytes(fetched.bytes, fetched.contentType).text,
        url: fetched.finalUrl,
        status: fetched.status,
        etag: fetched.etag,
        lastModified: fetched.lastModified,
      };
  }
}
