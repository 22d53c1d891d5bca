import type { Author, Enclosure, Entry, EntryStatus, Origin, Tag, UpstreamSource } from '../domain/entry';
import { type View, viewKey } from '../views/registry';
import { paramOf, selectionOf } from './view-sql';

/** What a view's cheap version lookup returns: enough for an ETag and Last-Modified. */
export type ViewStamp = {
  /** Bumped by every write that touches the view; 0 before the first write. */
  version: number;
  /** Time of that write, ms. */
  changedAt: number | null;
  /** The view's stored Last-Modified, whole seconds: grows with every write (src/db/versions.ts). */
  lastModified: number | null;
  /** Newest visible_at at `now`: moves when a scheduled post goes live. null: nothing visible. */
  newest: number | null;
  /** The earliest visible_at after `now` (a scheduled post): the stamp moves then. null: none. */
  upcoming: number | null;
  /** False for a view that does not exist (an unknown tag, author, source or planet tag). */
  exists: boolean;
};

type EntryRow = {
  id: string;
  source_id: number | null;
  slug: string | null;
  title: string;
  summary: string;
  content_html: string;
  url: string | null;
  image: string | null;
  enclosures: string;
  lang: string | null;
  status: EntryStatus;
  published_at: number;
  updated_at: number;
  upstream_source: string | null;
};
type TagRow = { entry_id: string; slug: string; name: string; term: string | null };
type AuthorRow = { entry_id: string; slug: string; name: string; email: string | null; url: string | null };

const ENTRY_COLUMNS =
  'id, source_id, slug, title, summary, content_html, url, image, enclosures, lang, status, published_at, updated_at, upstream_source';

/**
 * The view's version stamp in one round trip of point lookups (index seeks, no scans).
 * Reads that only revalidate (304) stop here.
 */
export async function viewStamp(db: D1Database, view: View, now: number): Promise<ViewStamp> {
  const sql = selectionOf(view);
  const row = await db
    .prepare(
      `SELECT v.version AS version, v.changed_at AS changed_at, v.last_modified AS last_modified, (${sql.newest}) AS newest,
              (${sql.upcoming}) AS upcoming,
              ${sql.exists === null ? '1' : `(${sql.exists})`} AS present
       FROM (SELECT 1) LEFT JOIN view_versions v ON v.view = ?2`,
    )
    .bind(...withParam(view, now, viewKey(view)))
    .first<{
      version: number | null;
      changed_at: number | null;
      last_modified: number | null;
      newest: number | null;
      upcoming: number | null;
      present: number | null;
    }>();
  return {
    version: row?.version ?? 0,
    changedAt: row?.changed_at ?? null,
    lastModified: row?.last_modified ?? null,
    newest: row?.newest ?? null,
    upcoming: row?.upcoming ?? null,
    exists: row?.present !== null && row?.present !== undefined,
  };
}

/** The view's visible entries at `now`, newest first, with authors and tags. */
export async function listViewEntries(db: D1Database, view: View, now: number, limit: number): Promise<Entry[]> {
  const sql = selectionOf(view);
  // Merged views read a few more rows than they show, for the copies that deduplication drops.
  const rows = await db
    .prepare(sql.ids)
    .bind(...withParam(view, now, sql.dedupe ? limit * 2 + 10 : limit))
    .raw<[string, string | null]>();
  let ids = rows.map((r) => r[0]);
  if (sql.dedupe) {
    const seen = new Set<string>();
    ids = rows
      .filter(([id, link]) => !seen.has(link ?? id) && seen.add(link ?? id))
      .map((r) => r[0])
      .slice(0, limit);
  }
  return findPostsByIds(db, ids);
}

/**
 * An own post by id or slug. With `visibleAt`, only a published post visible at that time
 * (what readers may see); without, any status (what the admin API sees).
 */
export async function findPostBy(db: D1Database, field: 'id' | 'slug', value: string, visibleAt?: number): Promise<Entry | null> {
  const visible = visibleAt === undefined ? '' : 'AND visible_at <= ?2';
  const row = await db
    .prepare(`SELECT id FROM entries WHERE source_id IS NULL AND ${field} = ?1 ${visible}`)
    .bind(...(visibleAt === undefined ? [value] : [value, visibleAt]))
    .first<{ id: string }>();
  if (!row) return null;
  const [post] = await findPostsByIds(db, [row.id]);
  return post ?? null;
}

/** Own posts by id, in the order given. */
export async function findPostsByIds(db: D1Database, ids: string[]): Promise<Entry[]> {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const list = 'SELECT value FROM json_each(?1)';
  const [entries, tags, authors, origins] = await db.batch([
    db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE id IN (${list})`).bind(json),
    db.prepare(`SELECT entry_id, slug, name, term FROM entry_tags WHERE entry_id IN (${list}) ORDER BY position`).bind(json),
    db.prepare(`SELECT entry_id, slug, name, email, url FROM entry_authors WHERE entry_id IN (${list}) ORDER BY position`).bind(json),
    db
      .prepare(
        `SELECT id, coalesce(title_override, title, url) AS title, url, site_url FROM sources
       WHERE id IN (SELECT DISTINCT source_id FROM entries WHERE id IN (${list}) AND source_id IS NOT NULL)`,
      )
      .bind(json),
  ]);
  const byId = assemble(entries!.results as EntryRow[], tags!.results as TagRow[], authors!.results as AuthorRow[]);
  const originById = new Map(
    (origins!.results as { id: number; title: string; url: string; site_url: string | null }[]).map((o) => [
      o.id,
      { sourceId: o.id, title: o.title, feedUrl: o.url, siteUrl: o.site_url } satisfies Origin,
    ]),
  );
  for (const entry of byId.values()) if (entry.sourceId !== null) entry.origin = originById.get(entry.sourceId) ?? null;
  return ids.map((id) => byId.get(id)).filter((e): e is Entry => e !== undefined);
}

/** Display name of a view (a tag's or author's on its newest entry, a source's title); null if it has none. */
export async function viewName(db: D1Database, view: View): Promise<string | null> {
  const sql = selectionOf(view).name;
  if (sql === null) return null;
  return (await db.prepare(sql).bind(paramOf(view)).first<{ name: string }>())?.name ?? null;
}

/** Every tag and author with at least one visible own post at `now`, by slug, with its current name. */
export async function listTaxonomy(db: D1Database, now: number): Promise<{ tags: Tag[]; authors: Tag[] }> {
  // In SQLite, a bare column next to max() comes from the row holding the maximum: the name on
  // the newest post, which is also what the view's own feed shows.
  const query = (table: string) =>
    db
      .prepare(`SELECT slug, name, max(visible_at) FROM ${table} WHERE source_id IS NULL AND visible_at <= ?1 GROUP BY slug ORDER BY slug`)
      .bind(now);
  const [tags, authors] = await db.batch<{ slug: string; name: string }>([query('entry_tags'), query('entry_authors')]);
  const pick = (rows: { slug: string; name: string }[]) => rows.map(({ slug, name }) => ({ slug, name }));
  return { tags: pick(tags!.results), authors: pick(authors!.results) };
}

/** Binds ?1, ?2 and, for views that select by a slug or id, ?3: D1 rejects unused bindings. */
function withParam(view: View, first: unknown, second: unknown): unknown[] {
  const param = paramOf(view);
  return param === null ? [first, second] : [first, second, param];
}

function assemble(rows: EntryRow[], tagRows: TagRow[], authorRows: AuthorRow[]): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  for (const row of rows) byId.set(row.id, toEntry(row));
  for (const t of tagRows)
    byId.get(t.entry_id)?.tags.push({ slug: t.slug, name: t.name, ...(t.term === null ? {} : { term: t.term }) } satisfies Tag);
  for (const a of authorRows) {
    const author: Author = { slug: a.slug, name: a.name };
    if (a.email) author.email = a.email;
    if (a.url) author.url = a.url;
    byId.get(a.entry_id)?.authors.push(author);
  }
  return byId;
}

function toEntry(row: EntryRow): Entry {
  return {
    id: row.id,
    sourceId: row.source_id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    contentHtml: row.content_html,
    url: row.url,
    image: row.image,
    enclosures: JSON.parse(row.enclosures) as Enclosure[],
    language: row.lang,
    status: row.status,
    publishedAt: new Date(row.published_at),
    updatedAt: new Date(row.updated_at),
    authors: [],
    tags: [],
    origin: null,
    upstreamSource: row.upstream_source === null ? null : (JSON.parse(row.upstream_source) as UpstreamSource),
  };
}
