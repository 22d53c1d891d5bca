import type { DomElement } from './dom';
import { words } from './text';

// Class and id "hints": what a page's own markup says an element is. A class such as
// "share-buttons" or "jp-relatedposts" is split into words ("share", "buttons"), and the words are
// matched, never substrings of them (so "shadow" and "header" hold no "ad").

/**
 * Class tokens that describe the post, not the element (WordPress marks every post of a category
 * "category-social-media", which names no share bar). They are ignored.
 */
const DESCRIPTIVE_TOKEN = /^(?:category|tag|format|status|type|postid|post-format|has|is|author|page-id|parent-pageid|term)-|^post-\d/i;

/** The words of the element's class and id (an id that is a slug of the element's own text left out). */
export function hintWords(el: DomElement): string[] {
  const id = el.getAttribute('id') ?? '';
  const tokens = `${el.getAttribute('class') ?? ''} ${isTextSlug(id, el) ? '' : id}`.split(/\s+/).filter(Boolean);
  const words: string[] = [];
  for (const token of tokens) {
    // A token with markup characters is the rest of the page swallowed by an attribute whose
    // closing quote is missing (`id="ad-slot</div><div class=…`), not a name.
    if (DESCRIPTIVE_TOKEN.test(token) || /[<>="']/.test(token)) continue;
    // "related_posts" and "related-posts" are the same words. camelCase is not split: CSS-module
    // names such as "anchorWithStickyNavbar_LWe7" would then name a navbar.
    for (const word of token.toLowerCase().split(/[-_:.]+/)) if (word) words.push(word);
  }
  return words;
}

/**
 * Whether the id is a slug of the element's text: an anchor such as WordPress's
 * `<h2 id="h-how-to-use-social-shopping">How to Use Social Shopping</h2>` names the heading's words,
 * not what the element is (that heading is no share bar).
 */
function isTextSlug(id: string, el: DomElement): boolean {
  const slug = id
    .toLowerCase()
    .split(/[-_:.]+/)
    .filter((w) => w.length > 1);
  if (slug.length < 3) return false;
  const text = new Set(words(el.textContent ?? ''));
  return slug.filter((w) => text.has(w)).length >= slug.length * 0.75;
}

/**
 * Words of an ad slot. An ad slot holds no paragraphs of prose, so an element so named that holds
 * them is a wrapper the site puts around a stretch of the article and the ad beside it (a body
 * split into "section-and-ad" blocks): boilerplate.ts keeps it and judges what it holds.
 */
const AD_WORDS = new Set(['ad', 'ads', 'adslot', 'adunit', 'adsense', 'adsbygoogle', 'dfp', 'gpt']);
const AD_PREFIXES = ['advert'];

const BOILERPLATE_WORDS = new Set([
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
  'addtoany',
  'a2a',
  'shariff',
  'comment',
  'comments',
  'commentlist',
  'byline',
  'author',
  'authors',
  'bio',
  'tags',
  'categories',
  'sharing',
  'follow',
  'subscribe',
  'signup',
  'donate',
  'sr',
  'trending',
  'popular',
  'mostread',
  'mostpopular',
]);
const BOILERPLATE_PREFIXES = ['share', 'social', 'newsletter', 'related', 'sponsor', 'promo', 'subscri', 'recommend'];
/**
 * Words that name boilerplate on some sites and the article itself on others, removed only where
 * the element is a list of links or a short label without paragraphs (boilerplate.ts): page builders call every block a "widget" (Elementor's
 * post-content widget, HubSpot's `hs_cos_wrapper_widget` post body), "meta" and "toolbar" boxes
 * hold prose on some themes, news sites wrap the metered body in a "paywall" element, "print"
 * marks print-only copies and print buttons alike, navigation words turn up in utility class
 * names ("offset-nav", "w-screen") and slugs ("menu-innovation-strategies", "skip-item"), and a
 * "subscriber" box is the body a paywall shows to subscribers ("subscriber-only",
 * "subscriber-premium" on local news sites), where "subscribe" and "subscription" name the prompt.
 */
const WEAK_WORDS = new Set([
  'widget',
  'widgets',
  'meta',
  'paywall',
  'subscriber',
  'subscribers',
  'adv',
  'promoted',
  'toolbar',
  'print',
  'sidebar',
  'menu',
  'navbar',
  'nav',
  'navigation',
  'breadcrumb',
  'breadcrumbs',
  'pagination',
  'pager',
  'masthead',
  'screen',
  'skip',
]);

const NONE: ReadonlySet<string> = new Set();

/** Words of a byline, which inside a quotation or a figure name the quote's author (its attribution). */
export const AUTHOR_WORDS: ReadonlySet<string> = new Set(['author', 'authors', 'byline']);

/**
 * What the element's class and id say of it (`ignored` words left out): `strong`, a hint of boilerplate inside or around an
 * article (share bars, newsletter boxes, related posts, comments, bylines, menus); `ad`, an ad
 * slot's name and no other strong word (AD_WORDS); `weak`, a word that names boilerplate on some
 * sites and content on others (WEAK_WORDS); or null.
 */
export function boilerplateHint(el: DomElement, ignored: ReadonlySet<string> = NONE): 'strong' | 'ad' | 'weak' | null {
  let weak = false;
  let ad = false;
  for (const w of hintWords(el)) {
    if (ignored.has(w)) continue;
    if (WEAK_WORDS.has(w)) weak = true;
    else if (AD_WORDS.has(w) || AD_PREFIXES.some((p) => w.startsWith(p))) ad = true;
    else if (BOILERPLATE_WORDS.has(w) || BOILERPLATE_PREFIXES.some((p) => w.startsWith(p))) return 'strong';
  }
  return ad ? 'ad' : weak ? 'weak' : null;
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

/** Class and id words of a figure's caption or photo credit ("wp-caption-text", "image-credit"). */
const CAPTION_WORDS = new Set(['caption', 'captions', 'figcaption', 'credit', 'credits']);

/** Whether the element's class or id names it a caption or a photo credit. */
export function hasCaptionHint(el: DomElement): boolean {
  return hintWords(el).some((w) => CAPTION_WORDS.has(w));
}
