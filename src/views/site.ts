import type { ViewDefinition } from './view';

/**
 * The site's own published posts: those written through the API, and the posts of the sources
 * that feed the site (`site`: the publisher's own web pages read by a page source). Each branch
 * reads its newest entries from its own index range, at most `limit` each; only those are merged
 * (a site has few sources that feed it, and each keeps at most ITEMS_PER_SOURCE entries).
 */
export const siteView: ViewDefinition<{ kind: 'site' }> = {
  kind: 'site',
  key: () => 'site',
  fromKey: (key) => (key === 'site' ? { kind: 'site' } : null),
  path: () => '/',
  fromPath: (path) => (path === '/' ? { kind: 'site' } : null),
  query: () => '',
  selection: () => ({
    ids: `SELECT id, NULL FROM (
            SELECT * FROM (SELECT id, visible_at FROM entries WHERE source_id IS NULL AND visible_at <= ?1
                           ORDER BY visible_at DESC, id DESC LIMIT ?2)
            UNION ALL
            SELECT * FROM (SELECT id, visible_at FROM entries
                           WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND visible_at <= ?1
                           ORDER BY visible_at DESC, id DESC LIMIT ?2))
          ORDER BY visible_at DESC, id DESC LIMIT ?2`,
    newest: `SELECT max(v) FROM (
               SELECT max(visible_at) AS v FROM entries WHERE source_id IS NULL AND visible_at <= ?1
               UNION ALL
               SELECT max(visible_at) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND visible_at <= ?1)`,
    upcoming: `SELECT min(v) FROM (
               SELECT min(visible_at) AS v FROM entries WHERE source_id IS NULL AND visible_at > ?1
               UNION ALL
               SELECT min(visible_at) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND visible_at > ?1)`,
    exists: null,
    name: null,
    dedupe: false,
    history: {
      count: `SELECT (SELECT count(*) FROM entries WHERE source_id IS NULL AND visible_at <= ?1)
                   + (SELECT count(*) FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND visible_at <= ?1)`,
      // A compound ORDER BY: SQLite merges the two ordered ranges instead of sorting their union.
      page: `SELECT id, NULL, visible_at FROM entries WHERE source_id IS NULL AND visible_at <= ?1
             UNION ALL
             SELECT id, NULL, visible_at FROM entries WHERE source_id IN (SELECT id FROM sources WHERE site = 1) AND visible_at <= ?1
             ORDER BY 3, 1 LIMIT ?2 OFFSET ?4`,
    },
  }),
  param: () => null,
  missing: () => 'Not found.',
  describe: (config) => ({ title: config.title, description: config.description }),
  ownPosts: true,
  touchedBy: (change) => (change.kind === 'post' || change.site ? [{ kind: 'site' }] : []),
};
