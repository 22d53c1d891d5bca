import type { SiteConfig } from '../config';
import { type FeedFormat, previewed, type ViewFormat } from '../domain/format';
import { CONTENT_TYPES } from '../render/render';
import type { Fixed } from './serve';

const HTML_TYPE = 'text/html; charset=utf-8';
const TYPES: Record<ViewFormat, string> = {
  ...CONTENT_TYPES,
  html: HTML_TYPE,
  'preview-rss': HTML_TYPE,
  'preview-atom': HTML_TYPE,
  'preview-json': HTML_TYPE,
};

/** A feed URL answers a browser's navigation with its preview (routes/feeds.ts): caches must key on what decides. */
const FEED_VARY = 'Sec-Fetch-Mode, Sec-Fetch-Dest';

/**
 * The fixed headers of a view (or archive page, src/serve/archive-page.ts) in one format:
 * `links` its own URLs (the Link header's rel="self"), `hub` the hub its body advertises
 * (advertisedHub; null: none), `cacheControl` its own when not the feeds'.
 */
export function viewFixed(
  config: SiteConfig,
  format: ViewFormat,
  links: Record<FeedFormat, string>,
  hub: string | null,
  cacheControl?: string,
): Fixed {
  const headers: Record<string, string> = {
    'content-type': TYPES[format],
    'cache-control': cacheControl ?? (config.feedMaxAge > 0 ? `public, max-age=${config.feedMaxAge}` : 'public, no-cache'),
  };
  if (format !== 'html') headers.vary = FEED_VARY;
  const feedFormat = format === 'html' || previewed(format) ? null : (format as FeedFormat);
  let feed: string | null = null;
  if (feedFormat) {
    const selfUrl = links[feedFormat];
    const self = `<${selfUrl}>; rel="self"`;
    headers.link = hub ? `<${hub}>; rel="hub", ${self}` : self;
    if (selfUrl.startsWith(`${config.url}/`)) feed = selfUrl.slice(config.url.length);
  }
  return { headers, feed };
}
