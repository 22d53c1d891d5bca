// The filter rules on their own (src/domain/filters.ts): words matching (folded, whole words and
// phrases, any script), RE2 regexes including patterns that backtrack catastrophically elsewhere,
// keep/block semantics, and the checks that name the bad part of a rule.
import { describe, expect, it } from 'vitest';
import { checkFilters, compileFilters, type FilterItem, type FilterRule, matchesWords, phrasesOf } from '../../../src/domain/filters';
import { InvalidFieldError } from '../../../src/domain/invalid-field-error';

const NOW = Date.UTC(2026, 0, 31);
const item = (over: Partial<FilterItem> = {}): FilterItem => ({
  title: 'Release notes',
  content: 'Nothing to see',
  authors: ['Ada'],
  categories: ['News'],
  link: 'https://example.org/a',
  enclosureTypes: [],
  publishedAt: NOW,
  ...over,
});

function failure(value: unknown): InvalidFieldError {
  try {
    checkFilters(value);
  } catch (error) {
    if (error instanceof InvalidFieldError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('words', () => {
  it('matches whole words, case-insensitively, after NFKC folding', () => {
    expect(matchesWords('The Sponsored post', phrasesOf('sponsored'))).toBe(true);
    expect(matchesWords('Unsponsored', phrasesOf('sponsored'))).toBe(false);
    // A fullwidth word folds to its ASCII form (NFKC), capitals to small letters.
    expect(matchesWords('ＳＰＯＮＳＯＲＥＤ content', phrasesOf('sponsored'))).toBe(true);
    // Other scripts: a Cyrillic and a Greek word, each a whole word.
    expect(matchesWords('Новости дня', phrasesOf('новости'))).toBe(true);
    expect(matchesWords('ΕΙΔΗΣΕΙΣ σήμερα', phrasesOf('ειδησεισ|σήμερα'))).toBe(true);
    // Accented letters stay letters: "café" is one word, not "caf" and "é".
    expect(matchesWords('un café noir', phrasesOf('caf'))).toBe(false);
    expect(matchesWords('un café noir', phrasesOf('café'))).toBe(true);
  });

  it('matches phrases as words in a row, and any |-separated alternative', () => {
    expect(matchesWords('a big, Breaking News story', phrasesOf('breaking news'))).toBe(true);
    expect(matchesWords('news is breaking', phrasesOf('breaking news'))).toBe(false);
    expect(matchesWords('only podcasts here', phrasesOf('video | podcasts'))).toBe(true);
  });
});

describe('rules', () => {
  it('drops an item any block rule matches, naming the rule', () => {
    const f = compileFilters([
      { action: 'block', field: 'title', match: 'words', pattern: 'ad' },
      { action: 'block', field: 'category', match: 'regex', pattern: '(?i)^sponsor' },
    ]);
    expect(f.judge(item(), NOW)).toBeNull();
    expect(f.judge(item({ title: 'An ad for you' }), NOW)).toBe('filters.0');
    expect(f.judge(item({ categories: ['Other', 'Sponsored'] }), NOW)).toBe('filters.1');
  });

  it('keeps only items a keep rule matches when there is one', () => {
    const f = compileFilters([
      { action: 'keep', field: 'author', match: 'words', pattern: 'grace' },
      { action: 'keep', field: 'enclosure_type', match: 'regex', pattern: '^audio/' },
      { action: 'block', field: 'link', match: 'regex', pattern: '/drafts/' },
    ]);
    expect(f.judge(item(), NOW)).toBe('filters.keep');
    expect(f.judge(item({ authors: ['Grace Hopper'] }), NOW)).toBeNull();
    expect(f.judge(item({ enclosureTypes: ['audio/mpeg'] }), NOW)).toBeNull();
    // A block match wins over a keep match.
    expect(f.judge(item({ authors: ['Grace'], link: 'https://example.org/drafts/1' }), NOW)).toBe('filters.2');
  });

  it('blocks items older than max_days with an age rule', () => {
    const f = compileFilters([{ action: 'block', field: 'age', max_days: 30 }]);
    expect(f.judge(item({ publishedAt: NOW - 29 * 86_400_000 }), NOW)).toBeNull();
    expect(f.judge(item({ publishedAt: NOW - 31 * 86_400_000 }), NOW)).toBe('filters.0');
    // A keep rule on age keeps the younger items only.
    const young = compileFilters([{ action: 'keep', field: 'age', max_days: 7 }]);
    expect(young.judge(item({ publishedAt: NOW - 6 * 86_400_000 }), NOW)).toBeNull();
    expect(young.judge(item({ publishedAt: NOW - 8 * 86_400_000 }), NOW)).toBe('filters.keep');
  });

  it('runs catastrophic-backtracking patterns over 100 KB of text to an answer', () => {
    const text = `${'a'.repeat(100_000)}!`;
    const rules: FilterRule[] = [
      { action: 'block', field: 'content', match: 'regex', pattern: '(a+)+$' },
      { action: 'block', field: 'content', match: 'regex', pattern: '(a|aa)+$' },
      { action: 'block', field: 'content', match: 'regex', pattern: '(a|a?)+b' },
      { action: 'block', field: 'content', match: 'regex', pattern: '(.*a){20}b' },
    ];
    // A backtracking engine tries exponentially many ways for each of these; RE2 says "no" in one pass.
    expect(compileFilters(rules).judge(item({ content: text }), NOW)).toBeNull();
    expect(compileFilters(rules).judge(item({ content: `${'a'.repeat(100_000)}b` }), NOW)).toBe('filters.2');
  });
});

describe('checks', () => {
  it('names the bad part of the rule', () => {
    const ok = { action: 'block', field: 'title', match: 'words', pattern: 'x' };
    expect(failure([ok, ok, { ...ok, match: 'regex', pattern: '(unclosed' }]).field).toBe('filters.2.pattern');
    expect(failure([{ ...ok, field: 'colour' }]).field).toBe('filters.0.field');
    expect(failure([{ ...ok, action: 'hide' }]).field).toBe('filters.0.action');
    expect(failure([{ ...ok, match: 'glob' }]).field).toBe('filters.0.match');
    expect(failure([{ ...ok, pattern: '—' }]).field).toBe('filters.0.pattern');
    expect(failure([{ ...ok, pattern: 'x'.repeat(501) }]).field).toBe('filters.0.pattern');
    expect(failure([{ action: 'block', field: 'age', max_days: 0 }]).field).toBe('filters.0.max_days');
    expect(failure([{ action: 'block', field: 'age', max_days: 3, pattern: 'x' }]).field).toBe('filters.0.pattern');
    // Backreferences are beyond RE2 (not linear): refused, not run.
    expect(failure([{ ...ok, match: 'regex', pattern: '(a)\\1' }]).field).toBe('filters.0.pattern');
    expect(failure('block ads').field).toBe('filters');
    expect(checkFilters([ok, { action: 'keep', field: 'age', max_days: 7 }])).toEqual([ok, { action: 'keep', field: 'age', max_days: 7 }]);
  });
});
