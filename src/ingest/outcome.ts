// What one refresh did, in one place: the upstream's reply judged (a body, a 304, a 410, or a
// failure of one typed kind), and the record each outcome leaves on the source (ok, not modified,
// gone, failed, interrupted) with the report the API answers. The refresh (refresh.ts), the cron
// and the queue consumer (scheduled.ts) build every outcome here.

import type { FetchRecord } from '../db/sources';
import type { Source } from '../domain/source';
import type { ExtractErrorKind } from '../extract';
import type { FetchOutcome } from './fetch/fetch-upstream';
import type { PoliteOutcome } from './fetch/page-fetch';
import { CLAIM_LEASE_MS, DEFAULT_POLICY, failureDelay, successInterval } from './schedule';
import type { ParseResult } from './types';

/** Why a refresh failed: one list, from every step that can fail. */
export type RefreshErrorKind =
  /** The fetch: address checks, redirects, time, size, HTTP status (fetch/fetch-upstream.ts). */
  | Extract<FetchOutcome, { kind: 'error' }>['errorKind']
  /** A page source's list page behind robots.txt (fetch/robots.ts). */
  | Extract<PoliteOutcome, { kind: 'robots' }>['errorKind']
  /** A feed that does not parse (parse/parse-feed.ts). */
  | Extract<ParseResult, { ok: false }>['kind']
  /** A list page with no posts, too large or too deep (extract/extract-error.ts). */
  | ExtractErrorKind
  /** The upstream answered 410 Gone: the source stops. */
  | 'gone'
  /** A bug or an unexpected answer of the runtime: the message says which. */
  | 'internal'
  /** A refresh that never recorded an outcome before its lease ran out. */
  | 'interrupted';

/**
 * A failed refresh: its kind, the upstream's HTTP status if it answered, a message for the
 * publisher, the wait the upstream asked for (Retry-After), and a feed URL offered by an HTML page
 * fetched instead of a feed. Thrown by the refresh steps, recorded by `failed`.
 */
export class RefreshFailure extends Error {
  override readonly name = 'RefreshFailure';
  constructor(
    readonly errorKind: RefreshErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    readonly alternate: string | null = null,
  ) {
    super(message);
  }
}

/** An upstream reply a refresh acts on: a body, a 304, or a 410. */
export type UpstreamReply = Extract<PoliteOutcome, { kind: 'ok' | 'not_modified' | 'gone' }>;
/** A reply with a body. */
export type ModifiedReply = Extract<UpstreamReply, { kind: 'ok' }>;

/** The reply a refresh acts on; a fetch that failed, or never started, throws its RefreshFailure. */
export function acceptReply(fetched: PoliteOutcome): UpstreamReply {
  switch (fetched.kind) {
    case 'robots':
      throw new RefreshFailure(fetched.errorKind, `The list page: ${fetched.message}`);
    case 'deferred':
      throw new RefreshFailure('internal', `The list page: ${fetched.reason}`);
    case 'error':
      throw new RefreshFailure(fetched.errorKind, fetched.message, fetched.status ?? null, fetched.retryAfterMs ?? null);
    default:
      return fetched;
  }
}

/** A FetchRecord whose error kind is one of RefreshErrorKind. */
export type RefreshRecord = Omit<FetchRecord, 'errorKind'> & { errorKind: RefreshErrorKind | null };

/** Where a permanent redirect leads (undefined: the URL stays), and why it stays when it does. */
export type Move = { url: string | undefined; warnings: string[] };

/** The upstream's caching hints, which stretch the wait before the next refresh. */
const hints = (reply: Extract<UpstreamReply, { kind: 'ok' | 'not_modified' }>, now: number) => ({
  cacheControl: reply.cacheControl,
  expires: reply.expires,
  now,
});

/** What a refresh that stored the upstream's items records. */
export function succeeded(
  reply: ModifiedReply,
  read: {
    move: Move;
    warnings: string[];
    ttlMinutes: number | null;
    /** Something left for the next refresh (an article failed or waits in the queue). */
    leftover: boolean;
    title: string | null;
    siteUrl: string | null;
  },
  now: number,
): RefreshRecord {
  return {
    outcome: 'ok',
    status: reply.status,
    errorKind: null,
    error: null,
    warnings: read.warnings,
    consecutiveFailures: 0,
    nextDueAt: now + successInterval({ ...hints(reply, now), ttlMinutes: read.ttlMinutes }, DEFAULT_POLICY),
    state: 'active',
    pausedReason: null,
    // Something left over: no validators, so the next refresh reads the list (or feed) in full
    // and sees those posts again.
    etag: read.leftover ? null : reply.etag,
    lastModified: read.leftover ? null : reply.lastModified,
    url: read.move.url,
    title: read.title,
    siteUrl: read.siteUrl,
  };
}

/** What a 304 records. */
export function notModified(reply: Extract<UpstreamReply, { kind: 'not_modified' }>, move: Move, now: number): RefreshRecord {
  return {
    outcome: 'not_modified',
    status: 304,
    errorKind: null,
    error: null,
    warnings: move.warnings,
    consecutiveFailures: 0,
    nextDueAt: now + successInterval({ ...hints(reply, now), ttlMinutes: null }, DEFAULT_POLICY),
    state: 'active',
    pausedReason: null,
    // A 304 may come without validators: keep the stored ones then.
    etag: reply.etag ?? undefined,
    lastModified: reply.lastModified ?? undefined,
    url: move.url,
  };
}

/** What a 410 records: the source stops, its items stay. */
export function gone(now: number): RefreshRecord {
  return {
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
}

/**
 * What a failure records: one more in a row, backed off (a Retry-After may ask for longer), and
 * paused after DEFAULT_POLICY.pauseAfterFailures. A paused source stays paused; its reason stays
 * until a pause of this failure replaces it.
 */
export function failed(
  source: Pick<Source, 'consecutiveFailures' | 'state' | 'pausedReason'>,
  failure: RefreshFailure,
  now: number,
): RefreshRecord {
  const failures = source.consecutiveFailures + 1;
  const { delayMs, pause } = failureDelay(failures, failure.retryAfterMs, DEFAULT_POLICY);
  return {
    outcome: 'error',
    status: failure.status,
    errorKind: failure.errorKind,
    error: failure.message,
    warnings: [],
    consecutiveFailures: failures,
    nextDueAt: now + delayMs,
    state: pause ? 'paused' : source.state === 'paused' ? 'paused' : 'active',
    pausedReason: pause
      ? `paused after ${failures} failed refreshes in a row (last: ${failure.errorKind}); resume with PATCH {"paused": false}`
      : source.pausedReason,
  };
}

/** What a source records when the lease of its last refresh ran out with no outcome. */
export const INTERRUPTED_ERROR =
  `The previous refresh did not finish within its ${CLAIM_LEASE_MS / 60_000}-minute lease ` +
  '(the Worker was stopped or the queue message was lost); counted as a failure.';

/** A refresh that died midway, recorded as a failure once its lease ran out (only active sources hold one). */
export function interrupted(lease: { consecutiveFailures: number }, now: number): RefreshRecord {
  return failed({ ...lease, state: 'active', pausedReason: null }, new RefreshFailure('interrupted', INTERRUPTED_ERROR), now);
}

/** What one refresh did, as the API returns it and the source records it. */
export type RefreshReport = {
  sourceId: number;
  url: string;
  /** `unchanged`: the upstream sent the document stored last time; the source records `not_modified` (src/ingest/unchanged.ts). */
  outcome: FetchRecord['outcome'] | 'unchanged';
  status: number | null;
  errorKind: RefreshErrorKind | null;
  error: string | null;
  /** A feed URL offered by an HTML page fetched instead of a feed. */
  alternate: string | null;
  /**
   * `blocked`: items of this read that the source's filter rules block (stored, never served);
   * `reused`: items stored from the same raw fields before, not read again.
   */
  items: { seen: number; changed: number; removed: number; blocked: number; reused?: number } | null;
  /** Milliseconds per step (fetch, parse, compare, store). Deployed Workers advance the clock on I/O only. */
  timings: Record<string, number>;
  warnings: string[];
  state: Source['state'];
  pausedReason: string | null;
  nextDueAt: number;
};

/** The report of a refresh of `source` that recorded `record`. */
export function refreshReport(
  source: Pick<Source, 'id' | 'url' | 'pausedByPublisher' | 'pausedReason'>,
  record: RefreshRecord,
  timings: Record<string, number>,
  extra: Pick<Partial<RefreshReport>, 'alternate' | 'items' | 'outcome'> = {},
): RefreshReport {
  return {
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
  };
}
