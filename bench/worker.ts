// The worker the bench runs: the product as deployed (src/index.ts), with the baseline routes of
// bench/baselines.ts mounted under /__bench and the extraction routes of bench/extract-routes.ts
// under /__bench/extract in front of it. Only `npm run bench` and bench/extract-eval.mjs build this.
import { Hono } from 'hono';
import worker from '../src';
import type { AppEnv } from '../src/http/app-env';
import { benchRoutes } from './baselines';
import { batchlessD1 } from './no-writes-d1';
import { delayedD1 } from './remote-d1';
import { extractBenchRoutes } from './extract-routes';

const app = new Hono<AppEnv>();
app.route('/__bench/extract', extractBenchRoutes);
app.route('/__bench', benchRoutes);

// `x-bench-d1-delay: <ms>`: the request is served with a D1 binding that adds that much to every
// query (bench/remote-d1.ts), as for a reader far from the database. One such env per isolate and
// delay, kept like the real one, so that what the app keeps per env (its view stamps) lasts too.
const remote = new WeakMap<object, Map<number, Env>>();
function remoteEnv(env: Env, delayMs: number): Env {
  let byDelay = remote.get(env);
  if (!byDelay) remote.set(env, (byDelay = new Map()));
  let delayed = byDelay.get(delayMs);
  if (!delayed) byDelay.set(delayMs, (delayed = { ...env, DB: delayedD1(env.DB, delayMs) }));
  return delayed;
}

/**
 * A request for /__bench/… goes to the bench's own routes, every other one to the product's
 * fetch, as deployed: each request goes through exactly one Hono app, and the subject and the
 * baselines pay the same one string check to get there.
 */
export default {
  ...worker,
  fetch(request, env, ctx) {
    if (request.url.includes('/__bench/')) return app.fetch(request, env, ctx);
    // `x-bench-d1-writes: skip`: D1's batches are not written (bench/no-writes-d1.ts).
    if (request.headers.get('x-bench-d1-writes') === 'skip') return worker.fetch(request, { ...env, DB: batchlessD1(env.DB) }, ctx);
    const delay = Number(request.headers.get('x-bench-d1-delay') ?? 0);
    return worker.fetch(request, delay > 0 ? remoteEnv(env, delay) : env, ctx);
  },
} satisfies ExportedHandler<Env>;
