import { siteConfig, upstreamSettings } from '../config';
import { abandonDelivery, deliveryToSend, recordAttempt } from '../db/webhooks';
import { callCallback } from './callback-fetch';
import { RETRY_DELAYS_SECONDS, retryDelaySeconds, WEBHOOK_ATTEMPTS } from './limits';
import type { Outcome, WebhookMessage } from './messages';
import { webhookSignature } from './signatures';
import { PAYLOAD_TYPES } from './webhook-payloads';

/** Roughly how long WEBHOOK_ATTEMPTS attempts take, for the reason a webhook is disabled with. */
function spanOf(attempts: number): string {
  const seconds = RETRY_DELAYS_SECONDS.slice(0, attempts - 1).reduce((a, b) => a + b, 0);
  return seconds >= 3600 ? `about ${Math.round(seconds / 3600)} hours` : `about ${Math.round(seconds / 60)} minutes`;
}

/**
 * Sends one stored event to its webhook, signed the Standard Webhooks way: webhook-id (the same
 * on every attempt), webhook-timestamp (this attempt's, in seconds) and webhook-signature
 * (`v1,` + base64 HMAC-SHA256 of "id.timestamp.body" keyed by the secret's bytes). A 2xx
 * delivers it. A 410 disables the webhook at once (the endpoint says it wants no more); any other
 * answer, or none, is retried with backoff (RETRY_DELAYS_SECONDS, or longer when Retry-After asks)
 * up to WEBHOOK_ATTEMPTS attempts in all, and an event that fails them all disables its webhook,
 * with the reason recorded. A delivery whose webhook was deleted or disabled meanwhile is dropped.
 */
export async function deliverWebhook(env: Env, message: WebhookMessage, attempt: number): Promise<Outcome> {
  const delivery = await deliveryToSend(env.DB, message.deliveryId);
  if (delivery?.state !== 'pending') return 'done';
  if (delivery.webhook.disabledAt !== null) {
    await abandonDelivery(env.DB, delivery.id, 'not sent: the webhook is disabled');
    return 'done';
  }
  const at = Date.now();
  const timestamp = Math.floor(at / 1000);
  const answer = await callCallback(delivery.webhook.url, {
    method: 'POST',
    headers: {
      'content-type': PAYLOAD_TYPES[delivery.webhook.format],
      'user-agent': `Syndicate-Webhooks (+${siteConfig(env).url}/)`,
      'webhook-id': delivery.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await webhookSignature(delivery.webhook.secret, delivery.messageId, timestamp, delivery.payload),
    },
    body: delivery.payload,
    allowLoopback: upstreamSettings(env).allowLoopback,
  });
  const record = { at, ok: answer.ok, status: answer.status, error: answer.error };
  const ref = { id: delivery.id, webhookId: delivery.webhookId };
  if (answer.ok) {
    await recordAttempt(env.DB, ref, { ...record, state: 'delivered' }, null);
    return 'done';
  }
  if (answer.status === 410) {
    await recordAttempt(env.DB, ref, { ...record, state: 'failed' }, `${delivery.webhook.url} answered 410 Gone: it wants no more events.`);
    return 'done';
  }
  if (attempt < WEBHOOK_ATTEMPTS) {
    await recordAttempt(env.DB, ref, { ...record, state: 'pending' }, null);
    return { retryInSeconds: retryDelaySeconds(attempt, answer.retryAfterSeconds) };
  }
  const reason = `The ${delivery.event} event ${delivery.messageId} failed all ${WEBHOOK_ATTEMPTS} attempts over ${spanOf(WEBHOOK_ATTEMPTS)} (last attempt: ${answer.error}).`;
  await recordAttempt(env.DB, ref, { ...record, state: 'failed' }, reason);
  return 'done';
}
