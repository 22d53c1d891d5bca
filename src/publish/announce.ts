import { siteConfig } from '../config';
import type { FeedFormat } from '../render/document';
import { viewFromKey } from '../views/registry';
import { FEED_FILES, feedUrls } from '../views/urls';
import { type HubPing, notifyHub } from './websub';

/** Every feed URL (all three formats) of the views, given by key. */
export function feedUrlsOf(env: Env, viewKeys: string[]): string[] {
  const config = siteConfig(env);
  const formats = Object.keys(FEED_FILES) as FeedFormat[];
  return viewKeys
    .map(viewFromKey)
    .filter((view) => view !== null)
    .flatMap((view) => formats.map((format) => feedUrls(config, view)[format]));
}

/**
 * Tells the WebSub hub (WEBSUB_HUB; nothing when unset) that views changed, one ping per feed URL
 * and format. The one place every trigger goes through: a write to an own post
 * (after-write.ts), a refresh that changed a source's items (src/ingest/refresh.ts, which pings
 * the source's feeds and the planets it is in), and a scheduled post going live, noticed by the
 * cron (scheduled-posts.ts). A hub tells subscribers to fetch at once, so the ping must not go
 * out before every reader can see the change: if reads ever come from a per-isolate memo, this
 * is where the ping waits for it. Never throws (see notifyHub).
 */
export async function announce(env: Env, changedViews: string[]): Promise<HubPing[]> {
  const hub = siteConfig(env).hub;
  if (!hub || changedViews.length === 0) return [];
  return notifyHub(hub, feedUrlsOf(env, changedViews));
}
