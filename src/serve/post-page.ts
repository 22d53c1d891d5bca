import type { Context } from 'hono';
import { freshnessMs, type SiteConfig, siteConfig } from '../config';
import { findPostsByIds } from '../db/entries';
import { type PostStamp, postStamp, slugHistory } from '../db/posts';
import { secondAfter } from '../db/versions';
import type { AppEnv } from '../http/app-env';
import { notFound } from '../http/problem';
import { buildFeedDocument } from '../render/build-document';
import { renderMessagePage, renderPostPage } from '../render/pages/pages';
import { outputFingerprint } from '../render/version';
import { makeEtag, viewLastModified } from './conditional';
import type { Fixed, Representation } from './serve';
import { heldStamp, holdStamp, startRead } from './stamp-memo';

const FIXED: Fixed = { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, no-cache' }, feed: null };

/**
 * The page of the own post at `slug` (`/posts/:slug`), from its stamp: one point lookup, held like
 * a view's (src/serve/stamp-memo.ts). A slug the post had before redirects to its current one; a
 * deleted post's slug is gone (410); any other is a 404 problem.
 */
export async function resolvePostPage(
  c: Context<AppEnv>,
  slug: string,
  now: number,
  stamps: 'held' | 'fresh',
): Promise<Representation | Response> {
  const { env } = c;
  const config = siteConfig(env);
  const key = `post-page:${slug}`;
  let stamp = stamps === 'held' ? heldStamp<PostStamp>(env, key, now) : null;
  const held = stamp !== null;
  if (stamp === null) {
    const token = startRead(env);
    stamp = await postStamp(env.DB, slug, now);
    if (stamp === null) return missingPost(c, config, slug);
    holdStamp(env, key, stamp, now, freshnessMs(env), token);
  }
  const { id, updatedAt, publishedAt } = stamp;
  const etag = await makeEtag([...outputFingerprint(config), 'post', id, stamp.slug, updatedAt]);
  // Bumped by every write to the post like a view's (src/serve/conditional.ts); posts written
  // before that was stored count from the second after their last update. A post scheduled for
  // later counts from its going live, as its feeds do.
  const lastModified = viewLastModified(stamp.lastModified ?? secondAfter(updatedAt), publishedAt);
  const phases: Record<string, number> = {};
  return {
    etag,
    lastModified,
    phases,
    heldKey: held ? key : undefined,
    fixed: () => FIXED,
    render: async () => {
      let t = performance.now();
      const [post] = await findPostsByIds(env.DB, [id]);
      if (!post) throw notFound(`There is no post at ${c.req.path}.`);
      phases.query = performance.now() - t;
      t = performance.now();
      const doc = await buildFeedDocument(config, { kind: 'site' }, null, [post], post.updatedAt.getTime());
      phases.build = performance.now() - t;
      t = performance.now();
      const body = renderPostPage(config, doc, doc.items[0]!);
      phases.serialize = performance.now() - t;
      return body;
    },
  };
}

/** What a slug no visible post has answers: its post's current slug, a 410 for a deleted post, else a 404. */
async function missingPost(c: Context<AppEnv>, config: SiteConfig, slug: string): Promise<Response> {
  const history = await slugHistory(c.env.DB, slug);
  if (history.redirectTo) return c.redirect(`${config.url}/posts/${encodeURIComponent(history.redirectTo)}`, 301);
  if (history.deleted) return c.html(renderMessagePage(config, 'Gone', 'This post was deleted.'), 410);
  throw notFound(`There is no post at ${c.req.path}.`);
}
