import { type DomElement, type DomNode, ELEMENT_NODE, TEXT_NODE } from './dom';

/** Whitespace (including no-break spaces) collapsed to single spaces, trimmed. */
export function normalizeSpace(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim();
}

/** The lowercase words (runs of letters and digits) of a text. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The element's own words: its text outside its child elements, whitespace collapsed. */
export function ownText(el: DomElement): string {
  return normalizeSpace([...el.childNodes].map((n) => (n.nodeType === TEXT_NODE ? n.textContent : ' ')).join(''));
}

/** The element's text content, whitespace collapsed. */
export function textOf(el: DomNode | null | undefined): string {
  return normalizeSpace(el?.textContent);
}

/** Elements that run inside a line of text: no space is put around them. */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
  'font',
]);

/**
 * The element's text with a space where one block of it ends and the next begins (textContent
 * glues `<aside>Nov. 12, 2024</aside><h2>I used to…` into "2024I used"), whitespace collapsed.
 */
export function spacedText(el: DomElement): string {
  let text = '';
  const stack: (DomNode | null)[] = [el];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null) {
      text += ' ';
      continue;
    }
    if (node!.nodeType === TEXT_NODE) {
      text += node!.textContent ?? '';
      continue;
    }
    if (node!.nodeType !== ELEMENT_NODE) continue;
    const tag = (node as DomElement).localName;
    if (SKIP.has(tag)) continue;
    const block = !INLINE.has(tag);
    if (block) {
      text += ' ';
      stack.push(null);
    }
    const children = node!.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return normalizeSpace(text);
}

/** Elements whose text a reader never sees. */
const UNSEEN = 'script, style, noscript, template';

/**
 * Characters of text a reader could see in the element (whitespace collapsed, scripts, styles
 * and templates left out: a page's inline JSON state can outweigh its article).
 */
export function visibleTextLength(el: DomElement): number {
  let length = textOf(el).length;
  for (const unseen of el.querySelectorAll(UNSEEN)) length -= textOf(unseen).length;
  return Math.max(0, length);
}

/** Elements that start a new line of plain text (HTML's block-level and list/table boxes). */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
  'caption',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg', 'math', 'iframe', 'button', 'select', 'textarea']);

/**
 * Attribute that marks a figure's caption or photo credit in an article body (set before
 * Readability, which drops classes; see article.ts).
 */
export const CAPTION_MARK = 'data-syndicate-caption';

/**
 * Plain text of a content tree: one line per paragraph, heading, list item, caption, table row
 * (cells separated by a tab) or line of preformatted text; whitespace collapsed elsewhere; lines
 * without a letter or digit dropped. With `captions: false`, figure captions and the elements
 * marked CAPTION_MARK are left out. Walks the tree without recursion.
 */
export function plainText(root: DomElement, { captions = true }: { captions?: boolean } = {}): string {
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    const text = line.includes('\u0000') ? line : normalizeSpace(line);
    line = '';
    // Preformatted runs were marked with NUL so that their inner line breaks survive.
    for (const part of text.replace(/\u0000/g, '').split('\n')) {
      const kept = part.replace(/\s+$/, '').replace(/^[ \t]*$/, '');
      if (kept !== '') lines.push(kept);
    }
  };
  type Step = { node: DomNode; pre: boolean } | { end: string };
  const stack: Step[] = [{ node: root, pre: false }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('end' in step) {
      // Cells end with a marker that whitespace collapsing leaves alone; it becomes a tab below.
      if (step.end === 'td' || step.end === 'th') line += '\u0001';
      else flush();
      continue;
    }
    const { node, pre } = step;
    if (node.nodeType === TEXT_NODE) {
      line += pre ? `\u0000${node.textContent ?? ''}` : (node.textContent ?? '');
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const tag = (node as DomElement).localName;
    if (SKIP.has(tag)) continue;
    if (!captions && (tag === 'figcaption' || (node as DomElement).hasAttribute(CAPTION_MARK))) continue;
    if (tag === 'br') {
      flush();
      continue;
    }
    const block = BLOCK.has(tag);
    if (block) flush();
    if (block || tag === 'td' || tag === 'th') stack.push({ end: tag });
    const children = node.childNodes;
    const inPre = pre || tag === 'pre';
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, pre: inPre });
  }
  flush();
  return (
    lines
      .map((l) => l.replace(/\s*\u0001\s*$/, '').replace(/\s*\u0001\s*/g, '\t'))
      // Lines without a letter or digit ("___", "* * *") are separators, not text.
      .filter((l) => /[\p{L}\p{N}]/u.test(l))
      .join('\n')
  );
}
