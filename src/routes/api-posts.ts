import { Hono } from 'hono';
import { findPostsByIds } from '../db/entries';
import { listPostIds } from '../db/posts';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { backgroundOf } from '../http/background';
import { existingPost, removePost, rewritePost, writeNewPost } from '../posts/write';
import { adoptedSlugs, limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { presentPost } from '../publish/present-post';
import { postBody, postListQuery, postPatch } from './post-schema';
import { validate } from './query';

/**
 * The admin API for the site's own posts. Every route needs the bearer token (or an API token
 * with the posts scopes). Writes go through src/posts/write.ts, as the console's do.
 */
export const postApi = new Hono<AppEnv>();

postApi.use('*', adminAuth());
postApi.use('*', adoptedSlugs);
postApi.on(['POST', 'PUT', 'PATCH'], '*', requireJson, limitBody(MAX_BODY));

postApi.get('/', validate('query', postListQuery), async (c) => {
  const { q, ...query } = c.req.valid('query');
  const { ids, total } = await listPostIds(c.env.DB, { ...query, text: q });
  const posts = await findPostsByIds(c.env.DB, ids);
  return c.json({ total, limit: query.limit, offset: query.offset, posts: posts.map((p) => presentPost(c.env, p)) });
});

postApi.post('/', validate('json', postBody), async (c) => {
  const post = await writeNewPost(c.env, backgroundOf(c), c.req.valid('json'));
  return c.json(presentPost(c.env, post), 201, { location: `/api/posts/${post.id}` });
});

postApi.get('/:id', async (c) => c.json(presentPost(c.env, await existingPost(c.env.DB, c.req.param('id')))));

postApi.put('/:id', validate('json', postBody), async (c) => {
  const before = await existingPost(c.env.DB, c.req.param('id'));
  return c.json(presentPost(c.env, await rewritePost(c.env, backgroundOf(c), before, c.req.valid('json'), false)));
});

postApi.patch('/:id', validate('json', postPatch), async (c) => {
  const before = await existingPost(c.env.DB, c.req.param('id'));
  return c.json(presentPost(c.env, await rewritePost(c.env, backgroundOf(c), before, c.req.valid('json'), true)));
});

postApi.delete('/:id', async (c) => {
  await removePost(c.env, backgroundOf(c), await existingPost(c.env.DB, c.req.param('id')));
  return c.body(null, 204);
});
