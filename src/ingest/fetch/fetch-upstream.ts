// Fetching an upstream feed safely from a Worker: conditional, bounded in time and bytes, and
// never towards an address inside someone's network. Written by hand because it is policy, not
// a parser: the URL parsing is WHATWG's (`new URL`), address ranges are ipaddr.js's, the transfer
// is the runtime's `fetch`.

import ipaddr from 'ipaddr.js';
import { MAX_BODY_BYTES } from '../limits';

export type FetchOptions = {
  etag: string | null;
  lastModified: string | null;
  userAgent: string;
  /** Lifts the address ban for loopback only (127/8, ::1, localhost): tests and local demos. */
  allowLoopback: boolean;
  /** The whole exchange, body included (a slow drip is cut off too). */
  timeoutMs?: number;
  /** Decoded body bytes, counted while streaming. */
  maxBytes?: number;
  /** A body over maxBytes is cut there instead of failing as too_large (robots.txt: only its start is read). */
  truncate?: boolean;
  maxRedirects?: number;
  fetcher?: typeof fetch;
  /**
   * Bytes read whole, at most: a longer body comes back as its first bytes (64 KiB or so) and
   * `rest`, the stream of the others, still under maxBytes and the exchange's deadline (large feeds are read
   * window by window: src/ingest/large-feed.ts). Unset: every body is read whole.
   */
  streamAfter?: number;
};

/** Why the rest of a streamed body could not be read. */
export class BodyError extends Error {
  constructor(
    readonly kind: 'timeout' | 'too_large' | 'network',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The rest of a body not read whole (FetchOptions.streamAfter): its next chunks, within the byte
 * cap and the deadline of the exchange, which ends when the stream does or is cancelled.
 */
export type BodyRest = {
  /** The next chunk; null at the end. Throws a BodyError past the cap or the deadline. */
  next(): Promise<Uint8Array | null>;
  /** Stops reading: the rest is never fetched. */
  cancel(): Promise<void>;
};

type FetchErrorKind =
  | 'bad_url'
  | 'blocked_address'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'timeout'
  | 'too_large'
  | 'rate_limited'
  | 'http_status'
  | 'network';

type Validators = { etag: string | null; lastModified: string | null; cacheControl: string | null; expires: string | null };

export type FetchOutcome =
  | ({
      kind: 'ok';
      status: number;
      finalUrl: string;
      permanentUrl: string | null;
      bytes: Uint8Array;
      contentType: string | null;
      /** The body past `bytes`, when it was longer than FetchOptions.streamAfter. */
      rest?: BodyRest;
    } & Validators)
  | ({ kind: 'not_modified'; finalUrl: string; permanentUrl: string | null } & Validators)
  | { kind: 'gone'; status: 410; finalUrl: string }
  | { kind: 'error'; errorKind: FetchErrorKind; message: string; status?: number; retryAfterMs?: number; finalUrl?: string };

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BYTES = MAX_BODY_BYTES;
const DEFAULT_MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 7 * 24 * 3600_000;

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** ::/96: the IPv4-compatible IPv6 addresses (RFC 4291 §2.5.5.1), deprecated and never routed. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number];

/**
 * The ipaddr.js range of a host given as an address literal ('unicast' for public ones), or null
 * for a name. Only 'unicast' is fetched (and 'loopback' where allowed): besides the private,
 * link-local and CGNAT ranges this rules out multicast, broadcast, reserved and documentation
 * ranges, and the IPv6 prefixes that carry an IPv4 address (NAT64, 6to4, Teredo). An IPv4-mapped
 * address (::ffff:127.0.0.1, which URL parsing writes as ::ffff:7f00:1) is judged as its IPv4.
 * ipaddr.js has no range for ::/96 (IPv4-compatible: ::127.0.0.1, written ::7f00:1, or ::a00:1
 * for 10.0.0.1) and calls those 'unicast'; they are not public unicast, so they get a range of
 * their own and are always refused (also with loopback allowed: ::7f00:1 is not ::1).
 */
function addressRange(host: string): string | null {
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    if (!ipaddr.IPv6.isValid(inner)) return 'invalid';
    const address = ipaddr.IPv6.parse(inner);
    if (address.isIPv4MappedAddress()) return address.toIPv4Address().range();
    const range = address.range();
    return range === 'unicast' && address.match(IPV4_COMPATIBLE) ? 'ipv4Compatible' : range;
  }
  // WHATWG parsing has already turned 2130706433, 0x7f.1 and 127.1 into dotted quads.
  return ipaddr.IPv4.isValidFourPartDecimal(host) ? ipaddr.IPv4.parse(host).range() : null;
}

/**
 * null if the URL may be fetched; otherwise what is wrong with it. Only hosts given as address
 * literals can be judged here: a Worker has no DNS API, so a name that resolves to a private
 * address (DNS rebinding) is not caught at this layer; Cloudflare's edge does not route
 * subrequests into private networks in production.
 */
export function checkUpstreamUrl(raw: string, allowLoopback: boolean): string | null {
  return upstreamUrlProblem(raw, allowLoopback)?.message ?? null;
}

/** What checkUpstreamUrl says, with its kind: a URL we never fetch, or one that points inside a network. */
function upstreamUrlProblem(raw: string, allowLoopback: boolean): { kind: 'bad_url' | 'blocked_address'; message: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'bad_url', message: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { kind: 'bad_url', message: `uses ${url.protocol} (only http and https are fetched)` };
  if (url.username || url.password) return { kind: 'bad_url', message: 'carries credentials (user:password@)' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost'))
    return allowLoopback ? null : { kind: 'blocked_address', message: 'points at localhost' };
  const range = addressRange(host);
  if (range === null || range === 'unicast' || (range === 'loopback' && allowLoopback)) return null;
  return {
    kind: 'blocked_address',
    message: `points at ${/^[aeiou]/i.test(range) ? 'an' : 'a'} ${range} address (${host}), not a public one`,
  };
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; null if absent or nonsense. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Reads a body up to `max` bytes; null when it is larger (the rest is never read), or its first `max` bytes if `truncate`. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, max: number, truncate = false): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      if (!truncate) return null;
      parts.push(value.subarray(0, value.byteLength - (total - max)));
      break;
    }
    parts.push(value);
  }
  return joinBytes(parts);
}

/** The parts of a body as one array of bytes. */
export function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Bytes of a long body handed over as its head, at least: enough to tell its encoding and where its XML starts. */
const HEAD_BYTES = 64 * 1024;

type Head = { bytes: Uint8Array; reader: ReadableStreamDefaultReader<Uint8Array> | null; total: number; queued: Uint8Array[] };

/**
 * Reads a body until it ends or passes `after` bytes; null when the bytes read pass `max` (too
 * large). A body that ended is its bytes, whole. Of a longer one only the first parts (at least
 * HEAD_BYTES) are joined into `bytes`: the others are `queued`, to come first from its rest,
 * with the reader of what was not read yet.
 */
async function readHead(body: ReadableStream<Uint8Array> | null, max: number, after: number): Promise<Head | null> {
  if (!body) return { bytes: new Uint8Array(0), reader: null, total: 0, queued: [] };
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  while (total <= after) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    total += value.byteLength;
    parts.push(value);
  }
  if (total > max) {
    await reader.cancel().catch(() => {});
    return null;
  }
  let kept = parts.length;
  if (!ended) {
    let size = 0;
    for (kept = 0; kept < parts.length && size < HEAD_BYTES; kept++) size += parts[kept]!.byteLength;
  }
  return { bytes: joinBytes(parts.slice(0, kept)), reader: ended ? null : reader, total, queued: parts.slice(kept) };
}

/** The rest of a body after its head: chunks counted against `max`; `end` runs once, whichever way it ends. */
function bodyRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  queued: Uint8Array[],
  read: number,
  max: number,
  signal: AbortSignal,
  timeoutMs: number,
  end: () => void,
): BodyRest {
  let total = read;
  let over = false;
  const finish = async () => {
    if (over) return;
    over = true;
    end();
    await reader.cancel().catch(() => {});
  };
  return {
    async next() {
      if (over) return null;
      // Parts read with the head (counted already) come first.
      if (queued.length) return queued.shift()!;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        await finish();
        if (signal.aborted) throw new BodyError('timeout', `No complete answer within ${timeoutMs / 1000} s.`);
        throw new BodyError('network', error instanceof Error ? error.message : String(error));
      }
      if (chunk.done) {
        over = true;
        end();
        return null;
      }
      total += chunk.value.byteLength;
      if (total > max) {
        await finish();
        throw new BodyError('too_large', `The body is larger than ${max} bytes (decoded).`);
      }
      return chunk.value;
    },
    cancel: finish,
  };
}

function validators(headers: Headers): Validators {
  return {
    etag: headers.get('etag'),
    lastModified: headers.get('last-modified'),
    cacheControl: headers.get('cache-control'),
    expires: headers.get('expires'),
  };
}

/**
 * Fetches a feed: conditional headers from the stored validators, redirects followed by hand and
 * each hop checked, one deadline for the whole exchange, a cap on decoded bytes while streaming
 * (the runtime inflates gzip; a bomb stops at the cap). Never throws: always an outcome.
 */
export async function fetchUpstream(startUrl: string, options: FetchOptions): Promise<FetchOutcome> {
  const fetcher = options.fetcher ?? fetch;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seen = new Set<string>();
  let url = startUrl;
  let permanent = true;
  // A body handed over as a stream keeps the deadline until it ends.
  let handedOver = false;
  try {
    for (let hop = 0; ; hop++) {
      const problem = upstreamUrlProblem(url, options.allowLoopback);
      if (problem) return { kind: 'error', errorKind: problem.kind, message: `${url} ${problem.message}.`, finalUrl: url };
      seen.add(url);
      const headers = new Headers({ 'user-agent': options.userAgent, accept: ACCEPT });
      if (options.etag) headers.set('if-none-match', options.etag);
      if (options.lastModified) headers.set('if-modified-since', options.lastModified);
      const response = await fetcher(url, { headers, redirect: 'manual', signal: controller.signal });
      const status = response.status;

      if (status >= 300 && status < 400 && status !== 304) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        if (!location)
          return { kind: 'error', errorKind: 'http_status', status, message: `${status} without a Location header.`, finalUrl: url };
        let next: string;
        try {
          next = new URL(location, url).href;
        } catch {
          return {
            kind: 'error',
            errorKind: 'http_status',
            status,
            message: `${status} to an invalid Location: ${location.slice(0, 200)}`,
            finalUrl: url,
          };
        }
        if (seen.has(next))
          return { kind: 'error', errorKind: 'redirect_loop', status, message: `Redirect loop back to ${next}.`, finalUrl: url };
        if (hop + 1 > maxRedirects) {
          return { kind: 'error', errorKind: 'too_many_redirects', status, message: `More than ${maxRedirects} redirects.`, finalUrl: url };
        }
        // A permanent move counts only if every hop is one, and never from https to http: a
        // stored https URL is not given up for a plain one (the fetch itself still follows it).
        permanent &&= (status === 301 || status === 308) && !(url.startsWith('https:') && next.startsWith('http:'));
        url = next;
        continue;
      }

      const permanentUrl = permanent && url !== startUrl ? url : null;
      if (status === 304) {
        await response.body?.cancel().catch(() => {});
        return { kind: 'not_modified', finalUrl: url, permanentUrl, ...validators(response.headers) };
      }
      if (status === 410) {
        await response.body?.cancel().catch(() => {});
        return { kind: 'gone', status: 410, finalUrl: url };
      }
      if (status === 429 || status === 503) {
        await response.body?.cancel().catch(() => {});
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        return {
          kind: 'error',
          errorKind: 'rate_limited',
          status,
          finalUrl: url,
          message: `The upstream answered ${status}${retryAfterMs !== null ? `; it asks to retry in ${Math.round(retryAfterMs / 1000)} s` : ''}.`,
          ...(retryAfterMs !== null ? { retryAfterMs } : {}),
        };
      }
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => {});
        return { kind: 'error', errorKind: 'http_status', status, message: `The upstream answered ${status}.`, finalUrl: url };
      }
      const head =
        options.streamAfter === undefined ? undefined : await readHead(response.body, maxBytes, Math.min(options.streamAfter, maxBytes));
      const bytes = head === undefined ? await readCapped(response.body, maxBytes, options.truncate) : (head?.bytes ?? null);
      if (bytes === null) {
        return {
          kind: 'error',
          errorKind: 'too_large',
          status,
          message: `The body is larger than ${maxBytes} bytes (decoded).`,
          finalUrl: url,
        };
      }
      const reply: FetchOutcome = {
        kind: 'ok',
        status,
        finalUrl: url,
        permanentUrl,
        bytes,
        contentType: response.headers.get('content-type'),
        ...validators(response.headers),
        ...(head?.reader
          ? { rest: bodyRest(head.reader, head.queued, head.total, maxBytes, controller.signal, timeoutMs, () => clearTimeout(timer)) }
          : {}),
      };
      handedOver = head?.reader != null;
      return reply;
    }
  } catch (error) {
    if (controller.signal.aborted) {
      return { kind: 'error', errorKind: 'timeout', message: `No complete answer within ${timeoutMs / 1000} s.`, finalUrl: url };
    }
    return { kind: 'error', errorKind: 'network', message: error instanceof Error ? error.message : String(error), finalUrl: url };
  } finally {
    if (!handedOver) clearTimeout(timer);
  }
}
