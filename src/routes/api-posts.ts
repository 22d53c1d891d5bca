import { type Context, Hono } from 'hono';
import { marked } from 'marked';
import { siteConfig } from '../config';
import { findPostBy, findPostsByIds } from '../db/entries';
import { createPost, deletePost, listPostIds, type PostInput, updatePost } from '../db/posts';
import type { Entry } from '../domain/entry';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { adoptedSlugs, limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { badRequest, notFound } from '../http/problem';
import { afterWrite } from '../publish/after-write';
import { presentPost } from '../publish/present-post';
import { xmlSafe } from '../html/text';
import { type PostBody, postBody, postListQuery, postPatch } from './post-schema';
import { validate } from './query';

/** The admin API for the site's own posts. Every route needs the bearer token. */
export const postApi = new Hono<AppEnv>();

postApi.use('*', adminAuth());
postApi.use('*', adoptedSlugs);
postApi.on(['POST', 'PUT', 'PATCH'], '*', requireJson, limitBody(MAX_BODY));

postApi.get('/', validate('query', postListQuery), async (c) => {
  const query = c.req.valid('query');
  const { ids, total } = await listPostIds(c.env.DB, query);
  const posts = await findPostsByIds(c.env.DB, ids);
  return c.json({ total, limit: query.limit, offset: query.offset, posts: posts.map((p) => presentPost(c.env, p)) });
});

postApi.post('/', validate('json', postBody), async (c) => {
  const { post, changedViews } = await createPost(c.env.DB, toInput(c.env, c.req.valid('json'), null), Date.now());
  followUp(c, changedViews, null, post);
  return c.json(presentPost(c.env, post), 201, { location: `/api/posts/${post.id}` });
});

postApi.get('/:id', async (c) => c.json(presentPost(c.env, await existing(c.env.DB, c.req.param('id')))));

postApi.put('/:id', validate('json', postBody), async (c) => {
  const before = await existing(c.env.DB, c.req.param('id'));
  const { post, changedViews } = await updatePost(c.env.DB, before, toInput(c.env, c.req.valid('json'), null), Date.now());
  followUp(c, changedViews, before, post);
  return c.json(presentPost(c.env, post));
});

postApi.patch('/:id', validate('json', postPatch), async (c) => {
  const before = await existing(c.env.DB, c.req.param('id'));
  const { post, changedViews } = await updatePost(c.env.DB, before, toInput(c.env, c.req.valid('json'), before), Date.now());
  followUp(c, changedViews, before, post);
  return c.json(presentPost(c.env, post));
});

postApi.delete('/:id', async (c) => {
  const post = await existing(c.env.DB, c.req.param('id'));
  const changedViews = await deletePost(c.env.DB, post, Date.now());
  followUp(c, changedViews, post, null);
  return c.body(null, 204);
});

/**
 * After a write: pre-render, tell the hub and the webhooks, but only when readers could see the
 * change (the post was or is published and due). Editing a draft or a still-scheduled post tells
 * no one. For the webhooks a post that readers stop seeing (deleted, unpublished, moved to the
 * future) is deleted.
 */
function followUp(c: Context<AppEnv>, changedViews: string[], before: Entry | null, after: Entry | null): void {
  const now = Date.now();
  const visible = (post: Entry | null) => post !== null && post.status === 'published' && post.publishedAt.getTime() <= now;
  const [was, is] = [visible(before), visible(after)];
  if (!was && !is) return;
  const post = (after ?? before)!;
  const type = !was ? 'post.published' : is ? 'post.updated' : 'post.deleted';
  afterWrite(c.env, c.executionCtx, changedViews, { type, post, json: presentPost(c.env, post) });
}

/** Accepts the full id (urn:uuid:…) or the bare UUID. */
async function existing(db: D1Database, id: string): Promise<Entry> {
  const post = await findPostBy(db, 'id', id.startsWith('urn:') ? id : `urn:uuid:${id}`);
  if (!post) throw notFound(`No post has the id "${id}".`);
  return post;
}

/**
 * A validated body (merged over the stored post for PATCH) as the db layer's input, cleaned for
 * feeds. A post sent without authors is by the site's author (SITE_AUTHOR), when one is set.
 */
function toInput(env: Env, body: Partial<PostBody>, before: Entry | null): PostInput {
  const siteAuthor = siteConfig(env).author;
  const authors = body.authors ?? before?.authors ?? (siteAuthor ? [{ name: siteAuthor }] : null);
  if (authors === null) throw badRequest([{ field: 'authors', message: 'is required: list at least one author (or set SITE_AUTHOR)' }]);
  const content =
    body.content_markdown !== undefined
      ? (marked.parse(body.content_markdown, { async: false }) as string)
      : (body.content_html ?? before?.contentHtml ?? '');
  return {
    title: xmlSafe(body.title ?? before!.title),
    slug: body.slug ?? before?.slug ?? null,
    summary: xmlSafe(body.summary ?? before?.summary ?? ''),
    contentHtml: xmlSafe(content),
    authors: authors.map((a) => ({ ...a, name: xmlSafe(a.name) })),
    tags: (body.tags ?? before?.tags.map((t) => t.name) ?? []).map(xmlSafe),
    status: body.status ?? before?.status ?? 'published',
    publishedAt: body.published_at ? Date.parse(body.published_at) : (before?.publishedAt.getTime() ?? Date.now()),
    enclosures: body.enclosures ?? before?.enclosures ?? [],
    image: body.image !== undefined ? body.image : (before?.image ?? null),
    language: body.lang !== undefined ? body.lang : (before?.language ?? null),
  };
}
