import { freshnessMs, siteConfig } from '../config';
import { viewFromKey } from '../views/registry';
import { warmFeeds } from '../serve/serve-view';
import { FEED_FILES, feedUrls } from '../views/urls';
import type { FeedFormat } from '../render/document';
import { notifyHub } from './websub';

/** Every feed URL (all three formats) of the views a write changed. */
function changedFeedUrls(env: Env, changedViews: string[]): string[] {
  const config = siteConfig(env);
  const formats = Object.keys(FEED_FILES) as FeedFormat[];
  return changedViews
    .map(viewFromKey)
    .filter((view) => view !== null)
    .flatMap((view) => formats.map((format) => feedUrls(config, view)[format]));
}

/**
 * What a write sets off once its response is on its way: the main feeds are rendered into the
 * cache (so the first reader after a publish doesn't pay for the render), and the WebSub hub,
 * if one is configured, is told which feeds changed. Neither can fail the write.
 *
 * The hub is told once every reader can see the change: other isolates may answer from a stamp
 * they read before the write for up to the freshness window (src/serve/stamp-memo.ts), so the
 * ping waits that long after the write, and a hub that fetches at once gets the new bytes.
 */
export function afterWrite(env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>, changedViews: string[]): void {
  const hub = siteConfig(env).hub;
  ctx.waitUntil(
    Promise.allSettled([
      warmFeeds(env, { kind: 'site' }, Date.now(), ctx),
      hub ? visibleEverywhere(freshnessMs(env)).then(() => notifyHub(hub, changedFeedUrls(env, changedViews))) : Promise.resolve([]),
    ]),
  );
}

/** Resolves once the freshness window after a committed write has passed. */
const visibleEverywhere = (windowMs: number): Promise<void> =>
  windowMs > 0 ? new Promise((resolve) => setTimeout(resolve, windowMs)) : Promise.resolve();
