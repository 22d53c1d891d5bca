import { authorOfElement, uniqueAuthors } from './authors';
import { type HumanDateOptions, type ReadDate, readDate, readDateOfElement } from './dates';
import { type DomElement, type DomNode, descendants, ELEMENT_NODE } from './dom';
import { hintWords } from './hints';
import { BYLINE_PREFIX, CONTINUE_READING, labelText } from './patterns';
import { normalizeSpace, ownText, spacedText, textOf } from './text';
import type { Author, ListItem } from './types';
import { imageSource } from './urls';

// Reading one item of a list from the part of the page that belongs to it (its "region": the
// item's block, plus the siblings that follow a bare heading up to the next item's).

const HEADING = 'h1, h2, h3, h4, h5, h6';
const DATE_WORDS = new Set([
  'date',
  'time',
  'published',
  'posted',
  'meta',
  'byline',
  'timestamp',
  'dateline',
  'updated',
  'datum',
  'fecha',
  'data',
]);
/** Words of class names that mark a box of tags or categories. */
const TAXONOMY_WORDS = new Set(['tag', 'tags', 'category', 'categories']);
const SUMMARY_WORDS = new Set(['excerpt', 'summary', 'description', 'dek', 'teaser', 'standfirst', 'abstract', 'snippet']);
const AUTHOR_SELECTOR = '[rel~="author"], [itemprop~="author"], .p-author';
const AUTHOR_WORDS = new Set(['author', 'authors', 'byline']);

/** What readItem needs besides the region. */
export type ItemContext = { base: string; dates: HumanDateOptions };

/** Elements of the region (each region element and its descendants) matching the selector, in order. */
function findAll(region: DomElement[], selector: string): DomElement[] {
  return region.flatMap((el) => [...(el.matches(selector) ? [el] : []), ...el.querySelectorAll(selector)]);
}

/** Elements that break an anchor's content into parts (a heading, a date line, an excerpt). */
const BLOCKISH = new Set([
  'article',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'div',
  'section',
  'header',
  'footer',
  'aside',
  'time',
  'ul',
  'ol',
  'li',
  'figure',
  'figcaption',
  'blockquote',
  'br',
  'small',
  'span',
]);
/** Boxes that only hold an anchor's parts: read through, part by part. */
const WRAPPER = new Set(['div', 'section', 'header', 'footer', 'article', 'li']);
const hasBlockChild = (el: DomElement) =>
  [...el.children].some((c) => BLOCKISH.has(c.localName) && c.localName !== 'span' && c.localName !== 'small');
/**
 * A heading's title: its words without the boxes set inside it (a badge, a label: a heading's own
 * content is a line of text, a box in it is something else), unless the boxes are all it holds.
 */
function headingText(heading: DomElement): string {
  const boxes = [...heading.children].filter((c) => /^(?:div|p|ul|ol)$/.test(c.localName));
  if (boxes.length === 0) return textOf(heading);
  const own = normalizeSpace(
    [...heading.childNodes]
      .map((n) => (n.nodeType === ELEMENT_NODE && boxes.includes(n as DomElement) ? ' ' : (n.textContent ?? '')))
      .join(''),
  );
  return own || textOf(heading);
}

/** A child that is a date: a `<time>`, an element whose class or id says date, or one holding a written date alone. */
const hasDateChild = (el: DomElement) =>
  [...el.children].some((c) => c.localName === 'time' || hintWords(c).some((w) => DATE_WORDS.has(w)) || ONLY_DATE.test(textOf(c)));
/** A separator left at either end of a title once the date beside it is taken out. */
const LEFT_SEPARATOR = /^[-–—|·•:]+\s+|\s+[-–—|·•:]+$/g;
/** Separators between a date and a title written in one text ("January 4, 2023 - Title"). */
const SEPARATOR = /\s+[-–—|·•:]\s+|\s*[|·•]\s*/;
/** Longest part of an anchor that may be a title's label before it ("Health", "News"): shorter first parts give way to a heading. */
const LABEL_MAX = 14;

/**
 * The title an anchor shows: the anchor's text without the date and meta lines it wraps. An
 * anchor that holds several parts (a heading and a subtitle, a category label and a heading, a
 * title, a date and an excerpt) gives its first part, or its heading when the first part is a
 * short label in an element of its own; a date written before or after the title in the same
 * text is cut off.
 */
export function anchorTitle(anchor: DomElement, dates: HumanDateOptions): string {
  if (anchor.firstElementChild === null) return withoutDate(textOf(anchor), dates);
  const parts: { text: string; heading: boolean; own: boolean }[] = [];
  let inline = '';
  const flush = () => {
    // Words left beside a date part taken out keep their separator ("<time>…</time> - Title").
    const text = normalizeSpace(inline).replace(LEFT_SEPARATOR, '');
    // Punctuation alone ("|" between a date and tags) is no part.
    if (text && /[\p{L}\p{N}]/u.test(text) && !ONLY_DATE.test(text)) parts.push({ text, heading: false, own: true });
    inline = '';
  };
  const walk = (nodes: Iterable<DomNode>) => {
    for (const node of nodes) {
      if (node.nodeType !== ELEMENT_NODE) {
        inline += node.textContent ?? '';
        continue;
      }
      const el = node as DomElement;
      // An inline span is a part only when it says what it is (a date, a label); otherwise it is words of the title.
      const split = BLOCKISH.has(el.localName) && (el.localName !== 'span' && el.localName !== 'small' ? true : hintWords(el).length > 0);
      if (!split) {
        inline += el.textContent ?? '';
        continue;
      }
      flush();
      // A wrapper box around the parts (a card's body holding its heading and its date line, or a
      // header line holding the title and a date marked as one) is read part by part.
      if (WRAPPER.has(el.localName) && (hasBlockChild(el) || hasDateChild(el))) {
        walk(el.childNodes);
        flush();
        continue;
      }
      const heading = /^h[1-6]$/.test(el.localName);
      const text = heading ? headingText(el) : textOf(el);
      const hints = hintWords(el);
      // A date line or a box of tags is no part of the title.
      if (!text || el.localName === 'time' || hints.some((w) => DATE_WORDS.has(w) || TAXONOMY_WORDS.has(w)) || isDateText(text, dates))
        continue;
      parts.push({ text, heading, own: false });
    }
  };
  walk(anchor.childNodes);
  flush();
  const first = parts[0];
  if (!first) return '';
  const heading = parts.find((p) => p.heading);
  // A short first part in an element of its own is a label over the title ("Health"); the anchor's own words are the title, however short.
  const chosen = heading && heading !== first && first.text.length <= LABEL_MAX && !first.heading && !first.own ? heading : first;
  return withoutDate(chosen.text, dates);
}

/** Whether the text is a date line and nothing more ("Published Sun, Mar 30, 2025", "Apr. 13, 2025 · 3 min read"). */
function isDateText(text: string, dates: HumanDateOptions): boolean {
  if (text.length > 60 || !/\d/.test(text)) return false;
  const read = readDate(text, dates, { wordsAlone: false });
  if (!read) return false;
  // What is left once digits, month-like words and small words go is no title.
  return (
    normalizeSpace(text.replace(/[\p{N}]+/gu, ' '))
      .split(' ')
      .filter((w) => w.length > 3).length <= 4
  );
}

/** The text without a date written before or after it, behind a separator ("May 5, 2023 - Title"). */
function withoutDate(text: string, dates: HumanDateOptions): string {
  if (!/\d/.test(text)) return text;
  const parts = text.split(SEPARATOR);
  if (parts.length < 2) return withoutBareDate(text, dates);
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  if (head.length <= 40 && isDateText(head, dates)) return normalizeSpace(text.slice(text.indexOf(parts[1]!, head.length)));
  if (tail.length <= 40 && isDateText(tail, dates))
    return normalizeSpace(text.slice(0, text.lastIndexOf(tail)).replace(/\s*[-–—|·•:]\s*$/, ''));
  return text;
}

/** A written date: "Mar 10, 2019", "10 March 2019", "2019-03-10", "10.03.2019". */
const WRITTEN_DATE = String.raw`(?:\p{L}{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\.?\s+\p{L}{3,9}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})`;
const ONLY_DATE = new RegExp(String.raw`^${WRITTEN_DATE}$`, 'u');
/** Whether the text is a written date and nothing else ("Dec 26, 2023", "2023-12-26", "Sun 13 October 2024"). */
export const isWrittenDate = (text: string): boolean => ONLY_DATE.test(text) || ONLY_DATE.test(text.replace(/^\p{L}{2,9}\.?,?\s+/u, ''));
const TRAILING_DATE = new RegExp(String.raw`\s+(${WRITTEN_DATE})$`, 'u');
const LEADING_DATE = new RegExp(String.raw`^(${WRITTEN_DATE})\s+`, 'u');

/** The text without a date written right after or before it with no separator ("Rich Content Mar 10, 2019"). */
function withoutBareDate(text: string, dates: HumanDateOptions): string {
  const trailing = TRAILING_DATE.exec(text);
  if (trailing && trailing.index > 0 && isDateText(trailing[1]!, dates)) return text.slice(0, trailing.index);
  const leading = LEADING_DATE.exec(text);
  if (leading && leading[0].length < text.length && isDateText(leading[1]!, dates)) return text.slice(leading[0].length);
  return text;
}

/** Link texts that lead to a post without naming it ("Read more", "Continue reading…"). */
const isContinueLabel = (text: string) => CONTINUE_READING.test(labelText(text)) && text.length <= 40;

/** Whether every one of an item's links says only "more…": with no title found either, it is a list's "more" link, not a post. */
export const onlyMoreLinks = (anchors: DomElement[]): boolean => anchors.length > 0 && anchors.every((a) => isContinueLabel(textOf(a)));

/**
 * The title of a post: its link's title in a heading, else its longest link title ("Read more"
 * links never name the post), else a heading of its region, else an image's alt.
 */
export function titleOf(anchors: DomElement[], region: DomElement[], dates: HumanDateOptions): string {
  const usable = (text: string) => text !== '' && !isContinueLabel(text);
  for (const a of anchors) {
    if (a.closest(HEADING) === null) continue;
    const text = anchorTitle(a, dates);
    if (usable(text)) return text;
  }
  const longest = anchors
    .map((a) => anchorTitle(a, dates))
    .filter(usable)
    .sort((a, b) => b.length - a.length)[0];
  // A one-word link ("Reading", "Open") beside a box the theme names as the title: the box's words.
  if (longest && !/\s/.test(longest)) {
    const named = findAll(region, '[class]').find(
      (el) => hintWords(el).includes('title') && !el.querySelector('a[href]') && /\s/.test(textOf(el)),
    );
    if (named) return textOf(named);
  }
  if (longest) return longest;
  const heading = findAll(region, HEADING)
    .map(textOf)
    .find((t) => t && !isContinueLabel(t));
  if (heading) return heading;
  for (const a of anchors) {
    const label = a.getAttribute('title') ?? a.getAttribute('aria-label') ?? a.querySelector('img[alt]')?.getAttribute('alt');
    if (label?.trim() && !isContinueLabel(label)) return normalizeSpace(label);
  }
  return '';
}

/** Words of class names that mark a date more surely than a meta line does. */
const STRONG_DATE_WORDS = new Set([
  'date',
  'time',
  'published',
  'posted',
  'timestamp',
  'datum',
  'fecha',
  'data',
  'updated',
  'pubdate',
  'day',
]);
/** Characters of a piece of an item's text that may be a date line. */
const DATE_LINE = 100;
/** Most dates parsed for one item (each costs chrono-node's parse). */
const DATE_ATTEMPTS = 12;

/**
 * The date of an item: a <time>, else an element marked as a date (date classes before meta
 * ones), else a short line of its text besides the title, else its whole text if short. A date
 * that states its year wins over one that does not ("Apr 15" is read only if nothing better is
 * there, in the year of the archive group around it when there is one); words alone ("today",
 * "now" in a teaser) are no date outside a marked element.
 */
export function dateOf(region: DomElement[], title: string, dates: HumanDateOptions): ReadDate | null {
  let fallback: ReadDate | null = null;
  let attempts = 0;
  const take = (read: ReadDate | null): ReadDate | null => {
    attempts++;
    if (!read) return null;
    if (read.yearKnown) return read;
    fallback ??= read;
    return null;
  };
  for (const el of findAll(region, 'time, [itemprop~="datePublished"], [itemprop~="dateCreated"], .dt-published, abbr.published')) {
    const read = take(readDateOfElement(el, dates));
    if (read !== null) return read;
  }
  const hinted = findAll(region, '[class], [id]').filter((el) => hintWords(el).some((w) => DATE_WORDS.has(w)));
  const strong = (el: DomElement) => hintWords(el).some((w) => STRONG_DATE_WORDS.has(w));
  for (const el of [...hinted.filter(strong), ...hinted.filter((el) => !strong(el))]) {
    if (attempts >= DATE_ATTEMPTS) break;
    // A marked box that holds links holds more than a date line (the title beside the date):
    // a word there ("Tuesday" in "Deploying on a Tuesday") is no date.
    const read = take(readDateOfElement(el, dates, { wordsAlone: el.querySelector('a[href]') === null }));
    if (read !== null) return read;
  }
  for (const line of dateLines(region, title)) {
    if (attempts >= DATE_ATTEMPTS) break;
    const read = take(readDate(line, dates, { wordsAlone: false }));
    if (read !== null) return read;
  }
  if (fallback !== null) return fallback;
  const attribute = attributeDate(region, dates);
  if (attribute !== null) return attribute;
  const text = normalizeSpace(region.map(spacedText).join(' '));
  const rest = title && text.includes(title) ? text.replace(title, ' ') : text;
  if (rest.length > 300) return null;
  return readDate(rest, dates, { wordsAlone: false });
}

/** Attribute names that hold a date ("data-date", "date-is", "data-published"); `datetime` is read with its element. */
const DATE_ATTRIBUTE = /^(?:data-)?(?:date|published|pubdate|posted|created)(?:$|[-_])/i;

/**
 * A date the item keeps in an attribute named as one, which the theme shows with CSS
 * (`content: attr(...)`) or a script: the first such value that reads as a date.
 */
function attributeDate(region: DomElement[], dates: HumanDateOptions): ReadDate | null {
  for (const root of region) {
    for (const el of descendants(root)) {
      for (const { name, value } of Array.from(el.attributes)) {
        if (!DATE_ATTRIBUTE.test(name) || value.length > 40 || !/\d/.test(value)) continue;
        const read = readDate(value, dates, { wordsAlone: false });
        if (read) return read;
      }
    }
  }
  return null;
}

/**
 * The short pieces of an item's text that may be its date line: the largest elements of the
 * region with at most DATE_LINE characters (the title taken out) and a digit, in document order.
 */
function dateLines(region: DomElement[], title: string): string[] {
  const lines: string[] = [];
  const stack = [...region].reverse();
  while (stack.length > 0 && lines.length < DATE_ATTEMPTS) {
    const el = stack.pop()!;
    if (/^(?:script|style|svg|noscript|template)$/.test(el.localName)) continue;
    const text = spacedText(el);
    const rest = title && text.includes(title) ? normalizeSpace(text.replace(title, ' ')) : text;
    if (rest.length <= DATE_LINE) {
      if (/\d/.test(rest)) lines.push(rest);
      continue;
    }
    // A line longer for its links ("Posted on 12 October 2019 in <a>…</a> • Tagged with <a>…</a>…"): its own words.
    const own = ownText(el);
    if (own.length <= DATE_LINE && /\d/.test(own)) lines.push(own);
    const children = el.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return lines;
}

/** The item's summary: an element marked as one, else its first paragraph that is neither title, byline nor date line. */
function summaryOf(region: DomElement[], title: string): string | undefined {
  const isMeta = (el: DomElement) => hintWords(el).some((w) => DATE_WORDS.has(w) || AUTHOR_WORDS.has(w));
  for (const el of findAll(region, '[class]')) {
    if (!hintWords(el).some((w) => SUMMARY_WORDS.has(w)) || el.querySelector('a[href]')) continue;
    const text = textOf(el);
    if (text.length >= 20 && !text.includes(title)) return text;
  }
  const paragraph = findAll(region, 'p')
    .filter((p) => !isMeta(p) && !p.querySelector('time'))
    .map(textOf)
    .find((t) => t.length >= 40 && !t.includes(title) && !BYLINE_PREFIX.test(t));
  return paragraph || undefined;
}

function authorsOf(region: DomElement[], base: string): Author[] {
  const el = findAll(region, AUTHOR_SELECTOR)[0] ?? findAll(region, '[class]').find((e) => hintWords(e).some((w) => AUTHOR_WORDS.has(w)));
  if (!el) return [];
  const name = el.querySelector('.p-name, [itemprop~="name"]');
  return uniqueAuthors(name ? [{ ...authorOfElement(el, base)[0], name: textOf(name) }] : authorOfElement(el, base));
}

/** A title cut short by the theme ("…they deserve a r..."). */
const CUT_SHORT = /\s*(?:\.{3}|…)$/;

/**
 * The whole title where the list shows it cut short and the item says it in full elsewhere: an
 * image's alt text or a link's title attribute that begins with the shown words.
 */
function untruncated(title: string, region: DomElement[]): string {
  for (const el of CUT_SHORT.test(title) ? findAll(region, 'img[alt], a[title]') : []) {
    const full = wholeTitle(title, el.getAttribute(el.localName === 'img' ? 'alt' : 'title') ?? '');
    if (full !== title) return full;
  }
  return title;
}

/**
 * `full` where `shown` is a title cut short with an ellipsis ("The Museum of Lost …") and `full`
 * begins with its words (the article page's own title, say); else `shown`.
 */
export function wholeTitle(shown: string, full: string): string {
  if (!CUT_SHORT.test(shown)) return shown;
  const words = shown.replace(CUT_SHORT, '');
  const whole = normalizeSpace(full);
  return words.length >= 10 && whole.length > words.length && whole.startsWith(words) ? whole : shown;
}

/** Levels above an item's link searched for the parts of a date spelled by the boxes around it. */
const TREE_LEVELS = 8;

/**
 * A date spelled by the boxes an item sits in, an archive set out as a tree: a year's list item
 * holding a month's, holding a day's, holding the post's link ("2023" › "December" › "26"). Each
 * box's own words (its text outside its children), innermost first, read as one date with a year.
 */
function treeDate(anchor: DomElement, dates: HumanDateOptions): ReadDate | null {
  const parts: string[] = [];
  for (
    let node = anchor.parentElement, level = 0;
    node && node.localName !== 'body' && level < TREE_LEVELS;
    node = node.parentElement, level++
  ) {
    const own = ownText(node);
    if (own.length > 20) break;
    if (own) parts.push(own);
  }
  if (parts.length < 2) return null;
  const read = readDate(parts.join(' '), dates, { wordsAlone: false });
  return read?.yearKnown ? read : null;
}

/**
 * Items whose date was written without a year and took the year nearest `now` (no archive
 * heading named one): extractList keeps such dates only where the list's order bears them out.
 */
export const yearGuessed = new WeakSet<ListItem>();

/** One list item from its links and region. Optional fields are present only when found. */
export function readItem(url: string, anchors: DomElement[], region: DomElement[], { base, dates }: ItemContext, year?: number): ListItem {
  if (year !== undefined) dates = { ...dates, year };
  // An item marked as written in another language than the page ("2. Januar 2017" beside a post
  // link with lang="de") has its dates read in that language.
  const lang = findAll(region, '[lang]')[0]?.getAttribute('lang');
  if (lang) dates = { ...dates, locale: lang };
  const title = untruncated(titleOf(anchors, region, dates), region);
  const found = dateOf(region, title, dates);
  // An archive tree spells the year the item's own box leaves out ("December 26" under "2023").
  const date = found?.yearKnown ? found : ((anchors[0] ? treeDate(anchors[0], dates) : null) ?? found);
  const item: ListItem = { url, title, published: date?.ms ?? null };
  if (date && !date.yearKnown) yearGuessed.add(item);
  const summary = summaryOf(region, title);
  if (summary) item.summary = summary;
  const img = findAll(region, 'img')[0];
  const image = img ? imageSource(img, base) : null;
  if (image) item.image = image;
  const authors = authorsOf(region, base);
  if (authors.length > 0) item.authors = authors;
  return item;
}
