/** Site settings, read from the worker's vars (wrangler.toml `[vars]`, or `wrangler secret`). */
export type SiteConfig = {
  /** Absolute base URL without a trailing slash, e.g. https://example.com */
  url: string;
  title: string;
  description: string;
  language: string;
  /** Seconds a reader may reuse a feed without revalidating; 0 means always revalidate. */
  feedMaxAge: number;
  /** WebSub hub that readers may subscribe at and that is pinged after each write; null: none. */
  hub: string | null;
  /** The author of a post sent without authors; null: every post must name its authors. */
  author: string | null;
};

const cache = new WeakMap<object, SiteConfig>();

/** Reads and checks the site settings once per `env` object. Throws on a bad SITE_URL. */
export function siteConfig(env: Env): SiteConfig {
  const known = cache.get(env);
  if (known) return known;
  const base = new URL(env.SITE_URL);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`SITE_URL must be an http(s) URL, got ${env.SITE_URL}`);
  }
  const hub = env.WEBSUB_HUB?.trim() || null;
  if (hub !== null && !/^https?:$/.test(new URL(hub).protocol)) {
    throw new Error(`WEBSUB_HUB must be an http(s) URL, got ${hub}`);
  }
  const maxAge = Number.parseInt(env.FEED_MAX_AGE ?? '0', 10);
  const config: SiteConfig = {
    url: base.href.replace(/\/+$/, ''),
    title: env.SITE_TITLE || 'Syndicate',
    description: env.SITE_DESCRIPTION || '',
    language: env.SITE_LANGUAGE || 'en',
    feedMaxAge: Number.isFinite(maxAge) && maxAge > 0 ? maxAge : 0,
    hub,
    author: env.SITE_AUTHOR?.trim() || null,
  };
  cache.set(env, config);
  return config;
}

/** FEED_FRESHNESS when unset: a few seconds. */
export const DEFAULT_FRESHNESS_SECONDS = 5;
/** The hub ping waits out the window in the write's `waitUntil`, which may run 30 s after the response. */
export const MAX_FRESHNESS_SECONDS = 20;

const windows = new WeakMap<object, number>();

/**
 * FEED_FRESHNESS in milliseconds: how long an isolate may answer from a view's version stamp it
 * read earlier (src/serve/stamp-memo.ts), which bounds how long a write takes to reach every
 * reader. 0 (also for anything that is not a number): read the stamp on every request.
 */
export function freshnessMs(env: Env): number {
  let ms = windows.get(env);
  if (ms === undefined) {
    const seconds = Number(env.FEED_FRESHNESS?.trim() || DEFAULT_FRESHNESS_SECONDS);
    ms = Number.isFinite(seconds) ? Math.round(Math.min(Math.max(seconds, 0), MAX_FRESHNESS_SECONDS) * 1000) : 0;
    windows.set(env, ms);
  }
  return ms;
}
