import type { SiteConfig } from '../config';
import { type Move, MoveExistsError } from '../db/moves';
import { badRequest } from '../http/problem';
import { viewKey } from '../views/registry';
import { feedAt } from '../views/urls';

/** Paths no move may take: the admin API, the console, the stats pages and uploaded media stay where they are. */
const ADMIN_PATHS = /^\/(?:api|stats|admin|media)(?:\/|$)/;

export const isAdminPath = (path: string): boolean => ADMIN_PATHS.test(path);

/** How long after its upstream answered 410 a source's own feeds keep serving its items, before they answer 410 too. */
export const SOURCE_GONE_GRACE_DAYS = 30;
export const SOURCE_GONE_GRACE_MS = SOURCE_GONE_GRACE_DAYS * 86_400_000;

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path a request for `pathname` (as URL parsing leaves it: dot segments resolved, other
 * characters percent-encoded) is matched by: escapes of unreserved characters decoded, the others'
 * hex digits upper-case (RFC 3986 §6.2.2), so that `/a/%71` and `/a/q` are one path, as they are
 * once Cloudflare's URL normalization has run. Moves are stored and looked up by it.
 */
export function matchedPath(pathname: string): string {
  return pathname.replace(/%[0-9A-Fa-f]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
}

/** A path of this site (or a URL on it), parsed against SITE_URL. */
const pathOf = (config: SiteConfig, value: string): URL => new URL(value, `${config.url}/`);
const ours = (config: SiteConfig, url: URL): boolean => url.origin === new URL(config.url).origin;

/**
 * A host as a request reaches this site by it, whatever the spelling: lower-case and without a
 * default port (URL parsing), without trailing dots or a leading `www.`, over http or https alike.
 */
function siteHost(url: URL): string {
  const host = url.hostname.replace(/\.+$/, '').replace(/^www\./, '');
  return url.port ? `${host}:${url.port}` : host;
}

/**
 * The path a redirect to `url` is served by here, or null when it leaves the site: readers that
 * follow it send only the path (no query, no fragment) for the moves to match.
 */
function landing(config: SiteConfig, url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return siteHost(url) === siteHost(new URL(config.url)) ? matchedPath(url.pathname) : null;
}

/**
 * Checks a move and resolves it for storage: `from` a path of this site (or a URL on it) outside
 * the admin API, without query or fragment; `to` absolute (a path is one of ours), required
 * unless the path is gone; and no loop through the moves stored, matched as serving matches them
 * (matchedPath, landing). Throws a 400 naming the field; a `from` moved already is a 409.
 */
export function resolveMove(
  config: SiteConfig,
  body: { from: string; to?: string; gone?: boolean },
  stored: Move[],
): Omit<Move, 'id' | 'createdAt'> {
  const gone = body.gone ?? false;
  if (!body.from.startsWith('/') && !URL.canParse(body.from)) {
    throw badRequest([{ field: 'from', message: 'must be a path of this site, such as /old/feed.xml' }]);
  }
  const parsed = pathOf(config, body.from);
  if (!ours(config, parsed)) throw badRequest([{ field: 'from', message: `must be a path of this site (${config.url})` }]);
  if (parsed.search || parsed.hash || body.from.includes('?') || body.from.includes('#')) {
    throw badRequest([{ field: 'from', message: 'must be a path without a query or fragment' }]);
  }
  const from = matchedPath(parsed.pathname);
  if (isAdminPath(from)) throw badRequest([{ field: 'from', message: 'the admin API, the console, /stats and /media cannot be moved' }]);
  const byPath = new Map(stored.map((m) => [matchedPath(m.from), m]));
  if (byPath.has(from)) throw new MoveExistsError(from);

  if (body.to === undefined) {
    if (!gone) throw badRequest([{ field: 'to', message: 'is required unless "gone" is true' }]);
    return { from, to: null, gone, toView: null, toFormat: null };
  }
  if (!body.to.startsWith('/') && !URL.canParse(body.to)) {
    throw badRequest([{ field: 'to', message: 'must be an absolute http(s) URL or a path of this site' }]);
  }
  const to = pathOf(config, body.to);
  if (to.protocol !== 'http:' && to.protocol !== 'https:') throw badRequest([{ field: 'to', message: 'must be an http(s) URL' }]);
  // Following the moves from `to`, as readers would, must never come back to `from` (a move to
  // itself included), nor go round a loop of older moves for ever.
  const seen = new Set<string>();
  for (let path = landing(config, to); path !== null; ) {
    if (path === from) throw badRequest([{ field: 'to', message: `leads back to ${from}: a loop` }]);
    if (seen.has(path)) throw badRequest([{ field: 'to', message: `leads into a loop through ${path}` }]);
    seen.add(path);
    const next = byPath.get(path);
    path = next && !next.gone && next.to ? landing(config, new URL(next.to)) : null;
  }
  // A feed readers are sent to (not one a gone path only mentions) says it is the new address.
  const feed = gone ? null : feedAt(config, to.href);
  return { from, to: to.href, gone, toView: feed ? viewKey(feed.view) : null, toFormat: feed?.format ?? null };
}

/**
 * A move's Location for a request with query `search` (`?…` or empty): the target with the
 * request's parameters appended after its own, in their order and spelling, except those the
 * target sets itself (they name the feed moved to: `?tag=` of a planet), which keep its value.
 * The target's fragment stays last.
 */
export function carryQuery(to: string, search: string): string {
  if (search.length <= 1) return to;
  const url = new URL(to);
  const own = url.searchParams;
  const carried = search
    .slice(1)
    .split('&')
    .filter((pair) => {
      if (pair === '') return false;
      const name = pair.split('=', 1)[0]!;
      try {
        return !own.has(decodeURIComponent(name.replace(/\+/g, ' ')));
      } catch {
        return !own.has(name);
      }
    });
  if (carried.length === 0) return to;
  const hash = to.indexOf('#');
  const [base, fragment] = hash === -1 ? [to, ''] : [to.slice(0, hash), to.slice(hash)];
  const joiner = url.search.length > 1 ? '&' : base.endsWith('?') ? '' : '?';
  return `${base}${joiner}${carried.join('&')}${fragment}`;
}
