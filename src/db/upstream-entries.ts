import type { Author, Enclosure, Tag } from '../domain/entry';
import { STORE_CHUNK_BYTES } from '../ingest/limits';
import { type FetchRecord, recordFetchStatement, sourceViews } from './sources';
import { bumpStatements } from './versions';

/** An upstream item ready to store: the one entry model's fields, plus its identity in the source. */
export type UpstreamEntry = {
  id: string;
  key: string;
  title: string;
  summary: string;
  contentHtml: string;
  url: string;
  canonicalUrl: string | null;
  image: string | null;
  enclosures: Enclosure[];
  /** The upstream's date, or for an item without a usable one, when it was first seen. */
  publishedAt: number | null;
  updatedAt: number | null;
  authors: Author[];
  tags: Tag[];
};

/**
 * What is stored of a source's items (at most its cap, one index range): their dates, to keep
 * first-seen times, and content hashes, to write only what changed.
 */
export async function storedItemState(
  db: D1Database,
  sourceId: number,
): Promise<Map<string, { publishedAt: number; hash: string | null }>> {
  const { results } = await db
    .prepare('SELECT id, published_at, content_hash FROM entries WHERE source_id = ?1')
    .bind(sourceId)
    .all<{ id: string; published_at: number; content_hash: string | null }>();
  return new Map(results.map((r) => [r.id, { publishedAt: r.published_at, hash: r.content_hash }]));
}

// D1 takes strings of up to 2,000,000 bytes per bound value; rows go in as JSON arrays of at most
// STORE_CHUNK_BYTES (UTF-8, as written), so a refresh is a handful of statements whatever the
// number of items (D1 counts statements, and the free plan allows 50 per invocation). Every
// field of a row is capped at parse time (src/ingest/limits.ts), so one row always fits.

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
 * Writes the new and changed items of a source, trims it to its newest `cap` items, and records
 * the fetch, in one batch (one transaction): a refresh is stored whole or not at all. Views are
 * bumped only when an item really changed.
 */
export async function storeUpstreamEntries(
  db: D1Database,
  source: { id: number; tags: { slug: string }[] },
  changed: (UpstreamEntry & { hash: string })[],
  record: FetchRecord,
  cap: number,
  now: number,
): Promise<{ removed: number }> {
  const statements: D1PreparedStatement[] = [];
  const rows = changed.map((e) => ({
    id: e.id, key: e.key, title: e.title, summary: e.summary, content: e.contentHtml, url: e.url,
    canonical: e.canonicalUrl, image: e.image, enclosures: e.enclosures, published: e.publishedAt ?? now,
    updated: e.updatedAt ?? e.publishedAt ?? now, hash: e.hash,
  }));
  for (const json of jsonChunks(rows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO entries (id, source_id, item_key, title, summary, content_html, url, canonical_url, image,
             enclosures, status, published_at, updated_at, content_hash)
           SELECT j ->> '$.id', ?1, j ->> '$.key', j ->> '$.title', j ->> '$.summary', j ->> '$.content', j ->> '$.url',
             j ->> '$.canonical', j ->> '$.image', j -> '$.enclosures', 'published', j ->> '$.published',
             j ->> '$.updated', j ->> '$.hash'
           FROM (SELECT value AS j FROM json_each(?2)) WHERE true
           ON CONFLICT (id) DO UPDATE SET title = excluded.title, summary = excluded.summary,
             content_html = excluded.content_html, url = excluded.url, canonical_url = excluded.canonical_url,
             image = excluded.image, enclosures = excluded.enclosures, published_at = excluded.published_at,
             updated_at = excluded.updated_at, content_hash = excluded.content_hash`,
        )
        .bind(source.id, json),
    );
  }
  if (changed.length) {
    const tags = changed.flatMap((e) => e.tags.map((t, p) => ({ e: e.id, s: t.slug, n: t.name, p })));
    const authors = changed.flatMap((e) => e.authors.map((a, p) => ({ e: e.id, s: a.slug, n: a.name, m: a.email ?? null, u: a.url ?? null, p })));
    for (const ids of jsonChunks(changed.map((e) => e.id))) {
      statements.push(
        db.prepare('DELETE FROM entry_tags WHERE entry_id IN (SELECT value FROM json_each(?1))').bind(ids),
        db.prepare('DELETE FROM entry_authors WHERE entry_id IN (SELECT value FROM json_each(?1))').bind(ids),
      );
    }
    for (const json of jsonChunks(tags)) {
      statements.push(
        db
          .prepare(
            `INSERT INTO entry_tags (entry_id, slug, name, position)
             SELECT value ->> '$.e', value ->> '$.s', value ->> '$.n', value ->> '$.p' FROM json_each(?1)`,
          )
          .bind(json),
      );
    }
    for (const json of jsonChunks(authors)) {
      statements.push(
        db
          .prepare(
            `INSERT INTO entry_authors (entry_id, position, slug, name, email, url)
             SELECT value ->> '$.e', value ->> '$.p', value ->> '$.s', value ->> '$.n', value ->> '$.m', value ->> '$.u'
             FROM json_each(?1)`,
          )
          .bind(json),
      );
    }
  }
  const trimIndex = statements.length;
  statements.push(
    // Items that vanished upstream stay; only the oldest beyond the cap go.
    db
      .prepare(
        `DELETE FROM entries WHERE source_id = ?1 AND id NOT IN (
           SELECT id FROM entries WHERE source_id = ?1 ORDER BY visible_at DESC, id DESC LIMIT ?2)`,
      )
      .bind(source.id, cap),
    db.prepare('UPDATE sources SET item_count = (SELECT count(*) FROM entries WHERE source_id = ?1) WHERE id = ?1').bind(source.id),
    recordFetchStatement(db, source.id, record, now),
  );
  if (changed.length) statements.push(...bumpStatements(db, sourceViews(source), now));
  const results = await db.batch(statements);
  const removed = results[trimIndex]!.meta.changes ?? 0;
  if (removed > 0 && !changed.length) await db.batch(bumpStatements(db, sourceViews(source), now));
  return { removed };
}
