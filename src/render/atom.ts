import { FH_NS, type FeedDocument, type FeedItem } from './document';
import { escapeHtml } from '../html/text';

// Atom 1.0 (RFC 4287) is written here rather than by the `feed` package: its Atom output has no
// extension point for entries (atom:source had to be spliced into its text), writes titles as
// type="html", guesses enclosure types from file extensions and keeps one enclosure per entry.
// Atom is a small format, every value passes one escaping function, characters XML forbids are
// removed before (build-document.ts), and every document is checked by xmllint, jing with the
// RFC 4287 schema and Universal Feed Parser in the tests. The order of elements is fixed, so the
// same document always gives the same bytes.

const esc = escapeHtml;

type Node = string | null | false | undefined | Node[];

type Attrs = Record<string, string | number | undefined>;

/** An element; `block` ones put each child on a line of its own, so the document reads well. */
const element =
  (block: boolean) =>
  (name: string, attrs: Attrs, ...children: Node[]): string => {
    const attributes = Object.entries(attrs)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => ` ${key}="${esc(String(value))}"`)
      .join('');
    const parts = children.flat(3).filter((c): c is string => typeof c === 'string' && c !== '');
    if (parts.length === 0) return `<${name}${attributes}/>`;
    return block ? `<${name}${attributes}>\n${parts.join('\n')}\n</${name}>` : `<${name}${attributes}>${parts.join('')}</${name}>`;
  };
const el = element(false);
const block = element(true);
const text = (name: string, value: string, attrs: Record<string, string | undefined> = {}) => el(name, attrs, esc(value));
const date = (name: string, value: Date) => text(name, value.toISOString());
const person = (name: string, a: { name: string; email?: string; url?: string }) =>
  el(name, {}, text('name', a.name), a.email ? text('email', a.email) : null, a.url ? text('uri', a.url) : null);

const MEDIA_NS = 'http://search.yahoo.com/mrss/';

/**
 * Atom 1.0 with rel="self", HTML content and summary (summary only in the summary variant), one
 * rel="enclosure" link per enclosure, the post image as media:thumbnail, xml:lang on entries in
 * another language than the feed's, and atom:source for aggregated entries.
 */
export function renderAtom(doc: FeedDocument): string {
  // atom:source wants the source feed's `updated`: its newest entry here, so that the same
  // document always gives the same bytes.
  const sourceUpdated = new Map<string, Date>();
  for (const item of doc.items) {
    const key = item.origin?.feedUrl;
    if (key && (sourceUpdated.get(key)?.getTime() ?? 0) < item.updated.getTime()) sourceUpdated.set(key, item.updated);
  }
  const feed = block(
    'feed',
    {
      xmlns: 'http://www.w3.org/2005/Atom',
      'xmlns:media': doc.items.some((item) => item.image) ? MEDIA_NS : undefined,
      'xmlns:fh': doc.history ? FH_NS : undefined,
      'xml:lang': doc.language,
    },
    text('id', doc.id),
    text('title', doc.title),
    date('updated', doc.updated),
    text('generator', 'Syndicate'),
    el('link', { rel: 'alternate', type: 'text/html', href: doc.homeUrl }),
    el('link', { rel: 'self', type: 'application/atom+xml', href: doc.links.atom }),
    doc.hub ? el('link', { rel: 'hub', href: doc.hub }) : null,
    history(doc),
    doc.description ? text('subtitle', doc.description) : null,
    doc.icon ? text('icon', doc.icon) : null,
    doc.logo ? text('logo', doc.logo) : null,
    doc.items.map((item) => entry(doc, item, sourceUpdated)),
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n${feed}\n`;
}

/** RFC 5005: prev-archive, next-archive and current links, and fh:complete or fh:archive. */
function history(doc: FeedDocument): Node {
  const h = doc.history;
  if (!h) return null;
  const link = (rel: string, urls: Record<string, string> | null) =>
    urls && el('link', { rel, type: 'application/atom+xml', href: urls.atom });
  return [link('current', h.current), link('prev-archive', h.prev), link('next-archive', h.next), h.mark && el(`fh:${h.mark}`, {})];
}

function entry(doc: FeedDocument, item: FeedItem, sourceUpdated: Map<string, Date>): string {
  // RFC 4287 §4.1.1.1: an entry without content must have a summary; the title stands in.
  const summary = item.summaryHtml || (item.contentHtml ? '' : `<p>${esc(item.title)}</p>`);
  // RFC 4287 §4.1.1: an entry without an alternate link must have content; the summary stands in.
  const content = item.contentHtml || (item.url ? '' : summary);
  const origin = item.origin;
  const via = item.via;
  return block(
    'entry',
    { 'xml:lang': item.language ?? undefined },
    text('title', item.title),
    text('id', item.id),
    item.url ? el('link', { rel: 'alternate', type: 'text/html', href: item.url }) : null,
    item.enclosures.map((e) => el('link', { rel: 'enclosure', href: e.url, type: e.type, length: e.length || undefined })),
    date('published', item.published),
    date('updated', item.updated),
    item.authors.map((a) => person('author', a)),
    item.categories.map((c) =>
      el('category', { term: c.term ?? c.name, label: c.term === undefined ? undefined : c.name, scheme: doc.categoryScheme ?? undefined }),
    ),
    summary ? text('summary', summary, { type: 'html' }) : null,
    content ? text('content', content, { type: 'html' }) : null,
    item.image ? el('media:thumbnail', { url: item.image }) : null,
    via
      ? block(
          'source',
          {},
          via.id || via.feedUrl ? text('id', (via.id || via.feedUrl)!) : null,
          via.title ? text('title', via.title) : null,
          via.feedUrl ? el('link', { rel: 'self', href: via.feedUrl }) : null,
          via.homeUrl ? el('link', { rel: 'alternate', href: via.homeUrl }) : null,
          person('author', { name: via.title ?? origin?.title ?? '' }),
        )
      : origin
        ? block(
            'source',
            {},
            text('id', origin.feedUrl),
            text('title', origin.title),
            el('link', { rel: 'self', href: origin.feedUrl }),
            el('link', { rel: 'alternate', href: origin.homeUrl }),
            date('updated', sourceUpdated.get(origin.feedUrl)!),
            // An upstream entry may name no author; the source's does for it (RFC 4287 §4.1.2).
            person('author', { name: origin.title }),
          )
        : null,
  );
}
