import { cachedRender } from './http/render-cache';
import { resolveView } from './http/serve-view';
import type { FeedFormat } from './render/document';
import { DEFAULT_LIMIT } from './routes/query';

const SITE_FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];

/**
 * Cron: renders the site's main feeds (default limit) into the cache when their version changed,
 * for instance because a scheduled post went live, so that no reader waits for that render.
 * A feed that is already cached costs one version lookup.
 */
export async function warmSiteFeeds(env: Env, now: number, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<FeedFormat[]> {
  const rendered: FeedFormat[] = [];
  for (const format of SITE_FORMATS) {
    const representation = await resolveView(env, { kind: 'site' }, format, DEFAULT_LIMIT, now);
    const { source } = await cachedRender(representation.etag, representation.render, (p) => ctx.waitUntil(p));
    if (source === 'render') rendered.push(format);
  }
  return rendered;
}
