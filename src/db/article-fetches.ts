// What the refresh remembers per post about its article page (migration 0008): the list's
// fingerprint when the article was fetched, the page's validators, and whether the article waits in
// the refresh queue. Rows go with their source (ON DELETE CASCADE).

import type { Tag } from '../domain/entry';

export type ArticleState = {
  fingerprint: string | null;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: number | null;
  queuedUntil: number | null;
};

/** One article fetched (200 or 304): what its list entry said then, and the page's validators. */
export type ArticleFetched = { key: string; fingerprint: string; etag: string | null; lastModified: string | null };

type Row = {
  item_key: string;
  fingerprint: string | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: number | null;
  queued_until: number | null;
};

/** Every article state of a source, by item key. */
export async function articleStates(db: D1Database, sourceId: number): Promise<Map<string, ArticleState>> {
  const { results } = await db
    .prepare('SELECT item_key, fingerprint, etag, last_modified, fetched_at, queued_until FROM article_fetches WHERE source_id = ?1')
    .bind(sourceId)
    .all<Row>();
  return new Map(
    results.map((r) => [
      r.item_key,
      { fingerprint: r.fingerprint, etag: r.etag, lastModified: r.last_modified, fetchedAt: r.fetched_at, queuedUntil: r.queued_until },
    ]),
  );
}

/** Records articles fetched at `now` (also ends their wait in the queue). */
export function articleFetchedStatement(db: D1Database, sourceId: number, fetched: ArticleFetched[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO article_fetches (source_id, item_key, fingerprint, etag, last_modified, fetched_at, queued_until)
       SELECT ?1, value ->> '$.key', value ->> '$.fingerprint', value ->> '$.etag', value ->> '$.lastModified', ?2, NULL
       FROM json_each(?3) WHERE true
       ON CONFLICT (source_id, item_key) DO UPDATE SET fingerprint = excluded.fingerprint, etag = excluded.etag,
         last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, queued_until = NULL`,
    )
    .bind(sourceId, now, JSON.stringify(fetched));
}

/**
 * Marks articles as waiting in the queue until `until`; what was fetched before stays. An article
 * the consumer fetched after `now` (its message was handled before this was written) is not marked.
 */
export function articleQueuedStatement(db: D1Database, sourceId: number, keys: string[], until: number, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO article_fetches (source_id, item_key, queued_until)
       SELECT ?1, value, ?2 FROM json_each(?3) WHERE true
       ON CONFLICT (source_id, item_key) DO UPDATE SET queued_until = excluded.queued_until
         WHERE article_fetches.fetched_at IS NULL OR article_fetches.fetched_at <= ?4`,
    )
    .bind(sourceId, until, JSON.stringify(keys), now);
}

/** Ends the wait in the queue of articles that were not fetched (they are tried again by the next refresh). */
export function articleUnqueuedStatement(db: D1Database, sourceId: number, keys: string[]): D1PreparedStatement {
  return db
    .prepare('UPDATE article_fetches SET queued_until = NULL WHERE source_id = ?1 AND item_key IN (SELECT value FROM json_each(?2))')
    .bind(sourceId, JSON.stringify(keys));
}

/** Drops the states of posts no longer stored and not waiting in the queue (the source was trimmed). */
export function articleCleanupStatement(db: D1Database, sourceId: number): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM article_fetches WHERE source_id = ?1 AND queued_until IS NULL
         AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.source_id = ?1 AND e.item_key = article_fetches.item_key)`,
    )
    .bind(sourceId);
}

/** Adds warnings to those the source shows (the first 20 are kept), for work done outside a refresh. */
export function appendWarningsStatement(db: D1Database, sourceId: number, warnings: string[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE sources SET last_warnings = (SELECT json_group_array(value) FROM (
         SELECT value FROM (SELECT key, value FROM json_each(last_warnings) UNION ALL SELECT 1000 + key, value FROM json_each(?2))
         ORDER BY key LIMIT 20)) WHERE id = ?1`,
    )
    .bind(sourceId, JSON.stringify(warnings));
}

/** A stored upstream item, as far as a refresh merges it with what the list or feed says now. */
export type StoredArticle = {
  title: string;
  summary: string;
  contentHtml: string;
  image: string | null;
  publishedAt: number;
  authors: { name: string; slug: string; email?: string; url?: string }[];
  tags: Tag[];
  language: string | null;
};

/** The stored items of a source with these keys (an article answered 304, or could not be fetched). */
export async function storedArticles(db: D1Database, sourceId: number, keys: string[]): Promise<Map<string, StoredArticle>> {
  if (keys.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT e.item_key, e.title, e.summary, e.content_html, e.image, e.published_at, e.lang,
         (SELECT json_group_array(json_object('name', name, 'slug', slug, 'email', email, 'url', url))
            FROM (SELECT * FROM entry_authors WHERE entry_id = e.id ORDER BY position)) AS authors,
         (SELECT json_group_array(json_object('slug', slug, 'name', name, 'term', term))
            FROM (SELECT * FROM entry_tags WHERE entry_id = e.id ORDER BY position)) AS tags
       FROM entries e WHERE e.source_id = ?1 AND e.item_key IN (SELECT value FROM json_each(?2))`,
    )
    .bind(sourceId, JSON.stringify(keys))
    .all<{
      item_key: string;
      title: string;
      summary: string;
      content_html: string;
      image: string | null;
      published_at: number;
      lang: string | null;
      authors: string;
      tags: string;
    }>();
  return new Map(
    results.map((r) => [
      r.item_key,
      {
        title: r.title,
        summary: r.summary,
        contentHtml: r.content_html,
        image: r.image,
        publishedAt: r.published_at,
        language: r.lang,
        authors: (JSON.parse(r.authors) as { name: string; slug: string; email: string | null; url: string | null }[]).map((a) => ({
          name: a.name,
          slug: a.slug,
          ...(a.email ? { email: a.email } : {}),
          ...(a.url ? { url: a.url } : {}),
        })),
        tags: (JSON.parse(r.tags) as { slug: string; name: string; term: string | null }[]).map(
          (t): Tag => ({ slug: t.slug, name: t.name, ...(t.term === null ? {} : { term: t.term }) }),
        ),
      },
    ]),
  );
}
