import type { SiteConfig } from './config';
import type { View } from './db/views';
import type { FeedFormat } from './render/document';

/** File name of each feed format under a view's path. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

/** Path of a view's HTML page; its feeds live beside it (`<path>feed.xml` …). Ends with `/`. */
export function viewPath(view: View): string {
  switch (view.kind) {
    case 'site':
      return '/';
    case 'tag':
      return `/tags/${encodeURIComponent(view.slug)}/`;
    case 'author':
      return `/authors/${encodeURIComponent(view.slug)}/`;
    case 'source':
      return `/sources/${view.id}/`;
    case 'planet':
      return '/planet/';
  }
}

/** The query that completes a view's URLs: a tagged planet is `/planet/…?tag=<slug>`. */
function viewQuery(view: View): string {
  return view.kind === 'planet' && view.tag !== null ? `?tag=${encodeURIComponent(view.tag)}` : '';
}

/** Absolute URL of a view's HTML page. */
export function pageUrl(config: SiteConfig, view: View): string {
  return config.url + viewPath(view) + viewQuery(view);
}

export function feedUrls(config: SiteConfig, view: View): Record<FeedFormat, string> {
  const base = config.url + viewPath(view);
  const query = viewQuery(view);
  return { rss: base + FEED_FILES.rss + query, atom: base + FEED_FILES.atom + query, json: base + FEED_FILES.json + query };
}

export function postUrl(config: SiteConfig, slug: string): string {
  return `${config.url}/posts/${encodeURIComponent(slug)}`;
}
