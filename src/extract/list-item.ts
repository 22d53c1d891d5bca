import { authorOfElement, uniqueAuthors } from './authors';
import { dateOfElement, type HumanDateOptions, parseHumanDate } from './dates';
import type { DomElement } from './dom';
import { hintWords } from './hints';
import { BYLINE_PREFIX } from './patterns';
import { normalizeSpace, textOf } from './text';
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
const SUMMARY_WORDS = new Set(['excerpt', 'summary', 'description', 'dek', 'teaser', 'standfirst', 'abstract', 'snippet']);
const AUTHOR_SELECTOR = '[rel~="author"], [itemprop~="author"], .p-author';
const AUTHOR_WORDS = new Set(['author', 'authors', 'byline']);

/** What readItem needs besides the region. */
export type ItemContext = { base: string; dates: HumanDateOptions };

/** Elements of the region (each region element and its descendants) matching the selector, in order. */
function findAll(region: DomElement[], selector: string): DomElement[] {
  return region.flatMap((el) => [...(el.matches(selector) ? [el] : []), ...el.querySelectorAll(selector)]);
}

/** The title of a post: its link's text in a heading, else its longest link text, else a heading or an image's alt. */
export function titleOf(anchors: DomElement[], region: DomElement[]): string {
  const inHeading = anchors.find((a) => a.closest(HEADING) !== null && textOf(a) !== '');
  if (inHeading) return textOf(inHeading);
  const longest = anchors.map(textOf).sort((a, b) => b.length - a.length)[0];
  if (longest) return longest;
  const heading = findAll(region, HEADING).map(textOf).find(Boolean);
  if (heading) return heading;
  for (const a of anchors) {
    const label = a.getAttribute('title') ?? a.querySelector('img[alt]')?.getAttribute('alt');
    if (label?.trim()) return normalizeSpace(label);
  }
  return '';
}

/** The date of an item: a <time>, else an element marked as a date, else a date in its text besides the title. */
export function dateOf(region: DomElement[], title: string, dates: HumanDateOptions): number | null {
  for (const el of findAll(region, 'time, [itemprop~="datePublished"], .dt-published, abbr.published')) {
    const ms = dateOfElement(el, dates);
    if (ms !== null) return ms;
  }
  for (const el of findAll(region, '[class], [id]')) {
    if (!hintWords(el).some((w) => DATE_WORDS.has(w))) continue;
    const ms = dateOfElement(el, dates);
    if (ms !== null) return ms;
  }
  const text = normalizeSpace(region.map((el) => el.textContent ?? '').join(' '));
  const rest = title && text.includes(title) ? text.replace(title, ' ') : text;
  return rest.length <= 300 ? parseHumanDate(rest, dates) : null;
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

/** One list item from its links and region. Optional fields are present only when found. */
export function readItem(url: string, anchors: DomElement[], region: DomElement[], { base, dates }: ItemContext): ListItem {
  const title = titleOf(anchors, region);
  const item: ListItem = { url, title, published: dateOf(region, title, dates) };
  const summary = summaryOf(region, title);
  if (summary) item.summary = summary;
  const img = findAll(region, 'img')[0];
  const image = img ? imageSource(img, base) : null;
  if (image) item.image = image;
  const authors = authorsOf(region, base);
  if (authors.length > 0) item.authors = authors;
  return item;
}
