import { Hono } from 'hono';
import { siteConfig } from '../config';
import { findPostBy, viewName } from '../db/entries';
import { listPageEntries } from '../db/history';
import { listSources } from '../db/sources';
import { buildFeedDocument } from '../render/build-document';
import type { AppEnv } from '../http/app-env';
import { isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from '../serve/conditional';
import { secondAfter, storedLastModified } from '../db/versions';
import { notFound } from '../http/problem';
import { outputFingerprint } from '../render/version';
import { listPagination, serveView } from '../serve/serve-view';
import { renderMessagePage, renderPlanetPage, renderPostPage } from '../render/pages/pages';
import { listQuery, planetPageQuery, sourceIdParam, validate } from './query';
import { postKey, slugHistory } from '../db/posts';
import type { FeedVariant } from '../views/urls';

/** The human-facing pages: the post list of the site, a tag or an author, and each post. */
export const pageRoutes = new Hono<AppEnv>();

/**
 * HTML lists: 50 entries a page, newest first; `?page=N` from 2 on the older ones (a page past the
 * last is a 404). Full content (the pages show summaries and advertise the plain feeds).
 */
const PAGE_SIZE = 50;
const PAGE: FeedVariant = { limit: PAGE_SIZE, content: 'full' };
const listPage = (page: number | undefined): FeedVariant => ({ ...PAGE, page });

pageRoutes.get('/', validate('query', listQuery), (c) => serveView(c, { kind: 'site' }, 'html', listPage(c.req.valid('query').page)));
pageRoutes.get('/tags/:tag/', validate('query', listQuery), (c) =>
  serveView(c, { kind: 'tag', slug: c.req.param('tag') }, 'html', listPage(c.req.valid('query').page)),
);
pageRoutes.get('/authors/:author/', validate('query', listQuery), (c) =>
  serveView(c, { kind: 'author', slug: c.req.param('author') }, 'html', listPage(c.req.valid('query').page)),
);
pageRoutes.get('/tags/:tag', (c) => c.redirect(`${c.req.path}/`, 301));
pageRoutes.get('/authors/:author', (c) => c.redirect(`${c.req.path}/`, 301));

pageRoutes.get('/posts/:slug', async (c) => {
  const config = siteConfig(c.env);
  const now = Date.now();
  const post = await findPostBy(c.env.DB, 'slug', c.req.param('slug'), now);
  if (!post) {
    const history = await slugHistory(c.env.DB, c.req.param('slug'));
    if (history.redirectTo) return c.redirect(`${config.url}/posts/${encodeURIComponent(history.redirectTo)}`, 301);
    if (history.deleted) {
      return c.html(renderMessagePage(config, 'Gone', 'This post was deleted.'), 410);
    }
    throw notFound(`There is no post at ${c.req.path}.`);
  }
  const etag = await makeEtag([...outputFingerprint(config), 'post', post.id, post.slug, post.updatedAt.getTime()]);
  // Bumped by every write to the post like a view's (src/serve/conditional.ts); posts written
  // before that was stored count from the second after their last update. A post scheduled for
  // later counts from its going live, as its feeds do.
  const stored = (await storedLastModified(c.env.DB, postKey(post.id))) ?? secondAfter(post.updatedAt.getTime());
  const lastModified = viewLastModified(stored, post.publishedAt.getTime())!;
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', etag, 'cache-control': 'public, no-cache' });
  const lastModifiedValue = lastModifiedHeader(lastModified, now);
  if (lastModifiedValue !== null) headers.set('last-modified', lastModifiedValue);
  if (isNotModified(c.req.raw, etag, lastModified, now)) return new Response(null, { status: 304, headers });
  const doc = await buildFeedDocument(config, { kind: 'site' }, null, [post], post.updatedAt.getTime());
  return new Response(renderPostPage(config, doc, doc.items[0]!), { headers });
});

pageRoutes.get('/sources/:id/', validate('param', sourceIdParam), validate('query', listQuery), (c) =>
  serveView(c, { kind: 'source', id: c.req.valid('param').id }, 'html', listPage(c.req.valid('query').page)),
);
pageRoutes.get('/planet', (c) => c.redirect(`/planet/${new URL(c.req.url).search}`, 301));

/**
 * The planet page: merged items and the sources' health. Health changes with every refresh, so
 * this page is rendered per request (no ETag); the feeds beside it are the cached, cheap path.
 */
pageRoutes.get('/planet/', validate('query', planetPageQuery), async (c) => {
  const config = siteConfig(c.env);
  const { tag, page = 1 } = c.req.valid('query');
  const view = { kind: 'planet', tag: tag ?? null } as const;
  const now = Date.now();
  const [{ entries, total }, name, { sources }] = await Promise.all([
    listPageEntries(c.env.DB, view, now, page, PAGE_SIZE),
    viewName(c.env.DB, view),
    listSources(c.env.DB, { limit: 1000, offset: 0 }),
  ]);
  if (tag && name === null) throw notFound(`No source is tagged "${tag}".`);
  if (page > 1 && entries.length === 0) throw notFound(`This list has no page ${page}.`);
  const doc = await buildFeedDocument(config, view, name, entries, now);
  const shown = sources.filter((s) => !tag || s.tags.some((t) => t.slug === tag));
  const health = shown.map((s) => ({ ...s, title: s.titleOverride ?? s.title ?? s.url }));
  return c.html(renderPlanetPage(config, doc, health, listPagination(config, view, page, PAGE_SIZE, total)), 200, {
    'cache-control': 'no-store',
  });
});
