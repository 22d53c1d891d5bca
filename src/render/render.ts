import type { FeedFormat } from '../domain/format';
import type { FeedDocument } from './document';
import { renderJsonFeed } from './json-feed';
import { renderAtom } from './atom';
import { renderRss } from './rss';

const RENDERERS: Record<FeedFormat, (doc: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** The one renderer: pure and deterministic, `(document, format) -> text`. */
export function renderFeed(doc: FeedDocument, format: FeedFormat): string {
  return RENDERERS[format](doc);
}

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
