import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { Builder } from 'xml2js';
import { xmlSafe } from '../render/text';
import { parseDate } from './dates';
import { decodeFeedBytes } from './decode';
import { parseJsonFeed } from './json-feed';
import { type RawItem, normalizeItems } from './normalize';
import { plainTitle, resolve } from './values';
import type { ParseResult } from './types';

// Raw elements rss-parser should hand over as they are, for what it does not read itself:
// xml:base (attributes), full Atom authors, links and categories, Dublin Core and media fields.
const parser = new Parser({
  customFields: {
    feed: [['$', 'feedAttrs', { keepArray: true }] as never, 'ttl'],
    item: [
      ['$', 'attrs', { keepArray: true }],
      ['author', 'authorsRaw', { keepArray: true }],
      ['link', 'linksRaw', { keepArray: true }],
      ['category', 'categoriesRaw', { keepArray: true }],
      ['content', 'contentRaw', { keepArray: true }],
      ['summary', 'summaryRaw', { keepArray: true }],
      ['title', 'titleRaw', { keepArray: true }],
      ['dc:creator', 'creatorsRaw', { keepArray: true }],
      ['dc:date', 'dcDate'],
      ['updated', 'updatedRaw'],
      ['published', 'publishedRaw'],
      ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
      ['media:content', 'mediaContent', { keepArray: true }],
      ['itunes:image', 'itunesImage', { keepArray: true }],
    ] as never,
  },
  // <rss> without a version is read as RSS 2.0, as most aggregators do.
  defaultRSS: 2,
});

// rss-parser derives a plain-text `contentSnippet` from each item's description (RSS) or content
// (Atom) with regular expressions that take quadratic time on hostile markup: 60 KB of "a<p" cost
// 2 seconds of CPU, 120 KB 8 seconds. Nothing here reads the snippet, so this parser's item
// readers get the item without that element, and it is put back the way rss-parser's own
// `getContent` would have read it.
type XmlNode = Record<string, unknown[] | undefined>;
type ItemReaders = {
  parseItemRss(xmlItem: XmlNode, itemFields: unknown): RawItem;
  parseItemAtom(entry: XmlNode): RawItem & { contentRaw?: unknown[] };
};
const readers = parser as unknown as ItemReaders;
const readRss = readers.parseItemRss.bind(parser);
const readAtom = readers.parseItemAtom.bind(parser);
function getContent(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const text = (node as { _?: unknown })._;
    if (typeof text === 'string') return text;
    return new Builder({ headless: true, rootName: 'div', renderOpts: { pretty: false } }).buildObject(node);
  }
  return '';
}
readers.parseItemRss = (xmlItem, itemFields) => {
  const { description, ...rest } = xmlItem;
  const item = readRss(rest, itemFields);
  if (description?.length) item.content = getContent(description[0]);
  return item;
};
readers.parseItemAtom = (entry) => {
  const { content, ...rest } = entry;
  const item = readAtom(rest);
  if (content?.length) {
    item.content = getContent(content[0]);
    item.contentRaw = content as never;
  }
  return item;
};

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Applies `fix` to the parts of an XML document outside CDATA sections, whose content is literal
 * and must stay byte for byte. A linear scan; no regular expression spans a section.
 */
function outsideCdata(xml: string, fix: (part: string) => string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const start = xml.indexOf('<![CDATA[', at);
    if (start < 0) return out + fix(xml.slice(at));
    const end = xml.indexOf(']]>', start + 9);
    const stop = end < 0 ? xml.length : end + 3;
    out += fix(xml.slice(at, start)) + xml.slice(start, stop);
    at = stop;
  }
}

/**
 * What real feeds do that XML parsers reject, repaired before parsing: junk before the first tag,
 * the XML declaration (the text is already decoded; its encoding would mislead), any DOCTYPE (so
 * that no entity is ever expanded or fetched: billion laughs, XXE), characters XML forbids, HTML
 * entities XML does not declare (`&nbsp;`, `&mdash;`…) and bare ampersands. Atom dates that
 * JavaScript cannot read are rewritten or emptied, because rss-parser throws on one and loses
 * the whole feed.
 */
export function repairXml(text: string, root: 'rss' | 'feed' | 'rdf' = 'rss'): string {
  let xml = xmlSafe(text);
  const first = xml.indexOf('<');
  if (first > 0) xml = xml.slice(first);
  xml = xml.replace(/^<\?xml[^>]*\?>/, '');
  return outsideCdata(xml, (part) => {
    // "]]>" outside a CDATA section means one ended early (an unescaped "]]>" inside it): the
    // text after it would be silently cut, so the document is refused instead.
    if (part.includes(']]>')) throw new SyntaxError('"]]>" outside a CDATA section: a CDATA section ends early');
    return part
      .replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/gi, '')
      .replace(/<!ENTITY[^>]*>/gi, '')
      .replace(/&(?!#\d+;|#x[0-9a-fA-F]+;)([A-Za-z][A-Za-z0-9]*;)?/g, (match, name: string | undefined) => {
        if (name === undefined) return '&amp;';
        const bare = name.slice(0, -1);
        if (XML_ENTITIES.has(bare)) return match;
        const decoded = decodeHTML(match);
        return decoded === match ? `&amp;${name}` : [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
      })
      // rss-parser reads every Atom <link> as having attributes and throws on one without: an
      // RSS-style <link>URL</link> becomes <link href="URL"/>, an empty one goes.
      .replace(root === 'feed' ? /<link\s*(?:\/>|>([^<]*)<\/link>)/g : /(?!)/g, (_m, url: string | undefined) =>
        url && url.trim() ? `<link href="${url.trim().replace(/"/g, '&quot;')}"/>` : '')
      .replace(/<(published|updated)>([^<]*)<\/\1>/g, (_m, tag: string, value: string) => {
        const ms = parseDate(value);
        return `<${tag}>${ms === null ? '' : new Date(ms).toISOString()}</${tag}>`;
      });
  });
}

/** Items read from one document, at most: feeds list their newest first, and only 200 are kept. */
export const MAX_ITEMS_READ = 500;

/**
 * Cuts a document after its `max`-th item and closes it, so that a feed of 50,000 items costs the
 * parser (and the isolate's 128 MB) no more than one of 500. Item end tags are counted outside
 * CDATA only. Returns null when the document has no more items than that.
 */
export function truncateItems(xml: string, root: string, max: number): string | null {
  const endTag = root === 'feed' ? '</entry>' : '</item>';
  const closing = root === 'feed' ? '</feed>' : root === 'rss' ? '</channel></rss>' : '</rdf:RDF>';
  let count = 0;
  let at = 0;
  for (;;) {
    const end = xml.indexOf(endTag, at);
    if (end < 0) return null;
    const cdata = xml.indexOf('<![CDATA[', at);
    if (cdata >= 0 && cdata < end) {
      const close = xml.indexOf(']]>', cdata + 9);
      if (close < 0) return null;
      at = close + 3;
      continue;
    }
    at = end + endTag.length;
    if (++count === max) return xml.indexOf(endTag, at) < 0 ? null : xml.slice(0, at) + closing;
  }
}

/** The root element's name, past comments, processing instructions and doctypes. */
function rootElement(xml: string): string | null {
  const match = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*<([A-Za-z_][\w:.-]*)/i.exec(xml);
  return match ? match[1]! : null;
}

/** The feed an HTML page links to with <link rel="alternate" type="…rss/atom/json…">. */
function alternateFeed(html: string, base: string): string | undefined {
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    const rel = attr('rel');
    const type = attr('type');
    const href = attr('href');
    const value = (m: RegExpExecArray | null) => (m ? (m[1] ?? m[2] ?? m[3] ?? '') : '');
    if (!/\balternate\b/i.test(value(rel)) || !/(rss|atom|feed)\+xml|feed\+json|application\/json/i.test(value(type))) continue;
    try {
      const url = new URL(decodeHTML(value(href)), base);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // not a URL: try the next link
    }
  }
  return undefined;
}

/**
 * Bytes of an upstream document to a clean feed, or the reason it is not one. Never throws.
 * Only the newest `maxItems` items are normalized and sanitized.
 */
export async function parseFeed(input: { bytes: Uint8Array; contentType: string | null; url: string; maxItems?: number }): Promise<ParseResult> {
  const maxItems = input.maxItems ?? 200;
  const { text } = decodeFeedBytes(input.bytes, input.contentType);
  const trimmed = text.replace(/^[\s\uFEFF\u0000]+/, '');
  if (trimmed.trim() === '') return { ok: false, kind: 'empty', message: 'The upstream sent an empty body.' };

  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return parseJsonFeed(trimmed, input.url, maxItems);
  }

  const start = trimmed.indexOf('<');
  const root = start < 0 ? null : rootElement(trimmed.slice(start));
  if (root === null) return { ok: false, kind: 'not_a_feed', message: 'The document is neither XML nor JSON.' };
  const rootName = root.toLowerCase();
  if (rootName === 'html' || /^<!doctype html/i.test(trimmed.slice(start))) {
    const alternate = alternateFeed(trimmed, input.url);
    return { ok: false, kind: 'not_a_feed', message: 'The upstream sent an HTML page, not a feed.', ...(alternate ? { alternate } : {}) };
  }
  if (!['rss', 'feed', 'rdf:rdf'].includes(rootName)) {
    return { ok: false, kind: 'not_a_feed', message: `Unknown format: the root element is <${root}>, not <rss>, <feed> or <rdf:RDF>.` };
  }

  let parsed: Parser.Output<RawItem> & { feedAttrs?: Record<string, string>; ttl?: string };
  const kind = rootName === 'feed' ? 'feed' : rootName === 'rss' ? 'rss' : 'rdf';
  const truncated = truncateItems(trimmed, kind, MAX_ITEMS_READ);
  try {
    parsed = (await parser.parseString(repairXml((truncated ?? trimmed).slice(start), kind))) as typeof parsed;
  } catch (error) {
    const message = error instanceof RangeError ? 'The document is nested too deeply to read.' : String(error instanceof Error ? error.message : error).split('\n').join(' ');
    return { ok: false, kind: 'invalid_xml', message: `The XML is not well-formed: ${message.slice(0, 300)}` };
  }
  const format = rootName === 'feed' ? 'atom' : 'rss';
  const feedBase = resolve(parsed.feedAttrs?.['xml:base'], input.url) ?? input.url;
  const siteUrl = resolve(typeof parsed.link === 'string' ? parsed.link : undefined, feedBase);
  const ttl = Number.parseInt(String(parsed.ttl ?? ''), 10);
  const { items, warnings } = await normalizeItems(parsed.items ?? [], { format, feedUrl: input.url, feedBase, siteUrl, maxItems });
  if (truncated !== null) warnings.unshift(`the document lists more than ${MAX_ITEMS_READ} items; only the first ${MAX_ITEMS_READ} were read`);
  return {
    ok: true,
    feed: {
      format,
      title: plainTitle(parsed.title),
      siteUrl: siteUrl && /^https?:/.test(siteUrl) ? siteUrl : null,
      description: plainTitle(parsed.description),
      ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
      items,
      warnings,
    },
  };
}

