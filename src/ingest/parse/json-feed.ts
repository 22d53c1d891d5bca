import { z } from 'zod';
import { textToHtml, xmlSafe } from '../../html/text';
import { parseDate } from './dates';
import { canonicalLanguage } from '../../domain/language';
import { MAX_CATEGORIES_READ, MAX_DESCRIPTION_CHARS, MAX_DESCRIPTION_GRAPHEMES } from '../limits';
import { finishItems, type ShapedItem, uncutTitle } from '../normalize';
import type { ItemReuse } from '../unchanged';
import type { ParseResult } from '../types';
import { feedTitle, plainTitle, resolve } from '../values';

// JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/). Every field is checked on its
// own: a field of the wrong type is dropped, an item that is not an object is skipped, and the
// feed keeps its good items. JSON.parse makes "__proto__" an ordinary own key, and nothing here
// merges parsed objects into others, so no prototype is reachable.

const optionalString = z.string().optional().catch(undefined);
const author = z.object({ name: optionalString, url: optionalString }).catch({});
const attachment = z
  .object({
    url: z.string(),
    mime_type: optionalString,
    size_in_bytes: z.number().optional().catch(undefined),
    duration_in_seconds: z.number().optional().catch(undefined),
  })
  .nullable()
  .catch(null);
const item = z.object({
  id: z
    .union([z.string(), z.number().transform(String)])
    .optional()
    .catch(undefined),
  url: optionalString,
  external_url: optionalString,
  title: optionalString,
  content_html: optionalString,
  content_text: optionalString,
  summary: optionalString,
  image: optionalString,
  banner_image: optionalString,
  language: optionalString,
  date_published: optionalString,
  date_modified: optionalString,
  author: author.optional().catch(undefined),
  authors: z.array(author).optional().catch(undefined),
  tags: z.array(z.unknown()).optional().catch(undefined),
  attachments: z.array(attachment).optional().catch(undefined),
});
const feed = z.object({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\//),
  title: optionalString,
  home_page_url: optionalString,
  description: optionalString,
  language: optionalString,
  author: author.optional().catch(undefined),
  authors: z.array(author).optional().catch(undefined),
  items: z.array(z.unknown()),
});

type Author = z.infer<typeof author>;

/** JSON Feed 1.1 `authors` and 1.0 `author`, those with a name; URLs resolved against the feed's. */
function authorsOf(authors: Author[] | undefined, one: Author | undefined, feedUrl: string): ShapedItem['authors'] {
  return [...(authors ?? []), ...(one ? [one] : [])]
    .filter((a): a is { name: string; url?: string } => typeof a.name === 'string' && a.name.trim() !== '')
    .map((a) => {
      const url = resolve(a.url, feedUrl);
      return { name: a.name.trim(), ...(url && /^https?:/.test(url) ? { url } : {}) };
    });
}

export async function parseJsonFeed(
  text: string,
  feedUrl: string,
  maxItems: number,
  reuse?: Promise<ItemReuse | undefined>,
): Promise<ParseResult> {
  let data: unknown;
  try {
    // Every string of the document loses the characters XML forbids (a JSON string can carry NUL,
    // lone surrogates and the rest as escapes), whatever field it ends up in.
    data = JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? xmlSafe(value) : value));
  } catch (error) {
    return {
      ok: false,
      kind: 'invalid_json',
      message: `The JSON does not parse: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  if (
    !isObject ||
    typeof (data as { version?: unknown }).version !== 'string' ||
    !String((data as { version: string }).version).includes('jsonfeed.org/version/')
  ) {
    return { ok: false, kind: 'not_a_feed', message: 'The JSON is not a JSON Feed (no "version": "https://jsonfeed.org/version/…").' };
  }
  const parsed = feed.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || 'feed').join(', ');
    return { ok: false, kind: 'invalid_feed', message: `Not a valid JSON Feed: ${fields} has the wrong type.` };
  }
  const warnings: string[] = [];
  const shaped: ShapedItem[] = [];
  // An item without authors of its own has the feed's (JSON Feed 1.1 `authors`, 1.0 `author`).
  const feedAuthors = authorsOf(parsed.data.authors, parsed.data.author, feedUrl);
  parsed.data.items.forEach((raw, index) => {
    const result = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? item.safeParse(raw) : null;
    if (!result?.success) {
      warnings.push(`item ${index + 1}: not an object; skipped`);
      return;
    }
    const i = result.data;
    const link = resolve(i.url ?? i.external_url, feedUrl);
    const httpLink = link && /^https?:/.test(link) ? link : null;
    const own = authorsOf(i.authors, i.author, feedUrl);
    const authors = own.length ? own : feedAuthors;
    const image = resolve(i.image ?? i.banner_image, feedUrl);
    shaped.push({
      guid: i.id?.trim() ? i.id.trim() : null,
      title: uncutTitle(i.title),
      link: httpLink,
      contentHtml: i.content_html ?? (i.content_text ? textToHtml(i.content_text) : ''),
      summaryHtml: i.summary ? textToHtml(i.summary) : '',
      contentBase: httpLink ?? feedUrl,
      published: parseDate(i.date_published),
      updated: parseDate(i.date_modified),
      authors,
      categories: (i.tags ?? []).slice(0, MAX_CATEGORIES_READ).filter((t): t is string => typeof t === 'string'),
      enclosures: (i.attachments ?? [])
        .filter((a) => a !== null)
        .map((a) => ({ url: a!.url, type: a!.mime_type, length: a!.size_in_bytes, duration: a!.duration_in_seconds })),
      image: image && /^https?:/.test(image) ? image : null,
      language: i.language ?? null,
    });
  });
  const items = await finishItems(shaped, maxItems, warnings, await reuse);
  const home = resolve(parsed.data.home_page_url, feedUrl);
  return {
    ok: true,
    feed: {
      format: 'json',
      title: feedTitle(parsed.data.title, warnings),
      siteUrl: home && /^https?:/.test(home) ? home : null,
      description: plainTitle(parsed.data.description, MAX_DESCRIPTION_GRAPHEMES, MAX_DESCRIPTION_CHARS),
      ttlMinutes: null,
      language: canonicalLanguage(parsed.data.language),
      date: null,
      items,
      warnings,
    },
  };
}
