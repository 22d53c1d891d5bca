import type { DomElement } from './dom';

/** `value` resolved against `base` when it is an http(s) URL, else null (javascript:, data:, mailto:, junk). */
export function absoluteUrl(value: string | null | undefined, base: string): string | null {
  if (value == null) return null;
  const cleaned = value.replace(/[\t\n\r]/g, '').trim();
  if (cleaned === '') return null;
  try {
    const url = new URL(cleaned, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The URL without its fragment: what identifies a page (`/post#comments` is `/post`). */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^www\./, '');

/**
 * True when both URLs belong to the same site, and so may be fetched because the page links
 * them: the same host ignoring "www.", or one host a subdomain of the other (news.example.com and
 * example.com), and the same port. A list page picks which pages Syndicate fetches, so it must
 * not reach another service on its host (`:8080`, `:6379`): a port written in either URL must be
 * the other's too. Without one (the scheme's default port) http and https are the same site, a
 * link from a page on http to its https copy, or back. A registrable-domain check would need the
 * public suffix list, which is large for what this decides.
 */
export function sameSite(a: string, b: string): boolean {
  const x = new URL(a);
  const y = new URL(b);
  if (x.port !== y.port) return false;
  const hx = hostOf(x);
  const hy = hostOf(y);
  return hx === hy || hx.endsWith(`.${hy}`) || hy.endsWith(`.${hx}`);
}

/** Attributes where lazy-loading scripts keep the real image source until the image scrolls into view. */
const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-orig-file', 'data-url'];
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

/** The real source of an image: a lazy-loading attribute if `src` is missing or a placeholder. */
export function imageSource(img: DomElement, base: string): string | null {
  const src = img.getAttribute('src');
  const placeholder = !src || /^data:/i.test(src.trim()) || /(?:blank|spacer|placeholder|lazy)[^/]*\.(?:gif|png|svg)$/i.test(src);
  if (!placeholder) return absoluteUrl(src, base);
  for (const name of LAZY_SRC) {
    const url = absoluteUrl(img.getAttribute(name), base);
    if (url) return url;
  }
  const srcset = img.getAttribute('srcset') ?? LAZY_SRCSET.map((n) => img.getAttribute(n)).find(Boolean);
  return srcset ? absoluteUrl(srcset.trim().split(/\s+/)[0], base) : null;
}

function absoluteSrcset(value: string, base: string): string {
  return value
    .split(/,\s+|,(?=\S+\s)/)
    .map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      const abs = absoluteUrl(url, base);
      return abs ? [abs, ...descriptor].join(' ') : null;
    })
    .filter((c) => c !== null)
    .join(', ');
}

/**
 * Makes every link and media URL under `root` absolute against `base`, and moves lazy-loaded
 * image sources into `src`/`srcset`, so that content taken out of the page still points at
 * the right files. URLs that are not http(s) are left as they are for the sanitizer to judge.
 */
export function absolutizeTree(root: DomElement, base: string): void {
  for (const el of root.querySelectorAll('[href],[src],[poster],[cite]')) {
    for (const name of ['href', 'src', 'poster', 'cite']) {
      const value = el.getAttribute(name);
      if (value === null || (name === 'src' && el.localName === 'img')) continue;
      const abs = absoluteUrl(value, base);
      if (abs) el.setAttribute(name, abs);
    }
  }
  for (const img of root.querySelectorAll('img')) {
    const src = imageSource(img, base);
    if (src) img.setAttribute('src', src);
    const srcset = img.getAttribute('srcset') ?? LAZY_SRCSET.map((n) => img.getAttribute(n)).find(Boolean);
    if (srcset) img.setAttribute('srcset', absoluteSrcset(srcset, base));
    // The lazy-loading copies have done their job; left in place they would be relative URLs.
    for (const name of [...LAZY_SRC, ...LAZY_SRCSET]) img.removeAttribute(name);
  }
  for (const source of root.querySelectorAll('source[srcset]')) {
    source.setAttribute('srcset', absoluteSrcset(source.getAttribute('srcset')!, base));
  }
}
