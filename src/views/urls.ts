import type { SiteConfig } from '../config';
import { definitionOf, pageUrl, type View, viewPath } from './registry';
import type { FeedFormat } from '../render/document';

/** File name of each feed format under a view's path. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

export { pageUrl, viewPath };

/** Absolute URLs of a view's feeds, in each format. */
export function feedUrls(config: SiteConfig, view: View): Record<FeedFormat, string> {
  const base = config.url + viewPath(view);
  const query = definitionOf(view).query(view);
  return { rss: base + FEED_FILES.rss + query, atom: base + FEED_FILES.atom + query, json: base + FEED_FILES.json + query };
}

export function postUrl(config: SiteConfig, slug: string): string {
  return `${config.url}/posts/${encodeURIComponent(slug)}`;
}
