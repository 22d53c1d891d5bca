import { Parser } from 'htmlparser2';
import { DOMParser } from 'linkedom';
import { parse as parseStandard, serialize } from 'parse5';
import { ExtractError } from './extract-error';

// The DOM the extractors work on is linkedom's: pure JavaScript, so it runs in workerd as in Node,
// with querySelectorAll (css-select) and enough of the DOM for Mozilla's Readability. Its
// published types are mostly `any`, and this project has no DOM lib (the Workers types declare
// their own Element for HTMLRewriter), so the part of the DOM we use is typed here, once.

/** The DOM node interface the extractors rely on (linkedom's nodes satisfy it). */
export type DomNode = {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly parentElement: DomElement | null;
  readonly parentNode: DomNode | null;
  readonly childNodes: ArrayLike<DomNode> & Iterable<DomNode>;
  readonly nextSibling: DomNode | null;
  readonly previousSibling: DomNode | null;
  remove(): void;
};

/** An element, as the extractors use it. */
export type DomElement = DomNode & {
  readonly tagName: string;
  readonly localName: string;
  readonly id: string;
  readonly className: string;
  readonly children: ArrayLike<DomElement> & Iterable<DomElement>;
  readonly nextElementSibling: DomElement | null;
  readonly previousElementSibling: DomElement | null;
  readonly firstElementChild: DomElement | null;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  innerHTML: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  closest(selector: string): DomElement | null;
  matches(selector: string): boolean;
  appendChild(node: DomNode): DomNode;
  cloneNode(deep: boolean): DomElement;
  replaceWith(...nodes: (DomNode | string)[]): void;
  after(...nodes: DomNode[]): void;
  prepend(...nodes: DomNode[]): void;
  before(...nodes: DomNode[]): void;
};

/** A parsed HTML document. */
export type DomDocument = {
  readonly documentElement: DomElement;
  readonly body: DomElement | null;
  readonly head: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  createElement(tagName: string): DomElement;
  createTextNode(text: string): DomNode;
};

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/**
 * At most this many UTF-16 code units of HTML (5 Mi): a real article or list page is well under
 * 1 MB. Counted on the string as given, so the check costs nothing (bytes are never fewer).
 */
export const MAX_HTML_CHARS = 5 * 1024 * 1024;
/**
 * Elements nested deeper than this make the page refused. htmlparser2 and linkedom slow down
 * super-linearly with depth (10,000 levels: 0.4 s; 100,000: 11 s), and Readability's scoring
 * walks ancestors and descendants of every candidate, about depth² per chain (120 nested divs
 * cost it about half a second). Real pages nest 15 to 60 levels; the ingest sanitizer flattens
 * below 128 too.
 */
export const MAX_DEPTH = 128;
/**
 * Pages with more elements than this are refused. The largest of 1,431 real article pages measured
 * (WCXB's dev split and the ir-research-data news set) has 5,000; extraction costs 50 to 100
 * microseconds of CPU per element on the worst shapes, so 20,000 keeps a page near a second. A
 * Worker serves every request of its isolate on one thread: seconds spent on one page are
 * seconds every reader on that isolate waits (and `wrangler dev`'s proxy gives up on an isolate
 * that is silent for a few seconds while requests queue).
 */
export const MAX_ELEMENTS = 20_000;
/**
 * The work budget of one page: the sum over its elements of their depth (the ancestors each
 * one has), which bounds the walks extraction makes. Every pass of ours is linear in it (each
 * element's own subtree at most, never its parent's or the page's), and so is Readability, whose
 * scoring reads the text of candidates and their ancestors. 400,000 is 20,000 elements 20 levels
 * deep on average, or 4,000 elements 100 deep: about a second of CPU. The largest of the 1,431
 * real pages measured reaches 79,000. Measured, in one pass, by the tokenizer that checks the
 * other limits, so a page over budget costs a scan and no DOM. Time cannot be the budget: a
 * Worker's clock stands still while its code runs.
 */
export const MAX_NESTING_COST = 400_000;
/** Most items extractList returns from one page (a list page shows tens of posts, not thousands). */
export const MAX_LIST_ITEMS = 500;

/**
 * Refuses input over the limits above without building a DOM: htmlparser2's tokenizer (the one
 * linkedom parses with) counts open elements and nesting, and stops at the first limit crossed,
 * so a hostile page costs at most a scan up to that point. Says whether a link was left
 * unclosed (see parseHtml).
 */
export function checkLimits(html: string): { unclosedLink: boolean } {
  if (html.length > MAX_HTML_CHARS) {
    throw new ExtractError('too_large', `the page is ${html.length} characters of HTML; the limit is ${MAX_HTML_CHARS}`);
  }
  let depth = 0;
  let elements = 0;
  let cost = 0;
  let unclosedLink = false;
  const parser = new Parser(
    {
      onopentag() {
        depth += 1;
        elements += 1;
        cost += depth;
        if (depth > MAX_DEPTH) throw new ExtractError('too_deep', `elements are nested more than ${MAX_DEPTH} levels deep`);
        if (elements > MAX_ELEMENTS) throw new ExtractError('too_large', `the page has more than ${MAX_ELEMENTS} elements`);
        if (cost > MAX_NESTING_COST) {
          throw new ExtractError(
            'too_large',
            `the page's elements are nested too deeply for their number: more than ${MAX_NESTING_COST} element levels (the sum of every element's depth) is over the work budget of one page`,
          );
        }
      },
      onclosetag(name, implied) {
        if (implied && name === 'a') unclosedLink = true;
        depth -= 1;
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  return { unclosedLink };
}

/**
 * Parses a page into a DOM after checking it against the limits (ExtractError `too_large` or
 * `too_deep` otherwise).
 */
export function parseHtml(html: string): DomDocument {
  const { unclosedLink } = checkLimits(html);
  // linkedom builds the tree as htmlparser2 reads tags, which differs from a browser's where a
  // link is left unclosed (a theme that forgets each card's </a>): a stray end tag then closes
  // the link and the list around it, and the cards after it fall outside the list. The HTML
  // standard's tree construction (parse5) builds the tree a browser shows, and its serialization
  // is what linkedom then reads. Only such pages pay for the second parse.
  const doc = documentOf(unclosedLink ? serialize(parseStandard(html)) : html);
  // linkedom keeps the case it is given in createElement, and Readability creates "DIV" and
  // "P": in an HTML document those are div and p, as a browser makes them.
  const create = doc.createElement.bind(doc);
  doc.createElement = (tagName: string) => create(tagName.toLowerCase());
  return doc;
}

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html') as unknown as DomDocument;

/**
 * linkedom builds the tree as written, not as the HTML standard's tree construction would: a
 * fragment or an empty string has no <html> element, and a page without <body> has no body (its
 * `body` getter then throws). Such input is wrapped the way a browser would wrap it, keeping the
 * page's language.
 */
function documentOf(html: string): DomDocument {
  const doc = parse(html);
  const root = doc.documentElement as DomElement | null;
  if (root?.localName === 'html' && root.querySelector('body')) {
    mergeBodies(root);
    return doc;
  }
  const lang = /<html\b[^>]*?\blang\s*=\s*["']?([^"'\s>]+)/i.exec(html)?.[1];
  const inner = html.replace(/<!doctype[^>]*>|<\/?(?:html|body)\b[^>]*>/gi, '');
  return parse(`<!DOCTYPE html><html${lang ? ` lang="${lang.replace(/[^\w-]/g, '')}"` : ''}><body>${inner}</body></html>`);
}

/**
 * A stray element between `</head>` and `<body>` (a script, say) stays there in linkedom, whose
 * `body` getter then takes it for a missing body and inserts an empty one after the head: the
 * page would read as empty. A browser puts such elements into the head or body; here the body
 * moves up to follow the head (and any second body's children join the first). What comes after
 * `</html>` (a page that closes its html early, or pastes in a second page) linkedom leaves beside
 * the html element, outside the body, where Readability's walk up to `<body>` fails; a browser
 * puts it at the end of the body, and so does this.
 */
const METADATA = new Set(['base', 'link', 'meta', 'noscript', 'script', 'style', 'template', 'title']);

function mergeBodies(root: DomElement): void {
  const [first, ...rest] = [...root.children].filter((el) => el.localName === 'body');
  for (const body of rest) {
    for (const child of [...body.childNodes]) first!.appendChild(child);
    body.remove();
  }
  const head = [...root.children].find((el) => el.localName === 'head');
  // Elements written before <head> (a theme's <link> and <script> right after <html>) go into the
  // head, as a browser puts them: linkedom's head and body getters want the head first.
  if (head) {
    const before: DomElement[] = [];
    for (let el = root.firstElementChild; el && el !== head; el = el.nextElementSibling) before.push(el);
    for (const el of before.reverse()) {
      if (METADATA.has(el.localName)) head.prepend(el);
      else first?.prepend(el);
    }
  }
  if (head && first && head.nextElementSibling !== first) head.after(first);
  for (let after = root.nextSibling; after && first; after = root.nextSibling) first.appendChild(after);
}

/** Elements of `root` (itself included) in document order, without recursion. */
export function* descendants(root: DomElement): Generator<DomElement> {
  const stack: DomElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    yield el;
    const children = el.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The base URL of the page: its `<base href>` resolved against the page's URL, or the page's URL. */
export function baseUrlOf(doc: DomDocument, pageUrl: string): string {
  const href = doc.querySelector('base[href]')?.getAttribute('href');
  if (href) {
    try {
      return new URL(href.trim(), pageUrl).href;
    } catch {
      // An unreadable <base> is ignored, as browsers do.
    }
  }
  return pageUrl;
}
