import type { SiteConfig } from '../config';

/** Fetches from this Worker's own app (`app.request`): the serve path every reader gets. */
export type SelfFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** A topic's current document as the app serves it, or why the topic is not one this hub serves. */
export type TopicDocument = { served: true; contentType: string; body: ArrayBuffer } | { served: false; reason: string };

/** The User-Agent of every request the hub makes (to the app itself, and to callbacks). */
export const hubUserAgent = (config: SiteConfig): string => `Syndicate-WebSub-Hub (+${config.url}/)`;

/**
 * A URL in the one form topics and callbacks are compared in: WHATWG-parsed, without a fragment,
 * with percent-encoded unreserved characters decoded (WebSub §5.1.1 requires it) and every other
 * escape in upper case (RFC 3986 §6.2.2), as our self links write them. Null: not a URL.
 */
export function normalizeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  url.hash = '';
  return url.href.replace(/%([0-9a-fA-F]{2})/g, (_escape, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** The rel="hub" and rel="self" URLs of a Link header. */
function linkTargets(header: string | null): { hub: string | null; self: string | null } {
  const targets: { hub: string | null; self: string | null } = { hub: null, self: null };
  for (const [, url, rel] of (header ?? '').matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
    if (rel === 'hub' || rel === 'self') targets[rel] ??= url!;
  }
  return targets;
}

/**
 * Reads a topic through the app, as any reader would: a topic is served when it answers 200 and
 * advertises this hub with itself as rel="self" (a feed's subscription documents, full and
 * summaries only, in each format: HUB_VARIANTS; not `?limit=N` documents or archive pages, which
 * advertise no hub). The body is the document to distribute. Throws when the app fails (a 5xx):
 * that is no answer about the topic, and the caller tries again later.
 */
export async function readTopic(config: SiteConfig, selfFetch: SelfFetch, topic: string): Promise<TopicDocument> {
  if (!topic.startsWith(`${config.url}/`)) return { served: false, reason: `${topic} is not a feed of ${config.url}` };
  const response = await selfFetch(topic, { headers: { 'user-agent': hubUserAgent(config), accept: '*/*' } });
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new Error(`${topic} answered ${response.status}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { served: false, reason: `${topic} answers ${response.status}: it is not a feed this site serves` };
  }
  const { hub, self } = linkTargets(response.headers.get('link'));
  if (hub !== config.hub || self === null) {
    await response.body?.cancel();
    return { served: false, reason: `${topic} does not advertise this hub: only a feed's own URL (without ?limit) is a topic` };
  }
  if (self !== topic) {
    await response.body?.cancel();
    return { served: false, reason: `hub.topic must be the feed's rel="self" URL: ${self}` };
  }
  return {
    served: true,
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    body: await response.arrayBuffer(),
  };
}
