import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { backgroundOf } from '../http/background';
import { LruCache } from '../lib/lru';
import { countFeedRead } from '../stats/count-readers';
import { ifModifiedSince, isNotModified, lastModifiedHeader } from './conditional';
import { type CachedBytes, cachedRender, storedRender } from './render-cache';
import { renewDue } from './stamp-memo';

// The one read path. A route says *what* to serve (a Representation: its validators, its fixed
// headers, how to render it); `serve` answers every cached read the same way: the stamp (held in
// this isolate within the freshness window, else from D1), then 304 if the client is current, then
// cached bytes, and only on the first read after a change a query and a render.

/** What depends only on the representation (not on the moment): built once per ETag. */
export type Fixed = {
  /** Content-Type, Cache-Control and any other header that goes with these bytes (not ETag or Last-Modified). */
  headers: Record<string, string>;
  /** A feed document's path and query, as its self link names it (what a read counts towards); null: not a feed. */
  feed: string | null;
};

/** A document at one moment, before anything is rendered. */
export type Representation = {
  /** A strong ETag made from everything that decides the bytes (makeEtag): it names one body only. */
  etag: string;
  /** Effective Last-Modified, whole seconds, as stored (src/serve/conditional.ts): sent once the clock reaches it; null: none. */
  lastModified: number | null;
  /** Its fixed headers; asked once per ETag. */
  fixed: () => Fixed;
  /** Query and render: called only on a cache miss. */
  render: () => Promise<string>;
  /** Milliseconds spent in each phase of the last render (query, build, serialize), for Server-Timing. */
  phases: Record<string, number>;
  /** The stamp-memo key when the validators come from a stamp this isolate read earlier (src/serve/stamp-memo.ts), not D1's now. */
  heldKey?: string;
};

/**
 * Resolves what to serve at `now`. `stamps: 'held'` may answer from a stamp this isolate read
 * within the freshness window (no D1): only for answering "unchanged". `'fresh'` always reads D1
 * (and keeps the stamp). A Response (a redirect, a gone page) is answered as it is.
 */
export type Resolve = (stamps: 'held' | 'fresh', now: number) => Promise<Representation | Response>;

const fixed = new LruCache<Fixed>(2000, () => 1);

function fixedOf(representation: Representation): Fixed {
  const known = fixed.get(representation.etag);
  if (known) return known;
  const made = representation.fixed();
  fixed.set(representation.etag, made);
  return made;
}

/**
 * What a stamp held from earlier may answer as it stands: a 304 to a reader holding exactly that
 * version (by ETag, or by that version's own Last-Modified), or its bytes, already rendered, to a
 * reader that sent no validator; null when D1 must be asked. A reader with other validators may
 * hold a newer version than the held stamp (written in another isolate), and a render must not
 * put new data under an old ETag: both ask D1.
 */
async function heldStampAnswer(
  request: Request,
  representation: Representation,
  now: number,
): Promise<'not-modified' | CachedBytes | null> {
  const { etag, lastModified } = representation;
  const byEtag = request.headers.has('if-none-match');
  const since = byEtag ? null : ifModifiedSince(request, now);
  if (isNotModified(request, etag, lastModified, now)) {
    return byEtag || (lastModified !== null && since === lastModified * 1000) ? 'not-modified' : null;
  }
  if (byEtag || since !== null) return null;
  return storedRender(etag);
}

/** Runs `promise` past the response where the request has an execution context; it runs anyway. */
function afterResponse(c: Context<AppEnv>, promise: Promise<unknown>): void {
  backgroundOf(c)?.waitUntil(promise);
}

/**
 * Answers a read: conditional GET, then cached bytes, then a render. Errors the resolver throws
 * (a 404 problem) go to app.onError.
 *
 * `Server-Timing` says where the stamp came from (`held` in this isolate, or `d1`), where the
 * bytes came from (`memory`, `cache-api` or `render`), and on a render how long each phase took.
 * (Deployed Workers only advance their clock on I/O, so there the phases show I/O time; locally
 * they show all of it.)
 */
export async function serve(c: Context<AppEnv>, resolve: Resolve): Promise<Response> {
  const now = Date.now();
  let representation = await resolve('held', now);
  if (representation instanceof Response) return representation;
  let answer: 'not-modified' | CachedBytes | null = null;
  const { heldKey } = representation;
  if (heldKey !== undefined) {
    answer = await heldStampAnswer(c.req.raw, representation, now);
    if (answer === null) {
      representation = await resolve('fresh', now);
      if (representation instanceof Response) return representation;
    } else if (renewDue(c.env, heldKey, now)) {
      // Past half its window: read again after the response, so the next reader does not wait.
      backgroundOf(c)?.waitUntil(resolve('fresh', Date.now()).catch(() => {}));
    }
  }
  const { etag, lastModified } = representation;
  const { headers: fixedHeaders, feed } = fixedOf(representation);
  // Every read of a feed document, 200 or 304, counts towards its subscriber estimate (src/stats/).
  if (feed !== null) countFeedRead(c, feed, now);
  // One object, given to the Response whole: a poll of an unchanged feed makes no header calls.
  const headers: Record<string, string> = { ...fixedHeaders, etag };
  const lastModifiedValue = lastModified === null ? null : lastModifiedHeader(lastModified, now);
  if (lastModifiedValue !== null) headers['last-modified'] = lastModifiedValue;
  let timing = `stamp;desc="${representation.heldKey !== undefined ? 'held' : 'd1'}"`;
  if (answer === 'not-modified' || (answer === null && isNotModified(c.req.raw, etag, lastModified, now))) {
    headers['server-timing'] = timing;
    return new Response(null, { status: 304, headers });
  }
  const { body, source } = answer ?? (await cachedRender(etag, representation.render, (promise) => afterResponse(c, promise)));
  timing += `,render;desc="${source}"`;
  if (source === 'render') for (const [name, ms] of Object.entries(representation.phases)) timing += `,${name};dur=${ms.toFixed(1)}`;
  headers['content-length'] = String(body.byteLength);
  headers['server-timing'] = timing;
  return new Response(body, { headers });
}
