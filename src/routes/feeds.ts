import { type Context, Hono } from 'hono';
import type { View } from '../views/registry';
import type { AppEnv } from '../http/app-env';
import { serveView } from '../serve/serve-view';
import type { FeedFormat, ViewFormat } from '../domain/format';
import { FEED_FILES } from '../views/urls';
import { archiveParam, archiveQuery, feedQuery, planetArchiveQuery, planetQuery, sourceIdParam, validate } from './query';

/**
 * GET <view path>/feed.xml | atom.xml | feed.json for the site, each tag and each author, each
 * upstream source (/sources/:id/) and the merged planet (/planet/, ?tag= to narrow it).
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

/** The view a route serves, from its path parameter (the site's routes have none to read). */
const VIEWS: [prefix: string, view: (c: Context<AppEnv>) => View][] = [
  ['', () => ({ kind: 'site' })],
  ['/tags/:param', (c) => ({ kind: 'tag', slug: c.req.param('param') ?? '' })],
  ['/authors/:param', (c) => ({ kind: 'author', slug: c.req.param('param') ?? '' })],
];

for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  for (const [prefix, view] of VIEWS) {
    feedRoutes.get(`${prefix}/${FEED_FILES[format]}`, validate('query', feedQuery), (c) =>
      serveView(c, view(c), variant(c, format), c.req.valid('query').variant),
    );
  }
  feedRoutes.get(`/sources/:id/${FEED_FILES[format]}`, validate('param', sourceIdParam), validate('query', feedQuery), (c) =>
    serveView(c, { kind: 'source', id: c.req.valid('param').id }, variant(c, format), c.req.valid('query').variant),
  );
  feedRoutes.get(`/planet/${FEED_FILES[format]}`, validate('query', planetQuery), (c) => {
    const { tag, variant: feedVariant } = c.req.valid('query');
    return serveView(c, { kind: 'planet', tag: tag ?? null }, variant(c, format), feedVariant);
  });
}

/**
 * RFC 5005 archive pages of every feed: `<view path>archive/<page>/feed.xml | atom.xml | feed.json`
 * (a planet's `?tag=`, and `?content=summary` for the summary variant's pages, after it), page 1
 * the oldest (src/views/archive.ts). `?limit` does not apply.
 */
for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  const file = `archive/:page/${FEED_FILES[format]}`;
  for (const [prefix, view] of VIEWS) {
    feedRoutes.get(`${prefix}/${file}`, validate('param', archiveParam), validate('query', archiveQuery), (c) =>
      serveView(c, view(c), variant(c, format), c.req.valid('query').variant, c.req.valid('param').page),
    );
  }
  feedRoutes.get(
    `/sources/:id/${file}`,
    validate('param', sourceIdParam.extend(archiveParam.shape)),
    validate('query', archiveQuery),
    (c) => {
      const { id, page } = c.req.valid('param');
      return serveView(c, { kind: 'source', id }, variant(c, format), c.req.valid('query').variant, page);
    },
  );
  feedRoutes.get(`/planet/${file}`, validate('param', archiveParam), validate('query', planetArchiveQuery), (c) => {
    const { tag, variant: feedVariant } = c.req.valid('query');
    return serveView(c, { kind: 'planet', tag: tag ?? null }, variant(c, format), feedVariant, c.req.valid('param').page);
  });
}
