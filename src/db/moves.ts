import { ConflictError } from '../domain/conflict-error';
import type { FeedFormat } from '../domain/format';
import { guarded } from './constraint-error';
import { bumpStatements } from './versions';

/** A moved or retired path of this site (POST /api/moves). */
export type Move = {
  id: number;
  /** A path of this site, percent-encoded as URL parsing leaves it. */
  from: string;
  /** Absolute: where a 301 sends readers, or where a gone path's final item points; null: the home page. */
  to: string | null;
  gone: boolean;
  /** When `to` is one of our own feeds: its view key and format. */
  toView: string | null;
  toFormat: FeedFormat | null;
  createdAt: number;
};

type MoveRow = {
  id: number;
  from_path: string;
  to_url: string | null;
  gone: number;
  to_view: string | null;
  to_format: FeedFormat | null;
  created_at: number;
};

const toMove = (r: MoveRow): Move => ({
  id: r.id,
  from: r.from_path,
  to: r.to_url,
  gone: r.gone === 1,
  toView: r.to_view,
  toFormat: r.to_format,
  createdAt: r.created_at,
});

/** At most this many moves exist: every isolate keeps them all in memory (src/moves/serve-moves.ts). */
export const MAX_MOVES = 10_000;

/**
 * The version key (in `view_versions`) bumped by every change to the moves: what lists our feeds
 * (/opml.xml) drops the moved and retired ones, so it needs a new ETag then.
 */
export const MOVES_KEY = 'moves';

/** The moves' version, last change (ms) and Last-Modified (whole seconds); 0 and nulls before the first change. */
export async function movesStamp(db: D1Database): Promise<{ version: number; changedAt: number | null; lastModified: number | null }> {
  const row = await db
    .prepare('SELECT version, changed_at, last_modified FROM view_versions WHERE view = ?1')
    .bind(MOVES_KEY)
    .first<{ version: number; changed_at: number; last_modified: number }>();
  return { version: row?.version ?? 0, changedAt: row?.changed_at ?? null, lastModified: row?.last_modified ?? null };
}

/** Which of these paths (as moves store them, matchedPath) are moved or retired. */
export async function movedPaths(db: D1Database, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { results } = await db
    .prepare('SELECT from_path FROM moves WHERE from_path IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify([...new Set(paths)]))
    .all<{ from_path: string }>();
  return new Set(results.map((r) => r.from_path));
}

export async function listMoves(db: D1Database): Promise<Move[]> {
  const { results } = await db.prepare('SELECT * FROM moves ORDER BY id LIMIT ?1').bind(MAX_MOVES).all<MoveRow>();
  return results.map(toMove);
}

export class MoveExistsError extends ConflictError {
  constructor(readonly from: string) {
    super('from', 'is moved already', `${from} is moved already: DELETE /api/moves/<id> first.`);
  }
}

/**
 * Stores a move. A move to one of our feeds bumps that feed's view, in the same batch: its
 * document now says itunes:new-feed-url, so it needs a new ETag; every move bumps MOVES_KEY. A `from` that is moved already
 * (also by a concurrent request) is a MoveExistsError.
 */
export async function createMove(db: D1Database, move: Omit<Move, 'id' | 'createdAt'>, now: number): Promise<Move> {
  const taken = await db.prepare('SELECT 1 FROM moves WHERE from_path = ?1').bind(move.from).first();
  if (taken) throw new MoveExistsError(move.from);
  const results = await guarded(() =>
    db.batch([
      db
        .prepare(
          `INSERT INTO moves (from_path, to_url, gone, to_view, to_format, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
           ON CONFLICT (from_path) DO NOTHING RETURNING *`,
        )
        .bind(move.from, move.to, move.gone ? 1 : 0, move.toView, move.toFormat, now),
      ...bumpStatements(db, move.toView ? [move.toView, MOVES_KEY] : [MOVES_KEY], now),
    ]),
  );
  const row = results[0]!.results[0] as MoveRow | undefined;
  if (!row) throw new MoveExistsError(move.from);
  return toMove(row);
}

/** Removes a move (and bumps the feed it pointed to and the moves, as createMove did); null when there is none. */
export async function deleteMove(db: D1Database, id: number, now: number): Promise<Move | null> {
  const row = await db.prepare('SELECT * FROM moves WHERE id = ?1').bind(id).first<MoveRow>();
  if (!row) return null;
  await db.batch([
    db.prepare('DELETE FROM moves WHERE id = ?1').bind(id),
    ...bumpStatements(db, row.to_view ? [row.to_view, MOVES_KEY] : [MOVES_KEY], now),
  ]);
  return toMove(row);
}

/** Whether a move points to this feed (its view and format): its document then says so. */
export async function isMoveTarget(db: D1Database, viewKey: string, format: FeedFormat): Promise<boolean> {
  const row = await db.prepare('SELECT 1 FROM moves WHERE to_view = ?1 AND to_format = ?2 LIMIT 1').bind(viewKey, format).first();
  return row !== null;
}

/** A source whose upstream answered 410 Gone, and since when. */
export type GoneSource = { id: number; name: string; url: string; siteUrl: string | null; goneSince: number };

export async function goneSources(db: D1Database): Promise<GoneSource[]> {
  const { results } = await db
    .prepare(
      `SELECT id, coalesce(title_override, title, url) AS name, url, site_url, coalesce(gone_since, updated_at) AS gone_since
       FROM sources WHERE state = 'gone' ORDER BY id LIMIT ?1`,
    )
    .bind(MAX_MOVES)
    .all<{ id: number; name: string; url: string; site_url: string | null; gone_since: number }>();
  return results.map((r) => ({ id: r.id, name: r.name, url: r.url, siteUrl: r.site_url, goneSince: r.gone_since }));
}

/** A source the publisher deleted: its id is never given to another one (migration 0014). */
export type DeletedSource = { id: number; name: string; url: string | null; siteUrl: string | null; deletedAt: number };

/** The deleted sources, the most recently deleted first (at most MAX_MOVES of them). */
export async function deletedSources(db: D1Database): Promise<DeletedSource[]> {
  const { results } = await db
    .prepare('SELECT id, name, url, site_url, deleted_at FROM deleted_sources ORDER BY deleted_at DESC, id DESC LIMIT ?1')
    .bind(MAX_MOVES)
    .all<{ id: number; name: string; url: string | null; site_url: string | null; deleted_at: number }>();
  return results.map((r) => ({ id: r.id, name: r.name, url: r.url, siteUrl: r.site_url, deletedAt: r.deleted_at }));
}
