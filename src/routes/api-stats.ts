import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { DEFAULT_STATS_DAYS, feedStats, MAX_STATS_DAYS } from '../stats/stats';
import { validate, wholeNumber } from './query';

/** GET /api/stats?days=N: subscriber estimates per feed (src/stats/). Needs the bearer token. */
export const statsApi = new Hono<AppEnv>();

statsApi.use('*', adminAuth());

export const statsQuery = z.object({ days: wholeNumber(1, MAX_STATS_DAYS).default(DEFAULT_STATS_DAYS) });

statsApi.get('/', validate('query', statsQuery), async (c) => {
  const { days } = c.req.valid('query');
  return c.json({ days, feeds: await feedStats(c.env, days) }, 200, { 'cache-control': 'no-store' });
});
