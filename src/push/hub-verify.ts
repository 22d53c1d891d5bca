import { type SiteConfig, siteConfig, upstreamSettings } from '../config';
import { removeSubscription, saveSubscription } from '../db/hub-subscriptions';
import { callCallback, withQuery } from './callback-fetch';
import { subscriptionLimitProblem } from './hub-request';
import { CHALLENGE_READ_BYTES, retryDelaySeconds, VERIFY_ATTEMPTS } from './limits';
import type { Outcome, VerifyMessage } from './messages';
import { randomToken } from './signatures';
import { hubUserAgent, readTopic, type SelfFetch } from './topic';

/**
 * Tells the callback its subscription request is denied (WebSub §5.2): a GET with hub.mode=denied,
 * the topic and the reason appended to its query. Sent once; what it answers changes nothing.
 */
async function deny(env: Env, config: SiteConfig, request: VerifyMessage, reason: string): Promise<void> {
  const url = withQuery(request.callback, { 'hub.mode': 'denied', 'hub.topic': request.topic, 'hub.reason': reason });
  const answer = await callCallback(url, {
    method: 'GET',
    headers: { 'user-agent': hubUserAgent(config) },
    allowLoopback: upstreamSettings(env).allowLoopback,
  });
  console.warn(
    `WebSub hub: denied ${request.callback} for ${request.topic}: ${reason}${answer.ok ? '' : ` (the denial: ${answer.error})`}`,
  );
}

/**
 * Carries out one subscription request from the queue (WebSub §5.2, §5.3). A subscription is
 * validated first: a topic this hub does not serve, or one over a limit, is denied. Then the
 * callback is asked to confirm with a GET carrying hub.mode, hub.topic, a fresh hub.challenge and
 * (to subscribe) hub.lease_seconds; only a 2xx whose body is exactly the challenge confirms it.
 * Only then does the subscription change: saved (a renewal replaces the lease and secret,
 * counted from the moment the verification went out) or removed. A refusal (404), a wrong echo
 * or a redirect leaves it as it was; a callback that gave no answer (5xx, timeout, network) is
 * asked again, up to VERIFY_ATTEMPTS times.
 */
export async function verifyIntent(env: Env, request: VerifyMessage, selfFetch: SelfFetch, attempt: number): Promise<Outcome> {
  const config = siteConfig(env);
  if (request.mode === 'subscribe') {
    const topic = await readTopic(config, selfFetch, request.topic);
    if (!topic.served) {
      await deny(env, config, request, topic.reason);
      return 'done';
    }
    const limit = await subscriptionLimitProblem(env, request, Date.now());
    if (limit) {
      await deny(env, config, request, limit);
      return 'done';
    }
  }
  const challenge = randomToken();
  const params: Record<string, string> = { 'hub.mode': request.mode, 'hub.topic': request.topic, 'hub.challenge': challenge };
  if (request.mode === 'subscribe') params['hub.lease_seconds'] = String(request.leaseSeconds);
  const sentAt = Date.now();
  const answer = await callCallback(withQuery(request.callback, params), {
    method: 'GET',
    headers: { 'user-agent': hubUserAgent(config) },
    readBytes: CHALLENGE_READ_BYTES,
    allowLoopback: upstreamSettings(env).allowLoopback,
  });
  const unanswered = !answer.ok && (answer.status === null || answer.status >= 500);
  if (unanswered && attempt < VERIFY_ATTEMPTS) return { retryInSeconds: retryDelaySeconds(attempt, answer.retryAfterSeconds) };
  if (!answer.ok || answer.body !== challenge) {
    const why = answer.ok ? 'answered without echoing hub.challenge' : answer.error;
    console.warn(`WebSub hub: ${request.callback} did not confirm ${request.mode} to ${request.topic}: ${why}`);
    return 'done';
  }
  if (request.mode === 'subscribe') {
    await saveSubscription(env.DB, { ...request, verifiedAt: sentAt });
  } else await removeSubscription(env.DB, request.topic, request.callback);
  return 'done';
}
