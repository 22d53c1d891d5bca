import { ftsString, INDEXED_TERM_CHARS, type SearchQuery, type SnippetPart } from '../domain/search-query';
import { htmlToText } from '../lib/html-text';
import { searchDocument } from './search-docs';

// Search over own posts and upstream items (docs/search.md): the FTS5 trigram index of
// migrations/0023_search.sql for terms of 3 characters or more, a LIKE over the documents for
// shorter ones (a two-character word of Japanese or Chinese), and for a query of short terms only,
// a LIKE over the last FALLBACK_ROWS documents written: never a scan of everything.

/** How many of the last written documents a query without any indexed term looks through. */
export const FALLBACK_ROWS = 2000;
/**
 * How many matches of the index a query sorts by date, the last written first: a query that
 * matches nearly everything (a common word) costs what 2,000 matches cost, not what 50,000 do.
 */
export const MAX_MATCHES = 2000;

export type SearchHit = { id: string; snippet: SnippetPart[] };

/**
 * Which entries a search looks at: what readers may see at `now` (published, live, own posts and
 * items of active sources that their source's filter rules do not block), the site's own posts in every state (the console's post list), or
 * every stored item of one source (the console's source pages).
 */
export type SearchScope = { kind: 'public'; now: number } | { kind: 'own' } | { kind: 'source'; id: number };

// Marks around matches in snippet(): control characters, which no document holds (search-docs.ts).
const OPEN = '\u0001';
const CLOSE = '\u0002';

/** `%`, `_` and the escape character itself, escaped for a LIKE pattern with ESCAPE '\\'. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const isIndexed = (term: string) => [...term].length >= INDEXED_TERM_CHARS;

/**
 * The SQL condition on a document `d` (search_docs) that a query's terms hold in it, with its
 * binds: an FTS5 MATCH of the indexed terms as quoted strings (all of them, AND), and a LIKE for
 * each shorter one. `bind` numbers the parameters (the caller's statement has its own).
 * `capped`: only the MAX_MATCHES last written matches of the index count (what readers see, where
 * a common word may match everything); the own posts and one source's items are few enough not to.
 */
export function searchCondition(query: SearchQuery, bind: (value: unknown) => string, capped = false): { sql: string; indexed: boolean } {
  const long = query.terms.filter(isIndexed);
  const parts: string[] = [];
  if (long.length) {
    parts.push(
      `d.rowid IN (SELECT rowid FROM entry_search WHERE entry_search MATCH ${bind(long.map(ftsString).join(' AND '))}
                   ${capped ? `ORDER BY rowid DESC LIMIT ${MAX_MATCHES}` : ''})`,
    );
  }
  for (const term of query.terms.filter((t) => !isIndexed(t))) {
    parts.push(`(d.title || ' ' || d.body || ' ' || d.authors || ' ' || d.tags) LIKE ${bind(`%${likeEscaped(term)}%`)} ESCAPE '\\'`);
  }
  return { sql: parts.join(' AND '), indexed: long.length > 0 };
}

function scopeCondition(scope: SearchScope, bind: (value: unknown) => string): string {
  if (scope.kind === 'own') return 'e.source_id IS NULL';
  if (scope.kind === 'source') return `e.source_id = ${bind(scope.id)}`;
  // What some public view shows: no item its source's rules block (entries.blocked_by). An item a
  // view's own rules block (entry_view_blocks) is still served by its source's feed, so it is found.
  return `e.visible_at <= ${bind(scope.now)} AND e.blocked_by IS NULL
    AND (e.source_id IS NULL OR e.source_id IN (SELECT id FROM sources WHERE state = 'active'))`;
}

/**
 * The entries matching `query` in `scope`, newest first (by published_at, then id), `limit` from
 * `offset`, each with a snippet of where it matched; `more`: whether a next page has any.
 */
export async function searchEntries(
  db: D1Database,
  query: SearchQuery,
  options: { scope: SearchScope; limit: number; offset: number },
): Promise<{ hits: SearchHit[]; more: boolean }> {
  const binds: unknown[] = [];
  const bind = (value: unknown) => `?${binds.push(value)}`;
  const scope = scopeCondition(options.scope, bind);
  const everything = options.scope.kind === 'public';
  const match = searchCondition(query, bind, everything);
  // Over everything stored and without an indexed term, only the last FALLBACK_ROWS documents
  // written are looked at; own posts or one source's items are read from their index range.
  const from = match.indexed
    ? 'search_docs d JOIN entries e ON e.id = d.entry_id'
    : everything
      ? `(SELECT * FROM search_docs ORDER BY rowid DESC LIMIT ${FALLBACK_ROWS}) d JOIN entries e ON e.id = d.entry_id`
      : 'entries e JOIN search_docs d ON d.entry_id = e.id';
  const sql = `SELECT e.id, d.rowid AS doc FROM ${from} WHERE ${scope} AND ${match.sql}
    ORDER BY e.published_at DESC, e.id DESC LIMIT ${bind(options.limit + 1)} OFFSET ${bind(options.offset)}`;
  const { results } = await db
    .prepare(sql)
    .bind(...binds)
    .all<{ id: string; doc: number }>();
  const more = results.length > options.limit;
  const rows = results.slice(0, options.limit);
  const snippets = await snippetsOf(
    db,
    query,
    rows.map((r) => r.doc),
  );
  return { hits: rows.map((r) => ({ id: r.id, snippet: snippets.get(r.doc) ?? [] })), more };
}

/**
 * Snippets of the documents found (a page's worth, not every match): the text around the first
 * term found in the body's text, the title, the authors or the tags; where the terms are not found
 * as they are (a match without its accents), FTS5's snippet().
 */
async function snippetsOf(db: D1Database, query: SearchQuery, docs: number[]): Promise<Map<number, SnippetPart[]>> {
  const out = new Map<number, SnippetPart[]>();
  if (docs.length === 0) return out;
  const { results } = await db
    .prepare('SELECT rowid AS doc, title, body, authors, tags, fresh FROM search_docs WHERE rowid IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(docs))
    .all<{ doc: number; title: string; body: string; authors: string; tags: string; fresh: number }>();
  for (const r of results) {
    // A body not yet rewritten as text (by the cron) is HTML: its text is taken here.
    const body = r.fresh ? r.body : htmlToText(r.body);
    const parts = [body, r.title, r.authors, r.tags].map((text) => textSnippet(text, query.terms)).find((p) => p);
    if (parts) out.set(r.doc, parts);
    else if (!r.fresh) out.set(r.doc, []);
  }
  const long = query.terms.filter(isIndexed);
  // What is left matched without its accents: FTS5 marks where.
  const rest = docs.filter((d) => !out.has(d));
  if (long.length && rest.length) {
    const { results: snippets } = await db
      .prepare(
        `SELECT rowid AS doc, snippet(entry_search, -1, char(1), char(2), '…', 64) AS snippet FROM entry_search
         WHERE entry_search MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))`,
      )
      .bind(long.map(ftsString).join(' OR '), JSON.stringify(rest))
      .all<{ doc: number; snippet: string }>();
    for (const r of snippets) out.set(r.doc, markedParts(r.snippet));
  }
  return out;
}

/** snippet()'s output as parts: OPEN … CLOSE around each match. */
export function markedParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of snippet.split(OPEN).entries()) {
    const [marked, rest] = i === 0 ? [null, piece] : [piece.split(CLOSE)[0] ?? '', piece.split(CLOSE).slice(1).join('')];
    if (marked) parts.push({ text: marked, mark: true });
    if (rest) parts.push({ text: rest, mark: false });
  }
  return parts;
}

const BEFORE = 40;
const AFTER = 120;

/** The text around the first of `terms` found in `text` (case-insensitively), each one in it marked; null: none found. */
export function textSnippet(text: string, terms: string[]): SnippetPart[] | null {
  const lower = text.toLowerCase();
  // Lower-casing that changes lengths would shift positions: then match the text as it is.
  const hay = lower.length === text.length ? lower : text;
  const needles = terms.map((t) => (hay === lower ? t.toLowerCase() : t)).filter((t) => t !== '');
  const first = Math.min(...needles.map((n) => hay.indexOf(n)).filter((i) => i >= 0));
  if (!Number.isFinite(first)) return null;
  const start = Math.max(0, first - BEFORE);
  const end = Math.min(text.length, first + AFTER);
  const parts: SnippetPart[] = start > 0 ? [{ text: '…', mark: false }] : [];
  let at = start;
  while (at < end) {
    let next = -1;
    let length = 0;
    for (const n of needles) {
      const i = hay.indexOf(n, at);
      if (i >= 0 && i < end && (next < 0 || i < next)) [next, length] = [i, n.length];
    }
    if (next < 0) break;
    if (next > at) parts.push({ text: text.slice(at, next), mark: false });
    parts.push({ text: text.slice(next, next + length), mark: true });
    at = next + length;
  }
  if (at < end) parts.push({ text: text.slice(at, end), mark: false });
  if (end < text.length) parts.push({ text: '…', mark: false });
  return parts;
}

/**
 * Rewrites as text the documents that were written from SQL (their HTML as it is: the demo seed,
 * rows stored before search existed), at most `limit` of them; the cron calls it. Answers how many.
 */
export async function refreshStaleSearchDocs(db: D1Database, limit: number): Promise<number> {
  const { results } = await db.prepare('SELECT entry_id FROM search_docs WHERE fresh = 0 LIMIT ?1').bind(limit).all<{ entry_id: string }>();
  if (results.length === 0) return 0;
  const ids = JSON.stringify(results.map((r) => r.entry_id));
  const [entries, authors, tags] = await db.batch([
    db.prepare('SELECT id, title, summary, content_html FROM entries WHERE id IN (SELECT value FROM json_each(?1))').bind(ids),
    db.prepare('SELECT entry_id, name FROM entry_authors WHERE entry_id IN (SELECT value FROM json_each(?1)) ORDER BY position').bind(ids),
    db.prepare('SELECT entry_id, name FROM entry_tags WHERE entry_id IN (SELECT value FROM json_each(?1)) ORDER BY position').bind(ids),
  ]);
  const names = (rows: unknown[], id: string) => (rows as { entry_id: string; name: string }[]).filter((r) => r.entry_id === id);
  const docs = (entries!.results as { id: string; title: string; summary: string; content_html: string }[]).map((e) =>
    searchDocument({
      id: e.id,
      title: e.title,
      summary: e.summary,
      contentHtml: e.content_html,
      authors: names(authors!.results, e.id),
      tags: names(tags!.results, e.id),
    }),
  );
  await db
    .prepare(
      `UPDATE search_docs SET title = j ->> '$.t', body = j ->> '$.b', authors = j ->> '$.a', tags = j ->> '$.g', fresh = 1
       FROM (SELECT value AS j FROM json_each(?1)) WHERE entry_id = j ->> '$.e'`,
    )
    .bind(JSON.stringify(docs))
    .run();
  return results.length;
}

/**
 * What a search's answer depends on besides its matches: every write bumps the version of some
 * view (src/db/versions.ts), so their sum and the latest write's time move with any change of
 * stored entries, their sources or their names.
 */
export async function searchStamp(db: D1Database): Promise<string> {
  const row = await db
    .prepare('SELECT coalesce(sum(version), 0) AS v, coalesce(max(changed_at), 0) AS t FROM view_versions')
    .first<{ v: number; t: number }>();
  return `${row?.v ?? 0}.${row?.t ?? 0}`;
}
