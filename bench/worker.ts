// The worker the bench runs: the product as deployed (src/index.ts), with the baseline routes of
// bench/baselines.ts mounted under /__bench and the extraction routes of bench/extract-routes.ts
// under /__bench/extract in front of it. Only `npm run bench` and bench/extract-eval.mjs build this.
import { Hono } from 'hono';
import worker from '../src';
import type { AppEnv } from '../src/http/app-env';
import { benchRoutes } from './baselines';
import { extractBenchRoutes } from './extract-routes';

const app = new Hono<AppEnv>();
app.route('/__bench/extract', extractBenchRoutes);
app.route('/__bench', benchRoutes);
app.all('*', (c) => worker.fetch(c.req.raw, c.env, c.executionCtx));

export default { ...worker, fetch: app.fetch } satisfies ExportedHandler<Env>;
