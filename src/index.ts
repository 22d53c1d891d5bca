import { app } from './app';
import { warmSiteFeeds } from './scheduled';

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(warmSiteFeeds(env, controller.scheduledTime, ctx));
  },
} satisfies ExportedHandler<Env>;
