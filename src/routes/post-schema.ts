import { isQueryError, parseSearchQuery } from '../domain/search-query';
import { z } from 'zod';
import { isSlug, NO_SLUG, slugKey } from '../domain/slug';
import { xmlSafe } from '../html/text';
import { canonicalLanguage } from '../domain/language';
import { DEFAULT_LIMIT, MAX_LIMIT, wholeNumber } from './query';
import { tagName } from './tag-name';

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const httpUrl = z.string().max(2048).refine(isHttpUrl, 'must be an absolute http(s) URL').describe('an absolute http(s) URL');
/**
 * Text that must say something: characters XML forbids are removed first, then what is left is
 * checked (a title of control characters only is an empty title).
 */
const text = (max: number) => z.string().transform(xmlSafe).pipe(z.string().trim().min(1, 'must not be empty').max(max));

/** An author gets a page and feeds of its own: the name needs letters or digits to make its URL from (an empty one is refused as empty). */
const hasSlug = (name: string) => name === '' || slugKey(name) !== '';

const author = z.strictObject({
  name: text(200).refine(hasSlug, NO_SLUG),
  email: z.email().max(254).optional(),
  url: httpUrl.optional(),
});

const enclosure = z.strictObject({
  url: httpUrl,
  type: z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'must be a MIME type such as audio/mpeg'),
  length: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Playing time in seconds (podcasts: itunes:duration). */
  duration: z.number().int().min(0).max(1_000_000_000).optional(),
});

/** A language tag (BCP 47), stored in its canonical case: `en`, `de-AT`, `zh-Hant-TW`. */
const language = z
  .string()
  .max(35)
  .transform((value, ctx) => {
    const tag = canonicalLanguage(value);
    if (tag === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a language tag (BCP 47) such as "en", "de-AT" or "pt-BR"' });
      return z.NEVER;
    }
    return tag;
  });

// RFC 3339 (Atom, JSON Feed) writes four-digit years, 0001 to 9999 once converted to UTC: an
// offset can push 0001-01-01T00:00+01:00 into year 0 and 9999-12-31T23:59-01:00 into 10000.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const inFeedYears = (value: string) => {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= EARLIEST && ms <= LATEST;
};

/** The fields of a post as the API takes them. Unknown fields are refused, not ignored. */
const postFields = z.strictObject({
  title: text(500),
  slug: z.string().max(200).refine(isSlug, 'must be a slug: lowercase letters (of any script), digits and single hyphens'),
  summary: z.string().max(20_000),
  content_html: z.string().max(1_000_000),
  content_markdown: z.string().max(1_000_000),
  authors: z.array(author).min(1, 'must list at least one author').max(20),
  tags: z.array(tagName).max(50, 'must have at most 50 tags'),
  status: z.enum(['draft', 'published']),
  // A date that is none (`"tomorrow"`) is one error: the year range is not checked then.
  published_at: z.iso
    .datetime({ offset: true, abort: true })
    .refine(inFeedYears, 'must fall in the years 0001 to 9999 (UTC), the range RFC 3339 and the feed formats can write'),
  enclosures: z.array(enclosure).max(10),
  image: httpUrl.nullable(),
  lang: language.nullable(),
});

const oneContent = (body: { content_html?: string; content_markdown?: string }) =>
  !(body.content_html !== undefined && body.content_markdown !== undefined);
const oneContentError = { message: 'send content_html or content_markdown, not both', path: ['content_markdown'] };

/** POST and PUT: a whole post. */
export const postBody = postFields.partial().required({ title: true }).refine(oneContent, oneContentError);

/** PATCH: any subset of the fields. */
export const postPatch = postFields.partial().refine(oneContent, oneContentError);

export type PostBody = z.infer<typeof postBody>;

export const postListQuery = z.object({
  status: z.enum(['draft', 'published']).optional(),
  tag: z.string().max(100).optional(),
  /** A search of the posts' text, titles, authors and tags, as /search reads it (docs/search.md). */
  q: z
    .string()
    .optional()
    .transform((q, ctx) => {
      if (q === undefined) return undefined;
      const query = parseSearchQuery(q);
      if (!isQueryError(query)) return query;
      ctx.addIssue({ code: 'custom', message: query.error });
      return z.NEVER;
    }),
  limit: wholeNumber(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: wholeNumber(0).default(0),
});
