// robots.txt (RFC 9309) for page fetches: list pages and articles of page sources, and the
// article pages of full-text feed sources. Parsing and matching are robots-parser's; this module
// decides what a fetch outcome means, and caches each origin's answer per isolate.
//
// - 2xx: the rules of the group for our product token (`Syndicate`), else of `*`.
// - 4xx (and 410): "unavailable": everything is allowed (RFC 9309 §2.3.1.3). So are more than five
//   redirects, a redirect loop, and a redirect we refuse to follow (to a private address).
// - 5xx, 429, a timeout or a network failure: "unreachable": everything is disallowed for now
//   (§2.3.1.4), asked again after ROBOTS_RETRY_MS. 429 is a 4xx, but a server that is rate
//   limiting us is not inviting more requests (Google reads it the same way).
// - Redirects are followed by fetchUpstream (each hop address-checked, at most 5), with the same
//   byte cap and timeout as any fetch; only the first ROBOTS_MAX_BYTES are read.

import robotsParser from 'robots-parser';
import { LruCache } from '../../lib/lru';
import { Flights } from '../../lib/single-flight';
import { MAX_CRAWL_DELAY_MS, ROBOTS_CACHE_BYTES, ROBOTS_MAX_BYTES, ROBOTS_RETRY_MS, ROBOTS_TTL_MS } from '../limits';
import { fetchUpstream } from './fetch-upstream';
import { withHost } from './host-limiter';

/** Our product token: the group of a robots.txt meant for us (the User-Agent names it too). */
export const ROBOTS_PRODUCT_TOKEN = 'Syndicate';

type Robot = ReturnType<typeof robotsParser>;
type Policy = {
  /** null: everything allowed or everything disallowed, as `allowAll` says. */
  robot: Robot | null;
  allowAll: boolean;
  /** Why everything is disallowed (robots.txt unreachable), for the error message. */
  why: string;
  crawlDelayMs: number;
  expires: number;
  size: number;
};

export type RobotsVerdict =
  | { allowed: true; crawlDelayMs: number }
  | { allowed: false; errorKind: 'robots_disallowed' | 'robots_unreachable'; message: string };

const cache = new LruCache<Policy>(ROBOTS_CACHE_BYTES, (key, p) => key.length + p.size);
const ROBOTS_TIMEOUT_MS = 10_000;
/** One read of an origin's robots.txt at a time; the others wait for its answer in the cache. */
const reads = new Flights({ pollMs: 20, waitMs: ROBOTS_TIMEOUT_MS + 1_000 });

export type RobotsFetchOptions = { userAgent: string; allowLoopback: boolean; fetcher?: typeof fetch };

/** What an origin's robots.txt says about `url` for Syndicate, reading it (once per TTL) if needed. */
export async function robotsVerdict(url: string, options: RobotsFetchOptions, now = Date.now()): Promise<RobotsVerdict> {
  const target = new URL(url);
  // The robots.txt itself is always allowed (RFC 9309 §2.2.2).
  if (target.pathname === '/robots.txt') return { allowed: true, crawlDelayMs: 0 };
  const origin = target.origin;
  const fresh = () => {
    const held = cache.get(origin);
    return held && held.expires > now ? held : undefined;
  };
  const policy = await reads.run(origin, fresh, async () => {
    const read = await readPolicy(origin, options, now);
    cache.set(origin, read, 0.25);
    return read;
  });
  if (!policy.robot) {
    return policy.allowAll
      ? { allowed: true, crawlDelayMs: 0 }
      : {
          allowed: false,
          errorKind: 'robots_unreachable',
          message: `${origin}/robots.txt ${policy.why}: RFC 9309 asks crawlers to fetch nothing from the host until it can be read.`,
        };
  }
  if (policy.robot.isAllowed(url, ROBOTS_PRODUCT_TOKEN) === false) {
    const line = policy.robot.getMatchingLineNumber(url, ROBOTS_PRODUCT_TOKEN);
    return {
      allowed: false,
      errorKind: 'robots_disallowed',
      message: `${origin}/robots.txt disallows ${target.pathname}${target.search} for ${ROBOTS_PRODUCT_TOKEN} (line ${line}).`,
    };
  }
  return { allowed: true, crawlDelayMs: policy.crawlDelayMs };
}

async function readPolicy(origin: string, options: RobotsFetchOptions, now: number): Promise<Policy> {
  const robotsUrl = `${origin}/robots.txt`;
  // One of the host's two slots, like any request to it (no deadline: it always runs).
  const fetched = (await withHost(new URL(origin).host, 0, null, () =>
    fetchUpstream(robotsUrl, {
      etag: null,
      lastModified: null,
      userAgent: options.userAgent,
      allowLoopback: options.allowLoopback,
      fetcher: options.fetcher,
      maxBytes: ROBOTS_MAX_BYTES,
      truncate: true,
      timeoutMs: ROBOTS_TIMEOUT_MS,
    }),
  ))!;
  const settled = (allowAll: boolean, why: string, ttl: number): Policy => ({
    robot: null,
    allowAll,
    why,
    crawlDelayMs: 0,
    expires: now + ttl,
    size: 100,
  });
  if (fetched.kind === 'gone') return settled(true, 'answered 410', ROBOTS_TTL_MS);
  if (fetched.kind === 'not_modified') return settled(true, 'answered 304', ROBOTS_TTL_MS);
  if (fetched.kind === 'error') {
    const status = fetched.status ?? null;
    const unreachable =
      fetched.errorKind === 'timeout' ||
      fetched.errorKind === 'network' ||
      fetched.errorKind === 'rate_limited' ||
      (status !== null && status >= 500);
    const why = status !== null ? `answered ${status}` : `could not be fetched (${fetched.errorKind}: ${fetched.message})`;
    return unreachable ? settled(false, why, ROBOTS_RETRY_MS) : settled(true, why, ROBOTS_TTL_MS);
  }
  const text = new TextDecoder('utf-8').decode(fetched.bytes);
  const robot = robotsParser(robotsUrl, text);
  const delay = Number(robot.getCrawlDelay(ROBOTS_PRODUCT_TOKEN));
  return {
    robot,
    allowAll: false,
    why: '',
    crawlDelayMs: Number.isFinite(delay) && delay > 0 ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) : 0,
    expires: now + ROBOTS_TTL_MS,
    size: text.length * 2 + 200,
  };
}
