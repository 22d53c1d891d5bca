import { type ErrorHandler, Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { siteConfig } from '../../config';
import type { AppEnv } from '../../http/app-env';
import { adminTokenProblem } from '../../http/auth';
import { notFound, ProblemError } from '../../http/problem';
import { currentSession, formToken } from '../../http/session';
import { MAX_AUDIO_BYTES } from '../../media/sniff';
import { MAX_OPML_BYTES } from '../../opml/import';
import { renderConsoleMessage } from '../../render/console/sign-in';
import { forgetStamps } from '../../serve/stamp-memo';
import { limitBody, MAX_BODY } from '../admin-middleware';
import { accessSignIn } from './access';
import { assetRoutes } from './assets';
import { builderPages } from './builder';
import { filterPages } from './filters';
import { mediaPages } from './media';
import { movePages } from './moves';
import { opmlPages } from './opml';
import { readPages } from './pages';
import { postPages } from './posts';
import { signInHandler, signInPage, signOutHandler } from './sign-in';
import { sourcePages } from './sources';
import { tokenPages } from './tokens';
import { webhookPages } from './webhooks';

/**
 * The publisher's console, /admin: server-rendered pages whose every action is a form (each
 * checked by hono/csrf and by its own token, src/routes/console/forms.ts) behind the admin
 * session (src/http/session.ts). It writes through the same domain functions as the admin API.
 * Like the API it is an app of its own, mounted with the request unchanged: its fixed paths beside
 * parameters (/admin/posts/new, /admin/posts/:id) need Hono's TrieRouter, which the public routes
 * do without. Every answer is private and never stored. A trailing slash changes nothing
 * (`/admin/posts/` is `/admin/posts`).
 */
export const consoleApp = new Hono<AppEnv>({ strict: false }).basePath('/admin');

consoleApp.use('*', async function privateAnswers(c, next) {
  await next();
  c.res.headers.set('cache-control', 'private, no-store');
});

// Without a usable ADMIN_TOKEN nobody can sign in: say why, as the admin API does.
consoleApp.use('*', async function adminConfigured(c, next) {
  const problem = adminTokenProblem(c.env.ADMIN_TOKEN);
  if (problem) throw new ProblemError(503, 'Not configured', problem);
  await next();
});

consoleApp.use('*', async function signedInSession(c, next) {
  c.set('session', (await currentSession(c, Date.now())) ?? undefined);
  await next();
});
consoleApp.use('*', accessSignIn);

/** Forms that carry files take up to the largest upload, an OPML file up to the import's limit; the others are small. */
const uploads = limitBody(MAX_AUDIO_BYTES + MAX_BODY);
const forms = limitBody(64 * 1024);
const opmlFiles = limitBody(MAX_OPML_BYTES + 64 * 1024);
consoleApp.post('*', async function limitedBodies(c, next) {
  if (/^\/admin\/opml\/?$/.test(c.req.path)) return opmlFiles(c, next);
  const carriesFiles = /^\/admin\/(?:media|posts\/(?:new|preview|[0-9a-f-]{36}))\/?$/.test(c.req.path);
  return (carriesFiles ? uploads : forms)(c, next);
});

// A write is committed before its response: from then on this isolate reads every view's stamp
// from D1 again, so the writer sees its change on the next read (as after the admin API's writes).
consoleApp.use('*', async function forgetStampsAfterWrites(c, next) {
  await next();
  if (c.req.method === 'POST') forgetStamps(c.env);
});

consoleApp.get('/', async function signInFirst(c, next) {
  if (!c.get('session')) return signInPage(c, '/admin', { next: c.req.query('next') ?? null });
  await next();
});
consoleApp.post('/sign-in', csrf(), signInHandler('/admin'));
consoleApp.post('/sign-out', csrf(), signOutHandler('/admin'));

/**
 * Everything else needs the session: a page asked for without one sends the browser to sign in
 * (and back here after), an action is a 401.
 */
const requireSession: MiddlewareHandler<AppEnv> = async function requireSession(c, next) {
  if (c.get('session')) return next();
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const url = new URL(c.req.url);
    return c.redirect(`/admin?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  throw new ProblemError(401, 'Unauthorized', 'You are not signed in, or your session has ended: sign in again, then send the form again.');
};
consoleApp.use('*', requireSession);
consoleApp.use('*', csrf());

consoleApp.route('/sources/builder', builderPages);
consoleApp.route('/', readPages);
consoleApp.route('/posts', postPages);
consoleApp.route('/media', mediaPages);
consoleApp.route('/moves', movePages);
consoleApp.route('/sources', sourcePages);
consoleApp.route('/filters', filterPages);
consoleApp.route('/tokens', tokenPages);
consoleApp.route('/opml', opmlPages);
consoleApp.route('/webhooks', webhookPages);
consoleApp.route('/assets', assetRoutes);

consoleApp.notFound(() => {
  throw notFound('There is no console page at this address.');
});

const TITLES: Record<number, string> = {
  400: 'Not understood',
  401: 'Sign in again',
  403: 'Refused',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'Not accepted',
  503: 'Not configured',
};

/** Every refusal and error of the console as a page people read, with the status it stands for. */
const answerError: ErrorHandler<AppEnv> = async (err, c) => {
  const config = siteConfig(c.env);
  const session = c.get('session');
  const signOutToken = session ? await formToken(c.env, 'sign-out', session.id, Date.now()) : null;
  if (err instanceof HTTPException) {
    const status = err.status;
    const message = err instanceof ProblemError ? (err.problem.detail ?? err.problem.title) : err.message || 'The request was refused.';
    const link = status === 401 ? { href: '/admin', text: 'Sign in' } : { href: '/admin', text: 'Back to the console' };
    return c.html(renderConsoleMessage(config, { title: TITLES[status] ?? 'Error', message, signOutToken, link }), status);
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  const message = 'Something went wrong on the server; it was logged. Nothing was changed unless the page you come back to says so.';
  return c.html(
    renderConsoleMessage(config, { title: 'Server error', message, signOutToken, link: { href: '/admin', text: 'Back to the console' } }),
    500,
  );
};
consoleApp.onError(answerError);
