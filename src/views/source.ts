import type { ViewDefinition } from './view';

/** One upstream source's items, cleaned and republished. */
export const sourceView: ViewDefinition<{ kind: 'source'; id: number }> = {
  kind: 'source',
  key: (view) => `source:${view.id}`,
  fromKey: (key) => {
    const match = /^source:([1-9]\d*)$/.exec(key);
    return match ? { kind: 'source', id: Number(match[1]) } : null;
  },
  path: (view) => `/sources/${view.id}/`,
  fromPath: (path) => {
    const match = /^\/sources\/([1-9]\d{0,15})\/$/.exec(path);
    return match ? { kind: 'source', id: Number(match[1]) } : null;
  },
  query: () => '',
  selection: () => ({
    ids: `SELECT id, NULL FROM entries WHERE source_id = ?3 AND visible_at <= ?1
          ORDER BY visible_at DESC, id DESC LIMIT ?2`,
    newest: 'SELECT max(visible_at) FROM entries WHERE source_id = ?3 AND visible_at <= ?1',
    upcoming: 'SELECT min(visible_at) FROM entries WHERE source_id = ?3 AND visible_at > ?1',
    exists: 'SELECT 1 FROM sources WHERE id = ?3',
    name: 'SELECT coalesce(title_override, title, url) AS name FROM sources WHERE id = ?1',
    dedupe: false,
    history: {
      count: 'SELECT count(*) FROM entries WHERE source_id = ?3 AND visible_at <= ?1',
      page: `SELECT id, NULL, visible_at FROM entries WHERE source_id = ?3 AND visible_at <= ?1
             ORDER BY visible_at, id LIMIT ?2 OFFSET ?4`,
    },
  }),
  param: (view) => view.id,
  missing: (view) => `No source has the id ${view.id}.`,
  describe: (config, view, name) => ({
    title: name ?? `Source ${view.id}`,
    description: `${name ?? `Source ${view.id}`}, cleaned and republished by ${config.title}`,
  }),
  ownPosts: false,
  touchedBy: (change) => (change.kind === 'source' ? [{ kind: 'source', id: change.id }] : []),
};
