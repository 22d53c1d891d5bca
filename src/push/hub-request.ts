import { type SiteConfig, siteConfig, upstreamSettings } from '../config';
import { subscriptionCounts } from '../db/hub-subscriptions';
import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';
import {
  DEFAULT_LEASE_SECONDS,
  MAX_LEASE_SECONDS,
  MAX_SECRET_BYTES,
  MAX_SUBSCRIPTIONS_PER_HOST,
  MAX_SUBSCRIPTIONS_PER_TOPIC,
  MAX_URL_LENGTH,
  MIN_LEASE_SECONDS,
} from './limits';
import type { VerifyMessage } from './messages';
import { normalizeUrl } from './topic';

/** A subscription request the hub refuses at once: the status and the plain-text reason (WebSub §5.1.2). */
export class HubRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 415 | 503,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new HubRequestError(400, message);

/**
 * A callback or topic parameter: required, an absolute http(s) URL of at most MAX_URL_LENGTH
 * characters, in the form compared everywhere (normalizeUrl).
 */
function urlParameter(form: URLSearchParams, name: string): string {
  const raw = form.get(name)?.trim();
  if (!raw) throw invalid(`${name} is required.`);
  if (raw.length > MAX_URL_LENGTH) throw invalid(`${name} is longer than ${MAX_URL_LENGTH} characters.`);
  const url = normalizeUrl(raw);
  if (url === null || !/^https?:/.test(url)) throw invalid(`${name} must be an absolute http or https URL.`);
  return url;
}

/**
 * The lease the hub grants: hub.lease_seconds within [MIN_LEASE_SECONDS, MAX_LEASE_SECONDS], or
 * DEFAULT_LEASE_SECONDS when the subscriber asks for none. It is ignored for an unsubscription
 * (WebSub §5.1), so nothing it holds is an error then.
 */
function leaseParameter(form: URLSearchParams, mode: VerifyMessage['mode']): number {
  const raw = form.get('hub.lease_seconds')?.trim();
  if (mode === 'unsubscribe' || !raw) return DEFAULT_LEASE_SECONDS;
  if (!/^[0-9]+$/.test(raw) || Number(raw) === 0) throw invalid('hub.lease_seconds must be a positive whole number of seconds.');
  return Math.min(Math.max(Number(raw), MIN_LEASE_SECONDS), MAX_LEASE_SECONDS);
}

/**
 * Reads a subscription request's form (WebSub §5.1): hub.mode, hub.callback and hub.topic are
 * required; hub.lease_seconds and hub.secret are optional; every other parameter is ignored.
 * Throws HubRequestError (400) for a request that cannot be carried out. Whether the topic is one
 * this hub serves is not decided here: that is validation, which comes after the 202 and ends in
 * a denial sent to the callback (§5.2).
 */
export function parseHubRequest(config: SiteConfig, form: URLSearchParams, allowLoopback: boolean): VerifyMessage {
  const mode = form.get('hub.mode');
  if (mode === 'publish') {
    throw invalid(`This hub distributes the feeds of ${config.url} by itself when they change: it takes no publish requests.`);
  }
  if (mode !== 'subscribe' && mode !== 'unsubscribe') throw invalid('hub.mode must be "subscribe" or "unsubscribe".');
  const callback = urlParameter(form, 'hub.callback');
  const problem = checkUpstreamUrl(callback, allowLoopback);
  if (problem) throw invalid(`hub.callback ${problem}.`);
  const topic = urlParameter(form, 'hub.topic');
  const secret = form.get('hub.secret') || null;
  if (secret !== null && new TextEncoder().encode(secret).byteLength > MAX_SECRET_BYTES) {
    throw invalid(`hub.secret must be less than ${MAX_SECRET_BYTES + 1} bytes.`);
  }
  return { kind: 'verify', mode, topic, callback, leaseSeconds: leaseParameter(form, mode), secret: mode === 'subscribe' ? secret : null };
}

/**
 * Why a new subscription would go over a limit (per topic, per callback host), or null. A renewal
 * of a live pair never does: it replaces itself. Checked when the request arrives (a 403) and again
 * before its verification (a denial), since requests may race.
 */
export async function subscriptionLimitProblem(env: Env, request: VerifyMessage, now: number): Promise<string | null> {
  if (request.mode !== 'subscribe') return null;
  const counts = await subscriptionCounts(env.DB, request.topic, request.callback, now);
  if (counts.exists) return null;
  if (counts.topic >= MAX_SUBSCRIPTIONS_PER_TOPIC) {
    return `${request.topic} has ${counts.topic} subscriptions, the most this hub keeps for one topic.`;
  }
  if (counts.host >= MAX_SUBSCRIPTIONS_PER_HOST) {
    return `Callbacks on ${new URL(request.callback).host} hold ${counts.host} subscriptions, the most this hub keeps for one host.`;
  }
  return null;
}

/** Parses, checks and queues a subscription request; throws HubRequestError when it is refused. */
export async function acceptHubRequest(env: Env, form: URLSearchParams, now: number): Promise<VerifyMessage> {
  const request = parseHubRequest(siteConfig(env), form, upstreamSettings(env).allowLoopback);
  const limit = await subscriptionLimitProblem(env, request, now);
  if (limit) throw new HubRequestError(403, limit);
  try {
    await env.PUSH_QUEUE.send(request);
  } catch (error) {
    console.error('hub: could not queue a verification', error);
    throw new HubRequestError(503, 'The hub cannot take requests right now; try again in a minute.');
  }
  return request;
}
