import { DOMParser } from 'linkedom';
import { z } from 'zod';
import type { DomDocument } from './dom';
import { ExtractError } from './extract-error';

// Rules a publisher (or an admin) writes when a site's list page defeats the heuristics: CSS
// selectors, run by linkedom's engine (css-select), relative to each item except `item` itself.

let probe: DomDocument | null = null;

/** True when linkedom's selector engine accepts the selector (it compiles it on first use). */
function compiles(selector: string): boolean {
  probe ??= new DOMParser().parseFromString('<html><body><p>x</p></body></html>', 'text/html') as unknown as DomDocument;
  try {
    probe.querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

const selector = z.string().trim().min(1).max(500).refine(compiles, { message: 'is not a valid CSS selector' });

/**
 * ListRules: `item` selects each post's element on the list page; `title`, `link`, `date`,
 * `summary` and `image` select inside an item (defaults: the item's first link and its text);
 * `content` selects the article body on article pages (extractArticle's `contentSelector`);
 * `backfillPages` is how many pages of the list a page source's first refresh reads (1 to 20;
 * src/ingest/refresh.ts); `remove` names elements taken out of each article page before its body is read (`remove`);
 * `dateLocale` is the language of written dates ("de", "fr", "en-GB"…), when the page's
 * `<html lang>` is missing or wrong. Unknown keys are refused.
 */
export const listRulesSchema = z.strictObject({
  item: selector,
  title: selector.optional(),
  link: selector.optional(),
  date: selector.optional(),
  summary: selector.optional(),
  image: selector.optional(),
  content: selector.optional(),
  remove: z.array(selector).min(1, 'must name at least one selector').max(20, 'must have at most 20 selectors').optional(),
  backfillPages: z.number().int('must be a whole number').min(1).max(20).optional(),
  dateLocale: z
    .string()
    .regex(/^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/, 'is not a language tag such as "de" or "en-GB"')
    .optional(),
});

/** Validated rules. */
export type ListRules = z.infer<typeof listRulesSchema>;
/** Rules as callers write them (before validation). */
export type ListRulesInput = z.input<typeof listRulesSchema>;

/**
 * Validates rules. @throws ExtractError `invalid_rules`, whose message names each bad field
 * ("date: is not a valid CSS selector").
 */
export function parseListRules(value: unknown): ListRules {
  const result = listRulesSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'rules'}: ${issue.message}`);
  throw new ExtractError('invalid_rules', problems.join('; '));
}
