import type { EntryWrite } from '../domain/entry';
import { searchDocument } from './search-docs';

// The one writer of entries, for own posts (one at a time, from the admin API) and upstream items
// (many at a time, from a refresh). Rows, tags and authors go in as JSON arrays read by
// json_each, at most STORE_CHUNK_BYTES each: D1 takes bound strings of up to 2,000,000 bytes and
// counts statements (the free plan allows 50 per invocation), so writing 200 items is a handful
// of statements. Every field of a row is capped before it gets here (src/ingest/limits.ts, the
// API's schema), so one row always fits.

/**
 * Bytes of one JSON array bound to one D1 statement parameter (UTF-8, D1's limit is 2,000,000):
 * rows are split into as many statements as needed, a refresh stays a handful of statements.
 */
export const STORE_CHUNK_BYTES = 900_000;

/** Bytes of a string in UTF-8, counted without encoding it. */
function utf8Length(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // One more byte from U+0080, two more from U+0800; a surrogate pair is two units of two bytes.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** JSON arrays of the rows, each at most STORE_CHUNK_BYTES of UTF-8 (unless one row alone is more). */
function jsonChunks(rows: unknown[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const n = utf8Length(json);
    if (current.length && bytes + n + 1 > STORE_CHUNK_BYTES) {
      out.push(`[${current.join(',')}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += n + 1;
  }
  if (current.length) out.push(`[${current.join(',')}]`);
  return out;
}

/**
 * SQL for the first free slug of an own post's title (?2): base, base-2, base-3 … skipping the
 * slugs of posts and the former slugs that redirect. Evaluated inside the INSERT, in the write's
 * transaction, so that concurrent posts with one title get distinct numbers without a race
 * between look-up and write.
 */
const FREE_SLUG = `(WITH RECURSIVE candidate (n, slug) AS (
    SELECT 1, ?2
    UNION ALL
    SELECT n + 1, ?2 || '-' || (n + 1) FROM candidate
    WHERE EXISTS (SELECT 1 FROM entries WHERE source_id IS NULL AND slug = candidate.slug)
       OR EXISTS (SELECT 1 FROM slug_redirects WHERE slug = candidate.slug))
  SELECT slug FROM candidate ORDER BY n DESC LIMIT 1)`;

const UPSERT = `INSERT INTO entries (id, source_id, item_key, slug, title, summary, content_html, url, canonical_url, image,
    enclosures, lang, status, published_at, updated_at, content_hash, upstream_source, blocked_by)
  SELECT j ->> '$.id', j ->> '$.sourceId', j ->> '$.itemKey',
    CASE WHEN ?2 IS NULL THEN j ->> '$.slug' ELSE ${FREE_SLUG} END,
    j ->> '$.title', j ->> '$.summary', j ->> '$.contentHtml', j ->> '$.url', j ->> '$.canonicalUrl', j ->> '$.image',
    j -> '$.enclosures', j ->> '$.language', j ->> '$.status', j ->> '$.publishedAt', j ->> '$.updatedAt', j ->> '$.contentHash',
    CASE WHEN json_type(j, '$.upstreamSource') = 'object' THEN j -> '$.upstreamSource' END,
    j ->> '$.blockedBy'
  FROM (SELECT value AS j FROM json_each(?1)) WHERE true
  ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, title = excluded.title, summary = excluded.summary,
    content_html = excluded.content_html, url = excluded.url, canonical_url = excluded.canonical_url, image = excluded.image,
    enclosures = excluded.enclosures, lang = excluded.lang, status = excluded.status, published_at = excluded.published_at,
    updated_at = excluded.updated_at, content_hash = excluded.content_hash, upstream_source = excluded.upstream_source,
    blocked_by = excluded.blocked_by`;

const UPSERT_SEARCH_DOCS = `INSERT INTO search_docs (entry_id, title, body, authors, tags, fresh)
  SELECT value ->> '$.e', value ->> '$.t', value ->> '$.b', value ->> '$.a', value ->> '$.g', 1 FROM json_each(?1) WHERE true
  ON CONFLICT (entry_id) DO UPDATE SET title = excluded.title, body = excluded.body, authors = excluded.authors,
    tags = excluded.tags, fresh = 1`;

/**
 * The statements that write `entries` (inserted, or replaced by id) with their tags and authors,
 * to run in the caller's batch. `freeSlugOf`: for one own post without a slug, the base its
 * first free slug is made from.
 */
export function entryStatements(db: D1Database, entries: EntryWrite[], freeSlugOf: string | null = null): D1PreparedStatement[] {
  if (entries.length === 0) return [];
  const rows = entries.map(({ authors: _a, tags: _t, ...row }) => row);
  const tags = entries.flatMap((e) => e.tags.map((t, p) => ({ e: e.id, s: t.slug, n: t.name, t: t.term ?? null, p })));
  const authors = entries.flatMap((e) =>
    e.authors.map((a, p) => ({ e: e.id, s: a.slug, n: a.name, m: a.email ?? null, u: a.url ?? null, p })),
  );
  return [
    // The search documents first: the entries' triggers then keep them (migrations/0023_search.sql).
    ...jsonChunks(entries.map(searchDocument)).map((json) => db.prepare(UPSERT_SEARCH_DOCS).bind(json)),
    ...jsonChunks(rows).map((json) => db.prepare(UPSERT).bind(json, freeSlugOf)),
    ...jsonChunks(entries.map((e) => e.id)).flatMap((ids) => [
      db.prepare('DELETE FROM entry_tags WHERE entry_id IN (SELECT value FROM json_each(?1))').bind(ids),
      db.prepare('DELETE FROM entry_authors WHERE entry_id IN (SELECT value FROM json_each(?1))').bind(ids),
    ]),
    ...jsonChunks(tags).map((json) =>
      db
        .prepare(
          `INSERT INTO entry_tags (entry_id, slug, name, term, position)
           SELECT value ->> '$.e', value ->> '$.s', value ->> '$.n', value ->> '$.t', value ->> '$.p' FROM json_each(?1)`,
        )
        .bind(json),
    ),
    ...jsonChunks(authors).map((json) =>
      db
        .prepare(
          `INSERT INTO entry_authors (entry_id, position, slug, name, email, url)
           SELECT value ->> '$.e', value ->> '$.p', value ->> '$.s', value ->> '$.n', value ->> '$.m', value ->> '$.u'
           FROM json_each(?1)`,
        )
        .bind(json),
    ),
  ];
}
