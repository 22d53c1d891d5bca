import { decodeHTML } from 'entities';
import { xmlSafe } from '../../html/text';
import { parseDate } from './dates';

// What real feeds do that XML parsers reject, repaired before parsing; and where in a document
// its root element is. Every scan here is linear in the document: no regular expression can
// backtrack across a CDATA section, and no search restarts from the beginning.

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** XML 1.0's Char production: what a character reference may name. */
export const isXmlChar = (cp: number) =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff);

// References to the characters XML forbids (see isXmlChar), spelled out digit by digit, so that
// allowed references never reach a callback: a million `&#65;` cost one regular-expression scan.
// Decimal: 0-8, 11, 12, 14-31, the surrogates 55296-57343, 65534, 65535, above 1114111.
const FORBIDDEN_DECIMAL =
  '0*(?:[0-8]|1[124-9]|2\\d|3[01]|5529[6-9]|55[3-9]\\d\\d|56\\d{3}|57[0-2]\\d\\d|573[0-3]\\d|5734[0-3]|6553[45]' +
  '|111411[2-9]|11141[2-9]\\d|1114[2-9]\\d\\d|111[5-9]\\d{3}|11[2-9]\\d{4}|1[2-9]\\d{5}|[2-9]\\d{6}|[1-9]\\d{7,})';
// Hexadecimal: 0-8, B, C, E-1F, D800-DFFF, FFFE, FFFF, above 10FFFF.
const FORBIDDEN_HEX =
  '0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]' +
  '|1[1-9a-fA-F][0-9a-fA-F]{4}|[2-9a-fA-F][0-9a-fA-F]{5}|[1-9a-fA-F][0-9a-fA-F]{6,})';
const FORBIDDEN_REFERENCE = new RegExp(`&#(?:${FORBIDDEN_DECIMAL}|[xX]${FORBIDDEN_HEX});`, 'g');
/** An `&` that starts no numeric reference: a named one, or none. */
const NOT_NUMERIC = /&(?!#\d+;|#[xX][0-9a-fA-F]+;)(?:([A-Za-z][A-Za-z0-9]*);)?/g;

/**
 * Character and entity references made acceptable to an XML parser, in text and attribute values
 * alike: a reference to a character XML forbids (`&#0;`, `&#x1B;`, `&#xFFFE;`, `&#xD800;`, beyond
 * U+10FFFF) is dropped, as the character itself would be; an HTML entity XML does not declare
 * (`&nbsp;`, `&mdash;`) becomes the numeric reference of what it means (the `entities` package
 * knows them); an unknown one and a bare `&` become text. Ampersands first: dropping a reference
 * can then never join an `&` to the text after it.
 */
export function fixReferences(part: string): string {
  if (!part.includes('&')) return part;
  return part
    .replace(NOT_NUMERIC, (match, name: string | undefined) => {
      if (name === undefined) return '&amp;';
      if (XML_ENTITIES.has(name)) return match;
      const decoded = decodeHTML(match);
      return decoded === match ? `&amp;${name};` : [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
    })
    .replace(FORBIDDEN_REFERENCE, '');
}

/**
 * Applies `fix` to the parts of an XML document outside CDATA sections, whose content is literal
 * and must stay as it is. A linear scan; no regular expression spans a section.
 */
function outsideCdata(xml: string, fix: (part: string) => string): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = xml.indexOf('<![CDATA[', at);
    if (start < 0) {
      out.push(fix(at === 0 ? xml : xml.slice(at)));
      return out.length === 1 ? out[0]! : out.join('');
    }
    const end = xml.indexOf(']]>', start + 9);
    const stop = end < 0 ? xml.length : end + 3;
    out.push(fix(xml.slice(at, start)), xml.slice(start, stop));
    at = stop;
  }
}

/**
 * Prepares a document for the strict parse. `prepare` removes the characters XML forbids and
 * skips the prolog: the XML declaration (the text is already decoded; its encoding would
 * mislead) and any DOCTYPE (so that no entity is ever expanded or fetched: billion laughs, XXE).
 * Outside CDATA sections, references to forbidden characters, HTML entities XML does not declare
 * and bare ampersands are repaired (`fixReferences`), and Atom dates that JavaScript cannot read
 * are rewritten or emptied, because rss-parser throws on one and loses the whole feed. A "]]>"
 * outside a CDATA section means one ended early: that is refused here (the lenient parse then has
 * its go).
 */
export function repairXml(text: string, root: 'rss' | 'feed' | 'rdf' = 'rss'): string {
  return outsideCdata(prepare(text), (part) => {
    if (part.includes(']]>')) throw new SyntaxError('"]]>" outside a CDATA section: a CDATA section ends early');
    return atomFixes(fixReferences(part), root);
  });
}

/**
 * What both parses need first: characters XML forbids removed, and the whole prolog (the XML
 * declaration, any DOCTYPE with its entities, comments, processing instructions) skipped, so that
 * the document starts at its root element. The prolog is only ever looked for at the start.
 */
export function prepare(text: string): string {
  const xml = xmlSafe(text);
  const prolog = PROLOG.exec(xml)![0].length;
  return prolog ? xml.slice(prolog) : xml;
}

function atomFixes(part: string, root: 'rss' | 'feed' | 'rdf'): string {
  let out = part;
  // rss-parser reads every Atom <link> as having attributes and throws on one without: an
  // RSS-style <link>URL</link> becomes <link href="URL"/>, an empty one goes.
  if (root === 'feed' && out.includes('<link')) {
    out = out.replace(/<link\s*(?:\/>|>([^<]*)<\/link>)/g, (_m, url: string | undefined) =>
      url?.trim() ? `<link href="${url.trim().replace(/"/g, '&quot;')}"/>` : '',
    );
  }
  if (out.includes('<published>') || out.includes('<updated>')) {
    out = out.replace(/<(published|updated)>([^<]*)<\/\1>/g, (_m, tag: string, value: string) => {
      const ms = parseDate(value);
      return `<${tag}>${ms === null ? '' : new Date(ms).toISOString()}</${tag}>`;
    });
  }
  return out;
}

/** `repairXml` for the output of the lenient parse, which is well-formed already: the Atom fixes only. */
export function repairLenient(xml: string, root: 'rss' | 'feed' | 'rdf'): string {
  return outsideCdata(xml, (part) => atomFixes(part, root));
}

/**
 * Cuts a document after its `max`-th item and closes it, so that a feed of 50,000 items costs the
 * parser (and the isolate's 128 MB) no more than one of 500. Item end tags are counted outside
 * CDATA only. Returns null when the document has no more items than that. Linear: the positions
 * of the next end tag and of the next CDATA section are each searched for once and kept until
 * the scan passes them.
 */
export function truncateItems(xml: string, root: 'rss' | 'feed' | 'rdf', max: number): string | null {
  const endTag = root === 'feed' ? '</entry>' : '</item>';
  const closing = root === 'feed' ? '</feed>' : root === 'rss' ? '</channel></rss>' : '</rdf:RDF>';
  let count = 0;
  let at = 0;
  let end = -1;
  let cdata = xml.indexOf('<![CDATA[');
  for (;;) {
    if (end < at) {
      end = xml.indexOf(endTag, at);
      if (end < 0) return null;
    }
    if (cdata >= 0 && cdata < at) cdata = xml.indexOf('<![CDATA[', at);
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

/**
 * A prolog: whitespace, processing instructions (the XML declaration among them), comments and
 * DOCTYPEs with their internal subset, and what a subset with a "]" in an entity value leaves
 * behind (more declarations, "]>"). Unrolled, so that it runs in linear time; it always matches
 * (maybe nothing), so it never backtracks.
 */
const PROLOG = /^(?:\s|<\?[^?]*(?:\?(?!>)[^?]*)*\?>|<!--[^-]*(?:-(?!->)[^-]*)*-->|<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>|<!ENTITY[^>]*>|\]\s*>)*/i;
const NAME = /^<([A-Za-z_][\w:.-]*)/;

/** The name of the first element, past the prolog. */
function rootElement(xml: string): string | null {
  const prolog = PROLOG.exec(xml)![0].length;
  return NAME.exec(prolog ? xml.slice(prolog, prolog + 256) : xml.slice(0, 256))?.[1] ?? null;
}

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf']);
const FEED_ROOT_TAG = /<(?:rss|feed|rdf:RDF)[\s/>]/;
const DECLARATION = /<\?xml[\s?]/;

type Located = { kind: 'feed'; start: number; root: string } | { kind: 'html' } | { kind: 'other'; root: string | null };

/**
 * Where the feed starts in a document. Publishers' servers print things before it: a PHP warning
 * as HTML (`<br />\n<b>Warning</b>: … on line <b>12</b><br />`), a BOM, blank lines, plain text.
 * Whatever precedes the XML declaration, or the feed's root element when there is no declaration,
 * is skipped, unless the feed would be inside it: an HTML page is a page (whatever "<rss" its
 * scripts or code samples contain) up to its `</html>`, and an element of the junk that is still
 * open there and closed after it encloses the would-be root.
 */
export function locateRoot(text: string): Located {
  const firstTag = text.indexOf('<');
  if (firstTag < 0) return { kind: 'other', root: null };
  const first = rootElement(text.slice(firstTag));
  if (first !== null && FEED_ROOTS.has(first.toLowerCase())) return { kind: 'feed', start: firstTag, root: first };
  const html = first?.toLowerCase() === 'html' || /^<!doctype\s+html/i.test(text.slice(firstTag, firstTag + 20));
  let from = firstTag;
  if (html) {
    const end = text.search(/<\/html\s*>/i);
    if (end < 0) return { kind: 'html' };
    from = end;
  }
  const rest = text.slice(from);
  const declaration = rest.search(DECLARATION);
  const feedRoot = rest.search(FEED_ROOT_TAG);
  const candidate = declaration < 0 ? feedRoot : feedRoot < 0 ? declaration : Math.min(declaration, feedRoot);
  if (candidate < 0) return html ? { kind: 'html' } : { kind: 'other', root: first };
  const root = rootElement(rest.slice(candidate));
  if (root === null || !FEED_ROOTS.has(root.toLowerCase())) return html ? { kind: 'html' } : { kind: 'other', root: root ?? first };
  const start = from + candidate;
  if (!html && first !== null && enclosesRest(text, firstTag, start, first)) return { kind: 'other', root: first };
  return { kind: 'feed', start, root };
}

/**
 * Whether the junk's first element (at `at`, named `name`) is still open where the candidate root
 * starts and is closed after it: then the candidate is inside it, not after it.
 */
function enclosesRest(text: string, at: number, start: number, name: string): boolean {
  const tagEnd = text.indexOf('>', at);
  if (tagEnd < 0 || tagEnd >= start || text[tagEnd - 1] === '/') return false;
  const closed = endTagAt(text, name, at);
  if (closed >= 0 && closed < start) return false;
  return endTagAt(text, name, start) >= 0;
}

/** The position of the first `</name>` (or `</name …>`) from `from`, or -1. */
function endTagAt(text: string, name: string, from: number): number {
  const endTag = `</${name}`;
  for (let at = text.indexOf(endTag, from); at >= 0; at = text.indexOf(endTag, at + endTag.length)) {
    const next = text.charAt(at + endTag.length);
    if (next === '>' || next === '' || /\s/.test(next)) return at;
  }
  return -1;
}
