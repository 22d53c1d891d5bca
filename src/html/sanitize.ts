import { type DefaultTreeAdapterMap, defaultTreeAdapter, html as HTML, parseFragment, serialize } from 'parse5';

// The allowlist sanitizer for upstream HTML: parse, filter the tree, serialize the tree.
//
// Parsing is parse5, a well-kept implementation of the HTML standard's parsing algorithm (the one
// browsers run), pure JavaScript, so it runs in workerd as it does in Node. Each fragment is
// parsed as the content of a <div>, which is where pages and feed readers put it. The tree is
// then filtered against the allowlist below and serialized by parse5's serializer, so every text
// node and attribute value is escaped and nothing unfinished (a bare "<", an unclosed tag, a
// comment or an end tag that glues markup back together) can survive: what a reader's browser
// builds from the output is the filtered tree, not something the input smuggled past a tokenizer.
// (sanitize-html, the usual npm choice, parses with htmlparser2, which is not spec-compliant and
// pulls postcss, which does not load in workerd; DOMPurify needs a DOM. What is written here is
// only the policy, in the style of sanitize-html's options.)
//
// What makes the serialized output parse back to the same tree (no mutation XSS): no foreign
// content (svg, math: their namespace rules are what mXSS exploits), no element whose content is
// raw text or RCDATA (script, style, textarea, title, noscript, xmp, iframe's fallback…), no
// comments, and nesting capped so that serializing cannot exhaust the stack.

type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];
type ChildNode = DefaultTreeAdapterMap['childNode'];

/** Elements dropped with everything inside them. Any element outside the HTML namespace goes too. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'base',
  'meta',
  'link',
  'head',
  'frame',
  'frameset',
  'param',
  'portal',
  'dialog',
  'canvas',
  'map',
  'area',
  'fencedframe',
  'search',
  'selectedcontent',
  'keygen',
  'menu',
  'slot',
]);

const GLOBAL_ATTRS = new Set(['title', 'lang', 'dir']);

/** Elements kept, with the attributes each may keep (besides GLOBAL_ATTRS). Others are unwrapped: their content stays. */
const ALLOWED: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries({
    a: ['href'],
    abbr: [],
    b: [],
    bdi: [],
    bdo: [],
    blockquote: ['cite'],
    br: [],
    caption: [],
    cite: [],
    code: [],
    col: ['span'],
    colgroup: ['span'],
    dd: [],
    del: ['cite', 'datetime'],
    details: ['open'],
    dfn: [],
    div: [],
    dl: [],
    dt: [],
    em: [],
    figcaption: [],
    figure: [],
    h1: [],
    h2: [],
    h3: [],
    h4: [],
    h5: [],
    h6: [],
    hr: [],
    i: [],
    img: ['src', 'srcset', 'alt', 'width', 'height'],
    ins: ['cite', 'datetime'],
    kbd: [],
    li: ['value'],
    mark: [],
    ol: ['start', 'reversed', 'type'],
    p: [],
    picture: [],
    pre: [],
    q: ['cite'],
    rp: [],
    rt: [],
    ruby: [],
    s: [],
    samp: [],
    small: [],
    source: ['src', 'srcset', 'type', 'media', 'sizes'],
    span: [],
    strong: [],
    sub: [],
    summary: [],
    sup: [],
    table: [],
    tbody: [],
    td: ['colspan', 'rowspan', 'headers'],
    tfoot: [],
    th: ['colspan', 'rowspan', 'headers', 'scope'],
    thead: [],
    time: ['datetime'],
    tr: [],
    track: ['src', 'kind', 'srclang', 'label'],
    u: [],
    ul: [],
    var: [],
    wbr: [],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    video: ['src', 'poster', 'controls', 'width', 'height', 'loop', 'muted', 'preload'],
    iframe: ['src', 'width', 'height', 'allowfullscreen'],
  }).map(([tag, attrs]) => [tag, new Set(attrs)]),
);

const URL_ATTRS = new Set(['href', 'src', 'cite', 'poster']);

/** Hosts whose players may be embedded (https only, always sandboxed). */
export const IFRAME_HOSTS = new Set(['www.youtube.com', 'youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']);
const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups';

/**
 * Elements nested deeper than this are unwrapped into the ancestor at this depth (their content
 * stays). parse5's serializer recurses once per level; browsers stop nesting at 512 levels too.
 */
const MAX_DEPTH = 128;

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;

/**
 * A URL as an attribute holds it (character references already decoded), made safe: stripped the
 * way browsers strip it (the URL parser drops tabs and newlines inside, controls and spaces
 * around), resolved against `base`, and kept only for http, https and mailto (and
 * data:image/{png,jpeg,gif,webp} where `allowDataImage`). null: drop the attribute.
 */
export function safeUrl(value: string, base: string, allowDataImage = false): string | null {
  const cleaned = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (cleaned === '') return null;
  if (allowDataImage && DATA_IMAGE.test(cleaned)) return cleaned;
  try {
    const url = new URL(cleaned, base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function safeSrcset(value: string, base: string): string | null {
  const candidates = value
    .split(/,\s+|,(?=\S+\s)/)
    .map((c) => c.trim().split(/\s+/))
    .map(([url, ...descriptor]) => {
      const safe = url ? safeUrl(url, base) : null;
      return safe && /^https?:/.test(safe) ? [safe, ...descriptor.filter((d) => /^\d+(?:\.\d+)?[wx]$/.test(d))].join(' ') : null;
    })
    .filter((c) => c !== null);
  return candidates.length ? candidates.join(', ') : null;
}

const isPixel = (value: string | undefined) => value !== undefined && /^\s*[01](?:\.0*)?\s*(?:px)?\s*$/i.test(value);

/**
 * The element's attributes filtered by the policy, or null when the element itself must go (an
 * image with no source or a tracking pixel, an iframe from a host that is not allowed).
 */
function keptAttributes(el: Element, tag: string, base: string, snapshot: boolean): Element['attrs'] | null {
  if (snapshot) return snapshotAttributes(el, tag);
  const allowed = ALLOWED[tag]!;
  const attrs = new Map<string, string>();
  for (const { name, value, namespace } of el.attrs) {
    // parse5 lowercases names; a namespaced attribute only exists on foreign content, which is dropped.
    if (namespace || attrs.has(name) || !(allowed.has(name) || GLOBAL_ATTRS.has(name))) continue;
    if (URL_ATTRS.has(name)) {
      const safe = safeUrl(value, base, tag === 'img' && name === 'src');
      if (safe !== null) attrs.set(name, safe);
    } else if (name === 'srcset') {
      const safe = safeSrcset(value, base);
      if (safe !== null) attrs.set(name, safe);
    } else {
      attrs.set(name, value);
    }
  }
  if (tag === 'a') {
    attrs.set('rel', 'noopener noreferrer');
  } else if (tag === 'img') {
    // No source, or a 1x1 (or 0x0) image: a tracking pixel, not content.
    if (!attrs.has('src') && !attrs.has('srcset')) return null;
    if (isPixel(attrs.get('width')) && isPixel(attrs.get('height'))) return null;
  } else if (tag === 'iframe') {
    const src = attrs.get('src');
    if (!src?.startsWith('https:') || !IFRAME_HOSTS.has(new URL(src).hostname)) return null;
    attrs.set('sandbox', IFRAME_SANDBOX);
  }
  return [...attrs].map(([name, value]) => ({ name, value }));
}

/** Elements a snapshot leaves out: each would load something (a player, a sound, a film). */
const SNAPSHOT_DROPS = new Set(['iframe', 'audio', 'video', 'source', 'track']);

/** An element path as annotated for a snapshot (src/extract/paths.ts). */
const SNAPSHOT_PATH = /^\d{1,5}(?:\.\d{1,5}){0,127}$/;

/**
 * A snapshot's attributes: the global ones, an image's alt text and size, and the element's
 * path (data-sp); never a URL, so the snapshot loads nothing. An image without alt text goes.
 */
function snapshotAttributes(el: Element, tag: string): Element['attrs'] | null {
  if (SNAPSHOT_DROPS.has(tag)) return null;
  const attrs = new Map<string, string>();
  for (const { name, value, namespace } of el.attrs) {
    if (namespace || attrs.has(name)) continue;
    if (GLOBAL_ATTRS.has(name) || (tag === 'img' && (name === 'alt' || name === 'width' || name === 'height'))) attrs.set(name, value);
    else if (name === 'data-sp' && SNAPSHOT_PATH.test(value)) attrs.set(name, value);
    else if (tag === 'time' && name === 'datetime') attrs.set(name, value);
  }
  if (tag === 'img' && !attrs.get('alt')?.trim()) return null;
  return [...attrs].map(([name, value]) => ({ name, value }));
}

const context = defaultTreeAdapter.createElement('div', HTML.NS.HTML, []);

/**
 * Filters `parent`'s subtree in place, without recursion (a fragment may nest 100,000 levels):
 * each element kept is queued with its depth; an element unwrapped hands its children to the
 * element it was in, where they are filtered in its place.
 */
function filterTree(root: ParentNode, base: string, snapshot: boolean): void {
  const queue: [ParentNode, number, boolean][] = [[root, 0, false]];
  while (queue.length > 0) {
    const [parent, depth, inLink] = queue.pop()!;
    const pending = parent.childNodes.slice().reverse();
    const kept: ChildNode[] = [];
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (node.nodeName === '#text') {
        kept.push(node);
        continue;
      }
      if (!('tagName' in node)) continue; // comments, doctypes
      const tag = node.tagName;
      if (node.namespaceURI !== HTML.NS.HTML || DROP_WITH_CONTENT.has(tag)) continue;
      // A link inside a link is not HTML: the parser splits it when the output is read again.
      if (!ALLOWED[tag] || depth >= MAX_DEPTH || (inLink && tag === 'a')) {
        for (let i = node.childNodes.length - 1; i >= 0; i--) pending.push(node.childNodes[i]!);
        continue;
      }
      const attrs = keptAttributes(node, tag, base, snapshot);
      if (attrs === null) continue;
      node.attrs = attrs;
      node.parentNode = parent;
      // An iframe's children are its fallback, which the parser reads as raw text and the
      // serializer writes back unescaped: never kept.
      if (tag === 'iframe') node.childNodes = [];
      else queue.push([node, depth + 1, inLink || tag === 'a']);
      kept.push(node);
    }
    for (const node of kept) node.parentNode = parent;
    parent.childNodes = kept;
  }
}

/**
 * Sanitizes an HTML fragment from an upstream feed and makes every URL in it absolute against
 * `base`. The result holds only allowlisted elements and attributes, escaped by the serializer.
 */
export function sanitizeFragment(html: string, base: string): string {
  if (html === '') return '';
  const fragment = parseFragment(context, html, {});
  filterTree(fragment, base, false);
  return serialize(fragment);
}

/**
 * A page's body as a still picture for the console's rules builder: the same allowlist of
 * elements, but without a single URL (no link target, no image or media source: it loads
 * nothing), keeping each element's path (data-sp) so that what a person points at can be found
 * on the page again.
 */
export function sanitizeSnapshot(html: string): string {
  if (html === '') return '';
  const fragment = parseFragment(context, html, {});
  filterTree(fragment, 'http://invalid/', true);
  return serialize(fragment);
}

/**
 * Sanitizes many fragments, each on its own: one that fails (it cannot, short of running out of
 * memory) becomes a rejected entry without touching the others. Each fragment is parsed once;
 * parse5 has no per-call setup worth sharing, so nothing is gained by joining them.
 */
export async function sanitizeAll(fragments: { html: string; base: string }[]): Promise<PromiseSettledResult<string>[]> {
  return fragments.map(({ html, base }) => {
    try {
      return { status: 'fulfilled', value: sanitizeFragment(html, base) };
    } catch (reason) {
      return { status: 'rejected', reason };
    }
  });
}
