import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { backgroundOf } from '../http/background';
import { countRead } from './recorder';

/**
 * Counts one read of a feed document (a 200 or a 304; `feed` is its path with its query, as its
 * self link names it) for the subscriber estimate, without delaying the response
 * (src/stats/recorder.ts). The client is its address (CF-Connecting-IP) and User-Agent, hashed
 * with the day's key. src/serve/serve.ts, the one place feed documents are answered, calls it.
 */
export function countFeedRead(c: Context<AppEnv>, feed: string, at: number): void {
  const ctx = backgroundOf(c);
  if (!ctx) return;
  countRead(c.env.DB, ctx, {
    feed,
    address: c.req.header('cf-connecting-ip') ?? '',
    userAgent: c.req.header('user-agent') ?? '',
    at,
  });
}
