import { decodeHTML } from 'entities';

// Characters that XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF; lone
// surrogates). They cannot be escaped, only removed; feed readers reject the whole document
// otherwise. Without the `u` flag the pattern sees UTF-16 code units, so the look-arounds can
// tell an unpaired surrogate from half of a valid pair.
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes the characters XML 1.0 cannot carry. Everything else is kept as it is. */
export function xmlSafe(value: string): string {
  XML_FORBIDDEN.lastIndex = 0;
  return XML_FORBIDDEN.test(value) ? value.replace(XML_FORBIDDEN, '') : value;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use inside HTML (element content or a quoted attribute). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

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

/** Text as compared with a title: case, spacing and trailing punctuation or ellipsis do not count. */
const comparable = (text: string) =>
  text
    .normalize('NFKC')
    .toLocaleLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.…:;,!?·|–—-]+$/u, '')
    .trim();

/**
 * Whether a text says nothing but the title (the title again, followed by nothing): a list's
 * summary, or a page description many themes fill with the title.
 */
export function repeatsTitle(text: string, title: string): boolean {
  const wanted = comparable(title);
  return wanted !== '' && comparable(text) === wanted;
}

/** Whether a string holds markup (see MARKUP), or is text that HTML would read as it is. */
export const hasMarkup = (value: string): boolean => /<[A-Za-z/!?][^<>]*>/.test(value);

/**
 * Text without markup (already safe as HTML: escaped, or without tags) as HTML paragraphs: a
 * blank line separates paragraphs, any other line break is a `<br>`, as the writer saw it.
 */
export function textParagraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[\t\f ]*\n\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => `<p>${part.replace(/[\t\f ]*\n[\t\f ]*/g, '<br>')}</p>`)
    .join('');
}

/** Plain text as HTML: escaped, its line breaks kept as paragraphs and `<br>` (see textParagraphs). */
export const textToHtml = (text: string): string => textParagraphs(escapeHtml(text));

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `value` cut to at most `maxGraphemes` user-perceived characters (a flag or a family emoji is
 * one) and `maxChars` UTF-16 code units, an ellipsis included when it is cut. Only the start of
 * the value is segmented, so an 800 KB title costs what its first graphemes cost. A single
 * grapheme longer than `maxChars` (a letter under 10,000 combining marks) is cut between code
 * points, never inside a surrogate pair.
 */
export function truncateText(value: string, maxGraphemes: number, maxChars = Number.POSITIVE_INFINITY): string {
  if (value.length <= maxGraphemes && value.length <= maxChars) return value;
  let count = 0;
  let end = 0;
  for (const { index, segment } of graphemes.segment(value)) {
    const next = index + segment.length;
    if (count === maxGraphemes - 1 || next > maxChars - 1) {
      // Does the rest fit whole? Only if this is the last grapheme and it fits.
      if (next === value.length && count < maxGraphemes && next <= maxChars) return value;
      if (end === 0 && next > maxChars - 1) {
        // Not even one whole grapheme fits: cut it between code points.
        end = Math.max(0, maxChars - 1);
        if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1))) end -= 1;
      }
      return `${value.slice(0, end).trimEnd()}…`;
    }
    count++;
    end = next;
  }
  return value;
}
