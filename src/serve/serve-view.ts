import { setMetric } from 'hono/timing';
import type { Context } from 'hono';
import { type SiteConfig, siteConfig } from '../config';
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
import { isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from './conditional';
import { notFound } from '../http/problem';
import { cachedRender } from './render-cache';
import { currentHistory, resolveArchive } from './archive';

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
};

/**
 * Looks up the view's version stamp (one round trip of index seeks) and derives the ETag and
 * Last-Modified from it. Throws a 404 problem for a tag or author with no visible post.
 * The variant (`?limit`, `?content`) is part of the ETag, so each has its own cached bytes. Without
 * `?limit` (`variant.limit` null) a feed is the subscription document of the view's complete
 * history (src/views/archive.ts).
 */
export async function resolveView(env: Env, view: View, format: ViewFormat, variant: FeedVariant, now: number): Promise<Representation> {
  const config = siteConfig(env);
  const stamp = await viewStamp(env.DB, view, now);
  if (!stamp.exists) throw notFound(definitionOf(view).missing(view));
  const etag = await makeEtag([
    ...outputFingerprint(config),
    viewKey(view),
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
    render: () => renderView(env.DB, config, view, format, variant, now, fallbackUpdated, phases),
  };
}

/**
 * Answers a request for a view in one format. The order is what makes reads cheap: the version
 * stamp, then 304 if the client is current, then cached bytes, and only on the first read after
 * a change a query and a render. `archive`: that archive page of the view's complete history
 * instead (src/serve/archive.ts).
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
  const representation =
    archive === null
      ? await resolveView(c.env, view, format, variant, now)
      : await resolveArchive(c.env, view, format, variant, archive, now);
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
