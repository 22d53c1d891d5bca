import { Feed, type Item } from 'feed';
import { FH_NS, type FeedDocument } from './document';
import { escapeHtml } from '../html/text';

// RSS 2.0 is written by the `feed` package, which serializes with xml-js (Atom is written by
// atom.ts: see there why). Its sharp edges, and what this adapter does about each (tests/render
// cover every one):
// - Text nodes are "desanitized" (`&amp;` -> `&`) and then escaped, so a literal "&amp;" would
//   come out as "&". Escaping `&` first makes that step an exact round trip: `text()`.
// - CDATA sections split only the first `]]>`. In HTML, `]]&gt;` means the same as `]]>`, so
//   HTML values never contain the sequence: `html()`. Plain-text RSS titles keep their first
//   `]]>` for xml-js to split and have the others split here: `cdataText()`.
// - Attributes are escaped for `"` only: values we pass raw get `&` and `<` escaped: `attr()`.
// - `updated` defaults to the render time: we always pass the newest entry's date.
// - RSS `<author>` requires an email: authors go out as `dc:creator` instead.
// - One enclosure per RSS item (RSS 2.0 allows no more): we pass the first.
const text = (value: string): string => value.replace(/&/g, '&amp;');
const attr = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const html = (value: string): string => value.replace(/]]>/g, ']]&gt;');
const cdataText = (value: string): string => {
  const first = value.indexOf(']]>');
  if (first < 0) return value;
  const head = value.slice(0, first + 3);
  return head + value.slice(first + 3).replace(/]]>/g, ']]]]><![CDATA[>');
};

function newFeed(doc: FeedDocument): Feed {
  return new Feed({
    id: text(doc.links.atom),
    title: text(doc.title),
    description: text(doc.description || doc.title),
    link: doc.homeUrl,
    language: text(doc.language),
    updated: doc.updated,
    generator: 'Syndicate',
    feedLinks: { rss: doc.links.rss, atom: doc.links.atom },
    hub: doc.hub ?? undefined,
  });
}

/**
 * RFC 5005 in RSS 2.0: `atom:link` elements with the archive relations, and fh:complete or
 * fh:archive in the channel. The package writes its own atom:link list (self, hub) and has no way
 * to add to it, but a channel extension of the same name replaces that list in place: so the list
 * is written here whole, self and hub first as the package writes them. The fh prefix is declared
 * on its element, since extensions cannot declare namespaces on <rss>.
 */
function addHistory(feed: Feed, doc: FeedDocument): void {
  const h = doc.history;
  if (!h) return;
  const link = (rel: string, href: string, type?: string) => ({ _attributes: { href: attr(href), rel, ...(type ? { type } : {}) } });
  const links = [
    link('self', doc.links.rss, 'application/rss+xml'),
    ...(doc.hub ? [link('hub', doc.hub)] : []),
    ...(h.current ? [link('current', h.current.rss, 'application/rss+xml')] : []),
    ...(h.prev ? [link('prev-archive', h.prev.rss, 'application/rss+xml')] : []),
    ...(h.next ? [link('next-archive', h.next.rss, 'application/rss+xml')] : []),
  ];
  feed.addExtension({ name: 'atom:link', objects: links as never });
  if (h.mark) feed.addExtension({ name: `fh:${h.mark}`, objects: { _attributes: { 'xmlns:fh': FH_NS } } as never });
}

/** RSS 2.0 with content:encoded, dc:creator, atom:link rel="self" and the archive links. */
export function renderRss(doc: FeedDocument): string {
  const feed = newFeed(doc);
  addHistory(feed, doc);
  for (const item of doc.items) {
    const entry: Item = {
      title: cdataText(item.title),
      id: text(item.id),
      link: item.url,
      date: item.updated,
      published: item.published,
      // Always a description, and before content:encoded (the W3C validator warns otherwise).
      description: html(item.summaryHtml || `<p>${escapeHtml(item.title)}</p>`),
      content: html(item.contentHtml) || undefined,
      category: item.categories.map((c) => ({ name: text(c.name), domain: doc.categoryScheme ? attr(doc.categoryScheme) : undefined })),
      extensions: [
        ...(item.authors.length ? [{ name: 'dc:creator', objects: item.authors.map((a) => ({ _text: text(a.name) })) as never }] : []),
        // RSS 2.0 <source url="feed">title</source>: where an aggregated item comes from.
        ...(item.origin
          ? [{ name: 'source', objects: { _attributes: { url: attr(item.origin.feedUrl) }, _text: text(item.origin.title) } as never }]
          : []),
      ],
    };
    const enclosure = item.enclosures[0];
    if (enclosure) entry.enclosure = { url: enclosure.url, type: attr(enclosure.type), length: enclosure.length };
    feed.addItem(entry);
  }
  return feed.rss2();
}
