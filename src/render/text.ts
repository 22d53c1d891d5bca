// Characters that XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF; lone
// surrogates). They cannot be escaped, only removed; feed readers reject the whole document
// otherwise. Without the `u` flag the pattern sees UTF-16 code units, so the look-arounds can
// tell an unpaired surrogate from half of a valid pair.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

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

/** Removes tags and decodes the few entities we emit ourselves: HTML to a plain-text line. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
