import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { Builder } from 'xml2js';
import { parseDate } from './dates';
import { decodeFeedBytes } from '../fetch/decode';
import { parseJsonFeed } from './json-feed';
import { lenientXml } from './lenient';
import {
  ITEMS_PER_SOURCE,
  MAX_DESCRIPTION_CHARS,
  MAX_DESCRIPTION_GRAPHEMES,
  MAX_ITEMS_READ,
  MAX_WARNING_CHARS,
  MAX_WARNINGS,
} from '../limits';
import type { WindowCarry } from '../normalize';
import { normalizeItems, type RawItem } from './xml-items';
import { canonicalLanguage } from '../../domain/language';
import type { ParseResult } from '../types';
import type { ItemReuse } from '../unchanged';
import { feedTitle, plainTitle, resolve } from '../values';
import { inlineXhtml } from './xhtml';
import { locateRoot, prepare, repairLenient, repairXml, truncateItems } from './xml-repair';

// Raw elements rss-parser should hand over as they are, for what it does not read itself:
// xml:base (attributes), full Atom authors, links and categories, Dublin Core and media fields.
const OPTIONS: Parser.ParserOptions<Record<string, unknown>, RawItem> = {
  customFields: {
    feed: [
      ['$', 'feedAttrs', { keepArray: true }],
      ['link', 'feedLinks', { keepArray: true }],
      ['author', 'feedAuthors', { keepArray: true }],
      'ttl',
    ] as never,
    item: [
      ['$', 'attrs', { keepArray: true }],
      ['author', 'authorsRaw', { keepArray: true }],
      ['link', 'linksRaw', { keepArray: true }],
      ['category', 'categoriesRaw', { keepArray: true }],
      ['source', 'sourceRaw', { keepArray: true }],
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
      ['itunes:duration', 'itunesDuration'],
    ] as never,
  },
  // <rss> without a version is read as RSS 2.0, as most aggregators do.
  defaultRSS: 2,
};

// rss-parser derives a plain-text snippet from each item's description and content:encoded (RSS)
// or content (Atom) with regular expressions that take quadratic time on hostile markup: 60 KB of
// "a<p" cost 2 seconds of CPU, 120 KB 8 seconds; on a 15 MiB feed of full content they cost
// a second and a copy of all of it. Nothing here reads the snippets, so this parser's item
// readers get the item without those elements, and they are put back the way rss-parser's own
// `getContent` would have read them.
type XmlNode = Record<string, unknown[] | undefined>;
type ItemReaders = {
  parseItemRss(xmlItem: XmlNode, itemFields: unknown): RawItem;
  parseItemAtom(entry: XmlNode): RawItem & { contentRaw?: unknown[] };
};
function getContent(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const text = (node as { _?: unknown })._;
    if (typeof text === 'string') return text;
    return new Builder({ headless: true, rootName: 'div', renderOpts: { pretty: false } }).buildObject(node);
  }
  return '';
}

type Parsed = Parser.Output<RawItem> & {
  feedAttrs?: Record<string, string>;
  feedLinks?: unknown[];
  feedAuthors?: unknown[];
  ttl?: string;
  lastBuildDate?: string;
  language?: string;
  pubDate?: string;
};

/**
 * A new rss-parser for each document. Its xml2js parser keeps state after a failed parse (the
 * sax parser of the failed document keeps running after the error and writes into the one that
 * replaced it), so the same bytes read with one shared instance alternated between an error and
 * an ok; a parser used once holds nothing from another document. It costs a few objects.
 */
function newParser(): Parser<Record<string, unknown>, RawItem> {
  const parser = new Parser<Record<string, unknown>, RawItem>(OPTIONS);
  const readers = parser as unknown as ItemReaders;
  const readRss = readers.parseItemRss.bind(parser);
  const readAtom = readers.parseItemAtom.bind(parser);
  readers.parseItemRss = (xmlItem, itemFields) => {
    const { description, 'content:encoded': encoded, ...rest } = xmlItem;
    const item = readRss(rest, itemFields);
    if (description?.length) item.content = getContent(description[0]);
    if (encoded?.length) item['content:encoded'] = getContent(encoded[0]);
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
  return parser;
}

/** Reads a (repaired) document with a parser of its own; Atom xhtml constructs arrive as HTML strings (./xhtml.ts). */
export async function readXml(xml: string): Promise<Parsed> {
  return (await newParser().parseString(inlineXhtml(xml))) as Parsed;
}

const errorText = (error: unknown) =>
  error instanceof RangeError
    ? 'the document is nested too deeply to read'
    : String(error instanceof Error ? error.message : error)
        .split('\n')
        .join(' ')
        .slice(0, 200);

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

/** Atom: the site is the feed's `rel="alternate"` link (a link without `rel` is one), an HTML one first; never `self`. */
function atomSiteLink(links: unknown[] | undefined): string | undefined {
  const alternates = (links ?? [])
    .map((l) => (l && typeof l === 'object' ? ((l as { $?: Record<string, string> }).$ ?? {}) : {}))
    .filter(
      (a): a is Record<string, string> & { href: string } =>
        typeof a.href === 'string' && (a.rel === undefined || a.rel.trim() === '' || a.rel.trim() === 'alternate'),
    );
  return (alternates.find((a) => !a.type || /html/i.test(a.type)) ?? alternates[0])?.href;
}

/** The feed's own date: RSS channel pubDate or lastBuildDate (the older), Atom feed updated; never a future one. */
function feedDate(parsed: Parsed, now: number): number | null {
  const dates = [parseDate(parsed.pubDate), parseDate(parsed.lastBuildDate)].filter((d): d is number => d !== null && d <= now);
  return dates.length ? Math.min(...dates) : null;
}

const cutWarning = (warning: string) => (warning.length > MAX_WARNING_CHARS ? `${warning.slice(0, MAX_WARNING_CHARS - 1)}…` : warning);

/**
 * What a refresh hands over. `bytes` is let go of (replaced by an empty array) once decoded.
 * `reuse`: the stored items' digests (src/ingest/unchanged.ts), awaited only once the document is
 * parsed, so that their read from D1 overlaps the parse.
 */
type Input = {
  bytes: Uint8Array;
  contentType: string | null;
  url: string;
  maxItems?: number;
  reuse?: Promise<ItemReuse | undefined>;
  /** One window of a document read window by window (src/ingest/large-feed.ts). */
  carry?: WindowCarry;
};

/**
 * Bytes of an upstream document to a clean feed, or the reason it is not one. Never throws.
 * Only the newest `maxItems` items are normalized and sanitized.
 */
export async function parseFeed(input: Input): Promise<ParseResult> {
  const result = await parseDocument(input);
  if (result.ok) result.feed.warnings = boundWarnings(result.feed.warnings);
  return result;
}

/** A feed's warnings as a report carries them: at most MAX_WARNINGS, each cut to MAX_WARNING_CHARS. */
export function boundWarnings(all: string[]): string[] {
  const some = all.length > MAX_WARNINGS ? [...all.slice(0, MAX_WARNINGS - 1), `and ${all.length - MAX_WARNINGS + 1} more warnings`] : all;
  return some.map(cutWarning);
}

type XmlDocument = { kind: 'rss' | 'feed' | 'rdf'; source: string; truncated: boolean; warnings: string[] };

/**
 * The bytes decoded, and the XML document in them found and cut to MAX_ITEMS_READ items; or the
 * JSON text; or why it is not a feed. Synchronous, so that of the copies of a 15 MiB body made
 * on the way only what it returns outlives it.
 */
function locateDocument(input: Input): ParseResult | { json: string } | XmlDocument {
  const { text } = decodeFeedBytes(input.bytes, input.contentType);
  input.bytes = new Uint8Array(0);
  const found = findFeed(text, input.url);
  if ('ok' in found || 'json' in found) return found;
  const doc = found.start ? found.text.slice(found.start) : found.text;
  const truncated = truncateItems(doc, found.kind, MAX_ITEMS_READ);
  return { kind: found.kind, source: truncated ?? doc, truncated: truncated !== null, warnings: found.warnings };
}

/** Where a feed's XML starts in `text` (past `start` characters of `text`, which is trimmed), and what was skipped before it. */
type FoundFeed = { kind: 'rss' | 'feed' | 'rdf'; text: string; start: number; warnings: string[] };

/**
 * The XML feed in decoded text: its kind and where its root starts (what precedes it is skipped
 * with a warning); or the JSON text; or why it is not a feed. Also read on the first part of a
 * large document, which is then read window by window (src/ingest/large-feed.ts).
 */
export function findFeed(text: string, url: string): ParseResult | { json: string } | FoundFeed {
  const trimmed = text.replace(/^[\s\uFEFF\u0000]+/, '');
  if (trimmed === '') return { ok: false, kind: 'empty', message: 'The upstream sent an empty body.' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { json: trimmed };

  const located = locateRoot(trimmed);
  if (located.kind === 'html') {
    const alternate = alternateFeed(trimmed, url);
    return {
      ok: false,
      kind: 'not_a_feed',
      message: 'The upstream sent an HTML page, not a feed.',
      htmlPage: true,
      ...(alternate ? { alternate } : {}),
    };
  }
  if (located.kind === 'other') {
    return located.root === null
      ? { ok: false, kind: 'not_a_feed', message: 'The document is neither XML nor JSON.' }
      : {
          ok: false,
          kind: 'not_a_feed',
          message: `Unknown format: the root element is <${located.root.slice(0, 100)}>, not <rss>, <feed> or <rdf:RDF>.`,
        };
  }
  const warnings: string[] = [];
  const junk = trimmed.slice(0, located.start).trim();
  if (junk !== '') warnings.push(`${located.start} characters before the feed's XML were skipped: ${JSON.stringify(junk.slice(0, 80))}`);
  const rootName = located.root.toLowerCase();
  const kind = rootName === 'feed' ? 'feed' : rootName === 'rss' ? 'rss' : 'rdf';
  return { kind, text: trimmed, start: located.start, warnings };
}

/**
 * One window of a large document (its head, some items, its closing tags: parse/xml-windows.ts)
 * read like a whole document; `input.carry` carries the choice of items and their keys from the
 * windows before. Its bytes are not used.
 */
export async function parseWindow(
  source: string,
  kind: 'rss' | 'feed' | 'rdf',
  input: Omit<Input, 'bytes' | 'contentType'>,
): Promise<ParseResult> {
  return readDocument({ kind, source, truncated: false, warnings: [] }, { ...input, bytes: new Uint8Array(0), contentType: null });
}

/** What a document is, judged from its first bytes, without parsing it: a kind detection's answer. */
export type Sniffed = { kind: 'feed' } | { kind: 'html'; alternate?: string } | { kind: 'other'; message: string };

/**
 * Sniffs a fetched document the way a refresh would read it (the same decoding and root search):
 * a feed (RSS, Atom, RDF, or JSON with a JSON Feed version), an HTML page (with the feed it
 * advertises, if any), or something else. Cheap: no XML parse, no item is read.
 */
export function sniffDocument(bytes: Uint8Array, contentType: string | null, url: string): Sniffed {
  const text = decodeFeedBytes(bytes, contentType).text.replace(/^[\s\uFEFF\u0000]+/, '');
  if (text === '') return { kind: 'other', message: 'The URL answered an empty body.' };
  if (text.startsWith('{')) {
    try {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === 'string' && /jsonfeed\.org\/version\//.test(version)) return { kind: 'feed' };
    } catch {
      // not JSON: below
    }
    return { kind: 'other', message: 'The URL answered JSON that is not a JSON Feed.' };
  }
  const located = locateRoot(text);
  if (located.kind === 'feed') return { kind: 'feed' };
  if (located.kind === 'html') {
    const alternate = alternateFeed(text, url);
    return alternate ? { kind: 'html', alternate } : { kind: 'html' };
  }
  return { kind: 'other', message: 'The URL answered neither a feed nor an HTML page.' };
}

async function parseDocument(input: Input): Promise<ParseResult> {
  const found = locateDocument(input);
  if ('ok' in found) return found;
  if ('json' in found) return parseJsonFeed(found.json, input.url, input.maxItems ?? ITEMS_PER_SOURCE, input.reuse);
  return readDocument(found, input);
}

/** An XML document located (and cut) by locateDocument, parsed and its items normalized. */
async function readDocument(found: XmlDocument, input: Input): Promise<ParseResult> {
  const maxItems = input.maxItems ?? ITEMS_PER_SOURCE;
  const { kind, warnings } = found;

  let parsed: Parsed;
  let notWellFormed: string | null = null;
  try {
    parsed = await readXml(repairXml(found.source, kind));
  } catch (error) {
    // Not well-formed: a second, lenient parse salvages what it can (src/ingest/lenient.ts).
    notWellFormed = errorText(error);
    try {
      parsed = await readXml(repairLenient(lenientXml(prepare(found.source)), kind));
    } catch (second) {
      return {
        ok: false,
        kind: 'invalid_xml',
        message: `The XML is not well-formed: ${notWellFormed}; a lenient parse failed too (${errorText(second)})`,
      };
    }
  }
  // Read: the document's text is let go of (the parsed items hold their own parts of it).
  found.source = '';
  const format = kind === 'feed' ? 'atom' : 'rss';
  const feedBase = resolve(parsed.feedAttrs?.['xml:base'], input.url) ?? input.url;
  const link = format === 'atom' ? atomSiteLink(parsed.feedLinks) : typeof parsed.link === 'string' ? parsed.link : undefined;
  const siteUrl = resolve(link, feedBase);
  const ttl = Number.parseInt(String(parsed.ttl ?? ''), 10);
  const normalized = await normalizeItems(parsed.items ?? [], {
    format,
    feedUrl: input.url,
    feedBase,
    siteUrl,
    maxItems,
    feedAuthors: format === 'atom' ? (parsed.feedAuthors as RawItem['authorsRaw']) : undefined,
    reuse: await input.reuse,
    ...(input.carry ? { carry: input.carry } : {}),
  });
  const items = normalized.items;
  if (notWellFormed !== null) {
    if (!items.length)
      return { ok: false, kind: 'invalid_xml', message: `The XML is not well-formed: ${notWellFormed}; no item could be recovered` };
    warnings.push(
      `the XML was not well-formed (${notWellFormed}); ${items.length} item${items.length === 1 ? ' was' : 's were'} recovered by a lenient parse`,
    );
  }
  if (found.truncated) warnings.push(`the document lists more than ${MAX_ITEMS_READ} items; only the first ${MAX_ITEMS_READ} were read`);
  warnings.push(...normalized.warnings);
  return {
    ok: true,
    feed: {
      format,
      title: feedTitle(parsed.title, warnings),
      siteUrl: siteUrl && /^https?:/.test(siteUrl) ? siteUrl : null,
      description: plainTitle(parsed.description, MAX_DESCRIPTION_GRAPHEMES, MAX_DESCRIPTION_CHARS),
      ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
      language: canonicalLanguage(
        format === 'atom' ? parsed.feedAttrs?.['xml:lang'] : typeof parsed.language === 'string' ? parsed.language : null,
      ),
      date: feedDate(parsed, Date.now()),
      items,
      warnings,
    },
  };
}
