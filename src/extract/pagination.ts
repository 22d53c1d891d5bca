import type { DomDocument } from './dom';
import { labelText, NEXT_PAGE } from './patterns';
import { textOf } from './text';
import { absoluteUrl, sameSite, withoutFragment } from './urls';

/** Links that themes use for "next page of the list" (WordPress puts "Older posts" in .nav-previous). */
const NEXT_SELECTORS = [
  'link[rel~="next"][href]',
  'a[rel~="next"][href]',
  '.nav-previous a[href], .nav-links .next[href], a.next[href], .next a[href], .pagination-next a[href], a.pagination-next[href], .older a[href], a.older-posts[href], .blog-pager-older-link[href]',
];

/** The boxes of NEXT_SELECTORS that hold the link rather than being it. */
const PAGER_BOXES = '.nav-previous, .next, .pagination-next, .older';

/**
 * The URL of the list's next (older) page: `<link rel=next>`, `<a rel=next>`, a themed "next" or
 * "older posts" link, or a link whose text says so ("Older posts", "Next page »", "Weiter",
 * "Page suivante"). Only on the same site, never the page itself.
 */
export function findNextPage(doc: DomDocument, base: string, pageUrl: string): string | undefined {
  const accept = (href: string | null) => {
    const url = absoluteUrl(href, base);
    return url && sameSite(url, pageUrl) && withoutFragment(url) !== withoutFragment(pageUrl) ? url : undefined;
  };
  for (const selector of NEXT_SELECTORS) {
    for (const el of doc.querySelectorAll(selector)) {
      // A pager's box holds a link or two; a list of posts that happens to be named "older" is no pager.
      const box = el.parentElement?.closest(PAGER_BOXES);
      if (box && box.querySelectorAll('a[href]').length > 2) continue;
      const url = accept(el.getAttribute('href'));
      if (url) return url;
    }
  }
  for (const a of doc.querySelectorAll('a[href]')) {
    const label = labelText(textOf(a) || (a.getAttribute('aria-label') ?? ''));
    if (label && NEXT_PAGE.test(label)) {
      const url = accept(a.getAttribute('href'));
      if (url) return url;
    }
  }
  return undefined;
}
