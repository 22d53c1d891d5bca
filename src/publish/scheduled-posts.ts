import { viewsGoneLive } from '../db/scheduled-posts';
import { announce } from './announce';
import type { HubPing } from './websub';

/**
 * Cron: a post scheduled for later goes live by itself, with no write to announce it. Each run
 * finds the posts that went live since the last one and tells the hub about their feeds (the
 * site's, their tags' and their authors').
 */
export async function announceScheduledPosts(env: Env, now: number): Promise<HubPing[]> {
  return announce(env, await viewsGoneLive(env.DB, now));
}
