// A reader's search query (src/db/search.ts runs it): plain words and "quoted phrases", nothing
// else. Every other character is text to find, FTS5's syntax included (`*`, `NEAR`, `column:`,
// `AND`, `(`, `^`, `-`): each term is later written as a quoted FTS5 string.

/** Longest query, in characters, and most terms in one. */
export const MAX_QUERY_CHARS = 200;
export const MAX_QUERY_TERMS = 16;
/** Terms shorter than this are matched without the trigram index (src/db/search.ts). */
export const INDEXED_TERM_CHARS = 3;

export type SearchQuery = {
  /** Each word or phrase, its spaces collapsed, in the order given, without repeats. */
  terms: string[];
  /** The query written back the same way for any spelling of it: the cache key and the URLs' `q`. */
  normalized: string;
};

/** A query that cannot run: why, in words a reader understands (a 400 naming `q`). */
export type SearchQueryError = { error: string };

const chars = (text: string) => [...text].length;

/** Reads `q` (absent: empty). Answers the query, or why it is refused. */
export function parseSearchQuery(q: string | undefined | null): SearchQuery | SearchQueryError {
  // Control characters are no text to find (documents have none: src/db/search-docs.ts).
  const text = (q ?? '').normalize('NFC').replace(/[\u0000-\u001F\u007F]/g, ' ');
  if (chars(text) > MAX_QUERY_CHARS) return { error: `Search for at most ${MAX_QUERY_CHARS} characters.` };
  const terms: string[] = [];
  // A phrase runs from a quote to the next quote (or the end: an unbalanced quote).
  for (const [, phrase, word] of text.matchAll(/"([^"]*)(?:"|$)|([^\s"]+)/g)) {
    const term = (phrase ?? word ?? '').replace(/\s+/g, ' ').trim();
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  if (terms.length === 0) return { error: 'Enter words to search for.' };
  if (terms.length > MAX_QUERY_TERMS) return { error: `Search for at most ${MAX_QUERY_TERMS} words or phrases.` };
  // Single characters alone would match nearly everything.
  if (terms.every((t) => chars(t) < 2)) return { error: 'Search for a word of at least 2 characters.' };
  return { terms, normalized: terms.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(' ') };
}

export const isQueryError = (q: SearchQuery | SearchQueryError): q is SearchQueryError => 'error' in q;

/** A term as an FTS5 string: in double quotes, its own quotes doubled; FTS5 reads nothing inside as syntax. */
export const ftsString = (term: string): string => `"${term.replace(/"/g, '""')}"`;

/** A piece of a result's snippet: text, marked where it matched. Rendered as text, never as markup. */
export type SnippetPart = { text: string; mark: boolean };
