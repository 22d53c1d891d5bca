import { freshnessMs, siteConfig, upstreamSettings } from '../config';
import { getSubscription, recordDelivery, removeSubscription, subscribedTopics, subscriptionIdsAfter } from '../db/hub-subscriptions';
import { callCallback } from './callback-fetch';
import { FANOUT_PAGE, HUB_DELIVERY_ATTEMPTS, retryDelaySeconds } from './limits';
import type { DeliverMessage, DistributeMessage, Outcome } from './messages';
import { hubSignature } from './signatures';
import { hubUserAgent, type TopicDocument } from './topic';

/**
 * Topics changed (announce(), the one place every change goes through): each that has a live
 * subscription gets a distribution message. The message waits out the freshness window
 * (FEED_FRESHNESS), as a ping to an external hub does, so that the document the hub reads for it
 * is the new one in every isolate. Returns the topics queued.
 */
export async function distributeChanges(env: Env, topics: string[], now: number): Promise<string[]> {
  const subscribed = await subscribedTopics(env.DB, topics, now);
  const delaySeconds = Math.ceil(freshnessMs(env) / 1000);
  for (let i = 0; i < subscribed.length; i += 100) {
    await env.PUSH_QUEUE.sendBatch(
      subscribed
        .slice(i, i + 100)
        .map((topic) => ({ body: { kind: 'distribute', topic, afterId: 0 } satisfies DistributeMessage, delaySeconds })),
    );
  }
  return subscribed;
}

/**
 * One step of a topic's fan-out: a delivery message for each of the next FANOUT_PAGE live
 * subscriptions, and a message for the step after when there may be more. A hot topic's 10,000
 * subscriptions take 20 steps, each a handful of sendBatch calls, so no invocation does much.
 */
export async function fanOut(env: Env, message: DistributeMessage, now: number): Promise<Outcome> {
  const ids = await subscriptionIdsAfter(env.DB, message.topic, message.afterId, now, FANOUT_PAGE);
  for (let i = 0; i < ids.length; i += 100) {
    await env.PUSH_QUEUE.sendBatch(
      ids
        .slice(i, i + 100)
        .map((subscriptionId) => ({ body: { kind: 'deliver', subscriptionId, topic: message.topic } satisfies DeliverMessage })),
    );
  }
  if (ids.length === FANOUT_PAGE) {
    await env.PUSH_QUEUE.send({ kind: 'distribute', topic: message.topic, afterId: ids.at(-1)! } satisfies DistributeMessage);
  }
  return 'done';
}

/**
 * Delivers a topic's current document to one subscription (WebSub §7): a POST with the document
 * as the app serves it, its Content-Type, `Link: <hub>; rel="hub", <topic>; rel="self"`, and
 * X-Hub-Signature when the subscription has a secret (§7.1). A 2xx delivers it; a 410 ends the
 * subscription (the subscriber deleted it); anything else, or no answer, is a failure, retried
 * with backoff up to HUB_DELIVERY_ATTEMPTS attempts. A failing subscription stays until its lease
 * ends, and every later change is delivered to it again. Each attempt is recorded on the
 * subscription. `documentOf` reads the topic (once per consumer batch).
 */
export async function deliverContent(
  env: Env,
  message: DeliverMessage,
  documentOf: (topic: string) => Promise<TopicDocument>,
  attempt: number,
): Promise<Outcome> {
  const subscription = await getSubscription(env.DB, message.subscriptionId);
  const at = Date.now();
  if (!subscription || subscription.expiresAt <= at || subscription.topic !== message.topic) return 'done';
  const document = await documentOf(subscription.topic);
  if (!document.served) {
    await recordDelivery(env.DB, subscription.id, { at, ok: false, status: null, error: `nothing delivered: ${document.reason}` });
    return 'done';
  }
  const config = siteConfig(env);
  const headers: Record<string, string> = {
    'content-type': document.contentType,
    link: `<${config.hub}>; rel="hub", <${subscription.topic}>; rel="self"`,
    'user-agent': hubUserAgent(config),
  };
  if (subscription.secret !== null) headers['x-hub-signature'] = await hubSignature(subscription.secret, document.body);
  const answer = await callCallback(subscription.callback, {
    method: 'POST',
    headers,
    body: document.body.slice(0),
    allowLoopback: upstreamSettings(env).allowLoopback,
  });
  if (answer.status === 410) {
    await removeSubscription(env.DB, subscription.topic, subscription.callback);
    return 'done';
  }
  await recordDelivery(env.DB, subscription.id, { at, ok: answer.ok, status: answer.status, error: answer.error });
  if (answer.ok || attempt >= HUB_DELIVERY_ATTEMPTS) return 'done';
  return { retryInSeconds: retryDelaySeconds(attempt, answer.retryAfterSeconds) };
}
