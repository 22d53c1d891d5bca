import type { ViewDefinition } from './view';

type PlanetView = { kind: 'planet'; tag: string | null };

/** Every upstream source merged (a "planet"), or only the sources the publisher tagged `tag`. */
export const planetView: ViewDefinition<PlanetView> = {
  kind: 'planet',
  key: (view) => (view.tag === null ? 'planet' : `planet-tag:${view.tag}`),
  fromKey: (key) => {
    if (key === 'planet') return { kind: 'planet', tag: null };
    return key.startsWith('planet-tag:') && key.length > 11 ? { kind: 'planet', tag: key.slice(11) } : null;
  },
  route: { page: '/planet/', slashless: true, by: 'tag', view: (tag) => ({ kind: 'planet', tag }) },
  path: () => '/planet/',
  fromPath: (path, query) => (path === '/planet/' ? { kind: 'planet', tag: query.get('tag') || null } : null),
  query: (view) => (view.tag === null ? '' : `?tag=${encodeURIComponent(view.tag)}`),
  missing: (view) => `No source is tagged "${view.tag}".`,
  describe: (config, view, name) =>
    view.tag === null
      ? { title: `${config.title}: Planet`, description: `Every feed ${config.title} follows, merged` }
      : {
          title: `${config.title}: Planet ${name ?? view.tag}`,
          description: `The feeds ${config.title} follows under “${name ?? view.tag}”, merged`,
        },
  ownPosts: false,
  listsSources: (view, sourceTags) => view.tag === null || sourceTags.includes(view.tag),
  touchedBy: (change) =>
    change.kind === 'source' ? [{ kind: 'planet', tag: null }, ...change.tags.map((tag) => ({ kind: 'planet' as const, tag }))] : [],
};
