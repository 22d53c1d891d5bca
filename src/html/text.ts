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

// Markup removal and HTML to text live in src/lib/ (the search index's writer in src/db/ needs them).
export { htmlToText, stripTags } from '../lib/html-text';

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

/** Whether a string holds markup (a tag, as stripTags reads one), or is text that HTML would read as it is. */
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
