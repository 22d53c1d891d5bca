import { Hono } from 'hono';
import type { View } from '../views/registry';
import type { AppEnv } from '../http/app-env';
import { serveView } from '../serve/serve-view';
import type { FeedFormat } from '../render/document';
import { FEED_FILES } from '../views/urls';
import { feedQuery, planetQuery, sourceIdParam, validate } from './query';

/**
 * GET <view path>/feed.xml | atom.xml | feed.json for the site, each tag and each author, each
 * upstream source (/sources/:id/) and the merged planet (/planet/, ?tag= to narrow it).
 */
export const feedRoutes = new Hono<AppEnv>();

const VIEWS: [prefix: string, view: (param: string) => View][] = [
  ['', () => ({ kind: 'site' })],
  ['/tags/:param', (slug) => ({ kind: 'tag', slug })],
  ['/authors/:param', (slug) => ({ kind: 'author', slug })],
];

for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
  for (const [prefix, view] of VIEWS) {
    feedRoutes.get(`${prefix}/${FEED_FILES[format]}`, validate('query', feedQuery), (c) =>
      serveView(c, view(c.req.param('param') ?? ''), format, c.req.valid('query').variant),
    );
  }
  feedRoutes.get(`/sources/:id/${FEED_FILES[format]}`, validate('param', sourceIdParam), validate('query', feedQuery), (c) =>
    serveView(c, { kind: 'source', id: c.req.valid('param').id }, format, c.req.valid('query').variant),
  );
  feedRoutes.get(`/planet/${FEED_FILES[format]}`, validate('query', planetQuery), (c) => {
    const { tag, variant } = c.req.valid('query');
    return serveView(c, { kind: 'planet', tag: tag ?? null }, format, variant);
  });
}
