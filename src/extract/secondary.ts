import type { DomElement } from './dom';
import { type Origins, commonAncestor } from './sections';
import { textOf, visibleTextLength } from './text';

// What sits beside an article and is not it, told by structure rather than by class names (which
// Readability drops, and which sites choose freely): a box in an <aside> (an "about this blog"
// panel), a thread of readers' comments (items each with a "Reply" link), a gallery of figures.
// Readability scores blocks by their text and commas, so a long comment thread or a wordy panel
// can win over a short post, or join it as a sibling; these passes find the post again.

/** A comment's reply button or link, in the languages chrono-node reads dates in and a few more. */
const REPLY =
  /^(?:reply|reply to this comment|respond|antworten|répondre|responder|rispondi|beantwoorden|reageer|svara|vastaa|odpowiedz|ответить|返信|回复|답글)$/iu;

/** Least text (characters) an article keeps for the secondary parts beside it to be taken out. */
const MIN_KEPT = 150;

/** Whether the element is a reply link or button. */
const isReply = (el: DomElement) =>
  REPLY.test(
    textOf(el)
      .replace(/[^\p{L}\s]/gu, '')
      .trim(),
  );

/**
 * Whether the element is a thread of comments: at least two child items, at least half of them
 * holding a "Reply" link or button. Callers asking about the elements of a whole page pass a memo
 * (each thread is read once, not once per comment).
 */
export function isThread(el: DomElement, memo?: Map<DomElement, boolean>): boolean {
  const known = memo?.get(el);
  if (known !== undefined) return known;
  const thread = threadOf(el);
  memo?.set(el, thread);
  return thread;
}

function threadOf(el: DomElement): boolean {
  const items = [...el.children];
  if (items.length < 2) return false;
  let replies = 0;
  for (const item of items) {
    for (const control of item.querySelectorAll('a, button')) {
      if (isReply(control)) {
        replies++;
        break;
      }
    }
  }
  return replies >= 2 && replies * 2 >= items.length;
}

/** Whether the element is a box beside the article: an aside, or an element with the complementary role. */
const isAside = (el: DomElement) => el.localName === 'aside' || el.getAttribute('role') === 'complementary';

/**
 * Takes out of Readability's content the asides (known by their tag, or by where their paragraphs
 * were before Readability) and comment threads it kept beside the article, with a heading right
 * before a thread ("12 thoughts"), when the article keeps MIN_KEPT characters of text without them.
 */
export function removeSecondary(content: DomElement, origins: Origins | null): void {
  const found = [...content.querySelectorAll('aside, [role="complementary"], ol, ul, div, section')].filter(
    (el) => isAside(el) || (el.localName !== 'div' || el.children.length > 1 ? isThread(el) : false),
  );
  found.push(...teaserLists(content));
  // Readability turns the siblings it joins into divs: an aside is known by where its paragraphs were.
  if (origins) {
    const page = content.children.length === 1 && content.firstElementChild ? content.firstElementChild : content;
    for (const block of page.children) {
      const paragraphs = [...block.querySelectorAll('p')].filter((p) => origins.has(p));
      if (paragraphs.length > 0 && paragraphs.every((p) => fromAside(p, origins))) found.push(block);
    }
  }
  // Outermost only: a thread inside an aside goes with the aside.
  const outermost = found.filter((el) => !found.some((other) => other !== el && contains(other, el)));
  if (outermost.length === 0) return;
  const removed = outermost.reduce((n, el) => n + visibleTextLength(el), 0);
  if (visibleTextLength(content) - removed < MIN_KEPT) return;
  for (const el of outermost) {
    const before = el.previousElementSibling;
    if (before && /^h[1-6]$/.test(before.localName) && textOf(before).length <= 80 && !isAside(el)) before.remove();
    el.remove();
  }
}

/** Least linked headlines of a list of teasers. */
const MIN_TEASERS = 3;
/** Largest share of the content's text a list of teasers beside the article holds. */
const TEASER_SHARE = 0.25;
/** Most characters of summary per headline in a list of teasers: more is a listicle's prose under linked headings. */
const TEASER_TEXT = 200;

/**
 * The lists of teasers to other stories in the content ("More Middle East stories"): elements
 * whose headings, at least MIN_TEASERS, are all links, with a summary line each at most, holding
 * under TEASER_SHARE of the content's text. A post whose headings link to what they review
 * ("1. <a>The Pro 3</a>") writes paragraphs under each; a roundup post made of linked headings and
 * a line each is most of its content. Found from the headings up (each heading's ancestors, once),
 * not by asking every block for its headings.
 */
function teaserLists(content: DomElement): DomElement[] {
  const linked = new Map<DomElement, { count: number; text: number }>();
  const spoiled = new Set<DomElement>();
  for (const h of content.querySelectorAll('h2, h3, h4, h5, h6')) {
    const text = textOf(h);
    let link = 0;
    for (const a of h.querySelectorAll('a')) link += textOf(a).length;
    const isLink = text !== '' && link >= text.length * 0.8;
    for (let el = h.parentElement; el && el !== content; el = el.parentElement) {
      if (!isLink) spoiled.add(el);
      else {
        const at = linked.get(el) ?? { count: 0, text: 0 };
        at.count++;
        at.text += text.length;
        linked.set(el, at);
      }
    }
  }
  const most = visibleTextLength(content) * TEASER_SHARE;
  const lists: DomElement[] = [];
  for (const [el, { count, text }] of linked) {
    if (count < MIN_TEASERS || spoiled.has(el) || !/^(?:ol|ul|div|section)$/.test(el.localName)) continue;
    const length = visibleTextLength(el);
    if (length <= most && length - text <= count * TEASER_TEXT) lists.push(el);
  }
  return lists;
}

/** Whether the element sat in an aside before Readability ran. */
function fromAside(el: DomElement, origins: Origins): boolean {
  for (let node = origins.get(el)?.parent; node; node = origins.get(node)?.parent) if (isAside(node)) return true;
  return false;
}

function contains(root: DomElement, el: DomElement): boolean {
  for (let node: DomElement | null = el; node; node = node.parentElement) if (node === root) return true;
  return false;
}

/** Whether the element sits in a secondary part of the page: an aside, a figure, or a comment thread. */
function inSecondary(el: DomElement, threads: Map<DomElement, boolean>): boolean {
  for (let node: DomElement | null = el; node; node = node.parentElement) {
    if (isAside(node) || node.localName === 'figure' || node.localName === 'figcaption') return true;
    const parent = node.parentElement;
    if (parent && (node.localName === 'li' || node.localName === 'article')) {
      if (isThread(parent, threads)) return true;
    }
  }
  return false;
}

/** The page's main run of prose, found before Readability runs: see mainTextBlock. */
export type MainText = { element: DomElement; length: number };

/** Least paragraph text (characters) of a main run of prose worth standing against Readability's choice. */
const MAIN_MIN = 150;

/**
 * The element holding the most paragraph text of its own (its child paragraphs) outside asides,
 * figures and comment threads, and the length of that text: the post, whatever Readability makes
 * of the page. Null when the page has no such run of MAIN_MIN characters.
 */
export function mainTextBlock(body: DomElement): MainText | null {
  const threads = new Map<DomElement, boolean>();
  const secondary = new Map<DomElement, boolean>();
  const lengths = new Map<DomElement, number>();
  for (const p of body.querySelectorAll('p')) {
    const parent = p.parentElement;
    if (!parent) continue;
    let out = secondary.get(parent);
    if (out === undefined) {
      out = inSecondary(parent, threads);
      secondary.set(parent, out);
    }
    if (!out) lengths.set(parent, (lengths.get(parent) ?? 0) + textOf(p).length);
  }
  let best: MainText | null = null;
  for (const [element, length] of lengths) if (length >= MAIN_MIN && (!best || length > best.length)) best = { element, length };
  return best;
}

/**
 * Where Readability's content came from a secondary part of the page (its paragraphs' common
 * ancestor sits in an aside, a figure or a comment thread, or most of its text is figure
 * captions), the page's main run of prose is the article: it is returned when its elements are
 * still whole in the document (Readability moves what it keeps and drops what it dislikes), else
 * null.
 */
export function betterThanReadability(content: DomElement, origins: Origins, main: MainText | null): DomElement | null {
  if (!main) return null;
  const paragraphs = [...content.querySelectorAll('p')].filter((p) => origins.has(p));
  if (paragraphs.length === 0) return null;
  const block = commonAncestor(paragraphs, origins);
  if (!block) return null;
  let captions = 0;
  let all = 0;
  const figures = content.querySelector('figure') !== null;
  const secondary = originallyInSecondary(block, origins);
  if (!secondary && !figures) return null;
  for (const p of paragraphs) {
    const length = textOf(p).length;
    all += length;
    if (figures && p.closest('figure, figcaption')) captions += length;
  }
  // A gallery: most of what Readability kept is the captions of its figures.
  if (!secondary && !(all > 0 && captions >= all * 0.8)) return null;
  // The main run must be whole still (Readability moves what it keeps and drops what it dislikes),
  // missing from Readability's content, and not small beside its prose (a footer's paragraph is
  // no article beside a post in an aside-wrapped layout).
  const own = [...main.element.children].filter((p) => p.localName === 'p').map(textOf);
  const length = own.reduce((n, t) => n + t.length, 0);
  if (length < main.length * 0.9 || length < (all - captions) / 4) return null;
  const kept = new Set(paragraphs.map(textOf));
  return own.filter((t) => kept.has(t)).length * 2 < own.length ? main.element : null;
}

/** Whether the element (as it was before Readability) sat in an aside, a figure or a comment thread. */
function originallyInSecondary(el: DomElement, origins: Origins): boolean {
  const threads = new Map<DomElement, boolean>();
  for (let node: DomElement | undefined = el; node; node = origins.get(node)?.parent) {
    if (isAside(node) || node.localName === 'figure' || node.localName === 'figcaption') return true;
    const parent = origins.get(node)?.parent;
    if (parent && (node.localName === 'li' || node.localName === 'article')) {
      if (isThread(parent, threads)) return true;
    }
  }
  return false;
}

/** Most text (characters) of a lead figure's caption and credit. */
const FIGURE_TEXT = 300;

/**
 * The lead figure of the article: a figure (or an element holding an image and little text)
 * just before the block Readability kept, as a sibling of that block or of its parent, that
 * Readability left out. Null when there is none, or the content starts with an image already.
 */
export function leadFigure(content: DomElement, origins: Origins): DomElement | null {
  const paragraphs = [...content.querySelectorAll('p')].filter((p) => origins.has(p) && !p.closest('figure, figcaption'));
  if (paragraphs.length === 0) return null;
  const first = content.querySelector('img, picture, video, figure');
  if (first && paragraphs[0] && precedes(first, paragraphs[0])) return null;
  const block = commonAncestor(paragraphs, origins) ?? origins.get(paragraphs[0]!)?.parent;
  if (!block) return null;
  // The siblings before the block and before its parent, as they were: the origins record each
  // element's parent and place in the document.
  const levels: DomElement[] = [block];
  const parent = origins.get(block)?.parent;
  if (parent && !/^(?:body|html|main)$/.test(parent.localName)) levels.push(parent);
  for (const level of levels) {
    const at = origins.get(level);
    if (!at) continue;
    let candidate: DomElement | null = null;
    let order = -1;
    for (const [el, origin] of origins) {
      if (origin.parent !== at.parent || origin.order >= at.order || origin.order <= order) continue;
      candidate = el;
      order = origin.order;
    }
    if (candidate && isFigure(candidate) && !within(candidate, content)) return candidate;
  }
  return null;
}

function isFigure(el: DomElement): boolean {
  if (el.querySelector('h1, h2, h3, p + p')) return false;
  const hasImage =
    el.localName === 'figure'
      ? el.querySelector('img, picture, video') !== null
      : el.matches('picture, img') || el.querySelector('img, picture') !== null;
  return hasImage && visibleTextLength(el) <= FIGURE_TEXT && el.querySelectorAll('a[href]').length <= 1;
}

function within(el: DomElement, root: DomElement): boolean {
  for (let node: DomElement | null = el; node; node = node.parentElement) if (node === root) return true;
  return false;
}

/** Whether `a` comes before `b` in their document (both in one tree). */
function precedes(a: DomElement, b: DomElement): boolean {
  const chain = (el: DomElement) => {
    const up: DomElement[] = [];
    for (let node: DomElement | null = el; node; node = node.parentElement) up.unshift(node);
    return up;
  };
  const [ca, cb] = [chain(a), chain(b)];
  let i = 0;
  while (i < ca.length && i < cb.length && ca[i] === cb[i]) i++;
  if (i === ca.length) return true;
  if (i === cb.length) return false;
  for (let node = ca[i]!.nextElementSibling; node; node = node.nextElementSibling) if (node === cb[i]) return true;
  return false;
}
