import { Hono } from 'hono';
import { siteConfig } from '../config';
import { findPostBy } from '../db/entries';
import { buildFeedDocument } from '../feeds/build-document';
import type { AppEnv } from '../http/app-env';
import { isNotModified, makeEtag } from '../http/conditional';
import { notFound } from '../http/problem';
import { outputFingerprint, serveView } from '../http/serve-view';
import { renderMessagePage, renderPostPage } from '../pages/pages';
import { slugHistory } from '../db/posts';

/** The human-facing pages: the post list of the site, a tag or an author, and each post. */
export const pageRoutes = new Hono<AppEnv>();

const PAGE_SIZE = 50;

pageRoutes.get('/', (c) => serveView(c, { kind: 'site' }, 'html', PAGE_SIZE));
pageRoutes.get('/tags/:tag/', (c) => serveView(c, { kind: 'tag', slug: c.req.param('tag') }, 'html', PAGE_SIZE));
pageRoutes.get('/authors/:author/', (c) =>
  serveView(c, { kind: 'author', slug: c.req.param('author') }, 'html', PAGE_SIZE),
);
pageRoutes.get('/tags/:tag', (c) => c.redirect(`${c.req.path}/`, 301));
pageRoutes.get('/authors/:author', (c) => c.redirect(`${c.req.path}/`, 301));

pageRoutes.get('/posts/:slug', async (c) => {
  const config = siteConfig(c.env);
  const post = await findPostBy(c.env.DB, 'slug', c.req.param('slug'), Date.now());
  if (!post) {
    const history = await slugHistory(c.env.DB, c.req.param('slug'));
    if (history.redirectTo) return c.redirect(`${config.url}/posts/${encodeURIComponent(history.redirectTo)}`, 301);
    if (history.deleted) {
      return c.html(renderMessagePage(config, 'Gone', 'This post was deleted.'), 410);
    }
    throw notFound(`There is no post at ${c.req.path}.`);
  }
  const etag = await makeEtag([...outputFingerprint(config), 'post', post.id, post.slug, post.updatedAt.getTime()]);
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    etag,
    'last-modified': post.updatedAt.toUTCString(),
    'cache-control': 'public, no-cache',
  });
  if (isNotModified(c.req.raw, etag, post.updatedAt)) return new Response(null, { status: 304, headers });
  const doc = await buildFeedDocument(config, { kind: 'site' }, null, [post], post.updatedAt.getTime());
  return new Response(renderPostPage(config, doc, doc.items[0]!), { headers });
});
