import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { siteConfig } from '../config';
import type { AppEnv } from '../http/app-env';
import { adminTokenProblem } from '../http/auth';
import { currentSession, formToken } from '../http/session';
import { renderMessagePage } from '../render/pages/pages';
import { renderStatsPage } from '../render/console/stats';
import { feedStats } from '../stats/stats';
import { limitBody } from './admin-middleware';
import { statsQuery } from './api-stats';
import { signInHandler, signInPage, signOutHandler } from './console/sign-in';
import { validate } from './query';

/**
 * /stats: the subscriber counts, the page the console shows at /admin/stats, at the address it had
 * before the console. It signs in the console's way (src/routes/console/sign-in.ts); every form
 * post is checked twice against cross-site requests: hono/csrf (Origin or Sec-Fetch-Site must be
 * this site) and a per-form token.
 */
export const statsPages = new Hono<AppEnv>();

const NO_STORE = { 'cache-control': 'no-store' };

statsPages.use('/stats/*', csrf());
statsPages.post('/stats/*', limitBody(16 * 1024));
// Without a usable ADMIN_TOKEN nobody can sign in: say why, as the admin API does.
const adminConfigured: MiddlewareHandler<AppEnv> = async function adminConfigured(c, next) {
  const problem = adminTokenProblem(c.env.ADMIN_TOKEN);
  if (problem) return c.html(renderMessagePage(siteConfig(c.env), 'Not configured', problem), 503, NO_STORE);
  return next();
};
statsPages.use('/stats', adminConfigured);
statsPages.use('/stats/*', adminConfigured);

statsPages.get('/stats', validate('query', statsQuery), async (c) => {
  const now = Date.now();
  const session = await currentSession(c, now);
  if (!session) return signInPage(c, '/stats');
  const { days } = c.req.valid('query');
  const feeds = await feedStats(c.env, days, now);
  const signOutToken = await formToken(c.env, 'sign-out', session.id, now);
  return c.html(renderStatsPage(siteConfig(c.env), { feeds, days, base: '/stats', signOutToken }), 200, NO_STORE);
});

statsPages.post('/stats/sign-in', signInHandler('/stats'));
statsPages.post('/stats/sign-out', signOutHandler('/stats'));
