import { isLinkList } from './boilerplate';
import type { DomElement } from './dom';
import { textOf } from './text';

// Readability keeps one candidate block and the siblings next to it. Page builders and many CMS
// themes cut an article into sections nested a few levels deep (a row, a column, a text module
// each), one per heading: Readability then returns one section of the article (often the longest)
// and drops the others, which sit beside an ancestor of the block it chose. This pass puts them
// back: sections of the same shape as the branch Readability's block came from (the same element
// and first class, as page builders and themes name their repeated blocks), holding prose, beside
// it. Readability moves the nodes it keeps out of the document, so where they came from is read
// from a record taken before it ran.

/** Where an element was before Readability ran: its parent, its position, its shape. */
export type Origins = Map<DomElement, { parent: DomElement; order: number; shape: string | null }>;

/** Levels above Readability's block searched for sibling sections. */
const MAX_LEVELS = 6;
/**
 * Sections needed beside Readability's branch: a structure repeated at least three times is the
 * article's own sections; a lone block of the same shape beside the article is as often a sidebar
 * column, a "subscribe" box or a list of other posts.
 */
const MIN_SECTIONS = 2;
/** Characters of paragraph text a section needs to count as part of the article. */
const MIN_PROSE = 100;
const HEADINGS = 'h2, h3, h4, h5, h6';
/** What never joins the article from a section (Readability removes the same from its block). */
const JUNK = 'script, style, noscript, template, form, button, input, select, textarea, nav, aside, iframe';

/** Records the parent, document order and shape of every element under `root`. */
export function recordOrigins(root: DomElement): Origins {
  const origins: Origins = new Map();
  let order = 0;
  for (const el of root.querySelectorAll('*')) {
    const first = (el.getAttribute('class') ?? '').trim().split(/\s+/)[0];
    if (el.parentElement) origins.set(el, { parent: el.parentElement, order: order++, shape: first ? `${el.localName}.${first}` : null });
  }
  return origins;
}

/**
 * Adds to Readability's `content` the sections of the same shape beside the branch its
 * paragraphs came from (see above), in document order. Nothing is added when the paragraphs
 * cannot be traced (Readability re-parsed the page on a retry), or when no such section holds
 * prose; a section with its own h1 is another article, not a part of this one.
 */
export function addSiblingSections(content: DomElement, origins: Origins): void {
  const paragraphs = [...content.querySelectorAll('p')].filter((p) => origins.has(p));
  if (paragraphs.length === 0) return;
  const block = commonAncestor(paragraphs, origins);
  if (!block) return;
  const page = content.children.length === 1 && content.firstElementChild ? content.firstElementChild : content;
  let branch = block;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const origin = origins.get(branch);
    if (!origin || /^(?:body|html|main)$/.test(origin.parent.localName)) return;
    const parent = origin.parent;
    const sections = origin.shape ? [...parent.children].filter((el) => el !== branch && isSection(el, origin.shape!, origins)) : [];
    if (sections.length >= MIN_SECTIONS) {
      const start = origins.get(block)!.order;
      const first = page.firstElementChild;
      for (const section of sections) {
        for (const junk of [...section.querySelectorAll(JUNK)]) junk.remove();
        if (origins.get(section)!.order < start && first) first.before(section);
        else page.appendChild(section);
      }
      // The heading of Readability's own section (left in the document: Readability keeps the
      // block under it) goes back in front of it.
      if (first)
        for (const heading of branch.querySelectorAll(HEADINGS)) if ((origins.get(heading)?.order ?? start) < start) first.before(heading);
      return;
    }
    // An article element bounds the article: its siblings are other articles.
    if (branch.localName === 'article') return;
    branch = parent;
  }
}

function isSection(el: DomElement, shape: string, origins: Origins): boolean {
  if (origins.get(el)?.shape !== shape || el.querySelector('h1') || isLinkList(el)) return false;
  let prose = 0;
  for (const p of el.querySelectorAll('p')) prose += textOf(p).length;
  return prose >= MIN_PROSE;
}

/** The deepest element that held all of `elements` before Readability ran. */
export function commonAncestor(elements: DomElement[], origins: Origins): DomElement | null {
  const chain = (el: DomElement) => {
    const up: DomElement[] = [];
    for (let at = origins.get(el)?.parent; at; at = origins.get(at)?.parent) up.push(at);
    return up;
  };
  let common = chain(elements[0]!);
  for (const el of elements.slice(1)) {
    const others = new Set(chain(el));
    common = common.filter((a) => others.has(a));
  }
  return common[0] ?? null;
}
