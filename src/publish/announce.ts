import { freshnessMs, isOwnHub, siteConfig, upstreamSettings } from '../config';
import { distributeChanges } from '../push/hub-distribute';
import type { FeedFormat } from '../domain/format';
import { viewFromKey } from '../views/registry';
import { FEED_FILES, feedUrls, HUB_VARIANTS } from '../views/urls';
import { type HubPing, notifyHub } from './websub';

/**
 * Every topic of the views, given by key: each document that advertises the hub (HUB_VARIANTS:
 * the feed and its `?content=summary` variant), in all three formats.
 */
export function feedUrlsOf(env: Env, viewKeys: string[]): string[] {
  const config = siteConfig(env);
  const formats = Object.keys(FEED_FILES) as FeedFormat[];
  return viewKeys
    .map(viewFromKey)
    .filter((view) => view !== null)
    .flatMap((view) => HUB_VARIANTS.flatMap((variant) => formats.map((format) => feedUrls(config, view, variant)[format])));
}

/**
 * Tells the WebSub hub that views changed, for each topic (feedUrlsOf: each hub-advertising
 * variant and format). The one place every trigger goes through: a write to an own post
 * (after-write.ts), a refresh that changed a source's items (src/ingest/refresh.ts, which
 * announces the source's feeds and the planets it is in), and a scheduled post going live,
 * noticed by the cron (scheduled-posts.ts).
 *
 * The site's own hub (WEBSUB_HUB empty) queues a distribution for each topic that has
 * subscribers (src/push/hub-distribute.ts); an external hub gets one publish ping per topic
 * (notifyHub), whose results are returned. A hub sends or fetches the document at once, so
 * neither may act before every reader can see the change: other isolates may answer from a stamp
 * they read before the write for up to the freshness window (FEED_FRESHNESS,
 * src/serve/stamp-memo.ts), so the ping waits that long and the distribution is queued with that
 * delay. Never throws (see notifyHub).
 */
export async function announce(env: Env, changedViews: string[]): Promise<HubPing[]> {
  const config = siteConfig(env);
  if (!config.hub || changedViews.length === 0) return [];
  if (isOwnHub(config)) {
    await distributeChanges(env, feedUrlsOf(env, changedViews), Date.now()).catch((error) =>
      console.error('WebSub: the own hub could not queue a distribution', error),
    );
    return [];
  }
  await visibleEverywhere(freshnessMs(env));
  return notifyHub(config.hub, feedUrlsOf(env, changedViews), { allowLoopback: upstreamSettings(env).allowLoopback });
}

/** Resolves once the freshness window after a committed write has passed. */
const visibleEverywhere = (windowMs: number): Promise<void> =>
  windowMs > 0 ? new Promise((resolve) => setTimeout(resolve, windowMs)) : Promise.resolve();
