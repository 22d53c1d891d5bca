import { descendants, parseHtml } from './dom';

// Paths of a page's elements, for a person pointing at one in a snapshot of the page: each
// element under <body> carries PATH_ATTR, the indexes of its element ancestors below <body> and
// its own ("0.3.1"). The page is annotated once, on the tree extraction reads (linkedom), so a
// path names the same element wherever the annotated page is read again.

/** The attribute that carries an element's path. */
export const PATH_ATTR = 'data-sp';

/** What a path looks like: indexes joined by dots. */
export const PATH_PATTERN = /^\d{1,5}(?:\.\d{1,5}){0,127}$/;

/** The selector of the element at `path` of an annotated page (path checked against PATH_PATTERN by the caller). */
export const pathSelector = (path: string): string => `[${PATH_ATTR}="${path}"]`;

/**
 * The page with a path on every element of its body (a path the page itself wrote is replaced),
 * as a whole document and as the body's inner HTML, with the page's language.
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function annotatePaths(html: string): { html: string; body: string; lang: string | null } {
  const doc = parseHtml(html);
  const body = doc.body ?? doc.documentElement;
  for (const el of doc.documentElement.querySelectorAll(`[${PATH_ATTR}]`)) el.removeAttribute(PATH_ATTR);
  const paths = new Map([[body, '']]);
  for (const el of descendants(body)) {
    const own = paths.get(el)!;
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const path = own === '' ? String(i) : `${own}.${i}`;
      children[i]!.setAttribute(PATH_ATTR, path);
      paths.set(children[i]!, path);
    }
  }
  return { html: `<!DOCTYPE html>${doc.documentElement.outerHTML}`, body: body.innerHTML, lang: doc.documentElement.getAttribute('lang') };
}

/**
 * The paths of what `rules` find on an annotated page, to mark them in its snapshot: each item's
 * title (its `title` rule, else its first link), else the item itself; at most `max`.
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function pathsFound(annotated: string, rules: { item: string; title?: string }, max = 500): string[] {
  const doc = parseHtml(annotated);
  const paths: string[] = [];
  for (const item of doc.querySelectorAll(rules.item)) {
    const title = (rules.title ? item.querySelector(rules.title) : null) ?? item.querySelector('a[href]') ?? item;
    const path = title.getAttribute(PATH_ATTR);
    if (path) paths.push(path);
    if (paths.length >= max) break;
  }
  return paths;
}
