import { type Context, Hono } from 'hono';
import { siteConfig } from '../config';
import { searchEntries } from '../db/search';
import type { FeedFormat } from '../domain/format';
import { isQueryError, parseSearchQuery } from '../domain/search-query';
import type { AppEnv } from '../http/app-env';
import { badRequest } from '../http/problem';
import { renderSearchPage, type SearchPage } from '../render/pages/search';
import {
  SEARCH_MAX_PAGE,
  SEARCH_PAGE_SIZE,
  searchDocument,
  searchFeedUrl,
  searchFeedUrls,
  searchPageUrl,
  serveSearchFeed,
} from '../serve/search';
import { FEED_FILES } from '../views/urls';

/**
 * GET /search?q=…&page=N: the search page (docs/search.md); GET /search/feed.xml | atom.xml |
 * feed.json?q=…: the newest matches of a query as a feed. A query that cannot run is a 400 naming
 * `q`: a page saying why, or a problem for the feeds.
 */
export const searchRoutes = new Hono<AppEnv>();

searchRoutes.get('/search', async (c) => {
  const config = siteConfig(c.env);
  const q = c.req.query('q');
  const pageParam = c.req.query('page');
  const base: SearchPage = {
    q: q ?? '',
    error: null,
    results: null,
    page: 1,
    prev: null,
    next: null,
    canonical: `${config.url}/search`,
    feeds: null,
  };
  // No query yet: the empty form.
  if (q === undefined) return c.html(renderSearchPage(config, base));
  const query = parseSearchQuery(q);
  if (isQueryError(query)) return c.html(renderSearchPage(config, { ...base, error: query.error }), 400);
  const page = pageParam === undefined ? 1 : /^[1-9]\d{0,5}$/.test(pageParam) ? Number(pageParam) : 0;
  if (page < 1 || page > SEARCH_MAX_PAGE) {
    return c.html(renderSearchPage(config, { ...base, error: `page: a whole number from 1 to ${SEARCH_MAX_PAGE}.` }), 400);
  }
  const { hits, more } = await searchEntries(c.env.DB, query, {
    scope: { kind: 'public', now: Date.now() },
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  });
  const doc = await searchDocument(config, c.env.DB, query, hits);
  const snippets = new Map(hits.map((h) => [h.id, h.snippet]));
  return c.html(
    renderSearchPage(config, {
      ...base,
      results: doc.items.map((item) => ({ item, snippet: snippets.get(item.id) ?? [] })),
      page,
      prev: page > 1 ? searchPageUrl(config, query.normalized, page - 1) : null,
      next: more && page < SEARCH_MAX_PAGE ? searchPageUrl(config, query.normalized, page + 1) : null,
      canonical: searchPageUrl(config, query.normalized, page),
      feeds: searchFeedUrls(config, query.normalized),
    }),
  );
});

for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  searchRoutes.get(`/search/${FEED_FILES[format]}`, (c: Context<AppEnv>) => {
    const q = c.req.query('q');
    const query = parseSearchQuery(q);
    if (isQueryError(query)) throw badRequest([{ field: 'q', message: query.error }]);
    // One URL per query: any other spelling of it (spaces, quotes, other parameters) is sent there.
    const canonical = searchFeedUrl(siteConfig(c.env), format, query.normalized);
    if (new URL(c.req.url).search !== new URL(canonical).search) return c.redirect(canonical, 301);
    return serveSearchFeed(c, query, format);
  });
}
