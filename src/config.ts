/** Site settings, read from the worker's vars (wrangler.toml `[vars]`, or `wrangler secret`). */
export type SiteConfig = {
  /** Absolute base URL without a trailing slash, e.g. https://example.com */
  url: string;
  title: string;
  description: string;
  language: string;
  /** Seconds a reader may reuse a feed without revalidating; 0 means always revalidate. */
  feedMaxAge: number;
  /**
   * The WebSub hub every feed advertises: WEBSUB_HUB (pinged after each write), or when that is
   * empty the site's own (OWN_HUB_PATH, src/push/). null only in documents that advertise none.
   */
  hub: string | null;
  /** The author of a post sent without authors; null: every post must name its authors. */
  author: string | null;
  /** Square feed image (Atom icon, JSON Feed icon and favicon), absolute; null: none. */
  icon: string | null;
  /** Wide feed image (Atom logo, RSS image), absolute; null: none. */
  logo: string | null;
  /** What feeds with audio say about the show (the iTunes tags Apple Podcasts requires). */
  podcast: PodcastSettings;
};

export type PodcastSettings = {
  /** itunes:image: square, 1400 to 3000 px; null: none (then SITE_ICON's). */
  image: string | null;
  /** itunes:category: Apple's category, and its subcategory when given. */
  category: { name: string; sub: string | null };
  explicit: boolean;
  /** itunes:owner. */
  ownerName: string | null;
  ownerEmail: string | null;
};

/** An optional absolute http(s) URL setting: empty is null, anything else must be one. */
function urlSetting(name: string, value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got ${trimmed}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an absolute http(s) URL, got ${trimmed}`);
  return url.href;
}

/** Where the site's own WebSub hub answers (src/routes/hub.ts): the hub feeds advertise when WEBSUB_HUB is empty. */
export const OWN_HUB_PATH = '/hub';

/** True when the feeds' hub is the site's own (src/push/), not an external one to ping. */
export const isOwnHub = (config: Pick<SiteConfig, 'url' | 'hub'>): boolean => config.hub === config.url + OWN_HUB_PATH;

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
  const url = base.href.replace(/\/+$/, '');
  const config: SiteConfig = {
    url,
    title: env.SITE_TITLE || 'Syndicate',
    description: env.SITE_DESCRIPTION || '',
    language: env.SITE_LANGUAGE || 'en',
    feedMaxAge: Number.isFinite(maxAge) && maxAge > 0 ? maxAge : 0,
    hub: hub ?? url + OWN_HUB_PATH,
    author: env.SITE_AUTHOR?.trim() || null,
    icon: urlSetting('SITE_ICON', env.SITE_ICON),
    logo: urlSetting('SITE_LOGO', env.SITE_LOGO),
    podcast: podcastSettings(env),
  };
  cache.set(env, config);
  return config;
}

function podcastSettings(env: Env): PodcastSettings {
  const [name, sub] = (env.PODCAST_CATEGORY?.trim() || 'Technology').split('>').map((part) => part.trim());
  const explicit = env.PODCAST_EXPLICIT?.trim().toLowerCase() || 'false';
  if (explicit !== 'true' && explicit !== 'false') throw new Error(`PODCAST_EXPLICIT must be "true" or "false", got ${explicit}`);
  return {
    image: urlSetting('PODCAST_IMAGE', env.PODCAST_IMAGE) ?? urlSetting('SITE_ICON', env.SITE_ICON),
    category: { name: name || 'Technology', sub: sub || null },
    explicit: explicit === 'true',
    ownerName: env.PODCAST_OWNER_NAME?.trim() || env.SITE_AUTHOR?.trim() || null,
    ownerEmail: env.PODCAST_OWNER_EMAIL?.trim() || null,
  };
}

/** How the worker fetches from other hosts: upstream feeds and pages, robots.txt, WebSub hubs. */
export type UpstreamSettings = {
  /** The User-Agent of every upstream fetch: names the product token robots.txt groups match (Syndicate). */
  userAgent: string;
  /**
   * ALLOW_LOOPBACK_UPSTREAMS="true": loopback addresses (127.0.0.1, ::1, localhost) may be
   * fetched, for tests and local development; every other private address stays refused.
   */
  allowLoopback: boolean;
};

const upstreams = new WeakMap<object, UpstreamSettings>();

/** The upstream settings, read once per `env` object. */
export function upstreamSettings(env: Env): UpstreamSettings {
  let settings = upstreams.get(env);
  if (settings === undefined) {
    settings = {
      userAgent: `Syndicate/0.1 (feed aggregator; +${siteConfig(env).url}/)`,
      allowLoopback: env.ALLOW_LOOPBACK_UPSTREAMS === 'true',
    };
    upstreams.set(env, settings);
  }
  return settings;
}

/**
 * How a large feed document is read (src/ingest/large-feed.ts): a body longer than
 * `streamAfterBytes` is read window by window, each window holding about `windowChars` characters
 * of items. FEED_STREAM_AFTER_BYTES and FEED_WINDOW_CHARS, unset in production, let tests and the
 * bench read small documents window by window (or large ones whole).
 */
export type LargeFeedSettings = { streamAfterBytes: number; windowChars: number };

/** Bytes of a feed read whole: any larger document is read window by window. */
export const DEFAULT_STREAM_AFTER_BYTES = 1024 * 1024;
/** Characters of items per window. */
export const DEFAULT_WINDOW_CHARS = 64 * 1024;

export function largeFeedSettings(env: Env): LargeFeedSettings {
  const knobs = env as { FEED_STREAM_AFTER_BYTES?: string; FEED_WINDOW_CHARS?: string };
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value?.trim() || Number.NaN);
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
  };
  return {
    streamAfterBytes: positive(knobs.FEED_STREAM_AFTER_BYTES, DEFAULT_STREAM_AFTER_BYTES),
    windowChars: positive(knobs.FEED_WINDOW_CHARS, DEFAULT_WINDOW_CHARS),
  };
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
