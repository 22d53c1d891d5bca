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
// - RSS `<author>` requires an email: authors go out as `dc:creator` instead, one element with
//   every name ("Ada, Bob"): newsboat keeps only the last dc:creator of an item.
// - One enclosure per RSS item (RSS 2.0 allows no more): the first, and every enclosure (and the
//   post image) goes out as Media RSS media:content as well. The package writes `<enclosure>`
//   before the extensions; newsboat takes the last of `<enclosure>` and `media:content` (older
//   versions any, newer ones audio and video), so `<enclosure>` is written here, after them.
// - Namespaces are declared only for content:encoded (dc too, then): the root tag gets the ones we
//   use (dc, media, itunes, fh) added after rendering: `declareNamespaces()`.
// - Its podcast mode writes itunes:category as text and itunes:owner without a name, which Apple
//   refuses: the iTunes tags are written here as channel extensions.
const text = (value: string): string => value.replace(/&/g, '&amp;');
const attr = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const html = (value: string): string => value.replace(/]]>/g, ']]&gt;');
const cdataText = (value: string): string => {
  const first = value.indexOf(']]>');
  if (first < 0) return value;
  const head = value.slice(0, first + 3);
  return head + value.slice(first + 3).replace(/]]>/g, ']]]]><![CDATA[>');
};

const NAMESPACES = {
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  fh: FH_NS,
} as const;
type Prefix = keyof typeof NAMESPACES;

/** Adds the namespace declarations the document uses and the package did not declare to its root tag. */
function declareNamespaces(xml: string, used: Set<Prefix>): string {
  const start = xml.indexOf('<rss ');
  const end = xml.indexOf('>', start);
  const root = xml.slice(start, end);
  const missing = [...used].filter((prefix) => !root.includes(`xmlns:${prefix}=`));
  return xml.slice(0, end) + missing.map((prefix) => ` xmlns:${prefix}="${NAMESPACES[prefix]}"`).join('') + xml.slice(end);
}

/** xml-js attributes, without the ones we have no value for. */
const attributes = (values: Record<string, string | number | undefined>) => ({
  _attributes: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')),
});

/** Media RSS `medium` of a MIME type (image, audio, video, document); undefined when none fits. */
function medium(type: string): string | undefined {
  const major = type.split('/')[0];
  if (major === 'image' || major === 'audio' || major === 'video') return major;
  return type === 'application/pdf' ? 'document' : undefined;
}

/** iTunes duration: seconds as H:MM:SS, or MM:SS under an hour (a form Apple documents). */
function itunesDuration(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(seconds % 60)}` : `${pad(m)}:${pad(seconds % 60)}`;
}

/** The channel's iTunes tags (Apple Podcasts' required and recommended ones), for a feed with audio. */
function podcastExtensions(feed: Feed, doc: FeedDocument): void {
  const p = doc.podcast;
  if (!p) return;
  const category = attributes({ text: attr(p.category.name) });
  feed.addExtension({ name: 'itunes:author', objects: { _text: text(p.author) } });
  // itunes:owner must hold an email (Apple writes to it to verify the show): none without one.
  if (p.ownerEmail) {
    feed.addExtension({
      name: 'itunes:owner',
      objects: {
        ...(p.ownerName ? { 'itunes:name': { _text: text(p.ownerName) } } : {}),
        'itunes:email': { _text: text(p.ownerEmail) },
      },
    });
  }
  if (p.image) feed.addExtension({ name: 'itunes:image', objects: attributes({ href: attr(p.image) }) });
  feed.addExtension({
    name: 'itunes:category',
    objects: p.category.sub ? { ...category, 'itunes:category': attributes({ text: attr(p.category.sub) }) } : category,
  });
  feed.addExtension({ name: 'itunes:explicit', objects: { _text: p.explicit ? 'true' : 'false' } });
}

/**
 * An item's authors as one dc:creator text. Several dc:creator elements are valid Dublin Core,
 * but newsboat shows the last one only; one element with every name reaches every reader whole.
 */
const creators = (authors: { name: string }[]): string => authors.map((a) => a.name).join(', ');

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
    image: doc.logo || doc.icon ? text((doc.logo ?? doc.icon)!) : undefined,
  });
}

/**
 * RFC 5005 in RSS 2.0: `atom:link` elements with the archive relations, and fh:complete or
 * fh:archive in the channel. The package writes its own atom:link list (self, hub) and has no way
 * to add to it, but a channel extension of the same name replaces that list in place: so the list
 * is written here whole, self and hub first as the package writes them. True when it wrote an fh
 * element (its namespace is then declared with the others).
 */
function addHistory(feed: Feed, doc: FeedDocument): boolean {
  const h = doc.history;
  if (!h) return false;
  const link = (rel: string, href: string, type?: string) => ({ _attributes: { href: attr(href), rel, ...(type ? { type } : {}) } });
  const links = [
    link('self', doc.links.rss, 'application/rss+xml'),
    ...(doc.hub ? [link('hub', doc.hub)] : []),
    ...(h.current ? [link('current', h.current.rss, 'application/rss+xml')] : []),
    ...(h.prev ? [link('prev-archive', h.prev.rss, 'application/rss+xml')] : []),
    ...(h.next ? [link('next-archive', h.next.rss, 'application/rss+xml')] : []),
  ];
  feed.addExtension({ name: 'atom:link', objects: links as never });
  if (h.mark) feed.addExtension({ name: `fh:${h.mark}`, objects: {} as never });
  return h.mark !== null;
}

/**
 * RSS 2.0 with content:encoded (not in the summary variant), dc:creator, atom:link rel="self",
 * every enclosure as media:content, dc:language on items in another language than the channel's,
 * the iTunes tags when items carry audio, and the archive links and marks (RFC 5005).
 */
export function renderRss(doc: FeedDocument): string {
  const feed = newFeed(doc);
  const used = new Set<Prefix>();
  podcastExtensions(feed, doc);
  if (doc.podcast) used.add('itunes');
  // For readers that ignore a 301 (Apple Podcasts' way of moving a feed): the feed's new address.
  // A podcast feed only: any iTunes element makes the W3C validator hold the channel to the iTunes
  // rules (MissingItunesElement for category and explicit, MissingItunesEmail), which only a
  // podcast feed meets; and Apple reads it from podcasts only.
  if (doc.newFeedUrl && doc.podcast) {
    feed.addExtension({ name: 'itunes:new-feed-url', objects: { _text: text(doc.newFeedUrl) } });
    used.add('itunes');
  }
  if (addHistory(feed, doc)) used.add('fh');
  for (const item of doc.items) {
    const media = [
      ...item.enclosures.map((e) =>
        attributes({ url: attr(e.url), type: attr(e.type), medium: medium(e.type), fileSize: e.length || undefined, duration: e.duration }),
      ),
      ...(item.image ? [attributes({ url: attr(item.image), medium: 'image' })] : []),
    ];
    const audio = item.enclosures.find((e) => e.type.startsWith('audio/'));
    const enclosure = item.enclosures[0];
    if (item.authors.length || item.language) used.add('dc');
    if (media.length) used.add('media');
    const entry: Item = {
      title: cdataText(item.title),
      id: text(item.id),
      // An item without a link of its own gets no <link> (the package skips an empty one).
      link: item.url ?? '',
      date: item.updated,
      published: item.published,
      // Always a description, and before content:encoded (the W3C validator warns otherwise).
      description: html(item.summaryHtml || `<p>${escapeHtml(item.title)}</p>`),
      content: doc.summaryOnly ? undefined : html(item.contentHtml) || undefined,
      category: item.categories.map((c) => ({ name: text(c.name), domain: doc.categoryScheme ? attr(doc.categoryScheme) : undefined })),
      extensions: [
        ...(item.authors.length ? [{ name: 'dc:creator', objects: { _text: text(creators(item.authors)) } }] : []),
        ...(item.language ? [{ name: 'dc:language', objects: { _text: text(item.language) } }] : []),
        // RSS 2.0 <source url="feed">title</source>: where an aggregated item comes from, the
        // upstream's own source first (it has a URL: RSS requires one).
        ...(item.via?.feedUrl
          ? [
              {
                name: 'source',
                objects: { _attributes: { url: attr(item.via.feedUrl) }, _text: text(item.via.title ?? item.via.feedUrl) } as never,
              },
            ]
          : item.origin
            ? [{ name: 'source', objects: { _attributes: { url: attr(item.origin.feedUrl) }, _text: text(item.origin.title) } as never }]
            : []),
        ...(media.length ? [{ name: 'media:content', objects: media as never }] : []),
        ...(item.image ? [{ name: 'media:thumbnail', objects: attributes({ url: attr(item.image) }) }] : []),
        ...(doc.podcast && audio?.duration !== undefined
          ? [{ name: 'itunes:duration', objects: { _text: itunesDuration(audio.duration) } }]
          : []),
        // Last: after every media:content (see the top of this file).
        ...(enclosure
          ? [{ name: 'enclosure', objects: attributes({ url: attr(enclosure.url), length: enclosure.length, type: attr(enclosure.type) }) }]
          : []),
      ],
    };
    feed.addItem(entry);
  }
  return declareNamespaces(feed.rss2(), used);
}
