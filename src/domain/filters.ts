// Filter rules: which items a source or a view keeps (docs/filters.md). A rule keeps or blocks by
// one field of an item, matching whole words (case-insensitive, any script) or a regular
// expression run by RE2 (re2js: linear time whatever the pattern, so a publisher's `(a+)+$` cannot
// stall a refresh). If any keep rule exists an item must match one; any block match drops it.

import { RE2JS } from 're2js';
import { LruCache } from '../lib/lru';
import { InvalidFieldError } from './invalid-field-error';
import { isSlug } from './slug';

/** The fields a rule can look at; `age` takes `max_days` instead of a pattern. */
export const FILTER_FIELDS = ['title', 'content', 'author', 'category', 'link', 'enclosure_type', 'age'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type TextField = Exclude<FilterField, 'age'>;

export const MAX_FILTER_RULES = 50;
export const MAX_PATTERN_CHARS = 500;
/** Characters of an item's content text a rule reads (the start of a very long article is enough). */
export const MAX_MATCHED_CHARS = 200_000;

export type FilterRule =
  | { action: 'keep' | 'block'; field: TextField; match: 'words' | 'regex'; pattern: string }
  /** Block items older than max_days when judged (keep: keep only the younger ones). */
  | { action: 'keep' | 'block'; field: 'age'; max_days: number };

/** What a rule reads of an item: plain text only (content already turned into text). */
export type FilterItem = {
  title: string;
  content: string;
  authors: string[];
  categories: string[];
  link: string | null;
  enclosureTypes: string[];
  /** ms since the epoch. */
  publishedAt: number;
};

/** Why an item is blocked: `filters.<n>` (the block rule that matched) or `filters.keep` (no keep rule matched). */
export type BlockReason = string;

/** Text made comparable: compatibility forms folded (NFKC), then case folded. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a text, folded: runs of letters, digits and combining marks. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
}

/**
 * A words pattern: `|`-separated alternatives, each a word or a phrase (its words in a row).
 * Empty alternatives (no letter or digit) are refused when a rule is checked.
 */
export function phrasesOf(pattern: string): string[][] {
  return pattern
    .split('|')
    .map(wordsOf)
    .filter((p) => p.length > 0);
}

/** Words of a text, with a set for one-word phrases. */
type Tokens = { list: string[]; set: Set<string> };

function tokens(text: string): Tokens {
  const list = wordsOf(text.length > MAX_MATCHED_CHARS ? text.slice(0, MAX_MATCHED_CHARS) : text);
  return { list, set: new Set(list) };
}

/** Whether `phrase` occurs as whole words in `t`. */
function hasPhrase(t: Tokens, phrase: string[]): boolean {
  if (!phrase.every((w) => t.set.has(w))) return false;
  if (phrase.length === 1) return true;
  const [first] = phrase;
  outer: for (let i = 0; i + phrase.length <= t.list.length; i++) {
    if (t.list[i] !== first) continue;
    for (let k = 1; k < phrase.length; k++) if (t.list[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

/** True when any phrase occurs in the text as whole words. */
export function matchesWords(text: string, phrases: string[][]): boolean {
  const t = tokens(text);
  return phrases.some((p) => hasPhrase(t, p));
}

/** Characters of a feed URL's ?filter= or ?filterout= value, as received. */
export const MAX_URL_FILTER_CHARS = 256;

/**
 * A subscriber's `?filter=` / `?filterout=` value in its canonical form: `|`-separated words or
 * phrases, each folded (NFKC, lower case) with its words joined by one space, each once, sorted.
 * Plain words only: no regex from the public. Empty when it holds no word.
 */
export function urlFilterTerms(value: string): string[] {
  return [...new Set(phrasesOf(value).map((p) => p.join(' ')))].sort();
}

/** Whether an item's title or content text holds any of the terms (urlFilterTerms) as whole words. */
export function matchesTerms(texts: string[], terms: readonly string[]): boolean {
  const phrases = terms.map((t) => t.split(' '));
  return texts.some((text) => matchesWords(text, phrases));
}

type Compiled = { rule: FilterRule; test(item: FilterItem, now: number, memo: Map<string, Tokens>): boolean };

const DAY_MS = 86_400_000;

function fieldTexts(item: FilterItem, field: TextField): string[] {
  switch (field) {
    case 'title':
      return [item.title];
    case 'content':
      return [item.content.length > MAX_MATCHED_CHARS ? item.content.slice(0, MAX_MATCHED_CHARS) : item.content];
    case 'author':
      return item.authors;
    case 'category':
      return item.categories;
    case 'link':
      return item.link === null ? [] : [item.link];
    case 'enclosure_type':
      return item.enclosureTypes;
  }
}

/** Compiles a regex pattern; a syntax error throws InvalidFieldError naming `field`. */
function compileRegex(pattern: string, field: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw new InvalidFieldError(
      field,
      `is not a valid regular expression (RE2 syntax): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function compileRule(rule: FilterRule, field: string): Compiled {
  if (rule.field === 'age') {
    // A block rule matches the items older than max_days; a keep rule the younger ones.
    const limit = rule.max_days * DAY_MS;
    const old = rule.action === 'block';
    return { rule, test: (item, now) => now - item.publishedAt > limit === old };
  }
  const which = rule.field;
  if (rule.match === 'regex') {
    const re = compileRegex(rule.pattern, `${field}.pattern`);
    return { rule, test: (item) => fieldTexts(item, which).some((text) => re.test(text)) };
  }
  const phrases = phrasesOf(rule.pattern);
  if (phrases.length === 0) throw new InvalidFieldError(`${field}.pattern`, 'must hold at least one word (letters or digits)');
  return {
    rule,
    test: (item, _now, memo) =>
      fieldTexts(item, which).some((text, i) => {
        const key = `${which}\u0000${i}`;
        let t = memo.get(key);
        if (t === undefined) {
          t = tokens(text);
          memo.set(key, t);
        }
        return phrases.some((p) => hasPhrase(t!, p));
      }),
  };
}

/** A list of rules ready to judge items. */
export type CompiledFilters = {
  rules: readonly FilterRule[];
  /** null: kept; else why it is blocked. `age` rules say "too old" (block) or "young enough" (keep). */
  judge(item: FilterItem, now: number): BlockReason | null;
};

const compiledCache = new LruCache<CompiledFilters>(200, () => 1);

/**
 * Compiles rules (checked already, or checked here: a bad one throws InvalidFieldError naming
 * `<prefix>.<n>.<field>`). Compiled lists are kept per isolate by their JSON.
 */
export function compileFilters(rules: readonly FilterRule[], prefix = 'filters'): CompiledFilters {
  const key = JSON.stringify(rules);
  const known = compiledCache.get(key);
  if (known) return known;
  const compiled = rules.map((rule, i) => compileRule(rule, `${prefix}.${i}`));
  const keeps = compiled.map((c, i) => [c, i] as const).filter(([c]) => c.rule.action === 'keep');
  const blocks = compiled.map((c, i) => [c, i] as const).filter(([c]) => c.rule.action === 'block');
  const made: CompiledFilters = {
    rules,
    judge(item, now) {
      if (compiled.length === 0) return null;
      const memo = new Map<string, Tokens>();
      for (const [c, i] of blocks) if (c.test(item, now, memo)) return `filters.${i}`;
      if (keeps.length && !keeps.some(([c]) => c.test(item, now, memo))) return 'filters.keep';
      return null;
    },
  };
  compiledCache.set(key, made);
  return made;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks rules as the API receives them (unknown JSON), naming the first bad part
 * (`filters.2.pattern`): an unknown field or action, a pattern that is no RE2 regex or has no
 * word, a max_days that is not a whole number of days from 1. Returns them as stored.
 * @throws InvalidFieldError
 */
export function checkFilters(value: unknown, prefix = 'filters'): FilterRule[] {
  if (!Array.isArray(value)) throw new InvalidFieldError(prefix, 'must be a list of rules');
  if (value.length > MAX_FILTER_RULES) throw new InvalidFieldError(prefix, `must have at most ${MAX_FILTER_RULES} rules`);
  const rules = value.map((raw, i): FilterRule => {
    const at = `${prefix}.${i}`;
    if (!isObject(raw)) throw new InvalidFieldError(at, 'must be an object {"action", "field", "match", "pattern"}');
    const { action, field } = raw;
    if (action !== 'keep' && action !== 'block') throw new InvalidFieldError(`${at}.action`, 'must be "keep" or "block"');
    if (typeof field !== 'string' || !(FILTER_FIELDS as readonly string[]).includes(field))
      throw new InvalidFieldError(`${at}.field`, `must be one of ${FILTER_FIELDS.join(', ')}`);
    const allowed = field === 'age' ? ['action', 'field', 'max_days'] : ['action', 'field', 'match', 'pattern'];
    const extra = Object.keys(raw).find((k) => !allowed.includes(k));
    if (extra) throw new InvalidFieldError(`${at}.${extra}`, `is not a field of ${field === 'age' ? 'an age' : 'a'} rule`);
    if (field === 'age') {
      const days = raw.max_days;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 36_500)
        throw new InvalidFieldError(`${at}.max_days`, 'must be a whole number of days from 1 to 36500');
      return { action, field, max_days: days };
    }
    const { match, pattern } = raw;
    if (match !== 'words' && match !== 'regex') throw new InvalidFieldError(`${at}.match`, 'must be "words" or "regex"');
    if (typeof pattern !== 'string' || pattern.length === 0) throw new InvalidFieldError(`${at}.pattern`, 'must be a non-empty string');
    if (pattern.length > MAX_PATTERN_CHARS) throw new InvalidFieldError(`${at}.pattern`, `must be at most ${MAX_PATTERN_CHARS} characters`);
    return { action, field: field as TextField, match, pattern };
  });
  // Compiling is the last check: a regex RE2 refuses, or a words pattern without a word.
  for (const [i, rule] of rules.entries()) compileRule(rule, `${prefix}.${i}`);
  return rules;
}

/** Stored rules (JSON text written by checkFilters' output); anything else reads as none. */
export function parseStoredFilters(json: string | null | undefined): FilterRule[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as FilterRule[]) : [];
  } catch {
    return [];
  }
}

/** The views with rules of their own: `site`, `planet` and `planet-tag:<tag slug>` (a tag's planet). */
export function isFilteredViewKey(key: string): boolean {
  return key === 'site' || key === 'planet' || (key.startsWith('planet-tag:') && isSlug(key.slice('planet-tag:'.length)));
}
