import { z } from 'zod';
import { MAX_SOURCE_TAGS, SOURCE_KINDS } from '../domain/source';
import { listRulesSchema } from '../extract';
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
});

/** POST /api/sources: a URL, and what else the publisher wants to say. */
export const sourceBody = fields
  .omit({ paused: true })
  .partial({ title: true, tags: true, kind: true, rules: true, site: true, full_text: true });

/** PATCH /api/sources/:id: any subset of the fields. */
export const sourcePatch = fields.partial();

/** POST /api/sources/preview: a list page, read as a page source would read it. */
export const previewBody = z.strictObject({ url: httpUrl, kind: z.literal('page').optional(), rules: rules.nullable().optional() });

/** POST /api/sources/:id/refresh takes no body, or `{"refetch": true}`: fetch every article again. */
export const refreshBody = z.strictObject({ refetch: z.boolean().optional() });

export const sourceListQuery = z.object({
  state: z.enum(['active', 'paused', 'gone']).optional(),
  limit: wholeNumber(1, MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: wholeNumber(0).default(0),
});
