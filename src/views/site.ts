import type { ViewDefinition } from './view';

/** The site's own published posts. */
export const siteView: ViewDefinition<{ kind: 'site' }> = {
  kind: 'site',
  key: () => 'site',
  fromKey: (key) => (key === 'site' ? { kind: 'site' } : null),
  path: () => '/',
  query: () => '',
  selection: () => ({
    ids: `SELECT id, NULL FROM entries WHERE source_id IS NULL AND visible_at <= ?1
          ORDER BY visible_at DESC, id DESC LIMIT ?2`,
    newest: 'SELECT max(visible_at) FROM entries WHERE source_id IS NULL AND visible_at <= ?1',
    upcoming: 'SELECT min(visible_at) FROM entries WHERE source_id IS NULL AND visible_at > ?1',
    exists: null,
    name: null,
    dedupe: false,
  }),
  param: () => null,
  missing: () => 'Not found.',
  describe: (config) => ({ title: config.title, description: config.description }),
  ownPosts: true,
  touchedBy: (change) => (change.kind === 'post' ? [{ kind: 'site' }] : []),
};
