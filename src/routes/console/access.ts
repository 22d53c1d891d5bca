import type { MiddlewareHandler } from 'hono';
import { ACCESS_HEADER, accessIdentity } from '../../http/access';
import type { AppEnv } from '../../http/app-env';
import { startSession } from '../../http/session';

/**
 * Signing in with Cloudflare Access (optional: ACCESS_TEAM_DOMAIN and ACCESS_AUD set): a page of
 * the console asked for without a session, carrying a valid Cf-Access-Jwt-Assertion, starts a
 * session as the admin token's sign-in does (the same cookie, recorded in D1, ended by Sign out).
 * Only on GET and HEAD: an action still needs its form's token, made for a session it already had.
 * Without the settings, or with a token that does not check out, nothing changes: the sign-in form.
 */
export const accessSignIn: MiddlewareHandler<AppEnv> = async function accessSignIn(c, next) {
  if (!c.get('session') && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    const now = Date.now();
    const who = await accessIdentity(c.env, c.req.header(ACCESS_HEADER), now);
    if (who) c.set('session', await startSession(c, now));
  }
  await next();
};
