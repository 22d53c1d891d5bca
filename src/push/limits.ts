// Every limit of push delivery (the own WebSub hub and the webhooks), in one place. docs/push.md
// explains them and what they cost.

/** hub.lease_seconds when a subscriber asks for none: ten days, as most public hubs grant. */
export const DEFAULT_LEASE_SECONDS = 10 * 86_400;
/** The shortest lease granted: a subscriber asking for less gets this (and renews less often). */
export const MIN_LEASE_SECONDS = 3_600;
/** The longest lease granted: WebSub forbids perpetual leases, so every subscription ends unless renewed. */
export const MAX_LEASE_SECONDS = 30 * 86_400;

/** Live subscriptions one topic may have: a hot feed's fan-out (docs/push.md prices 10,000). */
export const MAX_SUBSCRIPTIONS_PER_TOPIC = 10_000;
/** Live subscriptions whose callbacks share one host: a reader service may follow many feeds, one site may not flood. */
export const MAX_SUBSCRIPTIONS_PER_HOST = 1_000;
/** Bytes a subscription request's body may have (its URLs and secret fit many times over). */
export const MAX_HUB_REQUEST_BYTES = 8 * 1024;
/** Characters a callback or topic URL may have. */
export const MAX_URL_LENGTH = 2_048;
/** hub.secret must be shorter than 200 bytes (WebSub §5.1). */
export const MAX_SECRET_BYTES = 199;

/** One callback request (verification, denial, delivery), answer included, before it is given up. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Bytes of a verification answer read: the echoed hub.challenge is 43 characters; the rest is never read. */
export const CHALLENGE_READ_BYTES = 1_024;

/** Delays before each retry of a failed callback request, in seconds (Queues allow at most 12 hours). */
export const RETRY_DELAYS_SECONDS = [10, 60, 300, 1_800, 7_200, 18_000, 36_000, 43_200] as const;
/** Attempts at one verification of intent that failed for want of an answer (5xx, timeout, network). */
export const VERIFY_ATTEMPTS = 3;
/** Attempts at delivering one content distribution: a newer change is delivered anyway. */
export const HUB_DELIVERY_ATTEMPTS = 5;
/** Attempts at delivering one webhook event (about 18 hours); a webhook whose event fails them all is disabled. */
export const WEBHOOK_ATTEMPTS = 8;

/** Subscriptions one distribution message fans out to (5 sendBatch calls of 100 deliveries each). */
export const FANOUT_PAGE = 500;

/** Webhooks a site may have. */
export const MAX_WEBHOOKS = 50;
/** Deliveries kept per webhook, newest first, for GET /api/webhooks. */
export const WEBHOOK_DELIVERIES_KEPT = 50;
/** Bytes of one webhook payload: larger events are sent with summaries only, then with fewer items. */
export const MAX_WEBHOOK_PAYLOAD_BYTES = 256 * 1024;

/** The delay before retry number `attempt` (1 = the first retry), with up to 10% jitter so failures spread out. */
export function retryDelaySeconds(attempt: number, retryAfterSeconds: number | null = null): number {
  const base = RETRY_DELAYS_SECONDS[Math.min(Math.max(attempt, 1), RETRY_DELAYS_SECONDS.length) - 1]!;
  const jittered = Math.round(base * (1 + Math.random() * 0.1));
  return Math.min(Math.max(jittered, retryAfterSeconds ?? 0), 43_200);
}
