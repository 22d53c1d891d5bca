import { dateOfElement, type HumanDateOptions, numericOrderOf } from './dates';
import { baseUrlOf, type DomDocument, type DomElement, MAX_LIST_ITEMS, parseHtml } from './dom';
import { ExtractError } from './extract-error';
import { LinkIndex, postUrl } from './links';
import { articleItems, repeatedItems, singleItem } from './list-blocks';
import { embeddedItems, looksLikeAppShell } from './list-embedded';
import { type ItemContext, readItem, yearGuessed } from './list-item';
import { type ListRules, type ListRulesInput, parseListRules } from './list-rules';
import { hFeedItems, jsonLdItems } from './list-structured';
import { findNextPage } from './pagination';
import { spacedText, textOf } from './text';
import type { ListItem, ListMethod, ListResult } from './types';
import { absoluteUrl, imageSource, withoutFragment } from './urls';

/** Where a list page keeps its posts, most specific first. The first holding two post links is the scope. */
const MAIN_AREAS = [
  'main',
  '[role="main"]',
  '#main',
  '#content',
  '#primary',
  '.site-main',
  '.main-content',
  '#main-content',
  '.content',
  '.main',
];

/**
 * Finds the posts listed on a page. With `rules` (validated here, see listRulesSchema) only the
 * rules are used. Otherwise the first of these that finds items wins: JSON-LD (ItemList, or
 * several Article/BlogPosting nodes), microformats2 h-feed/h-entry, `<article>` blocks with a
 * heading link, repeated blocks of the same shape (read again with asides and sidebar-named
 * wrappers as content when that finds nothing), a single post in the main area, then the data a
 * page that renders its list with JavaScript embeds (Next.js, Nuxt, inline JSON state). Links in
 * menus, sidebars, widgets, headers, footers and comments are ignored; the main content area (<main>, role=main, #content…) is
 * preferred; items are unique by URL (fragment ignored) and on the page's site. Dates are read
 * in `rules.dateLocale`, else the page's `<html lang>`; relative ones count from `now`.
 *
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts), `invalid_rules`,
 *   `nothing_found` (no item: the page is not a list, or the rules match nothing).
 */
export function extractList(html: string, url: string, rules?: ListRulesInput, now: number = Date.now()): ListResult {
  const parsedRules = rules === undefined ? undefined : parseListRules(rules);
  const doc = parseHtml(html);
  const base = baseUrlOf(doc, url);
  const locale = parsedRules?.dateLocale ?? doc.documentElement.getAttribute('lang');
  // A locale the person chose says the order of numeric dates; the page's own dates say it otherwise.
  const context: ItemContext = { base, dates: parsedRules?.dateLocale ? { now, locale } : datesOf(doc, html, now, locale) };
  const nextPage = findNextPage(doc, base, url);
  const warnings: string[] = [];

  let method: ListMethod;
  let items: ListItem[];
  if (parsedRules) {
    method = 'rules';
    items = ruleItems(doc, parsedRules, context, warnings);
  } else {
    const attempts = heuristicAttempts(doc, url, base, locale, context, nextPage);
    [method, items] = ['repeated', []];
    for (const [name, attempt] of attempts) {
      const found = attempt();
      if (found.length > 0) {
        [method, items] = [name, found];
        break;
      }
    }
  }

  items = withSettledYears(unique(items.filter((item) => item.url !== nextPage)));
  if (items.length === 0) {
    throw new ExtractError(
      'nothing_found',
      parsedRules
        ? `no item with a link matched the rules (item: ${parsedRules.item})`
        : looksLikeAppShell(doc)
          ? 'no list of posts was found on the page: the page needs a browser (it renders its list with JavaScript)'
          : 'no list of posts was found on the page',
    );
  }
  if (items.length > MAX_LIST_ITEMS) {
    warnings.push(`the page lists more than ${MAX_LIST_ITEMS} posts; only the first ${MAX_LIST_ITEMS} are returned`);
    items = items.slice(0, MAX_LIST_ITEMS);
  }
  const undated = items.filter((i) => i.published === null).length;
  if (undated === items.length) warnings.push('the list page shows no dates: read them from the article pages');
  else if (undated > 0) warnings.push(`${undated} of ${items.length} items have no date on the list page`);
  const untitled = items.filter((i) => i.title === '').length;
  if (untitled > 0) warnings.push(`${untitled} items have no title on the list page`);
  return nextPage ? { items, method, warnings, nextPage } : { items, method, warnings };
}

/** Something like a numeric date in the markup (not a path's "/2024/10/13/"): only then is the page's text read for their order. */
const NUMERIC_DATE_LIKE = /(?<![\d/.-])\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?![\d/])/;

/** How the page's dates are read: relative to `now`, in its language, numeric ones in the order its own dates show. */
function datesOf(doc: DomDocument, html: string, now: number, locale: string | null | undefined): HumanDateOptions {
  if (!NUMERIC_DATE_LIKE.test(html)) return { now, locale };
  const order = numericOrderOf(spacedText(doc.body ?? doc.documentElement), now, locale);
  return order === undefined ? { now, locale } : { now, locale, order };
}

/** One reading of a list page that found posts: how, and what it found. */
export type CandidateList = { method: ListMethod; items: ListItem[] };

/**
 * Every list the heuristics find on a page, in the order extractList tries them (its answer is
 * the first), each once: readings that find the same posts count as one. For a person choosing
 * the list a page source should read when the first is not it.
 *
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function candidateLists(html: string, url: string, now: number = Date.now()): CandidateList[] {
  const doc = parseHtml(html);
  const base = baseUrlOf(doc, url);
  const locale = doc.documentElement.getAttribute('lang');
  const nextPage = findNextPage(doc, base, url);
  const found: CandidateList[] = [];
  const seen = new Set<string>();
  for (const [method, attempt] of heuristicAttempts(doc, url, base, locale, { base, dates: datesOf(doc, html, now, locale) }, nextPage)) {
    const items = withSettledYears(unique(attempt().filter((item) => item.url !== nextPage))).slice(0, MAX_LIST_ITEMS);
    const key = items.map((item) => withoutFragment(item.url)).join('\n');
    if (items.length === 0 || seen.has(key)) continue;
    seen.add(key);
    found.push({ method, items });
  }
  return found;
}

/**
 * The heuristic readings of a page, most specific first, each run only when called: extractList
 * takes the first that finds items, candidateLists every one that does.
 */
function heuristicAttempts(
  doc: DomDocument,
  url: string,
  base: string,
  locale: string | null | undefined,
  context: ItemContext,
  nextPage: string | null | undefined,
): [ListMethod, () => ListItem[]][] {
  const body = doc.body ?? doc.documentElement;
  const exclude = (u: string) => u === nextPage;
  const options = { exclude, locale };
  const mainIndex = mainAreaIndex(doc, (el) => new LinkIndex(el, base, url, options));
  const index = mainIndex ?? new LinkIndex(body, base, url, options);
  // Where the list sits in an aside or a box whose class names a sidebar (a layout wrapper),
  // the strict reading finds nothing: it is read again with only navigation left out.
  let relaxed: LinkIndex | null = null;
  const relaxedIndex = () => {
    relaxed ??=
      mainAreaIndex(doc, (el) => new LinkIndex(el, base, url, { ...options, relaxed: true })) ??
      new LinkIndex(body, base, url, { ...options, relaxed: true });
    return relaxed;
  };
  return [
    ['json-ld', () => jsonLdItems(doc, () => new LinkIndex(body, base, url, options), url, context)],
    ['h-feed', () => hFeedItems(doc, url, context)],
    [
      'article',
      () =>
        featuredBefore(
          widerList(articleItems(index, context), index, () => repeatedItems(index, context)),
          index.scope,
          url,
          context,
        ),
    ],
    ['repeated', () => featuredBefore(repeatedItems(index, context), index.scope, url, context)],
    ['article', () => articleItems(relaxedIndex(), context)],
    ['repeated', () => repeatedItems(relaxedIndex(), context)],
    ['repeated', () => singleItem(mainIndex ?? mainAreaIndex(doc, (el) => new LinkIndex(el, base, url, options), 1), context)],
    ['embedded', () => embeddedItems(doc, url, context)],
  ];
}

/**
 * The `<article>` blocks found, or the repeated blocks where they hold every one of those posts
 * and more: a page showing its latest posts as article cards and older ones as a list of titles.
 */
function widerList(articles: ListItem[], index: LinkIndex, repeated: () => ListItem[]): ListItem[] {
  // Read again only where the area links to posts the articles do not hold.
  if (articles.length === 0 || index.distinctUrls.length <= articles.length) return articles;
  const wider = repeated();
  if (wider.length <= articles.length) return articles;
  const urls = new Set(wider.map((item) => withoutFragment(item.url)));
  return articles.every((item) => urls.has(withoutFragment(item.url))) ? wider : articles;
}

/** Levels above the list's area, and siblings before each, searched for a featured post. */
const FEATURED_LEVELS = 3;
const FEATURED_SIBLINGS = 3;

/**
 * The list with the post a page features before it, in a box of its own (an `<aside>` or section
 * holding one `<article>` whose heading links to a post, as Pelican's default theme sets the
 * latest post above "Other articles"): that post first. The box is an aside at the head of the
 * list's area, or a box before that area when it is narrower than the page; the post is dated
 * where the list is.
 */
function featuredBefore(items: ListItem[], scope: DomElement, url: string, context: ItemContext): ListItem[] {
  if (items.length < 2) return items;
  const listed = new Set(items.map((item) => withoutFragment(item.url)));
  const dated = items.filter((i) => i.published !== null).length * 2 >= items.length;
  /** The post a box features: its one article, whose heading links to a post not in the list. */
  const featuredIn = (box: DomElement): ListItem | null => {
    if (!/^(?:aside|section|div|article)$/.test(box.localName) || box.closest('nav, header, footer, [role="navigation"]')) return null;
    const articles = box.matches('article') ? [box] : [...box.querySelectorAll('article')];
    if (articles.length !== 1) return null;
    const article = articles[0]!;
    const heading = article.querySelector('h1 a[href], h2 a[href], h3 a[href], h4 a[href]');
    const postAt = heading ? postUrl(heading.getAttribute('href'), context.base, url) : null;
    if (!postAt || listed.has(withoutFragment(postAt))) return null;
    const anchors = [...article.querySelectorAll('a[href]')].filter((a) => postUrl(a.getAttribute('href'), context.base, url) === postAt);
    const item = readItem(postAt, anchors, [article], context);
    return !item.title || (dated && item.published === null) ? null : item;
  };
  // An aside at the head of the list's own area (before any of its posts).
  for (const child of scope.children) {
    if (child.localName !== 'aside') {
      if (child.querySelector('a[href]')) break;
      continue;
    }
    const item = featuredIn(child);
    if (item) return [item, ...items];
  }
  if (scope.localName === 'body') return items;
  for (
    let node: DomElement | null = scope, level = 0;
    node && node.localName !== 'body' && level < FEATURED_LEVELS;
    node = node.parentElement, level++
  ) {
    let sibling = node.previousElementSibling;
    for (let n = 0; sibling && n < FEATURED_SIBLINGS; sibling = sibling.previousElementSibling, n++) {
      const item = featuredIn(sibling);
      if (item) return [item, ...items];
    }
  }
  return items;
}

/** The post links of the first main area (MAIN_AREAS order) that links to at least `least` posts. */
function mainAreaIndex(doc: DomDocument, indexOf: (el: DomElement) => LinkIndex, least = 2): LinkIndex | null {
  const tried = new Set<DomElement>();
  for (const selector of MAIN_AREAS) {
    const el = doc.querySelector(selector);
    if (!el || tried.has(el)) continue;
    tried.add(el);
    const index = indexOf(el);
    if (index.distinctUrls.length >= least) return index;
  }
  return null;
}

/**
 * The items, with the dates written without a year ("Dec 26", no year heading above) undone
 * unless the list's order bears out the year each took (the nearest before now): read so, they
 * must run newest first down the list. A list of such dates from several years ("Oct 13",
 * "May 6", "Dec 26" …) breaks that order, and its years are not on the page: the dates are then
 * left to the article pages rather than guessed.
 */
function withSettledYears(items: ListItem[]): ListItem[] {
  const guessed = items.filter((item) => yearGuessed.has(item));
  const inOrder = guessed.every((item, i) => i === 0 || item.published! <= guessed[i - 1]!.published!);
  if (inOrder) return items;
  return items.map((item) => (yearGuessed.has(item) ? { ...item, published: null } : item));
}

/** Items in document order, one per URL (fragments ignored); the first keeps its place and fields. */
function unique(items: ListItem[]): ListItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = withoutFragment(item.url);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Items selected by the caller's rules. An item without a link is skipped with a warning. */
function ruleItems(doc: DomDocument, rules: ListRules, { base, dates }: ItemContext, warnings: string[]): ListItem[] {
  const items: ListItem[] = [];
  const pick = (item: DomElement, selector: string | undefined) => (selector ? item.querySelector(selector) : null);
  [...doc.querySelectorAll(rules.item)].forEach((el, i) => {
    const linkEl = pick(el, rules.link) ?? pick(el, rules.title) ?? el;
    const anchor = linkEl.matches('a[href]')
      ? linkEl
      : (linkEl.querySelector('a[href]') ?? linkEl.closest('a[href]') ?? el.querySelector('a[href]'));
    const url = absoluteUrl(anchor?.getAttribute('href'), base);
    if (!url) {
      warnings.push(`item ${i + 1} has no link: skipped`);
      return;
    }
    const titleEl = pick(el, rules.title) ?? anchor;
    const item: ListItem = { url: withoutFragment(url), title: textOf(titleEl), published: dateOfRule(pick(el, rules.date), dates) };
    const summary = textOf(pick(el, rules.summary));
    if (summary) item.summary = summary;
    const imageEl = pick(el, rules.image);
    const img = imageEl?.matches('img') ? imageEl : imageEl?.querySelector('img');
    const image = img ? imageSource(img, base) : absoluteUrl(imageEl?.getAttribute('src') ?? imageEl?.getAttribute('content'), base);
    if (image) item.image = image;
    items.push(item);
  });
  return items;
}

function dateOfRule(el: DomElement | null, dates: HumanDateOptions): number | null {
  return el ? dateOfElement(el, dates) : null;
}
