import type { ViewDefinition } from './view';

type Taxonomy = 'tag' | 'author';

/** A tag's or an author's own posts; they exist while they have a visible post. */
function taxonomyView(
  kind: Taxonomy,
  words: {
    folder: string;
    missing: string;
    title: (site: string, name: string) => string;
    description: (site: string, name: string) => string;
  },
): ViewDefinition<{ kind: Taxonomy; slug: string }> {
  const prefix = `${kind}:`;
  const folder = new RegExp(`^/${words.folder}/([^/]+)/$`);
  return {
    kind,
    key: (view) => prefix + view.slug,
    fromKey: (key) => (key.startsWith(prefix) && key.length > prefix.length ? { kind, slug: key.slice(prefix.length) } : null),
    route: { page: `/${words.folder}/:slug/`, slashless: true, by: 'slug', view: (slug) => ({ kind, slug }) },
    path: (view) => `/${words.folder}/${encodeURIComponent(view.slug)}/`,
    fromPath: (path) => {
      const match = folder.exec(path);
      if (!match) return null;
      try {
        return { kind, slug: decodeURIComponent(match[1]!) };
      } catch {
        return null;
      }
    },
    query: () => '',
    missing: (view) => words.missing.replace('%s', view.slug),
    describe: (config, view, name) => ({
      title: words.title(config.title, name ?? view.slug),
      description: words.description(config.title, name ?? view.slug),
    }),
    ownPosts: true,
    listsSources: null,
    touchedBy: (change) => (change.kind === 'post' ? (kind === 'tag' ? change.tags : change.authors).map((slug) => ({ kind, slug })) : []),
  };
}

export const tagView = taxonomyView('tag', {
  folder: 'tags',
  missing: 'No published post is tagged "%s".',
  title: (site, name) => `${site}: ${name}`,
  description: (site, name) => `Posts tagged “${name}” on ${site}`,
});

export const authorView = taxonomyView('author', {
  folder: 'authors',
  missing: 'No published post has an author "%s".',
  title: (site, name) => `${site}: ${name}`,
  description: (site, name) => `Posts by ${name} on ${site}`,
});
