import { Feed, type Item } from 'feed';
import type { FeedDocument, FeedItem } from './document';
import { escapeHtml } from './text';

// RSS 2.0 and Atom 1.0 are written by the `feed` package, which serializes with xml-js. Its
// sharp edges, and what this adapter does about each (tests/render cover every one):
// - Text nodes are "desanitized" (`&amp;` -> `&`) and then escaped, so a literal "&amp;" would
//   come out as "&". Escaping `&` first makes that step an exact round trip: `text()`.
// - CDATA sections split only the first `]]>`. In HTML, `]]&gt;` means the same as `]]>`, so
//   HTML values never contain the sequence: `html()`. Plain-text RSS titles keep their first
//   `]]>` for xml-js to split and have the others split here: `cdataText()`.
// - Atom titles are written as type="html", so the plain-text title is escaped as HTML.
// - Attributes are escaped for `"` only: values we pass raw get `&` and `<` escaped: `attr()`.
//   Category terms are `&`-escaped by the package itself, so `<` (which tag names never carry,
//   see the API's validation) is dropped there rather than break the document.
// - `updated` defaults to the render time: we always pass the newest entry's date.
// - RSS `<author>` requires an email: authors go out as `dc:creator` instead.
// - One enclosure per RSS item, and Atom enclosure types are guessed from the URL's extension
//   (image/audio/video by slot): we pass the first enclosure, in the slot of its real type.
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

/** RSS 2.0 with content:encoded, dc:creator and atom:link rel="self". */
export function renderRss(doc: FeedDocument): string {
  const feed = newFeed(doc);
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
        ...(item.origin ? [{ name: 'source', objects: { _attributes: { url: attr(item.origin.feedUrl) }, _text: text(item.origin.title) } as never }] : []),
      ],
    };
    const enclosure = item.enclosures[0];
    if (enclosure) entry.enclosure = { url: enclosure.url, type: attr(enclosure.type), length: enclosure.length };
    feed.addItem(entry);
  }
  return feed.rss2();
}

/** Atom 1.0 with rel="self", content type="html" and a summary. */
export function renderAtom(doc: FeedDocument): string {
  const feed = newFeed(doc);
  for (const item of doc.items) {
    const entry: Item = {
      title: escapeHtml(item.title),
      id: item.id,
      link: item.url,
      date: item.updated,
      published: item.published,
      // RFC 4287 §4.1.1.1: an entry without content must have a summary; the title stands in.
      description: html(item.summaryHtml || (item.contentHtml ? '' : `<p>${escapeHtml(item.title)}</p>`)) || undefined,
      content: html(item.contentHtml),
      author: item.authors.map((a) => ({ name: text(a.name), email: a.email && text(a.email), link: a.url })),
      category: item.categories.map((c) => ({ term: c.name.replace(/</g, ''), scheme: doc.categoryScheme ?? undefined })),
    };
    const enclosure = item.enclosures[0];
    if (enclosure) {
      const slot = atomEnclosureSlot(enclosure.type);
      entry[slot] = { url: enclosure.url, length: enclosure.length };
    }
    feed.addItem(entry);
  }
  const xml = feed.atom1();
  return doc.items.some((item) => item.origin) ? insertAtomSources(xml, doc.items) : xml;
}

/**
 * Adds RFC 4287 `<source>` (the upstream feed's id, title and links) to each aggregated entry.
 * The `feed` package has no extension point for Atom entries, so this writes into its output:
 * before the n-th `</entry>` goes the n-th item's source. `</entry>` can only be a real end tag
 * outside CDATA (everywhere else `<` is escaped), so CDATA sections are stepped over.
 */
export function insertAtomSources(xml: string, items: FeedItem[]): string {
  // atom:source wants the source feed's `updated`: its newest item here, so the same document
  // always gives the same bytes.
  const newest = new Map<string, number>();
  for (const item of items) {
    if (item.origin) newest.set(item.origin.feedUrl, Math.max(newest.get(item.origin.feedUrl) ?? 0, item.updated.getTime()));
  }
  let out = '';
  let at = 0;
  let index = 0;
  for (;;) {
    const end = xml.indexOf('</entry>', at);
    const cdata = xml.indexOf('<![CDATA[', at);
    if (end < 0) break;
    if (cdata >= 0 && cdata < end) {
      const close = xml.indexOf(']]>', cdata + 9);
      out += xml.slice(at, close + 3);
      at = close + 3;
      continue;
    }
    const origin = items[index++]?.origin;
    out += xml.slice(at, end);
    if (origin) {
      const url = attr(origin.feedUrl);
      out +=
        `    <source>\n        <id>${url}</id>\n        <title>${escapeHtml(origin.title)}</title>\n` +
        `        <link rel="self" href="${url}"/>\n        <link rel="alternate" href="${attr(origin.homeUrl)}"/>\n` +
        `        <updated>${new Date(newest.get(origin.feedUrl)!).toISOString()}</updated>\n` +
        // An upstream entry may name no author; the source's does for it (RFC 4287 §4.1.2).
        `        <author>\n            <name>${escapeHtml(origin.title)}</name>\n        </author>\n    </source>\n    `;
    }
    out += '</entry>';
    at = end + '</entry>'.length;
  }
  return out + xml.slice(at);
}

function atomEnclosureSlot(type: string): 'audio' | 'video' | 'image' {
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'image';
}
