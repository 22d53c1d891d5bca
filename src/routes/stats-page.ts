import { Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { siteConfig } from '../config';
import type { AppEnv } from '../http/app-env';
import { adminTokenProblem, sameToken } from '../http/auth';
import { checkFormToken, currentSession, endSession, formToken, startSession } from '../http/session';
import { renderMessagePage } from '../render/pages/pages';
import { renderSignInPage, renderStatsPage } from '../render/pages/stats';
import { feedStats } from '../stats/stats';
import { limitBody } from './admin-middleware';
import { statsQuery } from './api-stats';
import { validate } from './query';

/**
 * /stats: the subscriber counts as a page, behind the admin token. A browser signs in with a form
 * that sets a session cookie (src/http/session.ts); every form post is checked twice against
 * cross-site requests: hono/csrf (Origin or Sec-Fetch-Site must be this site) and a per-form token.
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

const signInPage = async (c: { env: Env }, now: number, error: string | null) =>
  renderSignInPage(siteConfig(c.env), await formToken(c.env, 'sign-in', '', now), error);

statsPages.get('/stats', validate('query', statsQuery), async (c) => {
  const now = Date.now();
  const session = await currentSession(c, now);
  if (!session) return c.html(await signInPage(c, now, null), 200, NO_STORE);
  const { days } = c.req.valid('query');
  const feeds = await feedStats(c.env, days, now);
  const signOut = await formToken(c.env, 'sign-out', session.id, now);
  return c.html(renderStatsPage(siteConfig(c.env), feeds, days, signOut), 200, NO_STORE);
});

statsPages.post('/stats/sign-in', async (c) => {
  const now = Date.now();
  const form = await c.req.parseBody();
  if (!(await checkFormToken(c.env, 'sign-in', '', form.csrf, now))) {
    return c.html(await signInPage(c, now, 'The form was too old or not ours: sign in again.'), 403, NO_STORE);
  }
  if (typeof form.token !== 'string' || !(await sameToken(form.token, c.env.ADMIN_TOKEN))) {
    return c.html(await signInPage(c, now, 'That is not the admin token.'), 401, NO_STORE);
  }
  await startSession(c, now);
  return c.redirect('/stats', 303);
});

statsPages.post('/stats/sign-out', async (c) => {
  const now = Date.now();
  const session = await currentSession(c, now);
  const form = await c.req.parseBody();
  if (session && !(await checkFormToken(c.env, 'sign-out', session.id, form.csrf, now))) {
    return c.html(renderMessagePage(siteConfig(c.env), 'Forbidden', 'The form was too old or not ours.'), 403, NO_STORE);
  }
  await endSession(c, session, now);
  return c.redirect('/stats', 303);
});
