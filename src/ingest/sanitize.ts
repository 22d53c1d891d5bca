import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { rewriteJoined } from '../render/joined-rewrite';

// The allowlist sanitizer for upstream HTML. The parsing is done by HTMLRewriter, the Workers
// runtime's binding of lol-html, Cloudflare's maintained streaming HTML5 tokenizer: it runs in
// workerd natively, needs no DOM, and being streaming it has no recursion a deeply nested
// document could exhaust. (sanitize-html, the usual npm choice, pulls postcss and nanoid, which
// do not load in the Workers test runtime; DOMPurify needs a DOM.) What is written here is only
// the policy: which elements and attributes pass and what a URL may be, in the style of
// sanitize-html's options. Everything not listed goes.

/** Elements dropped with everything inside them. */
const DROP_WITH_CONTENT = [
  'script', 'style', 'noscript', 'template', 'textarea', 'select', 'option', 'title', 'xmp', 'noembed', 'noframes',
  'plaintext', 'svg', 'math', 'object', 'embed', 'applet', 'form', 'input', 'button', 'base', 'meta', 'link', 'head',
  'frame', 'frameset', 'param', 'portal', 'dialog',
];

const GLOBAL_ATTRS = ['title', 'lang', 'dir'];

/** Elements kept, with the attributes each may keep (besides GLOBAL_ATTRS). */
const ALLOWED: Record<string, string[]> = {
  a: ['href'], abbr: [], b: [], bdi: [], bdo: [], blockquote: ['cite'], br: [], caption: [], cite: [], code: [],
  col: ['span'], colgroup: ['span'], dd: [], del: ['cite', 'datetime'], details: ['open'], dfn: [], div: [], dl: [], dt: [],
  em: [], figcaption: [], figure: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], hr: [], i: [],
  img: ['src', 'srcset', 'alt', 'width', 'height'], ins: ['cite', 'datetime'], kbd: [], li: ['value'], mark: [],
  ol: ['start', 'reversed', 'type'], p: [], picture: [], pre: [], q: ['cite'], rp: [], rt: [], ruby: [], s: [], samp: [],
  small: [], source: ['src', 'srcset', 'type', 'media', 'sizes'], span: [], strong: [], sub: [], summary: [], sup: [],
  table: [], tbody: [], td: ['colspan', 'rowspan', 'headers'], tfoot: [], th: ['colspan', 'rowspan', 'headers', 'scope'],
  thead: [], time: ['datetime'], tr: [], track: ['src', 'kind', 'srclang', 'label'], u: [], ul: [], var: [], wbr: [],
  audio: ['src', 'controls', 'loop', 'muted', 'preload'], video: ['src', 'poster', 'controls', 'width', 'height', 'loop', 'muted', 'preload'],
  iframe: ['src', 'width', 'height', 'allowfullscreen'],
};

const URL_ATTRS = new Set(['href', 'src', 'cite', 'poster']);

/** Hosts whose players may be embedded (https only, always sandboxed). */
export const IFRAME_HOSTS = new Set(['www.youtube.com', 'youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']);
const IFRAME_SANDBOX = 'allow-scripts allow-same-origin allow-popups';

const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;

/**
 * A URL attribute's value made safe: entity-decoded, stripped the way browsers strip it (tabs and
 * newlines inside, controls and spaces around), resolved against `base`, and kept only for http,
 * https and mailto (and data:image/* where `allowDataImage`). null: drop the attribute.
 */
export function safeUrl(raw: string, base: string, allowDataImage = false): string | null {
  const cleaned = decodeHTMLAttribute(raw).replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (cleaned === '') return null;
  if (allowDataImage && DATA_IMAGE.test(cleaned)) return cleaned;
  try {
    const url = new URL(cleaned, base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function safeSrcset(raw: string, base: string): string | null {
  const candidates = decodeHTMLAttribute(raw)
    .split(/,\s+|,(?=\S+\s)/)
    .map((c) => c.trim().split(/\s+/))
    .map(([url, ...descriptor]) => {
      const safe = url ? safeUrl(url, base) : null;
      return safe && /^https?:/.test(safe) ? [safe, ...descriptor.filter((d) => /^\d+(?:\.\d+)?[wx]$/.test(d))].join(' ') : null;
    })
    .filter((c) => c !== null);
  return candidates.length ? candidates.join(', ') : null;
}

const isPixel = (value: string | null) => value !== null && /^\s*[01](?:\.0*)?\s*(?:px)?\s*$/i.test(value);

/** The allowlist as a rewriter; `base()` gives the base URL of the fragment being read. */
function sanitizer(base: () => string, onComment: (text: string) => boolean): HTMLRewriter {
  return new HTMLRewriter()
    .on(DROP_WITH_CONTENT.join(','), { element: (el) => void el.remove() })
    .on('*', {
      element(el) {
        if (el.removed) return;
        const tag = el.tagName.toLowerCase();
        const allowed = ALLOWED[tag];
        if (!allowed) {
          // Unknown or presentational (font, center, custom elements…): keep the text, drop the tag.
          el.removeAndKeepContent();
          return;
        }
        const names = [...el.attributes].map(([name]) => String(name).toLowerCase());
        for (const name of names) {
          if (!allowed.includes(name) && !GLOBAL_ATTRS.includes(name)) el.removeAttribute(name);
        }
        for (const name of names.filter((n) => URL_ATTRS.has(n) && el.hasAttribute(n))) {
          const safe = safeUrl(el.getAttribute(name)!, base(), tag === 'img' && name === 'src');
          if (safe === null) el.removeAttribute(name);
          else el.setAttribute(name, safe);
        }
        if (el.hasAttribute('srcset')) {
          const safe = safeSrcset(el.getAttribute('srcset')!, base());
          if (safe === null) el.removeAttribute('srcset');
          else el.setAttribute('srcset', safe);
        }
        if (tag === 'a') {
          el.setAttribute('rel', 'noopener noreferrer');
        } else if (tag === 'img') {
          // No source, or a 1x1 (or 0x0) image: a tracking pixel, not content.
          if (!el.hasAttribute('src') && !el.hasAttribute('srcset')) el.remove();
          else if (isPixel(el.getAttribute('width')) && isPixel(el.getAttribute('height'))) el.remove();
        } else if (tag === 'iframe') {
          const src = el.getAttribute('src');
          const host = src ? new URL(src).hostname : '';
          if (!src || !src.startsWith('https:') || !IFRAME_HOSTS.has(host)) el.remove();
          else el.setAttribute('sandbox', IFRAME_SANDBOX);
        }
      },
    })
    .onDocument({
      comments: (comment) => {
        if (!onComment(comment.text)) comment.remove();
      },
      doctype: () => {},
    });
}

const ALLOWED_END_TAG = new RegExp(`^</(?:${Object.keys(ALLOWED).join('|')})\\s*>$`, 'i');

/**
 * Before the rewriter: every `&` that starts no character reference HTML knows becomes `&amp;`
 * (an undeclared `&xxe;` from a feed would otherwise reach readers as invalid HTML); the text
 * means the same. After it: end tags of elements that are not allowed go (the rewriter sees only
 * start tags, so a stray `</noscript>` would stay). Neither step can add markup.
 */
const fixAmpersands = (html: string) =>
  html.replace(/&(#\d+;?|#x[0-9a-f]+;?|[a-z][a-z0-9]*;?)?/gi, (match, ref: string | undefined) =>
    ref !== undefined && decodeHTML(match) !== match ? match : `&amp;${ref ?? ''}`);
const dropStrayEndTags = (html: string) =>
  html.replace(/<\/[a-z][^<>]*>/gi, (tag) => (ALLOWED_END_TAG.test(tag) ? tag : ''));

const run = async (rewriter: HTMLRewriter, html: string) =>
  dropStrayEndTags(
    await rewriter.transform(new Response(fixAmpersands(html), { headers: { 'content-type': 'text/html; charset=utf-8' } })).text(),
  );

/**
 * Sanitizes an HTML fragment from an upstream feed and makes every URL in it absolute against
 * `base`. The result holds only allowlisted elements and attributes.
 */
export async function sanitizeHtml(html: string, base: string): Promise<string> {
  if (html === '') return '';
  return run(sanitizer(() => base, () => false), html);
}

/**
 * `sanitizeHtml` for many fragments in one rewriter pass (see render/joined-rewrite.ts): the
 * marker comments also switch the base URL. If the joined pass fails or a fragment swallows the
 * markers after it, every fragment gets a pass of its own, and one that fails alone becomes a
 * rejected entry without touching the others.
 */
export async function sanitizeAll(fragments: { html: string; base: string }[]): Promise<PromiseSettledResult<string>[]> {
  const alone = () => Promise.allSettled(fragments.map((f) => sanitizeHtml(f.html, f.base)));
  const todo = fragments.map((f, i) => (f.html === '' ? -1 : i)).filter((i) => i >= 0);
  if (todo.length <= 1) return alone();
  let current = fragments[todo[0]!]!.base;
  let parts: string[] | null;
  try {
    parts = await rewriteJoined(
      todo.map((i) => fixAmpersands(fragments[i]!.html)),
      (markerIndex) =>
        sanitizer(() => current, (text) => {
          const k = markerIndex(text);
          if (k === null) return false;
          current = fragments[todo[k]!]!.base;
          return true;
        }),
    );
  } catch {
    parts = null;
  }
  if (parts === null) return alone();
  const out: PromiseSettledResult<string>[] = fragments.map(() => ({ status: 'fulfilled', value: '' }));
  todo.forEach((i, k) => (out[i] = { status: 'fulfilled', value: dropStrayEndTags(parts[k]!) }));
  return out;
}
