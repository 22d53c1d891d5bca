import type { ViewDefinition, ViewSelection } from './view';

type PlanetView = { kind: 'planet'; tag: string | null };

const ALL: ViewSelection = {
  ids: `SELECT id, canonical_url FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1
        ORDER BY visible_at DESC, id DESC LIMIT ?2`,
  newest: 'SELECT max(visible_at) FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1',
  upcoming: 'SELECT min(visible_at) FROM entries WHERE source_id IS NOT NULL AND visible_at > ?1',
  exists: null,
  name: null,
  dedupe: true,
  history: {
    count: 'SELECT count(*) FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1',
    page: `SELECT id, canonical_url, visible_at FROM entries WHERE source_id IS NOT NULL AND visible_at <= ?1
           ORDER BY visible_at, id LIMIT ?2 OFFSET ?4`,
  },
};

// The one selection that is not a single index range: it merges the ranges of the tag's sources.
const TAGGED: ViewSelection = {
  ids: `SELECT e.id, e.canonical_url FROM source_tags t JOIN entries e ON e.source_id = t.source_id
        WHERE t.slug = ?3 AND e.visible_at <= ?1 ORDER BY e.visible_at DESC, e.id DESC LIMIT ?2`,
  newest: `SELECT max(e.visible_at) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
           WHERE t.slug = ?3 AND e.visible_at <= ?1`,
  upcoming: `SELECT min(e.visible_at) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
             WHERE t.slug = ?3 AND e.visible_at > ?1`,
  exists: 'SELECT 1 FROM source_tags WHERE slug = ?3 LIMIT 1',
  name: 'SELECT name FROM source_tags WHERE slug = ?1 LIMIT 1',
  dedupe: true,
  history: {
    count: `SELECT count(*) FROM source_tags t JOIN entries e ON e.source_id = t.source_id
            WHERE t.slug = ?3 AND e.visible_at <= ?1`,
    page: `SELECT e.id, e.canonical_url, e.visible_at FROM source_tags t JOIN entries e ON e.source_id = t.source_id
           WHERE t.slug = ?3 AND e.visible_at <= ?1 ORDER BY e.visible_at, e.id LIMIT ?2 OFFSET ?4`,
  },
};

/** Every upstream source merged (a "planet"), or only the sources the publisher tagged `tag`. */
export const planetView: ViewDefinition<PlanetView> = {
  kind: 'planet',
  key: (view) => (view.tag === null ? 'planet' : `planet-tag:${view.tag}`),
  fromKey: (key) => {
    if (key === 'planet') return { kind: 'planet', tag: null };
    return key.startsWith('planet-tag:') && key.length > 11 ? { kind: 'planet', tag: key.slice(11) } : null;
  },
  path: () => '/planet/',
  fromPath: (path, query) => (path === '/planet/' ? { kind: 'planet', tag: query.get('tag') || null } : null),
  query: (view) => (view.tag === null ? '' : `?tag=${encodeURIComponent(view.tag)}`),
  selection: (view) => (view.tag === null ? ALL : TAGGED),
  param: (view) => view.tag,
  missing: (view) => `No source is tagged "${view.tag}".`,
  describe: (config, view, name) =>
    view.tag === null
      ? { title: `${config.title}: Planet`, description: `Every feed ${config.title} follows, merged` }
      : {
          title: `${config.title}: Planet ${name ?? view.tag}`,
          description: `The feeds ${config.title} follows under “${name ?? view.tag}”, merged`,
        },
  ownPosts: false,
  touchedBy: (change) =>
    change.kind === 'source' ? [{ kind: 'planet', tag: null }, ...change.tags.map((tag) => ({ kind: 'planet' as const, tag }))] : [],
};
