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

/** Removes markup (see MARKUP); a bare `<` stays, as HTML reads it. */
export function stripTags(html: string, replacement = ' '): string {
  return html.replace(MARKUP, replacement);
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
