import type { FeedDocument, FeedItem } from './document';
import { htmlToText } from '../html/text';

// JSON Feed is written here rather than by the `feed` package: it writes version 1.0 (a single
// `author`, no `language`) and drops an item's `id` when only a link is set. JSON.stringify does
// all the escaping, so there is nothing else to get wrong.

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJsonFeed(doc: FeedDocument): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: doc.title,
    home_page_url: doc.homeUrl,
    // An archive page names its feed by the subscription document's URL, the feed's identity.
    feed_url: doc.history?.current?.json ?? doc.links.json,
    // JSON Feed 1.1 paging: the next older page of the complete history (src/views/archive.ts).
    next_url: doc.history?.prev?.json,
    description: doc.description || undefined,
    // JSON Feed's icon is square and large, its favicon square and small: one square image serves both.
    icon: doc.icon ?? undefined,
    favicon: doc.icon ?? undefined,
    language: doc.language,
    hubs: doc.hub ? [{ type: 'WebSub', url: doc.hub }] : undefined,
    expired: doc.expired || undefined,
    items: doc.items.map((item) => jsonItem(doc, item)),
  });
}

function jsonItem(doc: FeedDocument, item: FeedItem) {
  // JSON Feed's summary is plain text; ours is HTML.
  const summary = item.summaryHtml ? htmlToText(item.summaryHtml) : undefined;
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    // An item must have content_html or content_text: the summary variant gives the summary as text.
    content_html: doc.summaryOnly ? undefined : item.contentHtml,
    content_text: doc.summaryOnly ? summary || item.title : undefined,
    summary,
    image: item.image ?? undefined,
    date_published: item.published.toISOString(),
    date_modified: item.updated.toISOString(),
    authors: item.authors.map((a) => ({ name: a.name, url: a.url })),
    tags: item.categories.length ? item.categories.map((c) => c.name) : undefined,
    language: item.language ?? undefined,
    attachments: item.enclosures.length
      ? item.enclosures.map((e) => ({
          url: e.url,
          mime_type: e.type,
          size_in_bytes: e.length || undefined,
          duration_in_seconds: e.duration || undefined,
        }))
      : undefined,
    // JSON Feed extensions are keys starting with "_": where an aggregated item comes from.
    _syndicate: item.origin
      ? { source: { title: item.origin.title, feed_url: item.origin.feedUrl, home_page_url: item.origin.homeUrl } }
      : undefined,
  };
}
