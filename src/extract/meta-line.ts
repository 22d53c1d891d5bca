import { type DomElement, descendants } from './dom';
import { normalizeSpace, textOf } from './text';
import { absoluteUrl, sameSite, withoutFragment } from './urls';

// A post's meta line: the date, author, reading time, category and tags that blog themes print
// above or below the body in one line ("Posted on September 2, 2020 · 1 minute read · Categories:
// Code", "Le mer. 23 décembre 2020 par Jane | Catégorie : Code", "Written by Jane in Notes on Sun
// 09 February 2020. Tags: tools"). What the page says of itself (title, authors, categories) and
// the words of dates and labels are taken out; a meta line leaves nothing else.

/** What the page says of itself, to recognise in a line. */
export type PageFacts = { title: string | null; authors: string[]; categories: string[] };

/** A whole word (the `\b` of a /u regex knows ASCII letters only: "publié", "catégorie"). */
const word = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])\\.?`, 'giu');

/** Month and weekday names, whole or cut short, in the languages of chrono-node's common parsers. */
const CALENDAR = word(
  [
    'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?',
    'mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?',
    'janv(?:ier)?|févr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|août|déc(?:embre)?|octobre|novembre|septembre',
    'lun(?:di)?|mar(?:di)?|mer(?:credi)?|jeu(?:di)?|ven(?:dredi)?|sam(?:edi)?|dim(?:anche)?',
    'januar|februar|märz|juni|juli|oktober|dezember|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag',
    'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre',
  ].join('|'),
);
/** Label words of meta lines that say what a line is: one of them (or a date, a name, a category) must be there. */
const STRONG_LABELS =
  'posted|published|publication|date|updated|modified|created|written|edited|filed|categor(?:y|ies)|tags?|tagged|topics?|estimated|reading|read|min(?:ute)?s?|words?|permalink|author|title|publié|mis à jour|catégories?|mots-clés|étiquettes?|lecture|veröffentlicht|aktualisiert|zuletzt|bearbeitet|kategorien?|schlagwörter|minuten|lesezeit|publicado|actualizado|etiquetas|categorías?|lectura';
const STRONG = word(STRONG_LABELS);
/** The little words that join a meta line's parts. */
const JOINERS = word('on|by|in|at|the|and|under|last|length|time|le|la|par|dans|sur|et|von|am|um|und|por|en|el|y|de|of|·');
/** Labels of CJK themes: reading times, "updated", "category", "tags", "posted". */
const CJK_LABELS =
  /分で読めます|読了|更新日時?|投稿日|公開日|カテゴリー?|タグ|发表于|發表於|更新于|更新於|阅读|閱讀|分钟|分鐘|字数|字數|分类|分類|标签|標籤|作者/gu;

/** A line that names the post's categories or tags ("Category: Travel", "Tags : drawing / maps", "Mots-clés: walking"). */
const TAXONOMY_LINE =
  /^(?:categor(?:y|ies)|tags?|tagged(?: with)?|topics?|filed under|posted in|labels?|catégories?|mots-clés|étiquettes?|kategorien?|schlagwörter|schlagworte|categorías?|etiquetas|标签|分类|標籤|分類|タグ|カテゴリー?)\s*[:：]/iu;
const TAXONOMY_MAX = 120;

/** "by Jane Doe", "par Example Author", "von Anna Schmidt": up to three capitalised words. */
const BYLINE_NAME = /(?<![\p{L}\p{N}])(?:[Bb]y|[Pp]ar|[Vv]on|[Pp]or|[Dd]i|[Dd]oor|[Aa]v)\s+(?:\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+|$)){1,3}/gu;
/** A taxonomy label and what follows it to the end of the line. */
const TAXONOMY_TAIL =
  /(?<![\p{L}\p{N}])(?:categor(?:y|ies)|tags?|tagged|topics?|catégories?|mots-clés|étiquettes?|kategorien?|schlagwörter|categorías?|etiquetas)\s*[:：][^|]{0,80}$/iu;

/** Longest meta line: more is a sentence of the post. */
export const META_LINE_MAX = 200;

/**
 * Whether a short line only holds a post's meta: once the page's own title, author names and
 * categories, dates (digits, month and weekday names), reading times and label words are taken
 * out, no letter is left, and one of those parts was there ("In the end" is no meta line).
 */
export function isMetaLine(text: string, facts: PageFacts): boolean {
  if (text.length > META_LINE_MAX) return false;
  if (text.length <= TAXONOMY_MAX && TAXONOMY_LINE.test(normalizeSpace(text))) return true;
  // A name after "by" (capitalised words, as bylines write them) and the names after a taxonomy
  // label at the end ("… | Catégorie : Code", "… Tags: tools, maps") are the line's meta too.
  let rest = ` ${normalizeSpace(text).replace(BYLINE_NAME, ' ').replace(TAXONOMY_TAIL, ' tags ').toLowerCase()} `;
  // Digits alone are a price or a count: a year or a numeric date makes a line a date
  // (a telephone number, "+81 158-23-2012", is neither).
  let strong = /(?<![\d./-])(?:19|20)\d\d(?![\d/-])|(?<![\d./-])\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?![\d./-])/.test(rest);
  for (const known of [facts.title, ...facts.authors, ...facts.categories]) {
    const name = known ? normalizeSpace(known).toLowerCase() : '';
    if (name.length < 2 || !rest.includes(name)) continue;
    rest = rest.split(name).join(' ');
    strong = true;
  }
  for (const pattern of [CALENDAR, STRONG, CJK_LABELS]) {
    const before = rest;
    rest = rest.replace(pattern, ' ');
    if (rest !== before) strong = true;
  }
  rest = rest.replace(JOINERS, ' ');
  return strong && !/[\p{L}]/u.test(rest);
}

/** A site's credit line ("Proudly powered by Pelican", "Theme by Jane", "Built with Hugo", "comments powered by Disqus"). */
export const CREDIT =
  /^(?:proudly\s+)?(?:powered|built|made|generated)\s+(?:by|with|using)\s|(?:^|\s)(?:theme|themed)\s+(?:by|von|par|de)\s|\bcomments powered by\b/iu;
export const CREDIT_MAX = 150;

/**
 * Whether an element is the site's name linking to its home page (the header's "Gatsby Starter
 * Blog", "A Hugo Site"): all its links lead to the site's root, and they hold its words.
 */
export function isHomeLink(el: DomElement, url: string): boolean {
  const links = el.localName === 'a' ? [el] : [...el.querySelectorAll('a')];
  if (links.length === 0) return false;
  const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (links.reduce((n, a) => n + letters(textOf(a)), 0) < letters(textOf(el))) return false;
  return links.every((a) => {
    const target = absoluteUrl(a.getAttribute('href'), url);
    return target !== null && sameSite(target, url) && /^\/?(?:index\.html?)?$/.test(new URL(target).pathname);
  });
}

/** Share of a line's letters in links that makes it a line of links. */
const LINKED_SHARE = 0.6;
/** Longest line of links read as the page's navigation. */
const OWN_LINKS_MAX = 300;

/**
 * Whether a line is links to other pages of the site and little else: a menu, a breadcrumb trail,
 * the post's tags, prev/next links, an entry of a list of recent posts or categories.
 */
export function isOwnLinks(el: DomElement, text: string, url: string): boolean {
  if (text.length > OWN_LINKS_MAX) return false;
  const links = [el, ...descendants(el)].filter((a) => a.localName === 'a');
  const linked = links.reduce((sum, a) => sum + normalizeSpace(textOf(a)).length, 0);
  if (linked === 0 || linked < text.replace(/[\s|/·•,#←→«»‹›]+/gu, '').length * LINKED_SHARE) return false;
  const page = withoutFragment(url).replace(/\/$/, '');
  return links.every((a) => {
    const target = absoluteUrl(a.getAttribute('href'), url);
    return target !== null && sameSite(target, url) && withoutFragment(target).replace(/\/$/, '') !== page;
  });
}
