// The history of a source's refreshes (migration 0024): one row per recorded outcome, written by
// recordFetchStatements (sources.ts) in the batch that records the outcome on the source, the
// newest HISTORY_PER_SOURCE kept. Also the console's reads of a source: its list with filters and
// its latest items.

import type { Source, SourceState } from '../domain/source';
import { SELECT_SOURCE, type SourceRow, toSource } from './source-rows';

/** Refreshes kept per source: older rows go in the write that adds a new one. */
export const HISTORY_PER_SOURCE = 100;

/** One refresh as the history holds it. */
export type SourceFetch = {
  at: number;
  outcome: string;
  status: number | null;
  errorKind: string | null;
  message: string | null;
  warnings: string[];
  itemsNew: number | null;
  itemsUpdated: number | null;
  durationMs: number | null;
};

/** What one refresh adds to the history: its row (only while the source exists), and the pruning of the oldest. */
export function historyStatements(db: D1Database, sourceId: number, row: Omit<SourceFetch, 'at'>, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO source_fetches (source_id, at, outcome, status, error_kind, message, warnings, items_new, items_updated, duration_ms)
         SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM sources WHERE id = ?1`,
      )
      .bind(
        sourceId,
        now,
        row.outcome,
        row.status,
        row.errorKind,
        row.message?.slice(0, 1000) ?? null,
        JSON.stringify(row.warnings.slice(0, 20)),
        row.itemsNew,
        row.itemsUpdated,
        row.durationMs === null ? null : Math.round(row.durationMs),
      ),
    db
      .prepare(
        `DELETE FROM source_fetches WHERE source_id = ?1 AND id NOT IN (
           SELECT id FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2)`,
      )
      .bind(sourceId, HISTORY_PER_SOURCE),
  ];
}

type FetchRow = {
  at: number;
  outcome: string;
  status: number | null;
  error_kind: string | null;
  message: string | null;
  warnings: string;
  items_new: number | null;
  items_updated: number | null;
  duration_ms: number | null;
};

/** A source's refreshes, newest first. */
export async function listSourceFetches(db: D1Database, sourceId: number, limit = HISTORY_PER_SOURCE): Promise<SourceFetch[]> {
  const { results } = await db
    .prepare('SELECT * FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2')
    .bind(sourceId, limit)
    .all<FetchRow>();
  return results.map((r) => ({
    at: r.at,
    outcome: r.outcome,
    status: r.status,
    errorKind: r.error_kind,
    message: r.message,
    warnings: JSON.parse(r.warnings) as string[],
    itemsNew: r.items_new,
    itemsUpdated: r.items_updated,
    durationMs: r.duration_ms,
  }));
}

/** The console's filters of the source list: a state (failing: the last refresh failed), a kind, a tag (its slug or name), words of the title or URL. */
export type SourceFilter = {
  state?: SourceState | 'failing';
  kind?: 'feed' | 'page';
  tag?: string;
  text?: string;
};

/** Sources by id order matching `filter`, a page of them, and how many match in all. */
export async function findSources(
  db: D1Database,
  filter: SourceFilter,
  page: { limit: number; offset: number },
): Promise<{ sources: Source[]; total: number }> {
  const where: string[] = [];
  const binds: unknown[] = [];
  const bind = (value: unknown) => {
    binds.push(value);
    return `?${binds.length}`;
  };
  if (filter.state === 'failing') where.push(`s.last_outcome = 'error'`);
  else if (filter.state) where.push(`s.state = ${bind(filter.state)}`);
  if (filter.kind) where.push(`s.kind = ${bind(filter.kind)}`);
  if (filter.tag) {
    const tag = bind(filter.tag);
    where.push(`EXISTS (SELECT 1 FROM source_tags t WHERE t.source_id = s.id AND (t.slug = ${tag} OR lower(t.name) = lower(${tag})))`);
  }
  if (filter.text) {
    const like = bind(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(
      `(coalesce(s.title_override, '') LIKE ${like} ESCAPE '\\' OR coalesce(s.title, '') LIKE ${like} ESCAPE '\\' OR s.url LIKE ${like} ESCAPE '\\')`,
    );
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const n = binds.length;
  const [rows, count] = await db.batch([
    db.prepare(`${SELECT_SOURCE} ${clause} ORDER BY s.id LIMIT ?${n + 1} OFFSET ?${n + 2}`).bind(...binds, page.limit, page.offset),
    db.prepare(`SELECT count(*) AS n FROM sources s ${clause}`).bind(...binds),
  ]);
  return { sources: (rows!.results as SourceRow[]).map(toSource), total: (count!.results[0] as { n: number }).n };
}

/** A source's item as its page lists it. */
export type SourceItem = { id: string; title: string; url: string | null; publishedAt: number | null };

/** A source's items of these ids (a search's hits), in the order of `ids`; an id not of the source is left out. */
export async function sourceItemsByIds(db: D1Database, sourceId: number, ids: string[]): Promise<SourceItem[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare('SELECT id, title, url, published_at FROM entries WHERE source_id = ?1 AND id IN (SELECT value FROM json_each(?2))')
    .bind(sourceId, JSON.stringify(ids))
    .all<{ id: string; title: string; url: string | null; published_at: number | null }>();
  const byId = new Map(results.map((r) => [r.id, { id: r.id, title: r.title, url: r.url, publishedAt: r.published_at }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** A source's latest items, newest first. */
export async function latestSourceItems(db: D1Database, sourceId: number, limit = 50): Promise<SourceItem[]> {
  const { results } = await db
    .prepare(
      `SELECT id, title, url, published_at FROM entries WHERE source_id = ?1
       ORDER BY visible_at IS NULL, visible_at DESC, id DESC LIMIT ?2`,
    )
    .bind(sourceId, limit)
    .all<{ id: string; title: string; url: string | null; published_at: number | null }>();
  return results.map((r) => ({ id: r.id, title: r.title, url: r.url, publishedAt: r.published_at }));
}
