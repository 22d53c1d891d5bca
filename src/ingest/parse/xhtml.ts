import { decodeXML } from 'entities';
import { Tokenizer } from 'htmlparser2';
import { escapeHtml } from '../../html/text';

// Atom text constructs of type="xhtml" (RFC 4287 §3.1.1.3: a title, subtitle, summary, content
// or rights holding one XHTML <div> whose children are the value) as HTML, before rss-parser reads
// the document. xml2js turns mixed content into objects grouped by element name, so the markup it
// would hand over has its blocks regrouped and its inline links moved to the end of their
// paragraph. Here the document is read once in order, each such construct's children are
// serialized as HTML (text escaped, namespace prefixes resolved), and the construct's XML is
// replaced by that HTML as escaped text, which xml2js reads as a plain string. The HTML then goes
// through the sanitizer like any other.

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const CONSTRUCTS = new Set(['title', 'subtitle', 'summary', 'content', 'rights']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Elements nested deeper than this inside a construct lose their tags, not their text (as the sanitizer flattens). */
const MAX_XHTML_DEPTH = 128;

/** Escapes text for XML element content. */
const escapeXmlText = (value: string) => value.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

type Open = { closer: string; scope: Map<string, string> | null };

/**
 * The document with every Atom `type="xhtml"` construct's content replaced by its HTML, escaped.
 * A document without one is returned as it is. Read by htmlparser2's tokenizer (its Parser's
 * open-element stack is quadratic in the depth); the document is well-formed by now, or the XML
 * parse that follows reports it. Linear in the document.
 */
export function inlineXhtml(xml: string): string {
  if (!/\btype\s*=\s*["']\s*xhtml\s*["']/.test(xml)) return xml;
  const scopes: Map<string, string>[] = [new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])];
  const lookup = (prefix: string) => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const uri = scopes[i]!.get(prefix);
      if (uri !== undefined) return uri;
    }
    return '';
  };
  const splices: { start: number; end: number; html: string }[] = [];
  // Every open element, innermost last, with the end tag it writes into the HTML ('' for none).
  const stack: Open[] = [];
  // While inside a construct: where its content starts, the stack's length with it open, the HTML
  // written so far, and whether anything but whitespace came yet.
  let capture: { start: number; depth: number; html: string[]; started: boolean } | null = null;

  let tagName = '';
  let attributes: [string, string][] = [];
  let attributeName = '';
  let attributeValue = '';

  const openTag = (endIndex: number, selfClosing: boolean) => {
    const attribs = attributes;
    attributes = [];
    let scope: Map<string, string> | null = null;
    for (const [attr, value] of attribs) {
      if (attr !== 'xmlns' && !attr.startsWith('xmlns:')) continue;
      scope ??= new Map();
      scope.set(attr === 'xmlns' ? '' : attr.slice(6), value.trim());
    }
    if (scope) scopes.push(scope);
    const colon = tagName.indexOf(':');
    const local = colon === -1 ? tagName : tagName.slice(colon + 1);
    const ns = lookup(colon === -1 ? '' : tagName.slice(0, colon));
    let closer = '';
    if (!capture) {
      const type = attribs.find(([a]) => a === 'type')?.[1].trim();
      // Atom 1.0 constructs; a document without the Atom namespace is read as Atom too.
      if (!selfClosing && type === 'xhtml' && (ns === ATOM_NS || ns === '') && CONSTRUCTS.has(local)) {
        capture = { start: endIndex + 1, depth: stack.length + 1, html: [], started: false };
      }
    } else {
      const depth = stack.length - capture.depth;
      // The value's <div> wrapper is not part of the value; one left in the Atom namespace (a feed
      // that forgot the XHTML xmlns) is read as the wrapper too. It writes no tags.
      const wrapper = depth === 0 && !capture.started && local === 'div';
      capture.started = true;
      if (!wrapper && depth < MAX_XHTML_DEPTH) {
        const tag = local.toLowerCase();
        let out = `<${tag}`;
        const hasLang = attribs.some(([a]) => a === 'lang');
        for (const [attr, value] of attribs) {
          // Unprefixed attributes are the element's own; of the namespaced ones only xml:lang means something in HTML.
          const name = attr === 'xml:lang' && !hasLang ? 'lang' : attr.includes(':') || attr === 'xmlns' ? null : attr.toLowerCase();
          if (name !== null) out += ` ${name}="${escapeHtml(decodeXML(value))}"`;
        }
        capture.html.push(`${out}>`);
        closer = VOID.has(tag) ? '' : `</${tag}>`;
        if (selfClosing) capture.html.push(closer);
      }
    }
    if (selfClosing) {
      if (scope) scopes.pop();
    } else stack.push({ closer, scope });
  };
  const text = (value: string) => {
    if (!capture) return;
    if (!capture.started && value.trim() !== '') capture.started = true;
    capture.html.push(escapeHtml(value));
  };

  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname: (start, end) => {
        tagName = xml.slice(start, end);
      },
      onattribname: (start, end) => {
        attributeName = xml.slice(start, end);
      },
      onattribdata: (start, end) => {
        attributeValue += xml.slice(start, end);
      },
      onattribentity: () => {},
      onattribend: () => {
        attributes.push([attributeName, attributeValue]);
        attributeValue = '';
      },
      onopentagend: (endIndex) => openTag(endIndex, false),
      onselfclosingtag: (endIndex) => openTag(endIndex, true),
      onclosetag: (start) => {
        const open = stack.pop();
        if (!open) return;
        if (open.scope) scopes.pop();
        if (!capture) return;
        if (stack.length < capture.depth) {
          splices.push({ start: capture.start, end: xml.lastIndexOf('<', start), html: capture.html.join('') });
          capture = null;
        } else capture.html.push(open.closer);
      },
      ontext: (start, end) => text(decodeXML(xml.slice(start, end))),
      ontextentity: () => {},
      oncdata: (start, end, offset) => text(xml.slice(start, end - offset)),
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    },
  );
  tokenizer.write(xml);
  tokenizer.end();
  if (splices.length === 0) return xml;
  const parts: string[] = [];
  let at = 0;
  for (const { start, end, html } of splices) {
    parts.push(xml.slice(at, start), escapeXmlText(html.trim()));
    at = end;
  }
  parts.push(xml.slice(at));
  return parts.join('');
}
