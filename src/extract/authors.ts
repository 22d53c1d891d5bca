import { periodOf } from './dates';
import type { DomElement } from './dom';
import { BYLINE_PREFIX } from './patterns';
import { normalizeSpace, textOf } from './text';
import type { Author } from './types';
import { absoluteUrl } from './urls';

/**
 * Names in a byline: "By Jane Doe and John Smith" is two; "Jane Doe, John Smith & Li Wei" three.
 * Dates, roles after a pipe and reading times are cut off first; a month or a date is never a name.
 */
export function splitByline(text: string): string[] {
  let value = normalizeSpace(text).replace(BYLINE_PREFIX, '');
  value = value.split(/\s[|·•—–]\s|\s+(?:on|am|le|el|il|op)\s+\d|\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}/u)[0] ?? '';
  return (
    value
      .split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bи\b)\s*/u)
      .map((n) => n.replace(/^[^\p{L}]+|[^\p{L}.)]+$/gu, '').trim())
      // A date, or a month left over from one ("By Jane Doe, 5 December"), is no name.
      .filter((n) => n.length > 1 && n.length <= 80 && !/^https?:/.test(n) && !/\d/.test(n) && !periodOf(n))
  );
}

/** Authors without duplicates (same name, ignoring case); a later copy with a URL lends it to the first. */
export function uniqueAuthors(authors: Author[]): Author[] {
  const byName = new Map<string, Author>();
  for (const author of authors) {
    const name = normalizeSpace(author.name);
    if (name === '') continue;
    const key = name.toLowerCase();
    const seen = byName.get(key);
    if (!seen) byName.set(key, author.url ? { name, url: author.url } : { name });
    else if (!seen.url && author.url) seen.url = author.url;
  }
  return [...byName.values()];
}

/** An author from a link or element: its text as the name, its href (if a link) as the URL. */
export function authorOfElement(el: DomElement, base: string): Author[] {
  const link = el.localName === 'a' ? el : el.querySelector('a[href]');
  const url = absoluteUrl(link?.getAttribute('href'), base);
  const names = splitByline(textOf(el));
  if (names.length === 1 && url) return [{ name: names[0]!, url }];
  return names.map((name) => ({ name }));
}
