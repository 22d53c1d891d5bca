import { isLinkList, PARAGRAPH, removeEmpty, textUnits } from './boilerplate';
import { type DomElement, descendants } from './dom';
import { CREDIT, CREDIT_MAX, isHomeLink, isMetaLine, isOwnLinks, type PageFacts } from './meta-line';
import { labelText, SHARE_ONLY, SHARE_START } from './patterns';
import { normalizeSpace, textOf } from './text';
import { withoutFragment } from './urls';

// What blog themes print after a post and Readability keeps when the post is short (its best block
// is then the page's column, post and theme furniture together): the meta line, the post's own
// address and license, prev/next links, lists of the site's own pages (recent posts, categories),
// "powered by" credits. Recognised by shape, walking back from the end of the body up to its last
// paragraph of prose; nothing here knows a site or a theme. What themes print above a post (the
// site's name, a menu, the meta line) goes in removeLeadingMeta, by the tests of meta-line.ts.

/**
 * A post's license ("licensed under CC BY-NC-SA 4.0", "本文采用 … 许可协议"); a story's note that it is
 * republished "under a Creative Commons license" is the story's, as people who mark bodies keep it.
 */
const LICENSE =
  /licensed under (?:a |the )?(?:CC\b|creative\s*commons)|\ball (?:articles|posts|content) (?:on|in|of) this (?:blog|site|website)\b|知识共享|许可协议|許可協議|署名-/iu;
/** A Creative Commons code, however it is run into the words around it ("uses theCC BY-NC-SA 4.0license"). */
const CC_CODE = /CC[ -]BY\b/u;
const LICENSE_MAX = 300;
/** Most letters besides the page's own address in a line that gives it ("Post link: https://…"). */
const URL_LABEL = 20;

/** An author label ("Author: Jane Doe"); a line starting "By …" may be a sentence. */
const AUTHOR_LABEL = /^(?:author|autor|auteur|autore|автор|作者|著者)\s*[:：]/iu;

/** The path of the page's address when it says which page it is (more than the site's root). */
function ownPath(page: string): string | null {
  try {
    const { pathname } = new URL(page);
    return pathname.replace(/\/$/, '').length > 1 ? pathname.replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

/** The facts of the page the tail is judged by. */
export type TailFacts = PageFacts & { url: string };

/**
 * Removes what follows a post's last paragraph and belongs to the page, not the post (see the top
 * of this file); then a heading left last, which heads nothing.
 */
export function removeTrailingMeta(content: DomElement, facts: TailFacts): void {
  const units = textUnits(content);
  const page = withoutFragment(facts.url).replace(/\/$/, '');
  let removed = false;
  for (let i = units.length - 1; i >= 0; i--) {
    const el = units[i]!;
    if (!el.parentElement || el.matches('pre, table, figure') || el.closest('figure, pre, table, blockquote')) continue;
    const text = normalizeSpace(textOf(el));
    if (text === '') continue;
    if (isTrailer(el, text, facts, page)) {
      el.remove();
      removed = true;
    } else if (text.length >= PARAGRAPH) break;
  }
  if (!removed) return;
  removeEmpty(content);
  for (let last = lastTextUnit(content); last && /^h[1-6]$/.test(last.localName); last = lastTextUnit(content)) last.remove();
  removeEmpty(content);
}

/** Whether a unit after the post's last paragraph is the page's, not the post's. */
function isTrailer(el: DomElement, text: string, facts: TailFacts, page: string): boolean {
  const label = labelText(text);
  if (isMetaLine(text, facts)) return true;
  if (text.length <= CREDIT_MAX && CREDIT.test(text)) return true;
  if (isHomeLink(el, facts.url)) return true;
  if (text.length <= LICENSE_MAX && (LICENSE.test(text) || CC_CODE.test(text))) return true;
  if (SHARE_ONLY.test(label) || (SHARE_START.test(text) && text.length <= 200)) return true;
  if (text.length <= 150 && AUTHOR_LABEL.test(text)) return true;
  // The post's own address, labelled ("Post link: https://…/2019/06/08/the-post/").
  const path = ownPath(page);
  if (path && text.includes(path) && text.replace(/\S*:\/\/\S*|\S*\/\S*\/\S*/g, '').replace(/[^\p{L}]/gu, '').length <= URL_LABEL)
    return true;
  // Links to the site's own pages alone: prev/next links, the post's tags, a list of recent posts or of categories.
  if (isOwnLinks(el, text, facts.url)) return true;
  return false;
}

/** The last element of the body with text and no block inside. */
function lastTextUnit(content: DomElement): DomElement | null {
  const all = [...descendants(content)];
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    if (el === content || normalizeSpace(textOf(el)) === '') continue;
    // The innermost element holding the last text is inside the unit; climb to a block.
    let unit: DomElement = el;
    while (
      unit.parentElement &&
      unit.parentElement !== content &&
      !/^(?:p|div|li|h[1-6]|section|article|ul|ol|dl|dd|dt|pre|blockquote|table|figure|header|footer|nav|aside)$/.test(unit.localName)
    )
      unit = unit.parentElement;
    return unit;
  }
  return null;
}

/**
 * Removes a table of contents: a list whose links all lead to places on the page itself
 * ("#install"), with the short label before it ("Table of contents", "On this page"). It repeats
 * the headings that follow. Footnotes, whose back links are fragments too, are sentences, not
 * lists of links. Runs before URLs are made absolute.
 */
export function removeTableOfContents(content: DomElement): void {
  for (const list of [...content.querySelectorAll('ul, ol')]) {
    if (!list.parentElement || list.parentElement.closest('ul, ol')) continue;
    const links = [...list.querySelectorAll('a')];
    if (links.length < 2 || !isLinkList(list)) continue;
    if (!links.every((a) => /^#[^#\s]+$/.test(a.getAttribute('href') ?? ''))) continue;
    // The box around the list holding nothing else (a <nav>, a <details>), with its label.
    let box = list;
    while (box.parentElement && box.parentElement !== content && textOf(box.parentElement).length <= textOf(box).length + 40)
      box = box.parentElement;
    const before = box.previousElementSibling;
    if (
      before &&
      /^(?:h[1-6]|p|div|span|strong)$/.test(before.localName) &&
      normalizeSpace(textOf(before)).length <= 40 &&
      !before.querySelector('a, img')
    )
      before.remove();
    box.remove();
  }
}
