import type { Context } from 'hono';
import { type SiteConfig, siteConfig } from '../config';
import { findPostsByIds } from '../db/entries';
import { type SearchHit, searchEntries, searchStamp } from '../db/search';
import type { FeedFormat } from '../domain/format';
import type { SearchQuery } from '../domain/search-query';
import type { AppEnv } from '../http/app-env';
import { buildFeedDocument } from '../render/build-document';
import type { FeedDocument } from '../render/document';
import { renderFeed } from '../render/render';
import { outputFingerprint } from '../render/version';
import { FEED_FILES } from '../views/urls';
import { makeEtag } from './conditional';
import { serve } from './serve';
import { viewFixed } from './view-headers';

// The feeds of a search (/search/feed.xml?q=…): a query's newest matches, through the one read
// path. Their ETag is made from the normalized query, the stored data's stamp and the matches
// themselves, so a scheduled post going live or a source paused changes it too.

/** Items in a search feed, and results on a page of /search. */
export const SEARCH_FEED_SIZE = 20;
export const SEARCH_PAGE_SIZE = 20;
/** The last page of /search: deeper than this, a reader refines the query. */
export const SEARCH_MAX_PAGE = 50;

/** The URL of a query's feed in one format: `q` the normalized query, percent-encoded. */
export const searchFeedUrl = (config: SiteConfig, format: FeedFormat, q: string): string =>
  `${config.url}/search/${FEED_FILES[format]}?q=${encodeURIComponent(q)}`;

/** The URL of a page of /search. */
export const searchPageUrl = (config: SiteConfig, q: string, page = 1): string =>
  `${config.url}/search?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}`;

export const searchFeedUrls = (config: SiteConfig, q: string): Record<FeedFormat, string> => ({
  rss: searchFeedUrl(config, 'rss', q),
  atom: searchFeedUrl(config, 'atom', q),
  json: searchFeedUrl(config, 'json', q),
});

/**
 * The feed document of a search's hits: the entries as every feed renders them (the site's view
 * gives the frame), titled and linked as the search's own.
 */
export async function searchDocument(config: SiteConfig, db: D1Database, query: SearchQuery, hits: SearchHit[]): Promise<FeedDocument> {
  const entries = await findPostsByIds(
    db,
    hits.map((h) => h.id),
  );
  const doc = await buildFeedDocument(config, { kind: 'site' }, null, entries, Date.UTC(2000, 0, 1));
  const links = searchFeedUrls(config, query.normalized);
  return {
    ...doc,
    title: `${config.title}: search for ${query.normalized}`,
    description: `The newest posts and items of ${config.title} that contain ${query.normalized}`,
    id: links.atom,
    links,
    summaryLinks: links,
    homeUrl: searchPageUrl(config, query.normalized),
    hub: null,
    podcast: null,
    categoryScheme: null,
  };
}

/** Answers a search feed (the caller has checked that `q` is the normalized query). */
export function serveSearchFeed(c: Context<AppEnv>, query: SearchQuery, format: FeedFormat): Promise<Response> {
  const config = siteConfig(c.env);
  const db = c.env.DB;
  return serve(c, async (_stamps, now) => {
    const [stamp, { hits }] = await Promise.all([
      searchStamp(db),
      searchEntries(db, query, { scope: { kind: 'public', now }, limit: SEARCH_FEED_SIZE, offset: 0 }),
    ]);
    const etag = await makeEtag([...outputFingerprint(config), 'search', query.normalized, format, stamp, ...hits.map((h) => h.id)]);
    const phases: Record<string, number> = {};
    return {
      etag,
      lastModified: null,
      phases,
      // A search's reads are not counted as subscriptions: every query would be a feed of its own.
      fixed: () => ({ ...viewFixed(config, format, searchFeedUrls(config, query.normalized), null), feed: null }),
      render: async () => {
        const t = performance.now();
        const body = renderFeed(await searchDocument(config, db, query, hits), format);
        phases.render = performance.now() - t;
        return body;
      },
    };
  });
}
