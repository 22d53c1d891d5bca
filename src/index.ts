import { app } from './app';
import { announceScheduledPosts } from './publish/scheduled-posts';
import { compactSubscriberCounts } from './stats/stats';
import { adoptStoredSlugs, consumeRefreshQueue, type RefreshMessage, refreshDueSources, warmSiteFeeds } from './scheduled';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(warmSiteFeeds(env, controller.scheduledTime, ctx));
    ctx.waitUntil(refreshDueSources(env, controller.scheduledTime));
    ctx.waitUntil(announceScheduledPosts(env, controller.scheduledTime));
    ctx.waitUntil(compactSubscriberCounts(env, controller.scheduledTime));
    ctx.waitUntil(adoptStoredSlugs(env, controller.scheduledTime));
  },
  queue: (batch, env, _ctx: ExecutionContext) => consumeRefreshQueue(batch, env),
} satisfies ExportedHandler<Env, RefreshMessage>;
