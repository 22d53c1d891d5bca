import { Readability } from '@mozilla/readability';
import { sanitizeFragment } from '../html/sanitize';
import { repeatsTitle } from '../html/text';
import { isLinkList, removeLeadingMeta, removeMarkedBoilerplate, removeTextBoilerplate } from './boilerplate';
import { baseUrlOf, type DomDocument, type DomElement, type DomNode, MAX_ELEMENTS, parseHtml } from './dom';
import { splitByline } from './authors';
import { ExtractError } from './extract-error';
import { readMetadata } from './metadata';
import { betterThanReadability, leadFigure, mainTextBlock, removeSecondary } from './secondary';
import { addSiblingSections, recordOrigins } from './sections';
import { removeTableOfContents, removeTrailingMeta } from './tail';
import { hasCaptionHint } from './hints';
import { CAPTION_MARK, normalizeSpace, plainText, textOf, visibleTextLength, words } from './text';
import type { Article } from './types';
import { absolutizeTree, imageSource } from './urls';

/** Options of extractArticle. */
export type ArticleOptions = {
  /** The moment relative dates ("3 hours ago") count from; default Date.now(). */
  now?: number;
  /** Language of written dates when the page does not say (ListRules.dateLocale). */
  dateLocale?: string;
  /**
   * CSS selector of the article body (ListRules.content). When it matches, that element is the
   * body (still cleaned of boilerplate) and Readability is not run.
   */
  contentSelector?: string;
  /** CSS selectors of elements taken out of the page before its body is read (ListRules.remove). */
  remove?: string[];
};

/** Bodies shorter than this (characters of text) are not articles: the page had nothing to extract. */
const MIN_TEXT = 25;
const EXCERPT_MAX = 300;

/**
 * Extracts the article of an HTML page: metadata (JSON-LD, OpenGraph, meta tags, markup) and the
 * body, found by Mozilla's Readability (or `contentSelector`) and cleaned of the boilerplate
 * Readability keeps (ad labels, share bars, newsletter boxes, related posts, comments, repeated
 * bylines). URLs are absolute against the page's URL (or its `<base>`). `contentHtml` is not
 * sanitized; see `extractSanitizedArticle`.
 *
 * @throws ExtractError `too_large` / `too_deep` (see dom.ts limits), `nothing_found` (no body text).
 */
export function extractArticle(html: string, url: string, options: ArticleOptions = {}): Article {
  const doc = parseHtml(html);
  const base = baseUrlOf(doc, url);
  const now = options.now ?? Date.now();
  const pageLang = doc.documentElement.getAttribute('lang');
  const meta = readMetadata(doc, base, { now, locale: options.dateLocale ?? pageLang });
  for (const selector of options.remove ?? []) for (const el of [...doc.querySelectorAll(selector)]) el.remove();

  let content = options.contentSelector ? selectContent(doc, options.contentSelector) : null;
  let readabilityTitle: string | null = null;
  let byline: string | null = null;
  if (content) {
    removeMarkedBoilerplate(content);
  } else {
    if (doc.body) revealHiddenContent(doc.body);
    if (doc.body) removeMarkedBoilerplate(doc.body);
    if (doc.body) markCaptions(doc.body);
    const origins = doc.body ? recordOrigins(doc.body) : null;
    const marked = doc.body ? markedBody(doc.body) : null;
    const main = doc.body ? mainTextBlock(doc.body) : null;
    let parsed: ReturnType<Readability<DomNode>['parse']>;
    try {
      parsed = new Readability<DomNode>(doc as never, {
        serializer: (node) => node as unknown as DomNode,
        maxElemsToParse: MAX_ELEMENTS,
      }).parse();
    } catch (error) {
      // Readability's own element limit (checkLimits refuses such pages first); anything else is a bug to surface.
      if (error instanceof Error && /^Aborting parsing document/.test(error.message)) throw new ExtractError('too_large', error.message);
      throw error;
    }
    content = (parsed?.content as DomElement | null | undefined) ?? null;
    // Readability's pick came from an aside, a figure or a comment thread: the page's main run of prose is the article.
    const better = content && origins ? betterThanReadability(content, origins, main) : null;
    if (better) content = better;
    else if (content && origins) addSiblingSections(content, origins);
    if (marked && (!content || disjoint(marked.text, plainText(content)))) content = marked.element;
    if (content) removeSecondary(content, origins);
    // The lead figure just before the body, which Readability leaves out as a block of its own.
    const figure = content && origins && content !== marked?.element ? leadFigure(content, origins) : null;
    if (content && figure) {
      const page = content.children.length === 1 && content.firstElementChild ? content.firstElementChild : content;
      const first = page.firstElementChild;
      if (first) first.before(figure.cloneNode(true));
      else page.appendChild(figure.cloneNode(true));
    }
    readabilityTitle = parsed?.title ? normalizeSpace(parsed.title) : null;
    byline = parsed?.byline ?? null;
  }
  if (!content) throw new ExtractError('nothing_found', 'no article body was found on the page');
  removeTableOfContents(content);
  // Only the body's URLs are made absolute (metadata resolves its own): Readability leaves the
  // URLs it cannot resolve as they are, linkedom documents having no base URI.
  absolutizeTree(content, base);

  const title = meta.title ?? readabilityTitle ?? textOf(doc.querySelector('h1'));
  const authors = meta.authors.length > 0 ? meta.authors : splitByline(byline ?? '').map((name) => ({ name }));
  removeTextBoilerplate(content);
  removeLeadingMeta(content, {
    title,
    description: meta.excerpt,
    authors: authors.map((a) => a.name),
    categories: meta.categories,
    url,
    now,
    locale: options.dateLocale ?? pageLang,
  });
  removeTrailingMeta(content, { title, authors: authors.map((a) => a.name), categories: meta.categories, url });
  // A photo post whose only words are its caption keeps them.
  const prose = plainText(content, { captions: false });
  const text = prose.length >= MIN_TEXT ? prose : plainText(content);
  for (const el of [...content.querySelectorAll(`[${CAPTION_MARK}]`)]) el.removeAttribute(CAPTION_MARK);
  if (text.length < MIN_TEXT) throw new ExtractError('nothing_found', 'the page has no article text');

  const firstImage = content.querySelector('img');
  return {
    title,
    authors,
    published: meta.published,
    modified: meta.modified,
    lang: meta.lang,
    image: meta.image ?? (firstImage ? imageSource(firstImage, base) : null),
    excerpt: excerptOf(meta.excerpt !== null && title !== null && repeatsTitle(meta.excerpt, title) ? null : meta.excerpt, text),
    categories: meta.categories,
    contentHtml: innerContent(content),
    text,
  };
}

/**
 * extractArticle, with `contentHtml` passed through Syndicate's allowlist sanitizer
 * (`sanitizeFragment`): what the ingest path stores.
 */
export function extractSanitizedArticle(html: string, url: string, options: ArticleOptions = {}): Article {
  const article = extractArticle(html, url, options);
  return { ...article, contentHtml: sanitizeFragment(article.contentHtml, url) };
}

/** Least text (characters) of a page's own `articleBody` mark for it to stand against Readability. */
const MARKED_MIN = 500;
/** Share of each other's words below which two bodies are different texts. */
const MIN_COVERAGE = 0.5;

/**
 * The body the page marks as the article with schema.org microdata (`itemprop="articleBody"`),
 * copied before Readability runs (it moves and rewrites nodes). Readability scores blocks by
 * text and commas and now and then prefers a block of other text (a login overlay, a list of
 * teasers). Where its choice and the marked body are different texts (neither holds half of the
 * other's words), the page's own mark wins. A mark around more than the article (the body with
 * its comments) holds Readability's choice, which then stands.
 */
function markedBody(body: DomElement): { element: DomElement; text: string } | null {
  for (const el of body.querySelectorAll('[itemprop~="articleBody"]')) {
    if (visibleTextLength(el) < MARKED_MIN) continue;
    const element = el.cloneNode(true);
    for (const unseen of [...element.querySelectorAll('script, style, noscript, template')]) unseen.remove();
    return { element, text: plainText(element) };
  }
  return null;
}

/** Whether neither text holds MIN_COVERAGE of the other's words. */
function disjoint(a: string, b: string): boolean {
  return coverage(a, b) < MIN_COVERAGE && coverage(b, a) < MIN_COVERAGE;
}

/** Share of the words of `expected` that `text` holds (as a multiset). */
function coverage(expected: string, text: string): number {
  const counts = new Map<string, number>();
  for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const wanted = words(expected);
  let found = 0;
  for (const w of wanted) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      found++;
      counts.set(w, n - 1);
    }
  }
  return wanted.length === 0 ? 1 : found / wanted.length;
}

/** Most visible text of an element named a caption: more is a block of the article so named. */
const CAPTION_MAX = 500;

/**
 * Marks the captions and photo credits that only their class names (`<p class="wp-caption-text">`,
 * `<span class="image-credit">`; a `<figcaption>` needs no mark), before Readability drops
 * classes. `text` is the article's prose: people who mark article bodies leave captions and
 * credits out (WCXB, the ir-research-data news set and trafilatura's evaluation pages all do),
 * while `contentHtml` keeps each figure whole, caption and credit included.
 */
function markCaptions(body: DomElement): void {
  for (const el of body.querySelectorAll('[class], [id]')) {
    if (hasCaptionHint(el) && visibleTextLength(el) <= CAPTION_MAX) el.setAttribute(CAPTION_MARK, '');
  }
}

/** What makes Readability skip an element as invisible. */
const HIDDEN = '[hidden], [aria-hidden="true"], [style*="display"], [style*="visibility"]';

/**
 * Pages that stream their server rendering (React puts each streamed part in a `<div hidden
 * id="S:n">` and a script moves it into place) or reveal the article by script ship it in hidden
 * elements, which Readability skips as invisible. When hidden elements hold over half of the page's
 * visible text, they are what a browser shows once the scripts ran: they are made visible.
 */
function revealHiddenContent(body: DomElement): void {
  // Hidden menus and link lists (a drawer, a mega menu) are not what the page hides its text in.
  const hidden = [...body.querySelectorAll(HIDDEN)].filter((el) => isHidden(el) && !el.parentElement?.closest(HIDDEN) && !isLinkList(el));
  const lengths = hidden.map((el) => visibleTextLength(el));
  if (lengths.reduce((a, b) => a + b, 0) <= visibleTextLength(body) / 2) return;
  for (const el of hidden) {
    el.removeAttribute('hidden');
    el.removeAttribute('aria-hidden');
    el.removeAttribute('style');
  }
}

const isHidden = (el: DomElement) =>
  el.hasAttribute('hidden') ||
  el.getAttribute('aria-hidden') === 'true' ||
  /display\s*:\s*none|visibility\s*:\s*hidden/i.test(el.getAttribute('style') ?? '');

/** The element `selector` names, or null; a selector linkedom cannot compile is an `invalid_rules` error. */
function selectContent(doc: DomDocument, selector: string): DomElement | null {
  try {
    return doc.querySelector(selector);
  } catch {
    throw new ExtractError('invalid_rules', `contentSelector: is not a valid CSS selector: ${selector}`);
  }
}

function excerptOf(description: string | null, text: string): string {
  const value = normalizeSpace(description ?? text.split('\n').find((line) => line.length >= 40) ?? text.split('\n')[0]);
  return value.length <= EXCERPT_MAX ? value : `${value.slice(0, EXCERPT_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

/** The body's HTML without Readability's page wrapper (`<div id="readability-page-1">`). */
function innerContent(content: DomElement): string {
  const only = content.children.length === 1 ? content.firstElementChild : null;
  const wrapper = only && /^readability-page-/.test(only.id) ? only : content;
  return wrapper.innerHTML.trim();
}
