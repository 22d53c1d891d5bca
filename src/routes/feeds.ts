import { Hono } from 'hono';
import type { View } from '../db/views';
import type { AppEnv } from '../http/app-env';
import { serveView } from '../http/serve-view';
import type { FeedFormat } from '../render/document';
import { FEED_FILES } from '../urls';
import { feedQuery, validate } from './query';

/** GET <view path>/feed.xml | atom.xml | feed.json for the site, each tag and each author. */
export const feedRoutes = new Hono<AppEnv>();

const VIEWS: [prefix: string, view: (param: string) => View][] = [
  ['', () => ({ kind: 'site' })],
  ['/tags/:param', (slug) => ({ kind: 'tag', slug })],
  ['/authors/:param', (slug) => ({ kind: 'author', slug })],
];

for (const [prefix, view] of VIEWS) {
  for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
    feedRoutes.get(`${prefix}/${FEED_FILES[format]}`, validate('query', feedQuery), (c) =>
      serveView(c, view(c.req.param('param') ?? ''), format, c.req.valid('query').limit),
    );
  }
}
