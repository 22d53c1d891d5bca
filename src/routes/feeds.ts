import { type Context, Hono } from 'hono';
import type { FeedFormat, ViewFormat } from '../domain/format';
import type { AppEnv } from '../http/app-env';
import { serveArchive } from '../serve/archive-page';
import { serveView } from '../serve/serve-view';
import { viewDefinitions } from '../views/registry';
import { FEED_FILES } from '../views/urls';
import { viewRequest } from './view-routes';

/**
 * GET <view path>feed.xml | atom.xml | feed.json for every kind of view (src/views/): the site,
 * each tag and each author, each upstream source (/sources/:id/) and the merged planet (/planet/,
 * ?tag= to narrow it).
 */
export const feedRoutes = new Hono<AppEnv>();

/**
 * A person opening a feed URL in a browser (a top-level navigation: `Sec-Fetch-Mode: navigate`
 * and `Sec-Fetch-Dest: document`) gets an HTML preview of the feed; `?raw=1` asks for the feed
 * itself. Every other request (feed readers, fetch(), curl) gets the feed bytes. Responses say
 * `Vary: Sec-Fetch-Mode, Sec-Fetch-Dest`, and each variant has its own ETag and cache entry.
 */
function variant(c: Context<AppEnv>, format: FeedFormat): ViewFormat {
  const navigation = c.req.header('sec-fetch-mode') === 'navigate' && c.req.header('sec-fetch-dest') === 'document';
  if (!navigation || c.req.query('raw') !== undefined) return format;
  c.set('copyScript', true);
  return `preview-${format}`;
}

for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  for (const { route } of viewDefinitions) {
    const { check, read } = viewRequest(route, 'feed');
    feedRoutes.get(`${route.page}${FEED_FILES[format]}`, check, (c) => {
      const { view, variant: feedVariant } = read(c);
      return serveView(c, view, variant(c, format), feedVariant!);
    });
  }
}

/**
 * RFC 5005 archive pages of every feed: `<view path>archive/<page>/feed.xml | atom.xml | feed.json`
 * (a planet's `?tag=`, and `?content=summary` for the summary variant's pages, after it), page 1
 * the oldest (src/views/archive.ts). `?limit` does not apply.
 */
for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  for (const { route } of viewDefinitions) {
    const { check, read } = viewRequest(route, 'archive');
    feedRoutes.get(`${route.page}archive/:page/${FEED_FILES[format]}`, check, (c) => {
      const { view, variant: feedVariant, page } = read(c);
      return serveArchive(c, view, variant(c, format), feedVariant!, page!);
    });
  }
}
