import { z } from 'zod';
import { MAX_FILTER_RULES } from '../domain/filters';
import { MAX_SOURCE_TAGS, SOURCE_KINDS } from '../domain/source';
import { listRulesSchema } from '../extract';
import { MAX_EXAMPLES } from '../extract/rules-from-examples';
import { xmlSafe } from '../html/text';
import { DEFAULT_LIMIT, MAX_LIMIT, wholeNumber } from './query';
import { tagName } from './tag-name';

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v), 'must be an absolute URL')
  .describe('an absolute URL');

/** A page source's rules (src/extract/list-rules.ts): a bad one is a 400 naming rules.<field>. */
const rules = listRulesSchema.describe('page-source rules, an object of CSS selectors such as {"item": "article"}');

/** A list of filter rules; each rule is checked by checkFilters (src/domain/filters.ts). */
export const filterList = z
  .array(z.unknown())
  .max(MAX_FILTER_RULES, `must have at most ${MAX_FILTER_RULES} rules`)
  .describe('a list of filter rules such as {"action": "block", "field": "title", "match": "words", "pattern": "sponsored"}');

/** POST /api/sources/:id/filters/preview and PUT /api/views/:view/filters: `{"filters": [...]}`. */
export const filtersBody = z.strictObject({ filters: filterList });

/** The fields of a source as the API takes them. Unknown fields are refused, not ignored. */
const fields = z.strictObject({
  url: httpUrl,
  kind: z.enum(SOURCE_KINDS),
  rules: rules.nullable(),
  title: z.string().transform(xmlSafe).pipe(z.string().trim().min(1, 'must not be empty').max(300)).nullable(),
  tags: z.array(tagName).max(MAX_SOURCE_TAGS, `must have at most ${MAX_SOURCE_TAGS} tags`),
  paused: z.boolean(),
  // Its posts are the site's own too: the site's main feeds and home page show them (docs/sources.md).
  site: z.boolean(),
  // Feed sources: fetch the page of each item that carries only a summary (src/ingest/full-text.ts).
  full_text: z.boolean(),
  // Filter rules (docs/filters.md): each checked, and compiled, by src/domain/filters.ts, a bad one named filters.<n>.<part>.
  filters: filterList,
});

/** POST /api/sources: a URL, and what else the publisher wants to say. */
export const sourceBody = fields
  .omit({ paused: true })
  .partial({ title: true, tags: true, kind: true, rules: true, site: true, full_text: true, filters: true });

/** PATCH /api/sources/:id: any subset of the fields. */
export const sourcePatch = fields.partial();

/** A post as a person sees it on the list page: its title's text, or its URL. */
const example = z.string().trim().min(1, 'must not be empty').max(2048).describe("a post's title as the page shows it, or its URL");

/**
 * POST /api/sources/preview: a list page, read as a page source would read it, with the given
 * `rules` or with rules derived from `examples` (not both).
 */
export const previewBody = z
  .strictObject({
    url: httpUrl,
    kind: z.literal('page').optional(),
    rules: rules.nullable().optional(),
    examples: z
      .array(example)
      .min(1, 'must name at least one post')
      .max(MAX_EXAMPLES, `must have at most ${MAX_EXAMPLES} posts`)
      .optional(),
  })
  .refine((body) => !(body.examples && body.rules), {
    path: ['examples'],
    message: 'cannot be sent with rules: the rules are derived from the examples',
  });

/** POST /api/sources/:id/refresh takes no body, or `{"refetch": true}`: fetch every article again. */
export const refreshBody = z.strictObject({ refetch: z.boolean().optional() });

export const sourceListQuery = z.object({
  state: z.enum(['active', 'paused', 'gone']).optional(),
  limit: wholeNumber(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: wholeNumber(0).default(0),
});
