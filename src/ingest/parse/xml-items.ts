import { MAX_AUTHORS, MAX_CATEGORIES_READ, MAX_URL_CHARS } from '../limits';
import { finishItems, type ShapedItem, uncutTitle, type WindowCarry } from '../normalize';
import type { UpstreamSource } from '../../domain/entry';
import type { UpstreamItem } from '../types';
import type { ItemReuse } from '../unchanged';
import { hasMarkup, textParagraphs, textToHtml } from '../../html/text';
import { resolve } from '../values';
import { parseDate } from './dates';

// RSS and Atom items as rss-parser reads them, shaped into the format-neutral ShapedItem that
// normalize.ts finishes (as json-feed.ts does for JSON Feed): the only place that knows where
// each format keeps an item's link, content, authors, categories, enclosures and image.

type Attrs = Record<string, string>;
type Node = string | { _?: string; $?: Attrs; [key: string]: unknown };

/** An item as rss-parser returns it, with the raw elements asked for in its customFields. */
export type RawItem = {
  title?: string;
  link?: string;
  guid?: string;
  id?: string;
  pubDate?: string;
  content?: string;
  summary?: string;
  'content:encoded'?: string;
  creator?: string;
  author?: string;
  categories?: Node[];
  enclosure?: { url?: string; type?: string; length?: string };
  attrs?: Attrs;
  authorsRaw?: Node[];
  linksRaw?: Node[];
  contentRaw?: Node[];
  creatorsRaw?: Node[];
  /** RSS `<source url>` (the channel the item came from) or Atom `<source>` (its feed's metadata). */
  sourceRaw?: Node[];
  dcDate?: string;
  updatedRaw?: string;
  publishedRaw?: string;
  mediaThumbnail?: Node[];
  mediaContent?: Node[];
  itunesImage?: Node[];
  /** itunes:duration: the playing time of the item's enclosure. */
  itunesDuration?: Node;
  /** dc:language (rss-parser's own field). */
  language?: string;
};

const text = (node: Node | undefined): string => (typeof node === 'string' ? node : typeof node?._ === 'string' ? node._ : '');
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const httpUrl = (value: string | null | undefined, base: string): string | null => {
  const url = resolve(value ?? undefined, base);
  return url && /^https?:/.test(url) ? url : null;
};
/** Notes for URLs dropped for their length (resolve drops them silently). */
const longUrls = (what: string, values: (string | null | undefined)[]): string[] =>
  values.some((v) => typeof v === 'string' && v.trim().length > MAX_URL_CHARS) ? [`${what} over ${MAX_URL_CHARS} characters dropped`] : [];

function fromRss(item: RawItem, base: string): ShapedItem {
  const link = httpUrl(str(item.link), base);
  // HTML by convention; text without any markup that breaks lines keeps its breaks as paragraphs.
  const html = (value: unknown) =>
    typeof value !== 'string' ? '' : hasMarkup(value) || !/[\r\n]/.test(value.trim()) ? value : textParagraphs(value);
  const description = html(item.content);
  const encoded = html(item['content:encoded']);
  const creators = (item.creatorsRaw ?? [])
    .map(text)
    .map((n) => n.trim())
    .filter(Boolean);
  const author = str(item.author);
  // RSS <author> is "email (Name)" or just an email.
  const rssAuthor = author ? (/\(([^)]+)\)/.exec(author)?.[1] ?? author) : null;
  const enclosure = item.enclosure?.url
    ? [{ url: item.enclosure.url, type: item.enclosure.type, length: item.enclosure.length, duration: text(item.itunesDuration) }]
    : [];
  return {
    guid: str(typeof item.guid === 'string' ? item.guid : text(item.guid as unknown as Node)),
    title: uncutTitle(item.title),
    link,
    contentHtml: encoded || description,
    summaryHtml: encoded ? description : '',
    contentBase: link ?? base,
    published: parseDate(item.pubDate) ?? parseDate(item.dcDate),
    updated: null,
    authors: (creators.length ? creators : rssAuthor ? [rssAuthor] : []).map((name) => ({ name })),
    categories: (item.categories ?? []).slice(0, MAX_CATEGORIES_READ).map(text),
    enclosures: enclosure,
    image: firstImage(item, base),
    language: str(item.language),
    source: rssSource(item.sourceRaw?.[0], base),
    notes: [...longUrls('the link', [item.link]), ...longUrls('an image URL', imageCandidates(item))],
  };
}

/** RSS `<source url="feed">title</source>`: the channel the item came from. */
function rssSource(node: Node | undefined, base: string): UpstreamSource | null {
  if (node === undefined) return null;
  const title = str(text(node));
  const feedUrl = typeof node === 'object' ? httpUrl(node.$?.url, base) : null;
  return title || feedUrl ? { title, feedUrl, siteUrl: null, id: null } : null;
}

/** Atom `<source>`: the metadata of the feed the entry was copied from (RFC 4287 §4.2.11). */
function atomSource(node: Node | undefined, base: string): UpstreamSource | null {
  if (node === undefined || typeof node !== 'object') return null;
  const child = (name: string) => (node[name] as Node[] | undefined)?.[0];
  const links = ((node.link as Node[] | undefined) ?? []).map((l) => (typeof l === 'object' ? (l.$ ?? {}) : { href: l }));
  const title = str(text(child('title')));
  const feedUrl = httpUrl(links.find((l) => l.rel === 'self')?.href, base);
  const siteUrl = httpUrl(links.find((l) => !l.rel || l.rel === 'alternate')?.href, base);
  const id = str(text(child('id')));
  return title || feedUrl ? { title, feedUrl, siteUrl, id } : null;
}

/** Atom person constructs (`<author>`, `<contributor>`) as authors; URIs resolved against `base`. */
function atomPersons(persons: Node[] | undefined, base: string): ShapedItem['authors'] {
  return (persons ?? []).slice(0, 4 * MAX_AUTHORS).flatMap((a) => {
    if (typeof a !== 'object') return [];
    const field = (name: string) => str(text((a[name] as Node[] | undefined)?.[0]));
    const name = field('name');
    if (!name) return [];
    const email = field('email');
    const uri = httpUrl(field('uri'), base);
    return [{ name, ...(email ? { email } : {}), ...(uri ? { url: uri } : {}) }];
  });
}

/**
 * An entry's authors (RFC 4287 §4.2.1): its own; without them, those of its `<source>` (the feed it
 * was copied from); without those, the feed's.
 */
function atomAuthors(item: RawItem, base: string, feedAuthors: ShapedItem['authors']): ShapedItem['authors'] {
  const own = atomPersons(item.authorsRaw, base);
  if (own.length) return own;
  const source = item.sourceRaw?.[0];
  const fromSource = typeof source === 'object' ? atomPersons(source.author as Node[] | undefined, base) : [];
  return fromSource.length ? fromSource : feedAuthors;
}

function fromAtom(item: RawItem, base: string, feedAuthors: ShapedItem['authors']): ShapedItem {
  const links = (item.linksRaw ?? []).map((l) => (typeof l === 'object' ? (l.$ ?? {}) : { href: l }));
  const alternate = links.find((l) => !l.rel || l.rel === 'alternate') ?? null;
  const link = httpUrl(alternate?.href, base);
  const content = item.contentRaw?.[0];
  const contentAttrs = (typeof content === 'object' ? content.$ : undefined) ?? {};
  const asHtml = (value: string | undefined, type: string | undefined) => (!value ? '' : type === 'text' ? textToHtml(value) : value);
  const summaryNode = (item as { summaryRaw?: Node[] }).summaryRaw?.[0];
  const summaryType = typeof summaryNode === 'object' ? summaryNode.$?.type : undefined;
  return {
    guid: str(item.id),
    title: uncutTitle(item.title),
    link,
    // type="xhtml" content arrives as HTML (./xhtml.ts); it goes through the same sanitizer.
    contentHtml: asHtml(item.content, contentAttrs.type),
    summaryHtml: asHtml(item.summary, summaryType),
    contentBase: resolve(contentAttrs['xml:base'], base) ?? base,
    published: parseDate(item.publishedRaw),
    updated: parseDate(item.updatedRaw),
    authors: atomAuthors(item, base, feedAuthors),
    categories: ((item as { categoriesRaw?: Node[] }).categoriesRaw ?? [])
      .slice(0, MAX_CATEGORIES_READ)
      // RFC 4287 §4.2.2: `term` identifies the category, `label` is its name for people.
      .map((c) => (typeof c === 'object' ? (c.$?.label?.trim() ? { term: c.$.term ?? '', label: c.$.label } : (c.$?.term ?? '')) : c)),
    enclosures: links.filter((l) => l.rel === 'enclosure' && l.href).map((l) => ({ url: l.href!, type: l.type, length: l.length })),
    image: firstImage(item, base),
    language: str(item.attrs?.['xml:lang']),
    source: atomSource(item.sourceRaw?.[0], base),
    notes: [...longUrls('the link', [alternate?.href]), ...longUrls('an image URL', imageCandidates(item))],
  };
}

function imageCandidates(item: RawItem): (string | undefined)[] {
  return [
    ...(item.itunesImage ?? []).map((n) => (typeof n === 'object' ? n.$?.href : undefined)),
    ...(item.mediaThumbnail ?? []).map((n) => (typeof n === 'object' ? n.$?.url : undefined)),
    ...(item.mediaContent ?? [])
      .filter((n) => typeof n === 'object' && (n.$?.medium === 'image' || n.$?.type?.startsWith('image/')))
      .map((n) => (typeof n === 'object' ? n.$?.url : undefined)),
  ];
}

function firstImage(item: RawItem, base: string): string | null {
  for (const candidate of imageCandidates(item)) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  return null;
}

/** rss-parser items of an RSS or Atom feed to final items. */
export async function normalizeItems(
  raw: RawItem[],
  context: {
    format: 'rss' | 'atom';
    feedUrl: string;
    feedBase: string;
    siteUrl: string | undefined;
    maxItems: number;
    /** Atom: the feed's `<author>` elements, for entries without authors of their own. */
    feedAuthors?: Node[];
    /** Stored items to take as read (src/ingest/unchanged.ts). */
    reuse?: ItemReuse;
    /** One window of a document read window by window (normalize.ts). */
    carry?: WindowCarry;
  },
): Promise<{ items: UpstreamItem[]; warnings: string[] }> {
  const warnings: string[] = [];
  const shaped: ShapedItem[] = [];
  const feedAuthors = atomPersons(context.feedAuthors, context.feedBase);
  raw.forEach((item, index) => {
    try {
      if (context.format === 'atom') {
        const base = resolve(item.attrs?.['xml:base'], context.feedBase) ?? context.feedBase;
        shaped.push(fromAtom(item, base, feedAuthors));
      } else {
        // A relative RSS <link> is relative to the channel's link, then to the feed's URL.
        shaped.push(fromRss(item, context.siteUrl ?? context.feedBase));
      }
    } catch (error) {
      warnings.push(
        `item ${(context.carry?.upstream ?? 0) + index + 1}: ${error instanceof Error ? error.message : String(error)}; skipped`,
      );
    }
  });
  return { items: await finishItems(shaped, context.maxItems, warnings, context.reuse, context.carry), warnings };
}
