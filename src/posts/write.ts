import { marked } from 'marked';
import { siteConfig } from '../config';
import { findPostBy } from '../db/entries';
import { createPost, deletePost, type PostInput, updatePost } from '../db/posts';
import type { Entry } from '../domain/entry';
import { xmlSafe } from '../html/text';
import { badRequest, notFound } from '../http/problem';
import { afterWrite } from '../publish/after-write';
import { presentPost } from '../publish/present-post';
import type { PostBody } from '../routes/post-schema';

// The one way a post is written, whoever writes it: the admin API (src/routes/api-posts.ts) and
// the console's editor (src/routes/console/posts.ts) both hand a validated body in the API's
// shape (src/routes/post-schema.ts) to these functions. They clean it for feeds, store it, and
// set off what follows a write readers can see (pre-rendering, the WebSub ping, the webhooks).

/** Where work after the response runs (the request's ExecutionContext); null: nowhere (src/http/background.ts). */
type Background = Pick<ExecutionContext, 'waitUntil'> | null;

/** Renders Markdown the way every post written in Markdown is rendered (marked, GitHub-flavoured). */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false }) as string;
}

/**
 * A validated body (merged over the stored post for a partial update) as the db layer's input,
 * cleaned for feeds. A post sent without authors is by the site's author (SITE_AUTHOR), when one
 * is set; with none set, authors is required (400).
 */
export function postInput(env: Env, body: Partial<PostBody>, before: Entry | null): PostInput {
  const siteAuthor = siteConfig(env).author;
  const authors = body.authors ?? before?.authors ?? (siteAuthor ? [{ name: siteAuthor }] : null);
  if (authors === null) throw badRequest([{ field: 'authors', message: 'is required: list at least one author (or set SITE_AUTHOR)' }]);
  const content =
    body.content_markdown !== undefined ? markdownToHtml(body.content_markdown) : (body.content_html ?? before?.contentHtml ?? '');
  return {
    title: xmlSafe(body.title ?? before!.title),
    slug: body.slug ?? before?.slug ?? null,
    summary: xmlSafe(body.summary ?? before?.summary ?? ''),
    contentHtml: xmlSafe(content),
    markdown: body.content_markdown ?? (body.content_html !== undefined || before === null ? null : undefined),
    authors: authors.map((a) => ({ ...a, name: xmlSafe(a.name) })),
    tags: (body.tags ?? before?.tags.map((t) => t.name) ?? []).map(xmlSafe),
    status: body.status ?? before?.status ?? 'published',
    publishedAt: body.published_at ? Date.parse(body.published_at) : (before?.publishedAt.getTime() ?? Date.now()),
    enclosures: body.enclosures ?? before?.enclosures ?? [],
    image: body.image !== undefined ? body.image : (before?.image ?? null),
    language: body.lang !== undefined ? body.lang : (before?.language ?? null),
  };
}

/** The stored post with this id (the full urn:uuid:… or the bare UUID); 404 problem when there is none. */
export async function existingPost(db: D1Database, id: string): Promise<Entry> {
  const post = await findPostBy(db, 'id', id.startsWith('urn:') ? id : `urn:uuid:${id}`);
  if (!post) throw notFound(`No post has the id "${id}".`);
  return post;
}

/** Writes a new post from a whole body. */
export async function writeNewPost(env: Env, background: Background, body: PostBody): Promise<Entry> {
  const { post, changedViews } = await createPost(env.DB, postInput(env, body, null), Date.now());
  followUp(env, background, changedViews, null, post);
  return post;
}

/** Rewrites a stored post from a body: whole (PUT) or partial (PATCH, the editor), over what is stored. */
export async function rewritePost(
  env: Env,
  background: Background,
  before: Entry,
  body: Partial<PostBody>,
  partial: boolean,
): Promise<Entry> {
  const input = postInput(env, body, partial ? before : null);
  const { post, changedViews } = await updatePost(env.DB, before, input, Date.now());
  followUp(env, background, changedViews, before, post);
  return post;
}

/** Deletes a post: gone from every view, its addresses answer 410. */
export async function removePost(env: Env, background: Background, post: Entry): Promise<void> {
  const changedViews = await deletePost(env.DB, post, Date.now());
  followUp(env, background, changedViews, post, null);
}

/**
 * After a write: pre-render, tell the hub and the webhooks, but only when readers could see the
 * change (the post was or is published and due). Editing a draft or a still-scheduled post tells
 * no one. For the webhooks a post that readers stop seeing (deleted, unpublished, moved to the
 * future) is deleted.
 */
function followUp(env: Env, background: Background, changedViews: string[], before: Entry | null, after: Entry | null): void {
  const now = Date.now();
  const visible = (post: Entry | null) => post !== null && post.status === 'published' && post.publishedAt.getTime() <= now;
  const [was, is] = [visible(before), visible(after)];
  if (!background || (!was && !is)) return;
  const post = (after ?? before)!;
  const type = !was ? 'post.published' : is ? 'post.updated' : 'post.deleted';
  afterWrite(env, background, changedViews, { type, post, json: presentPost(env, post) });
}
