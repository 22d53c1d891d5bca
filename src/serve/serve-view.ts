import { setMetric } from 'hono/timing';
import type { Context } from 'hono';
import { freshnessMs, type SiteConfig, siteConfig } from '../config';
import { listViewEntries, viewName, viewStamp } from '../db/entries';
import { isMoveTarget } from '../db/moves';
import { listCurrentEntries } from '../db/archive';
import { definitionOf, type View, viewKey } from '../views/registry';
import { buildFeedDocument } from '../render/build-document';
import { renderFeedPreview, renderListPage } from '../render/pages/pages';
import { type FeedFormat, previewed, type ViewFormat } from '../render/document';
import { outputFingerprint } from '../render/version';
import { CONTENT_TYPES, renderFeed } from '../render/render';
import { DEFAULT_VARIANT, type FeedVariant, feedUrls, variantParams } from '../views/urls';
import type { AppEnv } from '../http/app-env';
import { ifModifiedSince, isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from './conditional';
import { notFound } from '../http/problem';
import { currentHistory, resolveArchive } from './archive';
import { cachedRender, storedRender } from './render-cache';
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
  /** Effective Last-Modified, whole seconds, uncapped (src/serve/conditional.ts); null: none. */
  lastModified: number | null;
  /** Query and render: called only on a cache miss. */
  render: () => Promise<string>;
  /** Milliseconds spent in each phase of the last render (query, build, render), for Server-Timing. */
  phases: Record<string, number>;
  /** Its own Cache-Control, when not the feeds' (archive pages, src/serve/archive.ts). */
  cacheControl?: string;
  /** Its own URLs (the Link header's rel="self"), when not the view's feeds (archive pages). */
  links?: Record<FeedFormat, string>;
  /** True when the stamp is one this isolate read earlier (src/serve/stamp-memo.ts), not D1's now. */
  held?: boolean;
};

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
  const etag = await makeEtag([
    ...outputFingerprint(config),
    key,
    stamp.version,
    stamp.changedAt,
    stamp.newest,
    format,
    variant.limit ?? 'current',
    variantParams(variant).join('&'),
  ]);
  // The time a feed document says it was updated when it has no entry to take it from.
  const fallbackUpdated = Math.max(stamp.changedAt ?? 0, stamp.newest ?? 0);
  const phases: Record<string, number> = {};
  return {
    etag,
    lastModified: viewLastModified(stamp.lastModified, stamp.newest),
    phases,
    held,
    render: () => renderView(env.DB, config, view, format, variant, now, fallbackUpdated, phases),
  };
}

/**
 * True when a stamp held from earlier may answer this request as it stands: a 304 to a reader
 * holding exactly that version (by ETag, or by that version's own Last-Modified), or its bytes,
 * already rendered, to a reader that sent no validator. A reader with other validators may hold
 * a newer version than the held stamp (written in another isolate), and a render must not put new
 * data under an old ETag: both ask D1.
 */
async function heldStampAnswers(request: Request, representation: Representation, now: number): Promise<boolean> {
  const { etag, lastModified } = representation;
  const byEtag = request.headers.has('if-none-match');
  const since = byEtag ? null : ifModifiedSince(request, now);
  if (isNotModified(request, etag, lastModified, now)) return byEtag || (lastModified !== null && since === lastModified * 1000);
  if (byEtag || since !== null) return false;
  return (await storedRender(etag)) !== null;
}

/**
 * Answers a request for a view in one format. The order is what makes reads cheap: the version
 * stamp (held in this isolate within the freshness window, else from D1), then 304 if the client
 * is current, then cached bytes, and only on the first read after a change a query and a render.
 * `archive`: that archive page of the view's complete history instead (src/serve/archive.ts).
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
  if (archive !== null) representation = await resolveArchive(c.env, view, format, variant, archive, now);
  else {
    representation = await resolveView(c.env, view, format, variant, now, 'held');
    if (representation.held && !(await heldStampAnswers(c.req.raw, representation, now))) {
      representation = await resolveView(c.env, view, format, variant, now, 'fresh');
    } else if (representation.held && renewDue(c.env, viewKey(view), now)) {
      // Past half its window: read again after the response, so the next reader does not wait.
      c.executionCtx.waitUntil(resolveView(c.env, view, format, variant, Date.now(), 'fresh').catch(() => {}));
    }
  }
  const { etag, lastModified } = representation;
  const headers = new Headers({
    'content-type': TYPES[format],
    etag,
    'cache-control': representation.cacheControl ?? (config.feedMaxAge > 0 ? `public, max-age=${config.feedMaxAge}` : 'public, no-cache'),
  });
  if (lastModified !== null) headers.set('last-modified', lastModifiedHeader(lastModified, now));
  if (format !== 'html') headers.set('vary', FEED_VARY);
  const feedFormat = format === 'html' ? null : (previewed(format) ?? (format as FeedFormat));
  if (feedFormat && !previewed(format)) {
    const self = `<${(representation.links ?? feedUrls(config, view, variant))[feedFormat]}>; rel="self"`;
    headers.set('link', config.hub ? `<${config.hub}>; rel="hub", ${self}` : self);
  }
  // Where the stamp came from: held in this isolate (no D1) or read from D1.
  setMetric(c, 'stamp', representation.held ? 'held' : 'd1');
  if (isNotModified(c.req.raw, etag, lastModified, now)) return new Response(null, { status: 304, headers });

  const { body, source } = await cachedRender(etag, representation.render, (promise) => c.executionCtx.waitUntil(promise));
  headers.set('content-length', String(body.byteLength));
  // Where the bytes came from, and on a render how long each phase took. (Deployed Workers only
  // advance their clock on I/O, so there the phases show I/O time; locally they show all of it.)
  setMetric(c, 'render', source);
  if (source === 'render') for (const [name, ms] of Object.entries(representation.phases)) setMetric(c, name, ms);
  return new Response(body, { headers });
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
  const [{ entries, total }, name, moved] = await Promise.all([
    subscription
      ? listCurrentEntries(db, view, now)
      : listViewEntries(db, view, now, variant.limit ?? DEFAULT_LIMIT).then((entries) => ({ entries, total: null })),
    viewName(db, view),
    feedFormat !== null && isMoveTarget(db, viewKey(view), feedFormat),
  ]);
  lap('query');
  // A page advertises the plain feeds, whatever number of items it lists.
  const doc = await buildFeedDocument(config, view, name, entries, fallbackUpdated, format === 'html' ? DEFAULT_VARIANT : variant);
  if (moved && feedFormat) doc.newFeedUrl = doc.links[feedFormat];
  if (total !== null) doc.history = currentHistory(config, view, variant, total);
  lap('build');
  const preview = previewed(format);
  const body =
    format === 'html'
      ? renderListPage(config, doc, view.kind === 'site')
      : preview
        ? renderFeedPreview(config, doc, preview)
        : renderFeed(doc, format as FeedFormat);
  lap('serialize');
  return body;
}
