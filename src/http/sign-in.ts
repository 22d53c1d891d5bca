import type { Context } from 'hono';
import { clearFailures, recentFailures, recordFailure } from '../db/sign-in-failures';
import type { AppEnv } from './app-env';
import { sameToken } from './auth';
import { clientKey, startSession } from './session';

// Trading the admin token for a session (the console's and /stats' sign-in form), with a limit on
// wrong tokens per client: after MAX_FAILURES in WINDOW_MS from one address, every attempt from it
// is refused (429), the right token too, until the oldest failure ages out. The address is the
// one Cloudflare gives (CF-Connecting-IP); where there is none (`wrangler dev` behind no proxy)
// every client shares one count. The count lives in D1: every isolate sees the same.

export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;

export type SignInOutcome =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

/** Checks the token posted and, when it is the admin token, starts a session (sets its cookie). */
export async function signIn(c: Context<AppEnv>, token: unknown, now: number): Promise<SignInOutcome> {
  const client = await clientKey(c.env, c.req.header('cf-connecting-ip') ?? 'unknown');
  const since = now - WINDOW_MS;
  const recent = await recentFailures(c.env.DB, client, since);
  if (recent.count >= MAX_FAILURES) {
    return { ok: false, reason: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(((recent.oldest ?? now) + WINDOW_MS - now) / 1000)) };
  }
  if (typeof token !== 'string' || !(await sameToken(token, c.env.ADMIN_TOKEN))) {
    await recordFailure(c.env.DB, client, now, since);
    return { ok: false, reason: 'wrong', attemptsLeft: MAX_FAILURES - recent.count - 1 };
  }
  await clearFailures(c.env.DB, client);
  await startSession(c, now);
  return { ok: true };
}
