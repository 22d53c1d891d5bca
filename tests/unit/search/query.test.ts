// A reader's query as the search reads it (src/domain/search-query.ts), and the snippets made of
// the text around a match (src/db/search.ts): pure functions, no D1.
import { describe, expect, it } from 'vitest';
import { markedParts, textSnippet } from '../../../src/db/search';
import { ftsString, isQueryError, parseSearchQuery } from '../../../src/domain/search-query';

describe('parseSearchQuery', () => {
  it.each([
    ['plain words', 'quick  brown fox', ['quick', 'brown', 'fox'], 'quick brown fox'],
    ['a phrase', 'say "hello   world" now', ['say', 'hello world', 'now'], 'say "hello world" now'],
    ['an unbalanced quote runs to the end', 'a "b c', ['a', 'b c'], 'a "b c"'],
    ['FTS5 syntax is text', 'NEAR(a b) title:x * ^y -z', ['NEAR(a', 'b)', 'title:x', '*', '^y', '-z'], 'NEAR(a b) title:x * ^y -z'],
    ['repeats go', 'cat cat "cat"', ['cat'], 'cat'],
    ['control characters are spaces', 'ab\u0000cd\u0001ef', ['ab', 'cd', 'ef'], 'ab cd ef'],
  ])('%s', (_name, q, terms, normalized) => {
    const query = parseSearchQuery(q);
    if (isQueryError(query)) throw new Error(query.error);
    expect(query.terms).toEqual(terms);
    expect(query.normalized).toEqual(normalized);
    // Normalizing again changes nothing: the one URL of a query.
    expect(parseSearchQuery(query.normalized)).toEqual(query);
  });

  it.each([
    ['', 'Enter words'],
    ['   ""  ', 'Enter words'],
    ['a b c', 'at least 2 characters'],
    ['x'.repeat(201), 'at most 200 characters'],
    [Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), 'at most 16'],
  ])('refuses %j', (q, message) => {
    const query = parseSearchQuery(q);
    expect(isQueryError(query) && query.error).toContain(message);
  });

  it('quotes a term as an FTS5 string, its quotes doubled', () => {
    expect(ftsString('a"b OR c')).toBe('"a""b OR c"');
  });
});

describe('snippets', () => {
  it('marks every term around the first match, case-insensitively, with ellipses where cut', () => {
    const text = `${'x '.repeat(40)}The Quokka met a quokka.${' y'.repeat(100)}`;
    const parts = textSnippet(text, ['quokka'])!;
    expect(parts[0]).toEqual({ text: '…', mark: false });
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(['Quokka', 'quokka']);
    expect(parts.at(-1)).toEqual({ text: '…', mark: false });
    expect(textSnippet(text, ['wombat'])).toBeNull();
  });

  it("reads FTS5's marks", () => {
    expect(markedParts('…a \u0001b\u0002 c')).toEqual([
      { text: '…a ', mark: false },
      { text: 'b', mark: true },
      { text: ' c', mark: false },
    ]);
  });
});
