import { setMetric } from 'hono/timing';
import type { Context } from 'hono';
import { freshnessMs, type SiteConfig, siteConfig } from '../config';
import { listViewEntries, viewName, viewStamp } from '../db/entries';
import { definitionOf, type View, viewKey } from '../views/registry';
import { buildFeedDocument } from '../render/build-document';
import { renderListPage } from '../render/pages/pages';
import type { FeedFormat, ViewFormat } from '../render/document';
import { outputFingerprint } from '../render/version';
import { CONTENT_TYPES, renderFeed } from '../render/render';
import { feedUrls } from '../views/urls';
import type { AppEnv } from '../http/app-env';
import { ifModifiedSince, isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from './conditional';
import { notFound } from '../http/problem';
import { cachedRender, storedRender } from './render-cache';
import { heldStamp, holdStamp, renewDue, startRead } from './stamp-memo';

/** Items in a feed: `?limit=` from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent. */
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
    const representation = await resolveView(env, view, format, DEFAULT_LIMIT, now);
    const { source } = await cachedRender(representation.etag, representation.render, (p) => ctx.waitUntil(p));
    if (source === 'render') rendered.push(format);
  }
  return rendered;
}

const TYPES: Record<ViewFormat, string> = { ...CONTENT_TYPES, html: 'text/html; charset=utf-8' };

/** A view in one format at one moment, before anything is rendered. */
type Representation = {
  etag: string;
  /** Effective Last-Modified, whole seconds, uncapped (src/serve/conditional.ts); null: none. */
  lastModified: number | null;
  /** Query and render: called only on a cache miss. */
  render: () => Promise<string>;
  /** Milliseconds spent in each phase of the last render (query, build, render), for Server-Timing. */
  phases: Record<string, number>;
  /** True when the stamp is one this isolate read earlier (src/serve/stamp-memo.ts), not D1's now. */
  held: boolean;
};

/**
 * Looks up the view's version stamp (one round trip of index seeks) and derives the ETag and
 * Last-Modified from it. Throws a 404 problem for a tag or author with no visible post.
 *
 * `stamps: 'held'` may answer from a stamp this isolate read within the freshness window (no D1):
 * only for answering "unchanged" (see serveView). `'fresh'` always reads D1 (and keeps the stamp).
 */
export async function resolveView(
  env: Env,
  view: View,
  format: ViewFormat,
  limit: number,
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
  const etag = await makeEtag([...outputFingerprint(config), key, stamp.version, stamp.changedAt, stamp.newest, format, limit]);
  // The time a feed document says it was updated when it has no entry to take it from.
  const fallbackUpdated = Math.max(stamp.changedAt ?? 0, stamp.newest ?? 0);
  const phases: Record<string, number> = {};
  return {
    etag,
    lastModified: viewLastModified(stamp.lastModified, stamp.newest),
    phases,
    held,
    render: () => renderView(env.DB, config, view, format, limit, now, fallbackUpdated, phases),
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
 */
export async function serveView(c: Context<AppEnv>, view: View, format: ViewFormat, limit: number): Promise<Response> {
  const config = siteConfig(c.env);
  const now = Date.now();
  let representation = await resolveView(c.env, view, format, limit, now, 'held');
  if (representation.held && !(await heldStampAnswers(c.req.raw, representation, now))) {
    representation = await resolveView(c.env, view, format, limit, now, 'fresh');
  } else if (representation.held && renewDue(c.env, viewKey(view), now)) {
    // Past half its window: read again after the response, so the next reader does not wait.
    c.executionCtx.waitUntil(resolveView(c.env, view, format, limit, Date.now(), 'fresh').catch(() => {}));
  }
  const { etag, lastModified } = representation;
  const headers = new Headers({
    'content-type': TYPES[format],
    etag,
    'cache-control': config.feedMaxAge > 0 ? `public, max-age=${config.feedMaxAge}` : 'public, no-cache',
  });
  if (lastModified !== null) headers.set('last-modified', lastModifiedHeader(lastModified, now));
  if (format !== 'html') {
    const self = `<${feedUrls(config, view)[format]}>; rel="self"`;
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
  limit: number,
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
  const [entries, name] = await Promise.all([listViewEntries(db, view, now, limit), viewName(db, view)]);
  lap('query');
  const doc = await buildFeedDocument(config, view, name, entries, fallbackUpdated);
  lap('build');
  const body = format === 'html' ? renderListPage(config, doc, view.kind === 'site') : renderFeed(doc, format);
  lap('serialize');
  return body;
}
