import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { resolvePostPage } from '../serve/post-page';
import { serve } from '../serve/serve';
import { serveView } from '../serve/serve-view';
import { viewDefinitions } from '../views/registry';
import type { FeedVariant } from '../views/urls';
import { viewRequest } from './view-routes';

/**
 * The human-facing pages: the post list of every kind of view (the site, a tag, an author, a
 * source; the planet's also shows its sources' health), and each post.
 */
export const pageRoutes = new Hono<AppEnv>();

/**
 * HTML lists: 50 entries a page, newest first; `?page=N` from 2 on the older ones (a page past the
 * last is a 404). Full content (the pages show summaries and advertise the plain feeds).
 */
const PAGE_SIZE = 50;
const PAGE: FeedVariant = { limit: PAGE_SIZE, content: 'full' };
const listPage = (page: number | undefined): FeedVariant => ({ ...PAGE, page });

for (const { route } of viewDefinitions) {
  const { check, read } = viewRequest(route, 'page');
  pageRoutes.get(route.page, check, (c) => {
    const { view, page } = read(c);
    return serveView(c, view, 'html', listPage(page));
  });
  if (route.slashless) {
    // The query goes along where it names the view (a planet's `?tag=`).
    pageRoutes.get(route.page.slice(0, -1), (c) => c.redirect(`${c.req.path}/${route.by === 'tag' ? new URL(c.req.url).search : ''}`, 301));
  }
}

pageRoutes.get('/posts/:slug', (c) => serve(c, (stamps, now) => resolvePostPage(c, c.req.param('slug'), now, stamps)));
