import { type DomElement, type DomNode, descendants, ELEMENT_NODE, TEXT_NODE } from './dom';
import { periodOf } from './dates';
import { hasChromeHint } from './hints';
import { textOf } from './text';
import { absoluteUrl, sameSite, withoutFragment } from './urls';

// Which links on a list page can be posts, and which part of the page each one belongs to.

/** Path segments of pages that list or describe other pages: taxonomies, authors, paging, feeds, accounts. */
const NOT_A_POST_SEGMENT =
  /\/(?:tag|tags|category|categories|topic|topics|label|labels|author|authors|user|users|profile|page|comments?|wp-admin|wp-login\.php|login|signin|sign-in|signup|register|search|cart|account|subscribe|newsletters?|privacy|terms|contact|about|archives?|sitemap)(?:\.(?:html?|php))?(?:\/|$)/i;
/** Feed paths, as feeds are named: in lower case (a post may be called "Atom"). */
const FEED_SEGMENT = /\/(?:feed|feeds|rss|atom)(?:\/|$)/;
const NOT_A_POST_FILE = /\.(?:xml|rss|atom|json|jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|css|js)$/i;
const DATE_ARCHIVE = /^\/\d{4}(?:\/\d{1,2}){0,2}\/?$/;
/** A path ending in a year or a year and month ("/year/2024/", "/archive/2024-03"): a period's archive. */
const PERIOD_ARCHIVE = /\/(?:19|20)\d\d(?:[-/]\d{1,2})?\/?$/;
const NOT_A_POST_QUERY = /[?&](?:s|replytocom|share|paged?|cat|tag|author|feed|action)=/i;
/** A count of posts set beside a period's label in an element of its own ("October <sup>3</sup>"). */
const COUNT = /^\(?\s*\d{1,4}\s*\)?$/;

/** An element's text without the post counts its child elements show: what a group's label names. */
function labelOf(el: DomElement): string {
  const counts = [...el.children].filter((c) => COUNT.test(textOf(c)));
  if (counts.length === 0) return textOf(el);
  return [...el.childNodes].map((n) => (counts.includes(n as DomElement) ? ' ' : (n.textContent ?? ''))).join('');
}

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
  if (
    NOT_A_POST_SEGMENT.test(path) ||
    FEED_SEGMENT.test(path) ||
    NOT_A_POST_FILE.test(path) ||
    DATE_ARCHIVE.test(path) ||
    PERIOD_ARCHIVE.test(path)
  )
    return null;
  if (NOT_A_POST_QUERY.test(url.search) || /^\/@[^/]+\/?$/.test(path)) return null;
  return url.href;
}

const CHROME_ROLES = new Set(['navigation', 'complementary', 'banner', 'contentinfo', 'search']);
/** Roles that stay chrome in a relaxed reading (see LinkIndex). */
const NAVIGATION_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search']);

/**
 * True when the element sits in page chrome between itself and `scope`: nav, aside, the page's
 * own header or footer (one inside an article, section, aside or main is that block's), an
 * element with a chrome role, or one whose class or id says sidebar, widget, menu, footer,
 * comments, related… Memoized per element in `memo`. `relaxed` keeps only navigation: nav, the
 * page's header and footer and navigation roles (asides and class hints then count as content).
 */
export function inChrome(el: DomElement, scope: DomElement, memo: Map<DomElement, boolean>, relaxed = false): boolean {
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
      (tag === 'nav' && !(relaxed && isPostNav(node))) ||
      (role !== null && (relaxed ? NAVIGATION_ROLES : CHROME_ROLES).has(role)) ||
      ((tag === 'header' || tag === 'footer') && isPageBand(node)) ||
      (!relaxed && (tag === 'aside' || hasChromeHint(node)))
    ) {
      result = true;
      break;
    }
  }
  for (const node of path) memo.set(node, result);
  return result;
}

/**
 * A `<nav>` that lists posts rather than places: an archive set out as navigation, read as
 * content in a relaxed reading. Inside the page's main area, it dates its links (`<time>`
 * elements, permalinks marked rel=bookmark, or a heading naming a year or a month right before
 * it or the box it opens); anywhere outside the page's header and footer, its links read as
 * titles (three or more, of TITLE_WORDS characters on average: a menu's labels are short).
 */
function isPostNav(nav: DomElement): boolean {
  // Asked for every link of a nav (a long one has thousands): read each nav once.
  let known = listNavs.get(nav);
  if (known === undefined) {
    known = listsPosts(nav);
    listNavs.set(nav, known);
  }
  return known;
}

const listNavs = new WeakMap<DomElement, boolean>();

function listsPosts(nav: DomElement): boolean {
  if (nav.parentElement?.closest('header, footer') != null) return false;
  if (readsAsTitles(nav)) return true;
  if (nav.parentElement?.closest('main, [role="main"]') == null) return false;
  if (nav.querySelector('time, a[rel~="bookmark"]') !== null) return true;
  for (let node: DomElement | null = nav, level = 0; node && level < NAV_LEVELS; node = node.parentElement, level++) {
    const before = node.previousElementSibling;
    if (before && HEADING.test(before.localName)) return periodOf(textOf(before)) !== null;
    if (before) return false;
  }
  return false;
}

/** Mean characters of a nav's link texts that make them titles, not a menu's labels. */
const TITLE_WORDS = 20;

function readsAsTitles(nav: DomElement): boolean {
  const texts = [...nav.querySelectorAll('a[href]')].map(textOf).filter((t) => t !== '');
  return texts.length >= 3 && texts.reduce((n, t) => n + t.length, 0) / texts.length >= TITLE_WORDS;
}

/** Levels above a nav searched for the period heading that dates it (a nav in a section in a box). */
const NAV_LEVELS = 3;

const isInPostNav = (anchor: DomElement): boolean => {
  const nav = anchor.closest('nav');
  return nav !== null && isPostNav(nav);
};

const YEAR_ALONE = /^\s*(?:19|20)\d\d\s*$/;

/**
 * A link to a year's archive set as the heading of that year's posts: its text the year alone,
 * in a box whose neighbours are not more such links (a widget listing the years).
 */
function isYearLinkBox(anchor: DomElement): boolean {
  if (!YEAR_ALONE.test(anchor.textContent ?? '')) return false;
  const box = anchor.parentElement;
  const yearLinkIn = (el: DomElement | null | undefined) =>
    el != null && [...el.querySelectorAll('a[href]')].some((a) => YEAR_ALONE.test(a.textContent ?? ''));
  return !yearLinkIn(box?.previousElementSibling) && !yearLinkIn(box?.nextElementSibling);
}

/** An element's tag and class attribute as written: boxes of one theme's template share it. */
const rawShape = (el: DomElement) => `${el.localName}.${el.getAttribute('class') ?? ''}`;

/** Levels above a header or footer searched for a repeated box (a card) that makes it the card's. */
const CARD_LEVELS = 3;

/**
 * Whether a `<header>` or `<footer>` is the page's own: not inside an article, section, aside or
 * main (whose header it would be), nor inside a box repeated beside boxes of its shape (a card's
 * header, in themes that build cards of plain divs).
 */
function isPageBand(band: DomElement): boolean {
  if (band.parentElement?.closest('article, section, aside, main')) return false;
  for (
    let node = band.parentElement, level = 0;
    node && node.localName !== 'body' && level < CARD_LEVELS;
    node = node.parentElement, level++
  ) {
    const own = rawShape(node);
    const prev = node.previousElementSibling;
    const next = node.nextElementSibling;
    if ((prev && rawShape(prev) === own) || (next && rawShape(next) === own)) return false;
  }
  return true;
}

/** A link that is a picture named by its alt text and nothing else (a photo wall's tile). */
function isPictureLink(anchor: DomElement): boolean {
  const img = anchor.querySelector('img[alt]');
  return img !== null && (img.getAttribute('alt') ?? '').trim().length >= 10 && textOf(anchor) === '';
}

/** A link to a post, with its URL. */
export type PostLink = { anchor: DomElement; url: string };

const MANY = Symbol('many');
const YEAR = /(?:19|20)\d\d/;
const HEADING = /^h[1-6]$/;
/** Characters of a paragraph around a link that make the link a mention in running text. */
const SENTENCE = 40;

/** What LinkIndex reads beyond the page's links. */
export type LinkIndexOptions = {
  /** URLs that are never posts (the list's next page). */
  exclude?: (url: string) => boolean;
  /**
   * Asides and chrome class hints count as content (for pages whose list sits in such a wrapper),
   * for the links in headings and articles there.
   */
  relaxed?: boolean;
  /** The page's language, for month names in archive headings. */
  locale?: string | null;
};

/**
 * The post links inside `scope` (outside its chrome, and outside running text: a link in the
 * middle of a teaser's sentence mentions another post, it is no item of the list), and for each
 * element the URLs of the posts it links to, so that a link's item block can be found: the
 * largest ancestor holding links to one post only, below any archive group headed by a year or
 * a month. The year such a heading gives each link is kept for dates written without one.
 */
export class LinkIndex {
  readonly links: PostLink[] = [];
  private readonly urls = new Map<DomElement, string | typeof MANY>();
  /** Elements holding a year or month heading of their own (an archive's group). */
  private readonly groups = new Set<DomElement>();
  private readonly years = new Map<DomElement, number>();

  constructor(
    readonly scope: DomElement,
    base: string,
    pageUrl: string,
    { exclude = () => false, relaxed = false, locale = null }: LinkIndexOptions = {},
  ) {
    const memo = new Map<DomElement, boolean>();
    const strictMemo = new Map<DomElement, boolean>();
    const mentions = new Mentions();
    for (const anchor of scope.querySelectorAll('a[href]')) {
      const url = postUrl(anchor.getAttribute('href'), base, pageUrl);
      if (!url || exclude(url) || inChrome(anchor, scope, memo, relaxed) || mentions.isMention(anchor, scope)) continue;
      // Read relaxed, a box named as chrome gives only the links of posts set out as posts (a
      // heading, an article, a picture with its title, a nav that lists posts): a widget's bare
      // list of links stays out.
      if (
        relaxed &&
        !anchor.closest('h1, h2, h3, h4, h5, h6, article') &&
        !isPictureLink(anchor) &&
        !isInPostNav(anchor) &&
        inChrome(anchor, scope, strictMemo)
      )
        continue;
      this.links.push({ anchor, url });
      for (let node: DomElement | null = anchor; node && node !== scope; node = node.parentElement) {
        const seen = this.urls.get(node);
        if (seen === MANY) break;
        this.urls.set(node, seen === undefined || seen === url ? url : MANY);
      }
    }
    if (this.links.length > 0) this.readPeriods(locale);
  }

  /**
   * One walk in document order: each heading (or `<dt>`) that names a year or a month and links
   * to no post marks its ancestors as archive groups, and the last year named is each link's.
   */
  private readPeriods(locale: string | null): void {
    // Most pages have no such heading: the walk is made only for those that do.
    const periods = new Map<DomElement, { year?: number }>();
    for (const el of this.scope.querySelectorAll('h1, h2, h3, h4, h5, h6, dt, summary')) {
      if (this.urls.has(el)) continue;
      const period = periodOf(labelOf(el), locale);
      if (period) periods.set(el, period);
    }
    // Themes also head a group with a plain box holding the year alone (`<div class="year">2024</div>`),
    // or a link to that year's archive; such a box counts where it heads several posts or a list,
    // never inside one post's block; a group of one post counts beside groups of the same shape
    // that hold several.
    const single: [DomElement, DomElement, { year?: number }][] = [];
    const groupShapes = new Set<string>();
    for (const el of this.scope.querySelectorAll('div, span, p, li, strong, b, time, a[href]')) {
      if (el.firstElementChild !== null) continue;
      const text = el.textContent ?? '';
      if (text.length > 40 || !YEAR.test(text) || periods.has(el) || this.urls.has(el)) continue;
      if (el.localName === 'a' ? !isYearLinkBox(el) : el.closest('a[href]')) continue;
      // The box, or the bar it sits in with other labels ("2024", "3 posts"), heads the posts after it.
      let holder = el.parentElement;
      while (holder && holder !== this.scope && !this.urls.has(holder)) holder = holder.parentElement;
      const next = el.nextElementSibling;
      const several = holder !== null && this.urls.get(holder) === MANY;
      const heads = several || (next !== null && /^(?:ul|ol|dl|table)$/.test(next.localName));
      const period = periodOf(text, locale);
      if (period?.year === undefined || period.month !== undefined) continue;
      if (heads) {
        periods.set(el, period);
        if (several && holder !== this.scope) groupShapes.add(rawShape(holder!));
      } else if (holder && holder !== this.scope) single.push([el, holder, period]);
    }
    for (const [el, holder, period] of single) if (groupShapes.has(rawShape(holder))) periods.set(el, period);
    if (periods.size === 0) return;
    for (const el of periods.keys()) {
      for (let node = el.parentElement; node && node !== this.scope && !this.groups.has(node); node = node.parentElement)
        this.groups.add(node);
    }
    const anchors = new Set(this.links.map((l) => l.anchor));
    let year: number | undefined;
    for (const el of descendants(this.scope)) {
      if (anchors.has(el)) {
        if (year !== undefined) this.years.set(el, year);
        continue;
      }
      const period = periods.get(el);
      if (period?.year !== undefined) year = period.year;
    }
  }

  /** The distinct post URLs, in document order. */
  get distinctUrls(): string[] {
    return [...new Set(this.links.map((l) => l.url))];
  }

  /**
   * The item block of a link: its largest ancestor (below the scope, and below an archive group)
   * that links to its post only. A list, or a wrapper inside a group, that holds a single item is
   * that item: an archive's month of one post has the shape of the months of several.
   */
  blockOf(link: PostLink): DomElement {
    let block = link.anchor;
    let grouped = false;
    for (
      let parent = block.parentElement;
      parent && parent !== this.scope && this.urls.get(parent) === link.url;
      parent = parent.parentElement
    ) {
      if (this.groups.has(parent)) {
        grouped = true;
        break;
      }
      block = parent;
    }
    if (block === link.anchor) return block;
    while ((grouped || /^(?:ul|ol|dl)$/.test(block.localName)) && block.children.length === 1 && !hasOwnText(block)) {
      const only = block.firstElementChild!;
      if (only === link.anchor || this.urls.get(only) !== link.url) break;
      block = only;
      grouped = true;
    }
    return block;
  }

  /** The year of the archive group a link sits under, when a heading before it names one. */
  yearOf(anchor: DomElement): number | undefined {
    return this.years.get(anchor);
  }

  /** The one post the element links to, or undefined (none, or several). */
  urlOf(el: DomElement): string | undefined {
    const url = this.urls.get(el);
    return url === MANY ? undefined : url;
  }

  /** True when the element holds links to more than one post. */
  holdsSeveral(el: DomElement): boolean {
    return this.urls.get(el) === MANY;
  }
}

function hasOwnText(el: DomElement): boolean {
  for (const node of el.childNodes) if (node.nodeType === TEXT_NODE && (node.textContent ?? '').trim() !== '') return true;
  return false;
}

/**
 * Links in running text: a link inside a paragraph, after some of its words, in a paragraph
 * longer than the link by a sentence (a teaser's "in my previous post"). Each paragraph's text
 * is measured once, in one walk that notes where each of its links starts.
 */
class Mentions {
  private readonly paragraphs = new Map<DomElement, { length: number; offsets: Map<DomElement, number> }>();

  isMention(anchor: DomElement, scope: DomElement): boolean {
    // A permalink (rel=bookmark) is the post's own link wherever it sits, never a mention of another.
    if (/(?:^|\s)bookmark(?:\s|$)/i.test(anchor.getAttribute('rel') ?? '')) return false;
    let p: DomElement | null = null;
    for (let node = anchor.parentElement; node && node !== scope; node = node.parentElement) {
      if (HEADING.test(node.localName)) return false;
      if (node.localName === 'p') {
        p = node;
        break;
      }
    }
    if (!p) return false;
    let known = this.paragraphs.get(p);
    if (!known) {
      known = measure(p);
      this.paragraphs.set(p, known);
    }
    const offset = known.offsets.get(anchor) ?? 0;
    return offset > 0 && known.length >= textOf(anchor).length + SENTENCE;
  }
}

/** A paragraph's length (non-space characters) and the offset at which each of its links starts. */
function measure(p: DomElement): { length: number; offsets: Map<DomElement, number> } {
  const offsets = new Map<DomElement, number>();
  let length = 0;
  const stack: DomNode[] = [p];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === TEXT_NODE) {
      length += (node.textContent ?? '').replace(/\s+/g, '').length;
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    if ((node as DomElement).localName === 'a') offsets.set(node as DomElement, length);
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { length, offsets };
}
