import { type DomElement, descendants } from './dom';
import { parseHumanDate } from './dates';
import { AUTHOR_WORDS, boilerplateHint } from './hints';
import { CREDIT, CREDIT_MAX, isHomeLink, isMetaLine, isOwnLinks } from './meta-line';
import {
  AD_LABEL,
  BYLINE_PREFIX,
  COMMENTS_HEADING,
  CONTINUE_READING,
  COPYRIGHT,
  DISCLOSURE,
  FEEDBACK_HEADING,
  labelText,
  NEWSLETTER,
  READ_MORE_PREFIX,
  READING_TIME,
  RELATED_HEADING,
  SHARE_ONLY,
  SHARE_START,
} from './patterns';
import { normalizeSpace, textOf, visibleTextLength } from './text';

// What Readability keeps and a reader does not want. Readability scores blocks by text and link
// density and cleans the winner, so a paragraph that says only "Advertisement", a "Share this:"
// line, a newsletter box or a "Related posts" list inside the article body survive it. These
// passes remove them on the DOM: by class and id hints before Readability (Readability drops
// classes), by whole-text patterns after it (running them before it as well cost more recall than it
// gained precision on WCXB's dev and test splits). Nothing here knows any site.

/** Largest text of a box that may be removed as a newsletter prompt or share bar. */
const SMALL_BOX = 400;
const HEADINGS = 'h2, h3, h4, h5, h6';
const MEDIA = 'img, picture, video, audio, iframe, table, pre';
const BLOCK_TAGS = new Set('p div h1 h2 h3 h4 h5 h6 ul ol li dl figure table blockquote section article header footer pre'.split(' '));

/**
 * The elements under `root` (itself included) that have a block element among their descendants,
 * found in one walk from the leaves up: asking each element with a selector walked its subtree,
 * and its parent's, once per element (quadratic on a long table).
 */
export function elementsHoldingBlocks(root: DomElement): Set<DomElement> {
  const holding = new Set<DomElement>();
  const all = [...descendants(root)];
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    const parent = el.parentElement;
    if (el !== root && parent && (BLOCK_TAGS.has(el.localName) || holding.has(el))) holding.add(parent);
  }
  return holding;
}

/**
 * The elements that hold the article and must survive every pass: the ancestors of the first
 * h1, and of the element holding the most paragraph text (the body's container, whatever its
 * class says).
 */
function protectedElements(root: DomElement): Set<DomElement> {
  const kept = new Set<DomElement>();
  const textByParent = new Map<DomElement, number>();
  for (const p of root.querySelectorAll('p')) {
    const parent = p.parentElement;
    if (parent) textByParent.set(parent, (textByParent.get(parent) ?? 0) + (p.textContent?.length ?? 0));
  }
  let body: DomElement | null = null;
  let best = 0;
  for (const [parent, length] of textByParent) if (length > best) [body, best] = [parent, length];
  for (const start of [body, root.querySelector('h1'), root.querySelector('[itemprop~="articleBody"]')]) {
    for (let el = start; el; el = el.parentElement) kept.add(el);
  }
  return kept;
}

/**
 * Share of the page's visible text beyond which an element is not removed for its class alone:
 * page builders mark whole articles "widget" (Elementor's post-content widget, HubSpot's
 * `hs_cos_wrapper_widget` post body), sites wrap the body in a "paywall" box or the page in a
 * <form>. Readability and the text passes still judge what such an element holds.
 */
const MAJOR_SHARE = 0.3;

/** Whether the element holds at least `major` characters of visible text, most of it outside links (prose, not a menu). */
function holdsMuchProse(el: DomElement, major: number): boolean {
  return visibleTextLength(el) >= major && !isLinkList(el);
}

/**
 * Least text outside links in an ad-named element that makes it a stretch of the article: an ad
 * slot is empty until a script fills it, or holds a label and links.
 */
const AD_WRAPPER_PROSE = 100;

/** Whether the element holds at least AD_WRAPPER_PROSE characters of visible text outside links. */
function holdsProse(el: DomElement): boolean {
  return visibleTextLength(el) - linkTextLength(el) >= AD_WRAPPER_PROSE;
}

/** Characters of the element's link text. */
function linkTextLength(el: DomElement): number {
  let length = 0;
  for (const a of el.querySelectorAll('a')) length += textOf(a).length;
  return length;
}

/** Most characters of a label (a date, a breadcrumb trail, a "Print" button) outside paragraphs and headings. */
const LABEL = 200;

/** Whether the element is a short label: little text, and no paragraph or heading in it. */
function isLabel(el: DomElement): boolean {
  return visibleTextLength(el) <= LABEL && !el.matches(PROSE) && !el.querySelector(PROSE);
}
const PROSE = 'p, h1, h2, h3, h4, h5, h6, blockquote, pre, table, figure';

/** Whether at least half the element's visible text is link text (a menu, a list of posts, a tag cloud), or it has none. */
export function isLinkList(el: DomElement): boolean {
  return linkTextLength(el) >= visibleTextLength(el) / 2;
}

/**
 * First pass, on the whole page before Readability: removes elements whose class or id marks them
 * as ads, share bars, newsletter boxes, related posts, comments, bylines, tag lists or widgets,
 * and forms. Never removes what holds the article. The text-pattern pass below runs on
 * Readability's output. A standfirst (the summary under the title, often the page's description
 * too) is the first paragraph of a news story, not boilerplate: it stays, whatever its class
 * ("teaser-text", "lead", "summary").
 */
export function removeMarkedBoilerplate(root: DomElement): void {
  const kept = protectedElements(root);
  const sentences = new Sentences();
  const major = visibleTextLength(root) * MAJOR_SHARE;
  for (const el of [...root.querySelectorAll('[class], [id], form')]) {
    // Inside code, classes are the highlighter's ("hljs-comment", "token comment"): code, not boilerplate.
    if (kept.has(el) || el.localName === 'body' || el.localName === 'html' || el.closest('pre, code')) continue;
    // A link in a sentence is the sentence's words, whatever its class ("recommendation-inline-link").
    if (el.localName === 'a' && sentences.holds(el)) continue;
    // So is a wire story's dateline ("<span id="dateline">MONTGOMERY, Ala. (AP) -</span> The …"):
    // Readability would take it out of the sentence as the byline.
    if (BYLINE_NAMES.test(namesOf(el)) && sentences.holds(el)) {
      for (const name of ['class', 'id', 'itemprop', 'rel']) el.removeAttribute(name);
      continue;
    }
    // In a quotation or a figure, an "author" is the quote's attribution (a pull quote's
    // `testimonial__author`), not the article's byline.
    const quoted = el.parentElement?.closest('blockquote, figure') ? AUTHOR_WORDS : undefined;
    const hint = el.localName === 'form' ? 'strong' : boilerplateHint(el, quoted);
    if (
      (hint === 'strong'
        ? !holdsMuchProse(el, major)
        : hint === 'ad'
          ? !holdsProse(el)
          : hint === 'weak' && (isLinkList(el) || isLabel(el))) &&
      // What holds all of a heading's words is the heading (`<h1><span class="meta_field">Title</span></h1>`):
      // emptied, the page's headline would leave Readability to drop the next heading like the title instead.
      !isHeadingText(el)
    ) {
      sentences.removing(el);
      empty(el);
    }
  }
}

/** Whether the element is a heading's own text: inside an h1–h6, holding all of its words. */
function isHeadingText(el: DomElement): boolean {
  const heading = el.parentElement?.closest('h1, h2, h3, h4, h5, h6');
  if (!heading) return false;
  const text = textOf(el);
  return text !== '' && text === textOf(heading);
}

/**
 * Empties a boilerplate element and drops its names, leaving it in place. Readability replaces a
 * block that is an only child with its parent and then joins the parent's siblings (a site
 * footer, a "most read" rail), and it drops empty divs and sections itself but not an empty form
 * or list: removing those outright made the article an only child on some pages.
 */
function empty(el: DomElement): void {
  el.innerHTML = '';
  el.removeAttribute('class');
  el.removeAttribute('id');
}

/** The names Readability takes a byline by (its `byline` pattern, `rel=author`, `itemprop~=author`). */
const BYLINE_NAMES = /byline|author|dateline|writtenby|p-author/i;
const namesOf = (el: DomElement) =>
  `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''} ${el.getAttribute('itemprop') ?? ''} ${el.getAttribute('rel') ?? ''}`;

/**
 * The blocks that hold running text: a paragraph, and the list items, definitions, table cells and
 * quotations that blog posts write their sentences in as often ("<li><strong>Ads:</strong> Facebook
 * Ads are…</li>", "<li>Join groups on <a>LinkedIn</a> and <a>Facebook</a> to…</li>").
 */
const RUNNING_TEXT = new Set(['p', 'li', 'dd', 'blockquote']);
/** The nearest block of running text holding the element (a walk up its ancestors, no selector to match). */
function runningText(el: DomElement): DomElement | null {
  for (let at = el.parentElement; at; at = at.parentElement) if (RUNNING_TEXT.has(at.localName)) return at;
  return null;
}
/** Blocks inside a list item or a quotation that make it a container of blocks (a page laid out in one), not a sentence. */
const INNER_BLOCKS = 'p, div, section, article, table, ul, ol, h1, h2, h3, h4, h5, h6';

/**
 * Whether an element is a part of a paragraph's running text (a link in a sentence). A
 * paragraph's length is measured once per pass and lessened as the pass takes parts out of it:
 * measuring it again for each of its links made a paragraph of thousands of links cost their
 * number squared.
 */
class Sentences {
  private readonly lengths = new Map<DomElement, number>();

  private readonly containers = new Map<DomElement, boolean>();

  holds(el: DomElement): boolean {
    const p = runningText(el);
    return !!p && !this.holdsBlocks(p) && this.lengthOf(p) >= textOf(el).length + 40;
  }

  private holdsBlocks(block: DomElement): boolean {
    if (block.localName === 'p') return false;
    let known = this.containers.get(block);
    if (known === undefined) {
      known = block.querySelector(INNER_BLOCKS) !== null;
      this.containers.set(block, known);
    }
    return known;
  }

  /** Call before `el` is taken out of the tree or emptied. */
  removing(el: DomElement): void {
    const p = runningText(el);
    const length = p ? this.lengths.get(p) : undefined;
    if (p && length !== undefined) this.lengths.set(p, Math.max(0, length - textOf(el).length));
  }

  private lengthOf(p: DomElement): number {
    let length = this.lengths.get(p);
    if (length === undefined) {
      length = textOf(p).length;
      this.lengths.set(p, length);
    }
    return length;
  }
}

/**
 * Removes boilerplate recognised by its text: ad labels, "Continue reading" links, share bars,
 * newsletter prompts (the largest small box around them), "Read more:" lines, and related-posts
 * or comments headings (or related-posts labels in a paragraph) with the lists that follow them.
 */
export function removeTextBoilerplate(root: DomElement, kept: Set<DomElement> = protectedElements(root)): void {
  const sentences = new Sentences();
  for (const el of [...descendants(root)]) {
    if (el === root || kept.has(el) || !el.parentElement) continue;
    const text = textOf(el);
    if (text.length > SMALL_BOX || el.querySelector(MEDIA)) continue;
    const label = labelText(text);
    if (
      text === ''
        ? false
        : // A label in a sentence ("<strong>Ads:</strong> Facebook Ads are…") is one of its words.
          (AD_LABEL.test(label) && !sentences.holds(el)) ||
          (COPYRIGHT.test(text) && text.length <= 300 && isNotice(el, text)) ||
          (DISCLOSURE.test(text) && text.length <= DISCLOSURE_MAX) ||
          (CONTINUE_READING.test(label) && text.length <= 100 && hasLink(el)) ||
          // A link in a sentence named after a service ("Jane (<a>Twitter</a>) is …") is no share bar.
          (SHARE_ONLY.test(label) && hasLink(el) && !sentences.holds(el)) ||
          (SHARE_START.test(text) && text.length <= 200 && hasLink(el)) ||
          (READ_MORE_PREFIX.test(text) && text.length <= 250 && el.querySelector('a') !== null)
    ) {
      sentences.removing(el);
      el.remove();
    } else if (NEWSLETTER.test(text)) {
      let box = el;
      while (
        box.parentElement &&
        box.parentElement !== root &&
        !kept.has(box.parentElement) &&
        textOf(box.parentElement).length <= SMALL_BOX
      ) {
        box = box.parentElement;
      }
      sentences.removing(box);
      box.remove();
    }
  }
  // The same label in a paragraph of its own ("<p><strong>Related posts:</strong></p>") goes with
  // the lists of links right after it, and only with those.
  for (const label of [...root.querySelectorAll('p')]) {
    const list = (el: DomElement | null) => el !== null && /^(?:ul|ol)$/.test(el.localName) && !kept.has(el) && isLinkList(el);
    if (!label.parentElement || kept.has(label) || !list(label.nextElementSibling)) continue;
    const text = textOf(label);
    if (text.length > LABEL_MAX || !RELATED_HEADING.test(labelText(text))) continue;
    while (list(label.nextElementSibling)) label.nextElementSibling!.remove();
    label.remove();
  }
  for (const heading of [...root.querySelectorAll(HEADINGS)]) {
    if (!heading.parentElement) continue;
    const label = labelText(textOf(heading));
    if (COMMENTS_HEADING.test(label) || FEEDBACK_HEADING.test(label)) removeSection(heading, kept);
    // "Related" heads lists of links or teasers; followed by prose, it is a section of the text
    // ("Related work").
    else if (RELATED_HEADING.test(label) && !(heading.nextElementSibling && isProse(heading.nextElementSibling)))
      removeSection(heading, kept, true);
  }
}

/**
 * Whether a line that starts with "Copyright" or "©" is a notice ("© 2017 The Times", "Copyright
 * The Associated Press. All rights reserved."): a year, a reserved right or the sign itself, and no
 * heading ("Copyright Office Weighs In on AI Training" heads a section of the post).
 */
function isNotice(el: DomElement, text: string): boolean {
  if (/^h[1-6]$/.test(el.localName) || el.closest(HEADINGS)) return false;
  return /^(?:©|\(c\))|\b(?:1[89]|20)\d\d\b|\brights?\b|\bpermission\b/iu.test(text);
}

/** Longest affiliate disclosure removed: more is a paragraph of the post that mentions commissions. */
const DISCLOSURE_MAX = 300;

/** Longest related-posts label in a paragraph of its own. */
const LABEL_MAX = 60;

/** Most characters outside links of a related-posts teaser list; more is prose (see removeSection). */
const TEASERS = 200;

/** Whether the element holds prose: text outside links, beyond what a list of teasers holds. */
function isProse(el: DomElement): boolean {
  return visibleTextLength(el) - linkTextLength(el) > TEASERS;
}

const hasLink = (el: DomElement) => el.matches('a, button') || el.querySelector('a, button') !== null;

/**
 * A related-posts or comments heading goes with what follows it up to the next heading of the same
 * or higher rank (for related posts, or up to prose: see isProse); if that empties its container,
 * the container goes too.
 */
function removeSection(heading: DomElement, kept: Set<DomElement>, upToProse = false): void {
  const rank = Number(heading.localName[1]);
  const parent = heading.parentElement!;
  let next = heading.nextElementSibling;
  heading.remove();
  while (next) {
    const following = next.nextElementSibling;
    if (/^h[1-6]$/.test(next.localName) && Number(next.localName[1]) <= rank) break;
    if (kept.has(next) || (upToProse && isProse(next))) break;
    next.remove();
    next = following;
  }
  if (!kept.has(parent) && textOf(parent) === '' && !parent.querySelector(MEDIA)) parent.remove();
}

/** What the top of an article body repeats from the page header. */
export type HeaderFacts = {
  title: string | null;
  description: string | null;
  authors: string[];
  categories?: string[];
  /** The page's address: a link to the site's home page alone in a line is the site's name. */
  url?: string;
  now: number;
  locale: string | null;
};

/** Buttons and labels of article headers ("Follow", "Listen", "Published in"), alone in their element. */
const HEADER_UI =
  /^(?:published in|follow|following|listen|share|save|subscribe|sign in|sign up|updated|posted|print|email|comments?|min read)$/iu;
/** A header zone ends at the first paragraph at least this long, and a post's tail at its last one. */
export const PARAGRAPH = 80;

/**
 * The units of a header or tail zone, in document order: the outermost elements with no block
 * inside ("By <a>Jane</a>" is one unit, not a link to remove from its sentence).
 */
export function textUnits(content: DomElement): DomElement[] {
  const holdsBlock = elementsHoldingBlocks(content);
  return [...descendants(content)].filter(
    (el) =>
      el !== content && !holdsBlock.has(el) && !(el.parentElement && el.parentElement !== content && !holdsBlock.has(el.parentElement)),
  );
}

/**
 * Last pass, on the extracted content: the header lines that come before the first real paragraph
 * (bylines, author names, dates, reading times, counters, header buttons, a heading repeating the
 * title), then elements left empty by the other passes. Figures, images and the standfirst (a
 * line repeating the page's description) in that zone stay.
 */
export function removeLeadingMeta(content: DomElement, facts: HeaderFacts): void {
  const title = facts.title ? normalizeSpace(facts.title).toLowerCase() : null;
  const description = facts.description ? normalizeSpace(facts.description).toLowerCase() : null;
  for (const el of textUnits(content)) {
    if (!el.parentElement || el.closest('figure')) continue;
    const text = textOf(el);
    if (text === '') continue;
    const lower = text.toLowerCase();
    const meta =
      text.length <= 150 &&
      (BYLINE_PREFIX.test(text) ||
        READING_TIME.test(text) ||
        HEADER_UI.test(labelText(text)) ||
        /^[^\p{L}]*$/u.test(text) ||
        /^[\d.,]+\s*[km]?$/i.test(text) ||
        lower === title ||
        (text.length <= 100 && facts.authors.some((a) => a && lower.includes(a.toLowerCase()))) ||
        (text.length <= 40 && parseHumanDate(text, { now: facts.now, locale: facts.locale }) !== null) ||
        isMetaLine(text, { title: facts.title, authors: facts.authors, categories: facts.categories ?? [] }) ||
        (text.length <= CREDIT_MAX && CREDIT.test(text)) ||
        (facts.url !== undefined && (isHomeLink(el, facts.url) || (!/^h[1-6]$/.test(el.localName) && isOwnLinks(el, text, facts.url)))));
    if (meta) el.remove();
    // The standfirst (the page's description, kept as the story's first paragraph) may come before
    // the byline and date lines: the header zone goes on after it.
    else if (text.length >= PARAGRAPH && lower !== description) break;
  }
  removeEmpty(content);
}

/** Removes elements with neither text nor media, innermost first (one holding only spaces becomes a space). */
export function removeEmpty(root: DomElement): void {
  const all = [...descendants(root)].reverse();
  for (const el of all) {
    if (el === root || /^(?:img|picture|source|video|audio|iframe|br|hr|td|th|tr|col|colgroup|embed|object|svg)$/.test(el.localName))
      continue;
    const text = el.textContent ?? '';
    if (text.trim() !== '' || el.querySelector(`${MEDIA}, hr, br`)) continue;
    // A space in its own element (syntax highlighters wrap each one: `ls<span> </span>-la`) still
    // separates words: it stays as a space.
    if (text === '') el.remove();
    else el.replaceWith(' ');
  }
}
