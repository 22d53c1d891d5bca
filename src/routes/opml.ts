import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { resolveFeedList } from '../serve/feed-list';
import { serve } from '../serve/serve';

/**
 * GET /opml.xml: the site's feeds (main, every tag, every author) for readers that import lists;
 * never one that is moved or retired (src/moves/).
 */
export const opmlRoutes = new Hono<AppEnv>();

opmlRoutes.get('/opml.xml', (c) => serve(c, (stamps, now) => resolveFeedList(c.env, now, stamps)));
