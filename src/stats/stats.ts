import { siteConfig } from '../config';
import { compactCounts, subscriberCounts } from '../db/stats';
import { dayOf } from './recorder';
import { type FeedStats, summarize } from './summary';

/** Days a series may cover (`?days=`). */
export const MAX_STATS_DAYS = 366;
export const DEFAULT_STATS_DAYS = 30;

/** Every counted feed's latest estimate and daily series over the last `days` days (today included). */
export async function feedStats(env: Env, days: number, now = Date.now()): Promise<FeedStats[]> {
  const today = dayOf(now);
  return summarize(await subscriberCounts(env.DB, today - days + 1), siteConfig(env).url, today, days);
}

/** Cron: the hashes of days before yesterday become plain numbers (compactCounts). */
export const compactSubscriberCounts = (env: Env, now: number): Promise<number> => compactCounts(env.DB, dayOf(now) - 1);
