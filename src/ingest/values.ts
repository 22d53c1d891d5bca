import { decodeHTML } from 'entities';
import { stripTags, truncateText, xmlSafe } from '../html/text';
import { MAX_TITLE_CHARS, MAX_TITLE_GRAPHEMES, MAX_URL_CHARS } from './limits';

/** A URL resolved against a base; undefined when there is none, it does not parse, or it is longer than MAX_URL_CHARS. */
export function resolve(url: string | undefined | null, base: string): string | undefined {
  if (typeof url !== 'string' || url.trim() === '' || url.length > MAX_URL_CHARS) return undefined;
  try {
    const href = new URL(url.trim(), base).href;
    return href.length > MAX_URL_CHARS ? undefined : href;
  } catch {
    return undefined;
  }
}

/**
 * Text of a title-like value: tags stripped, entities decoded, whitespace collapsed, characters
 * XML forbids removed, cut to `maxGraphemes` (and `maxChars` code units) with an ellipsis.
 */
export function plainTitle(value: unknown, maxGraphemes = MAX_TITLE_GRAPHEMES, maxChars = MAX_TITLE_CHARS): string | null {
  if (typeof value !== 'string') return null;
  // Only ASCII whitespace collapses: zero-width characters, joiners and marks are text too.
  const text = xmlSafe(decodeHTML(stripTags(value)).replace(/[\t\n\r\f ]+/g, ' ')).replace(/^ | $/g, '');
  return truncateText(text, maxGraphemes, maxChars) || null;
}

/** A feed's title, cut to MAX_TITLE_GRAPHEMES with a warning when it is longer. */
export function feedTitle(value: unknown, warnings: string[]): string | null {
  const whole = plainTitle(value, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  if (whole === null) return null;
  const cut = truncateText(whole, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS);
  if (cut !== whole) warnings.push(`the feed's title over ${MAX_TITLE_GRAPHEMES} characters; cut`);
  return cut;
}
