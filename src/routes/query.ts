import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { MAX_URL_FILTER_CHARS, urlFilterTerms } from '../domain/filters';
import { isSlug } from '../domain/slug';
import { badRequest } from '../http/problem';
import { fieldErrors, plainWords } from '../http/validation';
import type { FeedVariant } from '../views/urls';

import { DEFAULT_LIMIT, MAX_LIMIT } from '../serve/serve-view';

export { DEFAULT_LIMIT, MAX_LIMIT };

/** A query parameter holding a whole number from `min` to `max` (digits only: no sign, exponent or fraction). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A subscriber's word filter: `|`-separated words or phrases, plain words only (docs/filters.md). */
const wordFilter = z
  .string()
  .max(MAX_URL_FILTER_CHARS, `must be at most ${MAX_URL_FILTER_CHARS} characters`)
  .transform(urlFilterTerms)
  .refine((terms) => terms.length > 0, 'must hold at least one word, several separated by |')
  .optional();

const feedParams = {
  limit: wholeNumber(1, MAX_LIMIT).optional(),
  content: z.literal('summary', { error: 'must be "summary" (summaries only) or absent (full content)' }).optional(),
  filter: wordFilter,
  filterout: wordFilter,
};

/** The feed's variant from its query: what its self link says was asked for. */
function toVariant<T extends { limit?: number; content?: 'summary'; filter?: string[]; filterout?: string[] }>({
  limit,
  content,
  filter,
  filterout,
  ...rest
}: T) {
  const variant: FeedVariant = {
    limit: limit ?? null,
    content: content ?? 'full',
    ...(filter ? { filter } : {}),
    ...(filterout ? { filterout } : {}),
  };
  return { ...rest, variant };
}

/**
 * `?limit=N`: the newest N entries, a whole number from 1 to 100; absent: the subscription document
 * of the feed's complete history (src/views/archive.ts). `?content=summary`: summaries only. Other
 * parameters are ignored.
 */
export const feedQuery = z.object(feedParams).transform(toVariant);

const planetTag = z.string().refine(isSlug, 'must be a tag slug (lowercase letters of any script, digits, hyphens)').optional();

/** The planet's feeds also take `?tag=<slug>`: merge only the sources with that tag. */
export const planetQuery = z.object({ tag: planetTag, ...feedParams }).transform(toVariant);

/** An archive page's number in its path (`…/archive/<page>/feed.xml`): 1 is the oldest. */
export const archiveParam = z.object({ page: wholeNumber(1) });

/** An archive page's query: `?content=summary` (the summary variant's pages); `?limit` does not apply. */
export const archiveQuery = z.object({ content: feedParams.content }).transform(toVariant);

/** A planet's archive page also takes `?tag=<slug>`. */
export const planetArchiveQuery = z.object({ tag: planetTag, content: feedParams.content }).transform(toVariant);

/** An HTML list's page: `?page=N`, a whole number from 1 (the newest entries); other parameters are ignored. */
export const listQuery = z.object({ page: wholeNumber(1).optional() });

/** The planet page takes `?tag=<slug>` as its feeds do, and `?page=N`. */
export const planetPageQuery = z.object({ tag: planetTag, page: wholeNumber(1).optional() });

/** A source id in a path. */
export const sourceIdParam = z.object({ id: wholeNumber(1) });

/**
 * zValidator whose failures become a 400 problem naming each bad field in plain words
 * (src/http/validation.ts); a failure of the whole JSON body is named `body`.
 *
 * A query is checked once per distinct query string of its route and the result kept (frozen):
 * readers poll a feed with the same few query strings again and again, and the check (Hono
 * building the query object, then zod) took about 40 µs of a cached feed's answer in a CPU profile
 * (docs/benchmarks.md, "Warm and revalidate: the profile"). A failure is never kept: it throws
 * every time.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const error = plainWords(schema);
  const whole = target === 'json' ? 'body' : target;
  const check = zValidator(
    target,
    schema,
    (result) => {
      if (!result.success) throw badRequest(fieldErrors(result.error, whole));
    },
    // The result's type is zod's own; @hono/zod-validator's conditional type of it stays unresolved for a generic schema.
    { validationFunction: (s, value) => s.safeParseAsync(value, { error }) as Promise<never> },
  );
  if (target !== 'query') return check;
  const known = new Map<string, object>();
  const memoized: typeof check = async (c, next) => {
    const url = c.req.url;
    const at = url.indexOf('?');
    const search = at === -1 ? '' : url.slice(at);
    const valid = known.get(search);
    if (valid !== undefined) {
      c.req.addValidatedData('query', valid);
      await next();
      return;
    }
    return check(c, async () => {
      if (known.size >= MAX_KNOWN_QUERIES) known.clear();
      known.set(search, deepFreeze(c.req.valid('query' as never) as object));
      await next();
    });
  };
  return memoized;
}

/** Distinct query strings kept per route (a few per feed are polled; junk ones must not grow it). */
const MAX_KNOWN_QUERIES = 1000;

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner !== null && typeof inner === 'object') deepFreeze(inner);
  return Object.freeze(value);
}
