import { findPostsByIds } from '../db/entries';
import { postsGoneLive } from '../db/scheduled-posts';
import { emitPostEvent } from '../push/webhooks';
import { announce } from './announce';
import { presentPost } from './present-post';
import type { HubPing } from './websub';

/**
 * Cron: a post scheduled for later goes live by itself, with no write to announce it. Each run
 * finds the posts that went live since the last one, tells the hub about their feeds (the
 * site's, their tags' and their authors'), and sends each webhook that takes post.published.
 */
export async function announceScheduledPosts(env: Env, now: number): Promise<HubPing[]> {
  const live = await postsGoneLive(env.DB, now);
  const posts = await findPostsByIds(env.DB, live.ids);
  const [pings] = await Promise.all([
    announce(env, live.views),
    Promise.all(posts.map((post) => emitPostEvent(env, { type: 'post.published', post, json: presentPost(env, post) }))),
  ]);
  return pings;
}
