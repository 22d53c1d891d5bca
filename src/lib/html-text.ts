import { decodeHTML } from 'entities';

/**
 * What HTML's tokenizer reads as markup: `<` followed by a letter (a start tag), `/` (an end tag),
 * `!` (a comment or doctype) or `?` (a processing instruction, a bogus comment in HTML), up to the
 * next `>`. Any other `<` is text: "a < b", "3<4". `[^<>]*` keeps the scan linear.
 */
const MARKUP = /<[A-Za-z/!?][^<>]*>/g;

/**
 * Elements that start a new line when rendered (and `<br>`, `<img>`, that separate what is around
 * them): their tags become a space in text. Inline tags (`<b>`, `<a>`, `<span>`) become nothing,
 * so "Some <b>markup</b>, here" reads "Some markup, here", not "Some markup , here".
 */
const SEPARATING =
  /^<\/?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|img|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?=[\s/>])/i;

/**
 * Removes markup (see MARKUP); a bare `<` stays, as HTML reads it. Each tag becomes `replacement`,
 * or by default a space where it separates text (see SEPARATING) and nothing where it is inline.
 */
export function stripTags(html: string, replacement?: string): string {
  return html.replace(MARKUP, (tag) => replacement ?? (SEPARATING.test(tag) ? ' ' : ''));
}

/**
 * HTML to a plain-text line: markup removed, every character reference decoded the way HTML
 * decodes text (`&eacute;`, `&#8217;`, `&amp;`; by the `entities` package), ASCII whitespace
 * collapsed. The result is text: escape it again (`escapeHtml`) to put it back into markup.
 */
export function htmlToText(html: string): string {
  return decodeHTML(stripTags(html))
    .replace(/[\t\n\f\r ]+/g, ' ')
    .trim();
}
