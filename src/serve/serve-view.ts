import type { Context } from 'hono';
import { freshnessMs, type SiteConfig, siteConfig } from '../config';
import { listViewEntries, viewName, type ViewStamp, viewStamp } from '../db/entries';
import { listCurrentEntries, listPageEntries, viewCarriesAudio } from '../db/history';
import { isMoveTarget } from '../db/moves';
import type { Entry } from '../domain/entry';
import { matchesTerms } from '../domain/filters';
import { type FeedFormat, previewed, type ViewFormat } from '../domain/format';
import { htmlToText } from '../html/text';
import type { AppEnv } from '../http/app-env';
import { notFound } from '../http/problem';
import { buildFeedDocument } from '../render/build-document';
import type { FeedDocument } from '../render/document';
import { type Pagination, renderFeedPreview, renderListPage, renderPlanetPage } from '../render/pages/pages';
import { renderFeed } from '../render/render';
import { outputFingerprint } from '../render/version';
import { definitionOf, type View, viewKey } from '../views/registry';
import { advertisedHub, DEFAULT_VARIANT, type FeedVariant, feedUrls, filtered, listPageUrl, variantParams } from '../views/urls';
import { currentHistory } from './archive-page';
import { makeEtag, viewLastModified } from './conditional';
import { cachedRender } from './render-cache';
import { type Representation, serve } from './serve';
import { type HealthTable, sourceHealth } from './source-health';
import { heldStamp, holdStamp, startRead } from './stamp-memo';
import { viewFixed } from './view-headers';

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

/** ETags per stamp object, by format and variant. */
const etagsOf = new WeakMap<ViewStamp, Map<string, string>>();

/**
 * Looks up the view's version stamp (one round trip of index seeks) and derives the ETag and
 * Last-Modified from it. Throws a 404 problem for a tag or author with no visible post.
 * The variant (`?limit`, `?content`) is part of the ETag, so each has its own cached bytes. Without
 * `?limit` (`variant.limit` null) a feed is the subscription document of the view's complete
 * history (src/views/archive.ts). A view whose page lists its sources (the planet) shows their
 * health there (src/serve/source-health.ts), which is part of that page's ETag.
 *
 * `stamps: 'held'` may answer from a stamp this isolate read within the freshness window (no D1):
 * only for answering "unchanged" (src/serve/serve.ts). `'fresh'` always reads D1 (and keeps the stamp).
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
  let stamp = stamps === 'held' ? heldStamp<ViewStamp>(env, key, now) : null;
  const held = stamp !== null;
  if (stamp === null) {
    const token = startRead(env);
    stamp = await viewStamp(env.DB, view, now);
    holdStamp(env, key, stamp, now, freshnessMs(env), token);
  }
  if (!stamp.exists) throw notFound(definitionOf(view).missing(view));
  const health = format === 'html' && definitionOf(view).listsSources ? await sourceHealth(env, now, stamps) : null;
  // A held stamp is one object for as long as it is held: its ETags are kept on it.
  let etags = etagsOf.get(stamp);
  if (!etags) {
    etags = new Map();
    etagsOf.set(stamp, etags);
  }
  // The same representation parts as the ETag itself, so that the two can never disagree.
  // An HTML list's page from 2 on is its own representation; feeds and page 1 have no page part.
  const listPage = format === 'html' && variant.page !== undefined && variant.page > 1 ? [`page=${variant.page}`] : [];
  const sources = health ? [`sources=${health.digest}`] : [];
  const representationParts = [format, variant.limit ?? 'current', variantParams(variant).join('&'), ...listPage, ...sources] as const;
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
    heldKey: held ? key : undefined,
    fixed: () => viewFixed(config, format, feedUrls(config, view, variant), advertisedHub(config, variant)),
    render: () => renderView(env.DB, config, view, format, variant, now, fallbackUpdated, phases, health),
  };
}

/**
 * Answers a request for a view in one format (src/serve/serve.ts): the stamp, then 304 if the
 * client is current, then cached bytes, and only on the first read after a change a query and a render.
 */
export function serveView(c: Context<AppEnv>, view: View, format: ViewFormat, variant: FeedVariant): Promise<Response> {
  return serve(c, (stamps, now) => resolveView(c.env, view, format, variant, now, stamps));
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
  health: HealthTable | null,
): Promise<string> {
  let t = performance.now();
  const lap = (name: string) => {
    const now2 = performance.now();
    phases[name] = now2 - t;
    t = now2;
  };
  // A feed document (not a page or a preview) that a move sends readers to says so (src/moves/).
  const feedFormat = format === 'html' || previewed(format) ? null : (format as FeedFormat);
  const wordFiltered = format !== 'html' && filtered(variant);
  const subscription = variant.limit === null && format !== 'html' && !wordFiltered;
  const page = variant.page ?? 1;
  const size = variant.limit ?? DEFAULT_LIMIT;
  const [{ entries, total }, name, moved, audio] = await Promise.all([
    format === 'html'
      ? listPageEntries(db, view, now, page, size)
      : wordFiltered
        ? listViewEntries(db, view, now, FILTER_WINDOW).then((entries) => ({
            entries: wordFilter(entries, variant).slice(0, size),
            total: null as number | null,
          }))
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
      ? renderPage(config, view, doc, listPagination(config, view, page, size, total ?? 0), health)
      : preview
        ? renderFeedPreview(config, doc, preview)
        : renderFeed(doc, format as FeedFormat);
  lap('serialize');
  return body;
}

/**
 * Entries a subscriber's word filter reads: the view's newest FILTER_WINDOW, of which the newest
 * `?limit` (else DEFAULT_LIMIT) that pass are served. A filtered feed has no archive pages.
 */
export const FILTER_WINDOW = 200;

/** The entries `?filter=` keeps and `?filterout=` does not drop, by their title and content text (whole words). */
function wordFilter(entries: Entry[], variant: FeedVariant): Entry[] {
  return entries.filter((entry) => {
    const texts = [entry.title, htmlToText(entry.contentHtml || entry.summary)];
    if (variant.filter?.length && !matchesTerms(texts, variant.filter)) return false;
    return !(variant.filterout?.length && matchesTerms(texts, variant.filterout));
  });
}

/** A view's HTML list page; a view that lists its sources (the planet) shows their health after its entries. */
function renderPage(config: SiteConfig, view: View, doc: FeedDocument, pagination: Pagination, health: HealthTable | null): string {
  const listed = definitionOf(view).listsSources;
  if (!health || !listed) return renderListPage(config, doc, view.kind === 'site', pagination);
  return renderPlanetPage(
    config,
    doc,
    health.rows.filter((source) => listed(view, source.tags)),
    pagination,
  );
}
