import { Tokenizer } from 'htmlparser2';
import { MAX_LENIENT_DEPTH } from '../limits';
import { fixReferences } from './xml-repair';

// The second, lenient parse of a document that is not well-formed, in the manner of Universal
// Feed Parser's loose mode: the document is read again by htmlparser2's tokenizer in XML mode (a
// well-kept, forgiving tokenizer: names keep their case, CDATA sections, comments, declarations
// and attributes in any quoting are read for us) and written back as a well-formed XML document
// that rss-parser then reads like any other.
//
// The tree is built here, not by htmlparser2's Parser, for two reasons. Its open-element stack
// is an array it unshifts into, which is quadratic in the depth: 100,000 nested elements took
// 10 s in Node, 200,000 took 42 s (0.2 s and 0.4 s here). And feeds need implied end tags no library knows: an RSS
// <title> left open is closed by the next <link>, an <item> by the next <item>, as HTML closes
// a <p> at the next <p>; without that, everything after an unclosed title would be inside it, and
// every item after an unclosed item nested in it and lost. The rest follows HTML's rules: an end
// tag closes the nearest open element of its name and everything inside it, an end tag with no
// open element of its name is ignored, whatever is open at the end is closed.

/** Elements that hold other feed elements: a feed element opening inside them is their child. */
const CONTAINERS = new Set([
  'rss',
  'channel',
  'rdf:RDF',
  'feed',
  'item',
  'entry',
  'image',
  'textInput',
  'textinput',
  'author',
  'contributor',
  'source',
  'media:group',
]);

/**
 * Feed elements that hold text (or, in broken feeds, HTML) but never another feed element: one of
 * these still open when a feed element starts was left unclosed.
 */
const LEAVES = new Set([
  'title',
  'link',
  'description',
  'guid',
  'pubDate',
  'lastBuildDate',
  'comments',
  'category',
  'enclosure',
  'language',
  'copyright',
  'generator',
  'ttl',
  'managingEditor',
  'webMaster',
  'docs',
  'content:encoded',
  'dc:creator',
  'dc:date',
  'dc:subject',
  'summary',
  'content',
  'id',
  'updated',
  'published',
  'subtitle',
  'rights',
  'icon',
  'logo',
  'name',
  'email',
  'uri',
  'url',
  'media:content',
  'media:thumbnail',
  'itunes:image',
  'itunes:duration',
  'itunes:summary',
]);

/** Items start here; a new one closes the one still open. */
const ITEMS = new Set(['item', 'entry']);

const XML_NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;

const escapeText = (text: string) => text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
const escapeLiteral = (text: string) => text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
const escapeAttribute = (value: string) => value.replace(/[<"]/g, (c) => (c === '<' ? '&lt;' : '&quot;'));

/**
 * A CDATA section that ends early (an unescaped "]]>" inside it, as in `a[b[0]]>1`) leaves its
 * real terminator in the text after it. When that text reaches another "]]>" before any markup,
 * the section is taken to run to it: the early terminator is split ("]]]]><![CDATA[>"), which
 * keeps the characters exactly. Linear: each part of the document is searched at most twice.
 */
function rejoinEarlyCdataEnds(xml: string): string {
  const parts: string[] = [];
  let copied = 0;
  let at = xml.indexOf('<![CDATA[');
  while (at >= 0) {
    let close = xml.indexOf(']]>', at + 9);
    if (close < 0) break;
    for (;;) {
      const markup = xml.indexOf('<', close + 3);
      const stray = xml.indexOf(']]>', close + 3);
      if (stray < 0 || (markup >= 0 && markup < stray)) break;
      parts.push(xml.slice(copied, close), ']]]]><![CDATA[>');
      copied = close + 3;
      close = stray;
    }
    at = xml.indexOf('<![CDATA[', close + 3);
  }
  if (copied === 0) return xml;
  parts.push(xml.slice(copied));
  return parts.join('');
}

type Open = { name: string; written: boolean };

const isFeedElement = (name: string) => LEAVES.has(name) || CONTAINERS.has(name);

/** How far down the open elements an implied end tag looks for a feed element (past inline markup). */
const IMPLY_REACH = 32;

/**
 * The document re-read leniently and written back well-formed: one root element (anything after
 * it is dropped), comments, processing instructions and doctypes dropped, text and attribute
 * values escaped (character references repaired as `repairXml` does), CDATA sections as text,
 * elements nested deeper than `maxDepth` dropped with their text kept. Linear in the document.
 */
export function lenientXml(xml: string, maxDepth = MAX_LENIENT_DEPTH): string {
  const doc = rejoinEarlyCdataEnds(xml);
  const out: string[] = [];
  // Every element open in the document, innermost last; `written` for those in the output (not
  // those with a name XML refuses, nested too deep, or after the root).
  const stack: Open[] = [];
  const openByName = new Map<string, number>();
  let depth = 0;
  let rootDone = false;

  const push = (open: Open) => {
    stack.push(open);
    openByName.set(open.name, (openByName.get(open.name) ?? 0) + 1);
    if (open.written) depth++;
  };
  /** Closes the open elements from the innermost down to and including stack[index]. */
  const closeTo = (index: number) => {
    while (stack.length > index) {
      const open = stack.pop()!;
      openByName.set(open.name, openByName.get(open.name)! - 1);
      if (!open.written) continue;
      out.push(`</${open.name}>`);
      if (--depth === 0) rootDone = true;
    }
  };
  /** The implied end tags before a feed element `name` starts. */
  const implyEnds = (name: string) => {
    for (;;) {
      let i = stack.length - 1;
      const floor = Math.max(0, stack.length - IMPLY_REACH);
      while (i >= floor && !(stack[i]!.written && isFeedElement(stack[i]!.name))) i--;
      if (i < floor) return;
      const inner = stack[i]!.name;
      if (!LEAVES.has(inner) && !(ITEMS.has(name) && ITEMS.has(inner))) return;
      closeTo(i);
    }
  };

  let tagName = '';
  let attributes: [string, string][] = [];
  let attributeName = '';
  let attributeValue = '';
  let inCdata = false;
  const openTag = (selfClosing: boolean) => {
    const name = tagName;
    const write = !rootDone && depth < maxDepth && XML_NAME.test(name);
    if (write && isFeedElement(name)) implyEnds(name);
    if (write) {
      const seen = new Set<string>();
      let tag = `<${name}`;
      for (const [key, value] of attributes) {
        if (!XML_NAME.test(key) || seen.has(key)) continue;
        seen.add(key);
        tag += ` ${key}="${escapeAttribute(fixReferences(value))}"`;
      }
      out.push(selfClosing ? `${tag}/>` : `${tag}>`);
      if (selfClosing && depth === 0) rootDone = true;
    }
    if (!selfClosing) push({ name, written: write });
    attributes = [];
  };
  const text = (value: string) => {
    if (depth > 0) out.push(inCdata ? escapeLiteral(value) : escapeText(fixReferences(value)));
  };

  const tokenizer = new Tokenizer(
    // Character references are left as they are and repaired by fixReferences, as in the strict path.
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname: (start, end) => {
        tagName = doc.slice(start, end);
      },
      onattribname: (start, end) => {
        attributeName = doc.slice(start, end);
      },
      onattribdata: (start, end) => {
        attributeValue += doc.slice(start, end);
      },
      onattribentity: () => {},
      onattribend: () => {
        attributes.push([attributeName, attributeValue]);
        attributeValue = '';
      },
      onopentagend: () => openTag(false),
      onselfclosingtag: () => openTag(true),
      onclosetag: (start, end) => {
        const name = doc.slice(start, end);
        if (!openByName.get(name)) return;
        let i = stack.length - 1;
        while (stack[i]!.name !== name) i--;
        closeTo(i);
      },
      ontext: (start, end) => text(doc.slice(start, end)),
      ontextentity: () => {},
      oncdata: (start, end, offset) => {
        inCdata = true;
        text(doc.slice(start, end - offset));
        inCdata = false;
      },
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => closeTo(0),
    },
  );
  tokenizer.write(doc);
  tokenizer.end();
  return out.join('');
}
