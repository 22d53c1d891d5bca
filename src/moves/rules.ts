import type { SiteConfig } from '../config';
import type { Move } from '../db/moves';
import { badRequest } from '../http/problem';
import { viewKey } from '../views/registry';
import { feedAt } from '../views/urls';

/** Paths no move may take: the admin API and the stats pages stay where they are. */
const ADMIN_PATHS = /^\/(?:api|stats)(?:\/|$)/;

export const isAdminPath = (path: string): boolean => ADMIN_PATHS.test(path);

/** How long after its upstream answered 410 a source's own feeds keep serving its items, before they answer 410 too. */
export const SOURCE_GONE_GRACE_DAYS = 30;
export const SOURCE_GONE_GRACE_MS = SOURCE_GONE_GRACE_DAYS * 86_400_000;

/** A path of this site as the moves table keys it: URL parsing's percent-encoding. */
const pathOf = (config: SiteConfig, value: string): URL => new URL(value, `${config.url}/`);
const ours = (config: SiteConfig, url: URL): boolean => url.origin === new URL(config.url).origin;

/**
 * Checks a move and resolves it for storage: `from` a path of this site (or a URL on it) outside
 * the admin API, without query or fragment; `to` absolute (a path is one of ours), required
 * unless the path is gone; and no loop through the moves stored. Throws a 400 naming the field.
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
  const from = pathOf(config, body.from);
  if (!ours(config, from)) throw badRequest([{ field: 'from', message: `must be a path of this site (${config.url})` }]);
  if (from.search || from.hash || body.from.includes('?') || body.from.includes('#')) {
    throw badRequest([{ field: 'from', message: 'must be a path without a query or fragment' }]);
  }
  if (isAdminPath(from.pathname)) throw badRequest([{ field: 'from', message: 'the admin API and /stats cannot be moved' }]);

  if (body.to === undefined) {
    if (!gone) throw badRequest([{ field: 'to', message: 'is required unless "gone" is true' }]);
    return { from: from.pathname, to: null, gone, toView: null, toFormat: null };
  }
  if (!body.to.startsWith('/') && !URL.canParse(body.to)) {
    throw badRequest([{ field: 'to', message: 'must be an absolute http(s) URL or a path of this site' }]);
  }
  const to = pathOf(config, body.to);
  if (to.protocol !== 'http:' && to.protocol !== 'https:') throw badRequest([{ field: 'to', message: 'must be an http(s) URL' }]);
  if (ours(config, to) && !to.search) {
    // Following the moves from `to` must never come back to `from` (a move to itself included).
    const byPath = new Map(stored.map((m) => [m.from, m]));
    const seen = new Set<string>();
    for (let path: string | null = to.pathname; path !== null && !seen.has(path); ) {
      if (path === from.pathname) throw badRequest([{ field: 'to', message: `leads back to ${from.pathname}: a loop` }]);
      seen.add(path);
      const next = byPath.get(path);
      const hop = next && !next.gone && next.to ? new URL(next.to) : null;
      path = hop && ours(config, hop) && !hop.search ? hop.pathname : null;
    }
  }
  // A feed readers are sent to (not one a gone path only mentions) says it is the new address.
  const feed = gone ? null : feedAt(config, to.href);
  return { from: from.pathname, to: to.href, gone, toView: feed ? viewKey(feed.view) : null, toFormat: feed?.format ?? null };
}
