/** The push queue's name (wrangler.toml): src/index.ts routes its batches to consumePushQueue by it. */
export const PUSH_QUEUE_NAME = 'syndicate-push';

/** Verify a subscription request's intent with its callback (or tell it the request is denied). */
export type VerifyMessage = {
  kind: 'verify';
  mode: 'subscribe' | 'unsubscribe';
  topic: string;
  callback: string;
  /** The lease granted (already within the hub's bounds); ignored for an unsubscription. */
  leaseSeconds: number;
  secret: string | null;
};

/** A topic changed: queue one delivery for each of its live subscriptions after `afterId` (a page at a time). */
export type DistributeMessage = { kind: 'distribute'; topic: string; afterId: number };

/** Deliver a topic's current document to one subscription. */
export type DeliverMessage = { kind: 'deliver'; subscriptionId: number; topic: string };

/** Deliver one stored webhook event (src/db/webhooks.ts) to its endpoint. */
export type WebhookMessage = { kind: 'webhook'; deliveryId: number };

/** A message of the push queue: one callback request (or one fan-out step) each, retried on its own. */
export type PushMessage = VerifyMessage | DistributeMessage | DeliverMessage | WebhookMessage;

/** What handling a message comes to: done (acked), or to be tried again after a delay. */
export type Outcome = { retryInSeconds: number } | 'done';
