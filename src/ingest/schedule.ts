// When to refresh a source next: the policy, the cron's claims, and pure functions of what the
// last fetch learned.

type SchedulePolicy = {
  baseIntervalMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  maxBackoffMs: number;
  pauseAfterFailures: number;
};

export const DEFAULT_POLICY: SchedulePolicy = {
  baseIntervalMs: 30 * 60_000,
  minIntervalMs: 15 * 60_000,
  maxIntervalMs: 24 * 3600_000,
  maxBackoffMs: 24 * 3600_000,
  pauseAfterFailures: 10,
};

/** Sources the cron claims per run (every 5 minutes): 500 a run is 6,000 refreshes an hour. */
export const CLAIM_PER_RUN = 500;
/** How long a claimed source waits before another run may claim it again (a lost message). */
export const CLAIM_LEASE_MS = 15 * 60_000;

/** Seconds of Cache-Control max-age (s-maxage wins: we are a shared cache); null without one. */
function maxAgeSeconds(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  const shared = /(?:^|,)\s*s-maxage\s*=\s*"?(\d+)/i.exec(cacheControl);
  const plain = /(?:^|,)\s*max-age\s*=\s*"?(\d+)/i.exec(cacheControl);
  const value = shared ?? plain;
  return value ? Number(value[1]) : null;
}

/**
 * The wait after a successful refresh (new content or 304): the base interval, stretched (never
 * shortened) by the upstream's own hints: RSS `ttl`, Cache-Control max-age, Expires; at most
 * `maxIntervalMs`, so a source asking for a week is still checked daily.
 */
export function successInterval(
  hints: { ttlMinutes: number | null; cacheControl: string | null; expires: string | null; now: number },
  policy: SchedulePolicy = DEFAULT_POLICY,
): number {
  const asked: number[] = [];
  if (hints.ttlMinutes !== null && hints.ttlMinutes > 0) asked.push(hints.ttlMinutes * 60_000);
  const maxAge = maxAgeSeconds(hints.cacheControl);
  if (maxAge !== null) asked.push(maxAge * 1000);
  else if (hints.expires) {
    const at = Date.parse(hints.expires);
    if (Number.isFinite(at)) asked.push(at - hints.now);
  }
  const wanted = Math.max(policy.baseIntervalMs, ...asked.filter(Number.isFinite));
  return Math.min(Math.max(wanted, policy.minIntervalMs), policy.maxIntervalMs);
}

/**
 * The wait after the n-th failure in a row: base * 2^(n-1), capped; a Retry-After wins when it
 * asks for longer. From `pauseAfterFailures` failures on, the source is paused.
 */
export function failureDelay(
  consecutiveFailures: number,
  retryAfterMs: number | null,
  policy: SchedulePolicy = DEFAULT_POLICY,
): { delayMs: number; pause: boolean } {
  const n = Math.max(1, consecutiveFailures);
  const backoff = Math.min(policy.baseIntervalMs * 2 ** Math.min(n - 1, 30), policy.maxBackoffMs);
  const delayMs = Math.min(Math.max(backoff, retryAfterMs ?? 0), policy.maxBackoffMs);
  return { delayMs, pause: n >= policy.pauseAfterFailures };
}
