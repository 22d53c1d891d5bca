import type { DomElement } from './dom';
import { hasChromeHint } from './hints';
import { absoluteUrl, sameSite, withoutFragment } from './urls';

// Which links on a list page can be posts, and which part of the page each one belongs to.

/** Path segments of pages that list or describe other pages: taxonomies, authors, paging, feeds, accounts. */
const NOT_A_POST_SEGMENT =
  /\/(?:tag|tags|category|categories|topic|topics|label|labels|author|authors|user|users|profile|page|feed|feeds|rss|atom|comments?|wp-admin|wp-login\.php|login|signin|sign-in|signup|register|search|cart|account|subscribe|newsletters?|privacy|terms|contact|about|archives?|sitemap)(?:\/|$)/i;
const NOT_A_POST_FILE = /\.(?:xml|rss|atom|json|jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|css|js)$/i;
const DATE_ARCHIVE = /^\/\d{4}(?:\/\d{1,2}){0,2}\/?$/;
const NOT_A_POST_QUERY = /[?&](?:s|replytocom|share|paged?|cat|tag|author|feed|action)=/i;

/**
 * The absolute URL of a link that may lead to a post on the list page's site, or null: other
 * sites, the home page, the list page itself, anchors within it (#comments), tag, category,
 * author, paging, feed, account and search pages, date archives, files. The fragment is dropped
 * (`/post#comments` is the post).
 */
export function postUrl(href: string | null, base: string, pageUrl: string): string | null {
  if (!href || href.trim().startsWith('#')) return null;
  const abs = absoluteUrl(href, base);
  if (!abs || !sameSite(abs, pageUrl)) return null;
  const url = new URL(withoutFragment(abs));
  const path = url.pathname;
  if (path === '/' && url.search === '') return null;
  if (withoutFragment(abs) === withoutFragment(pageUrl)) return null;
  if (NOT_A_POST_SEGMENT.test(path) || NOT_A_POST_FILE.test(path) || DATE_ARCHIVE.test(path)) return null;
  if (NOT_A_POST_QUERY.test(url.search) || /^\/@[^/]+\/?$/.test(path)) return null;
  return url.href;
}

const CHROME_ROLES = new Set(['navigation', 'complementary', 'banner', 'contentinfo', 'search']);

/**
 * True when the element sits in page chrome between itself and `scope`: nav, aside, a page-level
 * header or footer (not an article's own), an element with a chrome role, or one whose class or
 * id says sidebar, widget, menu, footer, comments, related… Memoized per element in `memo`.
 */
export function inChrome(el: DomElement, scope: DomElement, memo: Map<DomElement, boolean>): boolean {
  const path: DomElement[] = [];
  let result = false;
  for (let node: DomElement | null = el; node && node !== scope; node = node.parentElement) {
    const known = memo.get(node);
    if (known !== undefined) {
      result = known;
      break;
    }
    path.push(node);
    const tag = node.localName;
    const role = node.getAttribute('role');
    if (
      tag === 'nav' ||
      tag === 'aside' ||
      (role !== null && CHROME_ROLES.has(role)) ||
      ((tag === 'header' || tag === 'footer') && !node.closest('article')) ||
      hasChromeHint(node)
    ) {
      result = true;
      break;
    }
  }
  for (const node of path) memo.set(node, result);
  return result;
}

/** A link to a post, with its URL. */
export type PostLink = { anchor: DomElement; url: string };

const MANY = Symbol('many');

/**
 * The post links inside `scope` (outside its chrome), and for each element the URLs of the posts
 * it links to, so that a link's item block can be found: the largest ancestor holding links to
 * one post only.
 */
export class LinkIndex {
  readonly links: PostLink[] = [];
  private readonly urls = new Map<DomElement, string | typeof MANY>();

  constructor(
    readonly scope: DomElement,
    base: string,
    pageUrl: string,
    exclude: (url: string) => boolean = () => false,
  ) {
    const memo = new Map<DomElement, boolean>();
    for (const anchor of scope.querySelectorAll('a[href]')) {
      const url = postUrl(anchor.getAttribute('href'), base, pageUrl);
      if (!url || exclude(url) || inChrome(anchor, scope, memo)) continue;
      this.links.push({ anchor, url });
      for (let node: DomElement | null = anchor; node && node !== scope; node = node.parentElement) {
        const seen = this.urls.get(node);
        if (seen === MANY) break;
        this.urls.set(node, seen === undefined || seen === url ? url : MANY);
      }
    }
  }

  /** The distinct post URLs, in document order. */
  get distinctUrls(): string[] {
    return [...new Set(this.links.map((l) => l.url))];
  }

  /** The item block of a link: its largest ancestor (below the scope) that links to its post only. */
  blockOf(link: PostLink): DomElement {
    let block = link.anchor;
    for (
      let parent = block.parentElement;
      parent && parent !== this.scope && this.urls.get(parent) === link.url;
      parent = parent.parentElement
    ) {
      block = parent;
    }
    return block;
  }

  /** True when the element holds links to more than one post. */
  holdsSeveral(el: DomElement): boolean {
    return this.urls.get(el) === MANY;
  }
}
