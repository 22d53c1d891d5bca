import type { Context } from 'hono';
import { freshnessMs, type SiteConfig, siteConfig } from '../config';
import { listViewEntries, viewName, type ViewStamp, viewStamp } from '../db/entries';
import { isMoveTarget } from '../db/moves';
import { listCurrentEntries, listPageEntries, viewCarriesAudio } from '../db/history';
import { definitionOf, type View, viewKey } from '../views/registry';
import { buildFeedDocument } from '../render/build-document';
import { type Pagination, renderFeedPreview, renderListPage } from '../render/pages/pages';
import { type FeedFormat, previewed, type ViewFormat } from '../domain/format';
import { outputFingerprint } from '../render/version';
import { CONTENT_TYPES, renderFeed } from '../render/render';
import { advertisedHub, DEFAULT_VARIANT, type FeedVariant, feedUrls, listPageUrl, variantParams } from '../views/urls';
import type { AppEnv } from '../http/app-env';
import { ifModifiedSince, isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from './conditional';
import { notFound } from '../http/problem';
import { currentHistory, resolveArchive } from './archive';
import { type CachedBytes, cachedRender, storedRender } from './render-cache';
import { LruCache } from '../lib/lru';
import { countFeedRead } from '../stats/count-readers';
import { heldStamp, holdStamp, renewDue, startRead } from './stamp-memo';

/**
 * `?limit=` from 1 to MAX_LIMIT; without it a feed is its subscription document (src/views/archive.ts).
 * DEFAULT_LIMIT is the admin API lists' default.
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const WARMED_FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];

/**
 * Renders a view's feeds (default limit) into the cache when their version changed, so that no
 * reader waits for that render: after a write, and from the cron when a scheduled post went
 * live. A feed that is already cached costs one version lookup. Returns the formats rendered.
 */
export async function warmFeeds(env: Env, view: View, now: number, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<FeedFormat[]> {
  const rendered: FeedFormat[] = [];
  for (const format of WARMED_FORMATS) {
    const representation = await resolveView(env, view, format, DEFAULT_VARIANT, now);
    const { source } = await cachedRender(representation.etag, representation.render, (p) => ctx.waitUntil(p));
    if (source === 'render') rendered.push(format);
  }
  return rendered;
}

const HTML_TYPE = 'text/html; charset=utf-8';
const TYPES: Record<ViewFormat, string> = {
  ...CONTENT_TYPES,
  html: HTML_TYPE,
  'preview-rss': HTML_TYPE,
  'preview-atom': HTML_TYPE,
  'preview-json': HTML_TYPE,
};

/** A feed URL answers a browser's navigation with its preview (routes/feeds.ts): caches must key on what decides. */
const FEED_VARY = 'Sec-Fetch-Mode, Sec-Fetch-Dest';

/** A view in one format at one moment, before anything is rendered. */
export type Representation = {
  etag: string;
  /** Effective Last-Modified, whole seconds, as stored (src/serve/conditional.ts): sent once the clock reaches it; null: none. */
  lastModified: number | null;
  /** Query and render: called only on a cache miss. */
  render: () => Promise<string>;
  /** Milliseconds spent in each phase of the last render (query, build, render), for Server-Timing. */
  phases: Record<string, number>;
  /** Its own Cache-Control, when not the feeds' (archive pages, src/serve/archive.ts). */
  cacheControl?: string;
  /** Its own URLs (the Link header's rel="self"), when not the view's feeds (archive pages). */
  links?: Record<FeedFormat, string>;
  /** The hub its Link header names, the one its body advertises (advertisedHub); null: none. */
  hub: string | null;
  /** True when the stamp is one this isolate read earlier (src/serve/stamp-memo.ts), not D1's now. */
  held?: boolean;
};

/** ETags per stamp object, by format and variant. */
const etagsOf = new WeakMap<ViewStamp, Map<string, string>>();

/**
 * Looks up the view's version stamp (one round trip of index seeks) and derives the ETag and
 * Last-Modified from it. Throws a 404 problem for a tag or author with no visible post.
 * The variant (`?limit`, `?content`) is part of the ETag, so each has its own cached bytes. Without
 * `?limit` (`variant.limit` null) a feed is the subscription document of the view's complete
 * history (src/views/archive.ts).
 *
 * `stamps: 'held'` may answer from a stamp this isolate read within the freshness window (no D1):
 * only for answering "unchanged" (see serveView). `'fresh'` always reads D1 (and keeps the stamp).
 */
export async function resolveView(
  env: Env,
  view: View,
  format: ViewFormat,
  variant: FeedVariant,
  now: number,
  stamps: 'fresh' | 'held' = 'fresh',
): Promise<Representation> {
  const config = siteConfig(env);
  const key = viewKey(view);
  let stamp = stamps === 'held' ? heldStamp(env, key, now) : null;
  const held = stamp !== null;
  if (stamp === null) {
    const token = startRead(env);
    stamp = await viewStamp(env.DB, view, now);
    holdStamp(env, key, stamp, now, freshnessMs(env), token);
  }
  if (!stamp.exists) throw notFound(definitionOf(view).missing(view));
  // A held stamp is one object for as long as it is held: its ETags are kept on it.
  let etags = etagsOf.get(stamp);
  if (!etags) {
    etags = new Map();
    etagsOf.set(stamp, etags);
  }
  // The same representation parts as the ETag itself, so that the two can never disagree.
  // An HTML list's page from 2 on is its own representation; feeds and page 1 have no page part.
  const listPage = format === 'html' && variant.page !== undefined && variant.page > 1 ? [`page=${variant.page}`] : [];
  const representationParts = [format, variant.limit ?? 'current', variantParams(variant).join('&'), ...listPage] as const;
  const variantKey = representationParts.join(' ');
  let etag = etags.get(variantKey);
  if (etag === undefined) {
    etag = await makeEtag([...outputFingerprint(config), key, stamp.version, stamp.changedAt, stamp.newest, ...representationParts]);
    etags.set(variantKey, etag);
  }
  // The time a feed document says it was updated when it has no entry to take it from.
  const fallbackUpdated = Math.max(stamp.changedAt ?? 0, stamp.newest ?? 0);
  const phases: Record<string, number> = {};
  return {
    etag,
    lastModified: viewLastModified(stamp.lastModified, stamp.newest),
    phases,
    held,
    hub: advertisedHub(config, variant),
    render: () => renderView(env.DB, config, view, format, variant, now, fallbackUpdated, phases),
  };
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

/** What depends only on the representation (not on the moment), per ETag: a poll builds none of it. */
type Fixed = {
  headers: Record<string, string>;
  /** A feed document's path and query, as its self link names it (what a read counts towards); null: a page or a preview. */
  feed: string | null;
};
const fixed = new LruCache<Fixed>(2000, () => 1);

function representationFixed(config: SiteConfig, view: View, format: ViewFormat, variant: FeedVariant, r: Representation): Fixed {
  const known = fixed.get(r.etag);
  if (known) return known;
  const headers: Record<string, string> = {
    'content-type': TYPES[format],
    etag: r.etag,
    'cache-control': r.cacheControl ?? (config.feedMaxAge > 0 ? `public, max-age=${config.feedMaxAge}` : 'public, no-cache'),
  };
  if (format !== 'html') headers.vary = FEED_VARY;
  const feedFormat = format === 'html' || previewed(format) ? null : (format as FeedFormat);
  let feed: string | null = null;
  if (feedFormat) {
    const selfUrl = (r.links ?? feedUrls(config, view, variant))[feedFormat];
    const self = `<${selfUrl}>; rel="self"`;
    headers.link = r.hub ? `<${r.hub}>; rel="hub", ${self}` : self;
    if (selfUrl.startsWith(`${config.url}/`)) feed = selfUrl.slice(config.url.length);
  }
  const made = { headers, feed };
  fixed.set(r.etag, made);
  return made;
}

/**
 * Answers a request for a view in one format. The order is what makes reads cheap: the version
 * stamp (held in this isolate within the freshness window, else from D1), then 304 if the client
 * is current, then cached bytes, and only on the first read after a change a query and a render.
 * `archive`: that archive page of the view's complete history instead (src/serve/archive.ts).
 *
 * `Server-Timing` says where the stamp came from (`held` in this isolate, or `d1`), where the
 * bytes came from (`memory`, `cache-api` or `render`), and on a render how long each phase took.
 * (Deployed Workers only advance their clock on I/O, so there the phases show I/O time; locally
 * they show all of it.)
 */
export async function serveView(
  c: Context<AppEnv>,
  view: View,
  format: ViewFormat,
  variant: FeedVariant,
  archive: number | null = null,
): Promise<Response> {
  const config = siteConfig(c.env);
  const now = Date.now();
  let representation: Representation;
  let answer: 'not-modified' | CachedBytes | null = null;
  if (archive !== null) representation = await resolveArchive(c.env, view, format, variant, archive, now);
  else {
    representation = await resolveView(c.env, view, format, variant, now, 'held');
    if (representation.held) answer = await heldStampAnswer(c.req.raw, representation, now);
    if (representation.held && answer === null) {
      representation = await resolveView(c.env, view, format, variant, now, 'fresh');
    } else if (representation.held && renewDue(c.env, viewKey(view), now)) {
      // Past half its window: read again after the response, so the next reader does not wait.
      c.executionCtx.waitUntil(resolveView(c.env, view, format, variant, Date.now(), 'fresh').catch(() => {}));
    }
  }
  const { etag, lastModified } = representation;
  const { headers: fixedHeaders, feed } = representationFixed(config, view, format, variant, representation);
  // Every read of a feed document, 200 or 304, counts towards its subscriber estimate (src/stats/).
  if (feed !== null) countFeedRead(c, feed, now);
  // One object, given to the Response whole: a poll of an unchanged feed makes no header calls.
  const headers: Record<string, string> = { ...fixedHeaders };
  const lastModifiedValue = lastModified === null ? null : lastModifiedHeader(lastModified, now);
  if (lastModifiedValue !== null) headers['last-modified'] = lastModifiedValue;
  let timing = `stamp;desc="${representation.held ? 'held' : 'd1'}"`;
  if (answer === 'not-modified' || (answer === null && isNotModified(c.req.raw, etag, lastModified, now))) {
    headers['server-timing'] = timing;
    return new Response(null, { status: 304, headers });
  }
  const { body, source } = answer ?? (await cachedRender(etag, representation.render, (promise) => c.executionCtx.waitUntil(promise)));
  timing += `,render;desc="${source}"`;
  if (source === 'render') for (const [name, ms] of Object.entries(representation.phases)) timing += `,${name};dur=${ms.toFixed(1)}`;
  headers['content-length'] = String(body.byteLength);
  headers['server-timing'] = timing;
  return new Response(body, { headers });
}

/** Where page `page` of a view's HTML list of `total` entries, `size` a page, stands among its pages. */
export function listPagination(config: SiteConfig, view: View, page: number, size: number, total: number): Pagination {
  return { page, pages: Math.max(1, Math.ceil(total / size)), url: (n) => listPageUrl(config, view, n) };
}

async function renderView(
  db: D1Database,
  config: SiteConfig,
  view: View,
  format: ViewFormat,
  variant: FeedVariant,
  now: number,
  fallbackUpdated: number,
  phases: Record<string, number>,
): Promise<string> {
  let t = performance.now();
  const lap = (name: string) => {
    const now2 = performance.now();
    phases[name] = now2 - t;
    t = now2;
  };
  // A feed document (not a page or a preview) that a move sends readers to says so (src/moves/).
  const feedFormat = format === 'html' || previewed(format) ? null : (format as FeedFormat);
  const subscription = variant.limit === null && format !== 'html';
  const page = variant.page ?? 1;
  const size = variant.limit ?? DEFAULT_LIMIT;
  const [{ entries, total }, name, moved, audio] = await Promise.all([
    format === 'html'
      ? listPageEntries(db, view, now, page, size)
      : subscription
        ? listCurrentEntries(db, view, now)
        : listViewEntries(db, view, now, size).then((entries) => ({ entries, total: null as number | null })),
    viewName(db, view),
    feedFormat !== null && isMoveTarget(db, viewKey(view), feedFormat),
    // Whether the feed is a podcast (RSS iTunes tags): a property of its whole history, not of this page.
    feedFormat === 'rss' ? viewCarriesAudio(db, view, now) : undefined,
  ]);
  lap('query');
  if (format === 'html' && page > 1 && entries.length === 0) throw notFound(`This list has no page ${page}.`);
  // A page advertises the plain feeds, whatever number of items it lists.
  const doc = await buildFeedDocument(config, view, name, entries, fallbackUpdated, format === 'html' ? DEFAULT_VARIANT : variant, audio);
  if (moved && feedFormat) doc.newFeedUrl = doc.links[feedFormat];
  if (total !== null && subscription) doc.history = currentHistory(config, view, variant, total);
  lap('build');
  const preview = previewed(format);
  const body =
    format === 'html'
      ? renderListPage(config, doc, view.kind === 'site', listPagination(config, view, page, size, total ?? 0))
      : preview
        ? renderFeedPreview(config, doc, preview)
        : renderFeed(doc, format as FeedFormat);
  lap('serialize');
  return body;
}
