import { type ErrorHandler, Hono, type NotFoundHandler } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { siteConfig } from './config';
import { ConstraintError } from './db/constraint-error';
import { ConflictError } from './domain/conflict-error';
import { InvalidFieldError } from './domain/invalid-field-error';
import type { AppEnv } from './http/app-env';
import { badRequest, notFound, ProblemError, problemResponse } from './http/problem';
import { addSecurityHeaders, isConsolePath } from './http/security-headers';
import { forgetStamps } from './serve/stamp-memo';
import { renderMessagePage } from './render/pages/pages';
import { feedRoutes } from './routes/feeds';
import { postApi } from './routes/api-posts';
import { extractApi } from './routes/api-extract';
import { sourceApi } from './routes/api-sources';
import { moveApi } from './routes/api-moves';
import { mediaApi } from './routes/api-media';
import { consoleApp } from './routes/console';
import { mediaRoutes } from './routes/media';
import { statsApi } from './routes/api-stats';
import { webhookApi } from './routes/api-webhooks';
import { viewApi } from './routes/api-views';
import { hubRoutes } from './routes/hub';
import { statsPages } from './routes/stats-page';
import { servedMoves } from './moves/serve-moves';
import { opmlRoutes } from './routes/opml';
import { pageRoutes } from './routes/pages';
import { searchRoutes } from './routes/search';

export const app = new Hono<AppEnv>();

/**
 * Everything outside the admin API and the console is public, read-only data: feeds, pages,
 * /opml.xml, /media. Any site may read it from the browser (no credentials), preflights included,
 * and so may it read the problems those URLs answer. The admin API and the console get no CORS
 * headers: browsers keep other origins out.
 *
 * hono/cors answers the preflights (OPTIONS). On every other response the two headers are set
 * after the handler, with the security headers, in one step: hono/cors sets them on `c.res`
 * before the handler runs, and then Hono copies the handler's response into a new one whose body
 * is a stream, so a cached feed would be pumped through a stream on every request
 * (docs/benchmarks.md, "Warm and revalidate: the profile").
 */
const PUBLIC_EXPOSED = 'ETag,Last-Modified,Link';
const preflight = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: PUBLIC_EXPOSED.split(','), maxAge: 86400 });
app.use('*', async function headersOfEveryResponse(c, next) {
  const isPublic = !isAdminApi(c.req.path) && !isConsolePath(c.req.path);
  if (isPublic && c.req.method === 'OPTIONS') {
    const answer = await preflight(c, next);
    if (answer) c.res = answer;
  } else await next();
  await addSecurityHeaders(c);
  if (isPublic) {
    c.res.headers.set('access-control-allow-origin', '*');
    c.res.headers.set('access-control-expose-headers', PUBLIC_EXPOSED);
  }
});
const isAdminApi = (path: string) => path === '/api' || path.startsWith('/api/');

// Moved and retired paths answer 301 or 410 before any route (src/moves/).
app.use('*', servedMoves());

/**
 * The admin API is an app of its own, mounted under /api with the request unchanged. Its routes
 * put fixed names beside parameters (`/api/sources/export` beside `/api/sources/:id`), which
 * Hono's RegExpRouter (one regular expression for all routes) cannot hold; merged into one router
 * they would make every request, feed polls included, go through the slower TrieRouter. Apart,
 * the public routes keep the fast router, and the admin routes the one they need.
 */
const api = new Hono<AppEnv>().basePath('/api');
// Admin answers are for the one caller who asked: no cache keeps them (the console's too).
api.use('*', async function privateAnswers(c, next) {
  await next();
  c.res.headers.set('cache-control', 'private, no-store');
});
// A write (any admin API call but a read) is committed before its response: from then on this
// isolate reads every view's stamp from D1 again, so the writer sees its change on its next read.
api.use('*', async function forgetStampsAfterWrites(c, next) {
  await next();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') forgetStamps(c.env);
});
api.route('/posts', postApi);
api.route('/moves', moveApi);
api.route('/stats', statsApi);
api.route('/sources', sourceApi);
api.route('/extract', extractApi);
api.route('/media', mediaApi);
api.route('/webhooks', webhookApi);
api.route('/views', viewApi);

app.mount('/api', api.fetch, { replaceRequest: false });
// The console, an app of its own for the same reason (src/routes/console/).
app.mount('/admin', consoleApp.fetch, { replaceRequest: false });
app.route('/', statsPages);
app.route('/', mediaRoutes);
app.route('/', hubRoutes);
app.route('/', searchRoutes);
app.route('/', feedRoutes);
app.route('/', opmlRoutes);
app.route('/', pageRoutes);

/** Programs (feeds, the API) get problem+json; people get an HTML page with the same status. */
const wantsJson = (path: string) => /\.(xml|json)$/.test(path) || path.startsWith('/api/');

// Every 404 is a `notFound()` problem, answered in one place (onError) in the form the caller reads.
const answerNotFound: NotFoundHandler<AppEnv> = (c) => {
  throw notFound(wantsJson(c.req.path) ? `No route for ${c.req.path}.` : 'There is no page at this address.');
};

const answerError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ProblemError) {
    if (err.status === 404 && !wantsJson(c.req.path)) {
      return c.html(renderMessagePage(siteConfig(c.env), 'Not found', err.problem.detail ?? 'Not found.'), 404);
    }
    return problemResponse(err.problem, err.headers);
  }
  if (err instanceof ConflictError) {
    return problemResponse({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: err.message,
      errors: [{ field: err.field, message: err.reason }],
    });
  }
  if (err instanceof InvalidFieldError) return problemResponse(badRequest([{ field: err.field, message: err.reason }]).problem);
  if (err instanceof ConstraintError) {
    // A write that lost a race (two requests for one slug or URL) or broke a rule of the schema:
    // the client's request, not the server, is what cannot be done.
    const conflict = err.kind === 'unique' || err.kind === 'foreign_key';
    const message =
      err.kind === 'unique' ? 'is taken' : err.kind === 'foreign_key' ? 'refers to something that was removed meanwhile' : 'is not allowed';
    return problemResponse({
      type: 'about:blank',
      title: conflict ? 'Conflict' : 'Invalid request',
      status: conflict ? 409 : 400,
      detail: `${err.field}: ${message}`,
      errors: [{ field: err.field, message }],
    });
  }
  if (err instanceof HTTPException) {
    // A middleware that built its own answer (hono/bearer-auth's 401 problem).
    if (err.res) return err.getResponse();
    return problemResponse({ type: 'about:blank', title: err.message || 'Error', status: err.status });
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  return problemResponse({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'The error was logged.' });
};

// Both apps answer errors and unknown paths the same way.
for (const each of [app, api]) {
  each.notFound(answerNotFound);
  each.onError(answerError);
}
