import type { ViewDefinition } from './view';

/**
 * The site's own published posts: those written through the API, and the posts of the sources
 * that feed the site (`site`: the publisher's own web pages read by a page source).
 */
export const siteView: ViewDefinition<{ kind: 'site' }> = {
  kind: 'site',
  key: () => 'site',
  fromKey: (key) => (key === 'site' ? { kind: 'site' } : null),
  route: { page: '/', slashless: false, by: null, view: () => ({ kind: 'site' }) },
  path: () => '/',
  fromPath: (path) => (path === '/' ? { kind: 'site' } : null),
  query: () => '',
  missing: () => 'Not found.',
  describe: (config) => ({ title: config.title, description: config.description }),
  ownPosts: true,
  listsSources: null,
  touchedBy: (change) => (change.kind === 'post' || change.site ? [{ kind: 'site' }] : []),
};
