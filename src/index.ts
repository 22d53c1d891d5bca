import { app } from './app';
import { announceScheduledPosts } from './publish/scheduled-posts';
import { consumePushQueue, expireSubscriptions } from './push/consumer';
import { PUSH_QUEUE_NAME, type PushMessage } from './push/messages';
import { compactSubscriberCounts } from './stats/stats';
import {
  adoptStoredSlugs,
  consumeRefreshQueue,
  type RefreshMessage,
  refreshDueSources,
  refreshSearchText,
  warmSiteFeeds,
} from './scheduled';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(warmSiteFeeds(env, controller.scheduledTime, ctx));
    ctx.waitUntil(refreshDueSources(env, controller.scheduledTime));
    ctx.waitUntil(announceScheduledPosts(env, controller.scheduledTime));
    ctx.waitUntil(compactSubscriberCounts(env, controller.scheduledTime));
    ctx.waitUntil(adoptStoredSlugs(env, controller.scheduledTime));
    ctx.waitUntil(refreshSearchText(env));
    ctx.waitUntil(expireSubscriptions(env, controller.scheduledTime));
  },
  // Two queues, one consumer: the push queue's messages are callback requests (src/push/), which
  // read the feeds they deliver through the app itself; the rest are refreshes.
  queue: (batch, env, ctx: ExecutionContext) =>
    batch.queue === PUSH_QUEUE_NAME
      ? consumePushQueue(batch as MessageBatch<PushMessage>, env, (url, init) => Promise.resolve(app.request(url, init, env, ctx)))
      : consumeRefreshQueue(batch as MessageBatch<RefreshMessage>, env),
} satisfies ExportedHandler<Env, RefreshMessage | PushMessage>;
