import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';

/**
 * Baselines for `npm run bench` (bench/run.mjs): the cheapest answers this worker can give, to
 * divide the feed figures by. They exist only when the bench starts the worker with
 * BENCH_ROUTES=true, a variable that no configuration in this repository sets; otherwise 404.
 */
export const benchRoutes = new Hono<AppEnv>();

const bodies = new Map<number, string>();

benchRoutes.use('*', async (c, next) => {
  if ((c.env as { BENCH_ROUTES?: string }).BENCH_ROUTES !== 'true') return c.notFound();
  await next();
});

/** A constant body of `bytes` bytes, with the headers a feed has. */
benchRoutes.get('/const', (c) => {
  const bytes = Math.min(Number(c.req.query('bytes') ?? 0) || 0, 1 << 20);
  let body = bodies.get(bytes);
  if (body === undefined) bodies.set(bytes, (body = 'x'.repeat(bytes)));
  return c.body(body, 200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"const"', 'cache-control': 'public, no-cache' });
});

/** An empty 200. */
benchRoutes.get('/empty', (c) => c.body(null, 200));
