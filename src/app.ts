import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { timing } from 'hono/timing';
import { HTTPException } from 'hono/http-exception';
import { siteConfig } from './config';
import { ConstraintError } from './db/errors';
import { ConflictError } from './domain/errors';
import type { AppEnv } from './http/app-env';
import { notFound, ProblemError, problemResponse } from './http/problem';
import { securityHeaders } from './http/security-headers';
import { forgetStamps } from './serve/stamp-memo';
import { renderMessagePage } from './render/pages/pages';
import { feedRoutes } from './routes/feeds';
import { postApi } from './routes/api-posts';
import { extractApi } from './routes/api-extract';
import { sourceApi } from './routes/api-sources';
import { moveApi } from './routes/api-moves';
import { statsApi } from './routes/api-stats';
import { statsPages } from './routes/stats-page';
import { servedMoves } from './moves/serve-moves';
import { opmlRoutes } from './routes/opml';
import { pageRoutes } from './routes/pages';

export const app = new Hono<AppEnv>();

app.use('*', securityHeaders());
// Server-Timing on the answers that report metrics (feeds and pages: where their bytes came from).
app.use('*', timing({ total: false, enabled: (c) => (c.get('metric')?.headers.length ?? 0) > 0 }));

/**
 * Everything outside the admin API is public, read-only data: feeds, pages, /opml.xml. Any site
 * may read it from the browser (no credentials), preflights included, and so may it read the
 * problems those URLs answer. The admin API gets no CORS headers: browsers keep other origins out.
 */
const publicCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD'],
  exposeHeaders: ['ETag', 'Last-Modified', 'Link'],
  maxAge: 86400,
});
app.use('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : publicCors(c, next)));

// Moved and retired paths answer 301 or 410 before any route (src/moves/).
app.use('*', servedMoves());
// A write (any admin API call but a read) is committed before its response: from then on this
// isolate reads every view's stamp from D1 again, so the writer sees its change on its next read.
app.use('/api/*', async function forgetStampsAfterWrites(c, next) {
  await next();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') forgetStamps(c.env);
});

app.route('/api/posts', postApi);
app.route('/api/moves', moveApi);
app.route('/api/stats', statsApi);
app.route('/', statsPages);
app.route('/api/sources', sourceApi);
app.route('/api/extract', extractApi);
app.route('/', feedRoutes);
app.route('/', opmlRoutes);
app.route('/', pageRoutes);

/** Programs (feeds, the API) get problem+json; people get an HTML page with the same status. */
const wantsJson = (path: string) => /\.(xml|json)$/.test(path) || path.startsWith('/api/');

// Every 404 is a `notFound()` problem, answered in one place (onError) in the form the caller reads.
app.notFound((c) => {
  throw notFound(wantsJson(c.req.path) ? `No route for ${c.req.path}.` : 'There is no page at this address.');
});

app.onError((err, c) => {
  if (err instanceof ProblemError) {
    if (err.status === 404 && !wantsJson(c.req.path)) {
      return c.html(renderMessagePage(siteConfig(c.env), 'Not found', err.problem.detail ?? 'Not found.'), 404);
    }
    return problemResponse(err.problem);
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
});
