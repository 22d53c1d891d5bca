import { listSubscriptions } from '../db/hub-subscriptions';

/** A live subscription of the own hub as the console shows it: never its secret. */
export type HubSubscriptionSummary = {
  topic: string;
  callback: string;
  signed: boolean;
  lease_seconds: number;
  verified_at: string;
  expires_at: string;
  delivered: number;
  failures: number;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The own hub's live subscriptions, newest first, with their last delivery (a plain function for the console). */
export async function listHubSubscriptions(env: Env, limit = 200): Promise<HubSubscriptionSummary[]> {
  const subscriptions = await listSubscriptions(env.DB, Date.now(), limit);
  return subscriptions.map((s) => ({
    topic: s.topic,
    callback: s.callback,
    signed: s.secret !== null,
    lease_seconds: s.leaseSeconds,
    verified_at: iso(s.verifiedAt)!,
    expires_at: iso(s.expiresAt)!,
    delivered: s.delivered,
    failures: s.failures,
    last_attempt_at: iso(s.lastAttemptAt),
    last_status: s.lastStatus,
    last_error: s.lastError,
  }));
}
