import type { Context } from 'hono';
import { siteConfig } from '../../config';
import type { AppEnv } from '../../http/app-env';
import { checkFormToken, currentSession, endSession, formToken } from '../../http/session';
import { signIn, WINDOW_MS } from '../../http/sign-in';
import { renderConsoleMessage, renderSignInPage } from '../../render/console/sign-in';
import { field } from './forms';

// Signing in and out, in one place for the console (/admin) and the subscriber counts' page of
// old (/stats): the same form, the same limit on wrong tokens, the same session. `base` is where
// the form is shown; after signing in the browser goes to `next` (a console address it asked for
// before) or back to `base`.

type Base = '/admin' | '/stats';

const NO_STORE = { 'cache-control': 'no-store' };

/** Where to go after signing in: a console address (never another site's), else the base. */
export function afterSignIn(base: Base, next: unknown): string {
  if (base === '/admin' && typeof next === 'string' && /^\/admin(?:[/?][^\\\s]*)?$/.test(next) && !/\.\.|%2e/i.test(next)) return next;
  return base;
}

/** The sign-in page of `base`, with an error from the last attempt and a status to answer with. */
export async function signInPage(
  c: Context<AppEnv>,
  base: Base,
  answer: { error?: string; status?: 200 | 401 | 403 | 429; next?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const csrf = await formToken(c.env, 'sign-in', '', Date.now());
  const next = answer.next && afterSignIn(base, answer.next) !== base ? answer.next : null;
  const html = renderSignInPage(siteConfig(c.env), { action: `${base}/sign-in`, csrf, next, error: answer.error ?? null });
  return c.html(html, answer.status ?? 200, { ...NO_STORE, ...answer.headers });
}

/** POST <base>/sign-in: the admin token for a session, or the form again saying why not. */
export function signInHandler(base: Base) {
  return async function signInHandler(c: Context<AppEnv>): Promise<Response> {
    const now = Date.now();
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const next = typeof form.next === 'string' ? form.next : null;
    if (!(await checkFormToken(c.env, 'sign-in', '', form.csrf, now))) {
      return signInPage(c, base, { error: 'The form was too old or not ours: sign in again.', status: 403, next });
    }
    const outcome = await signIn(c, form.token, now);
    if (outcome.ok) return c.redirect(afterSignIn(base, next), 303);
    if (outcome.reason === 'limited') {
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
      const error = `Too many wrong tokens were sent from your address in the last ${WINDOW_MS / 60_000} minutes, so signing in is paused. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      return signInPage(c, base, { error, status: 429, next, headers: { 'retry-after': String(outcome.retryAfterSeconds) } });
    }
    const warning =
      outcome.attemptsLeft <= 3
        ? ` After ${outcome.attemptsLeft} more wrong token${outcome.attemptsLeft === 1 ? '' : 's'}, signing in from your address pauses for ${WINDOW_MS / 60_000} minutes.`
        : '';
    return signInPage(c, base, { error: `That is not the admin token.${warning}`, status: 401, next });
  };
}

/** POST <base>/sign-out: ends the session (when there is one, with its form's token) and goes back to `base`. */
export function signOutHandler(base: Base) {
  return async function signOutHandler(c: Context<AppEnv>): Promise<Response> {
    const now = Date.now();
    const session = await currentSession(c, now);
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    if (session && !(await checkFormToken(c.env, 'sign-out', session.id, field(form as never, 'csrf'), now))) {
      const html = renderConsoleMessage(siteConfig(c.env), {
        title: 'Forbidden',
        message: 'The form was too old or not ours.',
        signOutToken: await formToken(c.env, 'sign-out', session.id, now),
      });
      return c.html(html, 403, NO_STORE);
    }
    await endSession(c, session, now);
    return c.redirect(base, 303);
  };
}
