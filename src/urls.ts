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
  }
}

export function feedUrls(config: SiteConfig, view: View): Record<FeedFormat, string> {
  const base = config.url + viewPath(view);
  return { rss: base + FEED_FILES.rss, atom: base + FEED_FILES.atom, json: base + FEED_FILES.json };
}

export function postUrl(config: SiteConfig, slug: string): string {
  return `${config.url}/posts/${encodeURIComponent(slug)}`;
}
