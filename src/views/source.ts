import type { ViewDefinition } from './view';

/** One upstream source's items, cleaned and republished. */
export const sourceView: ViewDefinition<{ kind: 'source'; id: number }> = {
  kind: 'source',
  key: (view) => `source:${view.id}`,
  fromKey: (key) => {
    const match = /^source:([1-9]\d*)$/.exec(key);
    return match ? { kind: 'source', id: Number(match[1]) } : null;
  },
  route: { page: '/sources/:id/', slashless: false, by: 'id', view: (id) => ({ kind: 'source', id }) },
  path: (view) => `/sources/${view.id}/`,
  fromPath: (path) => {
    const match = /^\/sources\/([1-9]\d{0,15})\/$/.exec(path);
    return match ? { kind: 'source', id: Number(match[1]) } : null;
  },
  query: () => '',
  missing: (view) => `No source has the id ${view.id}.`,
  describe: (config, view, name) => ({
    title: name ?? `Source ${view.id}`,
    description: `${name ?? `Source ${view.id}`}, cleaned and republished by ${config.title}`,
  }),
  ownPosts: false,
  listsSources: null,
  touchedBy: (change) => (change.kind === 'source' ? [{ kind: 'source', id: change.id }] : []),
};
