import { siteConfig } from '../config';
import { removeExpiredSubscriptions } from '../db/hub-subscriptions';
import { deliverContent, fanOut } from './hub-distribute';
import { verifyIntent } from './hub-verify';
import { retryDelaySeconds } from './limits';
import type { Outcome, PushMessage } from './messages';
import { readTopic, type SelfFetch, type TopicDocument } from './topic';
import { deliverWebhook } from './webhook-deliver';

/**
 * Queue consumer of the push queue: every message is one callback request (or one fan-out step),
 * handled in parallel with the others of its batch, so a slow or failing callback holds up no
 * other (each request has its own deadline: CALLBACK_TIMEOUT_MS). A message is acked when done,
 * or retried after the delay its handler asks for; one that throws (D1 or the app failed) is
 * retried with backoff. The topics' documents are read once per batch, through `selfFetch`.
 */
export async function consumePushQueue(batch: MessageBatch<PushMessage>, env: Env, selfFetch: SelfFetch): Promise<void> {
  const config = siteConfig(env);
  const documents = new Map<string, Promise<TopicDocument>>();
  const documentOf = (topic: string): Promise<TopicDocument> => {
    const document = documents.get(topic) ?? readTopic(config, selfFetch, topic);
    documents.set(topic, document);
    return document;
  };
  const handle = (body: PushMessage, attempt: number): Promise<Outcome> => {
    switch (body.kind) {
      case 'verify':
        return verifyIntent(env, body, selfFetch, attempt);
      case 'distribute':
        return fanOut(env, body, Date.now());
      case 'deliver':
        return deliverContent(env, body, documentOf, attempt);
      case 'webhook':
        return deliverWebhook(env, body, attempt);
      default:
        // A message this version does not know (sent by another one): nothing to do with it.
        console.warn('push: a message of an unknown kind was dropped', body);
        return Promise.resolve('done');
    }
  };
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const outcome = await handle(message.body, message.attempts);
        if (outcome === 'done') message.ack();
        else message.retry({ delaySeconds: outcome.retryInSeconds });
      } catch (error) {
        console.error(`push: a ${message.body.kind} message failed; it is retried`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}

/** Cron: deletes the hub subscriptions whose lease ran out (they deliver nothing from then on anyway). */
export function expireSubscriptions(env: Env, now: number): Promise<number> {
  return removeExpiredSubscriptions(env.DB, now);
}
