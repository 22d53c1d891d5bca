import type { DomElement } from './dom';

// Class and id "hints": what a page's own markup says an element is. A class such as
// "share-buttons" or "jp-relatedposts" is split into words ("share", "buttons"), and the words are
// matched, never substrings of them (so "shadow" and "header" hold no "ad").

/**
 * Class tokens that describe the post, not the element (WordPress marks every post of a category
 * "category-social-media", which names no share bar). They are ignored.
 */
const DESCRIPTIVE_TOKEN = /^(?:category|tag|format|status|type|postid|post-format|has|is|author|page-id|parent-pageid|term)-|^post-\d/i;

/** The words of the element's class and id. */
export function hintWords(el: DomElement): string[] {
  const tokens = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/).filter(Boolean);
  const words: string[] = [];
  for (const token of tokens) {
    if (DESCRIPTIVE_TOKEN.test(token)) continue;
    // "related_posts" and "related-posts" are the same words. camelCase is not split: CSS-module
    // names such as "anchorWithStickyNavbar_LWe7" would then name a navbar.
    for (const word of token.toLowerCase().split(/[-_:.]+/)) if (word) words.push(word);
  }
  return words;
}

const BOILERPLATE_WORDS = new Set([
  'ad',
  'ads',
  'adv',
  'adslot',
  'adunit',
  'adsense',
  'adsbygoogle',
  'dfp',
  'gpt',
  'respond',
  'disqus',
  'outbrain',
  'taboola',
  'popup',
  'modal',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'paywall',
  'addtoany',
  'a2a',
  'shariff',
  'comment',
  'comments',
  'commentlist',
  'byline',
  'dateline',
  'meta',
  'author',
  'authors',
  'bio',
  'tags',
  'categories',
  'breadcrumb',
  'breadcrumbs',
  'pagination',
  'pager',
  'sidebar',
  'widget',
  'widgets',
  'menu',
  'navbar',
  'nav',
  'navigation',
  'sharing',
  'follow',
  'subscribe',
  'signup',
  'donate',
  'masthead',
  'toolbar',
  'print',
  'screen',
  'sr',
  'skip',
]);
const BOILERPLATE_PREFIXES = ['share', 'social', 'newsletter', 'related', 'advert', 'sponsor', 'promo', 'subscri', 'recommend'];

/** Hints of boilerplate inside or around an article: ads, share bars, newsletter boxes, related posts, comments, bylines, widgets. */
export function hasBoilerplateHint(el: DomElement): boolean {
  return hintWords(el).some((w) => BOILERPLATE_WORDS.has(w) || BOILERPLATE_PREFIXES.some((p) => w.startsWith(p)));
}

const CHROME_WORDS = new Set([
  'sidebar',
  'widget',
  'widgets',
  'menu',
  'nav',
  'navbar',
  'navigation',
  'breadcrumb',
  'breadcrumbs',
  'footer',
  'masthead',
  'pagination',
  'pager',
  'comments',
  'comment',
  'respond',
  'tagcloud',
  'skip',
  'secondary',
  'ticker',
  'trending',
  'popular',
]);
const CHROME_PREFIXES = ['related', 'share', 'social', 'sponsor', 'advert', 'promo', 'newsletter', 'recommend'];

/** Hints of page chrome that lists of posts must not be read from: sidebars, widgets, menus, footers, comments, related posts. */
export function hasChromeHint(el: DomElement): boolean {
  return hintWords(el).some((w) => CHROME_WORDS.has(w) || CHROME_PREFIXES.some((p) => w.startsWith(p)));
}
