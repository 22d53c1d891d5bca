import { ConflictError } from '../domain/conflict-error';
import { viewsTouchedBy } from '../views/registry';
import type { Tag } from '../domain/entry';
import type { FilterRule } from '../domain/filters';
import type { FetchOutcomeKind, Source, SourceKind, SourceState } from '../domain/source';
import { claimSlugs } from './slugs';
import { historyStatements } from './source-fetches';
import { ConstraintError, guarded } from './constraint-error';
import { PUBLISHER_PAUSE, SELECT_SOURCE, SOURCE_COLUMNS, type SourceRow, sourceTags, toSource } from './source-rows';
import { bumpStatements } from './versions';

/** The views a source's items show in: its own feed, the planet, the planet of each of its tags, and the site's when it feeds it. */
export function sourceViews(source: { id: number; tags: { slug: string }[]; site: boolean }): string[] {
  return viewsTouchedBy({ kind: 'source', id: source.id, tags: source.tags.map((t) => t.slug), site: source.site });
}

export class SourceExistsError extends ConflictError {
  constructor(readonly url: string) {
    super('url', 'is already a source', `A source with the URL ${url} exists already.`);
  }
}

function tagStatements(db: D1Database, sourceId: number, tags: Tag[]): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM source_tags WHERE source_id = ?1').bind(sourceId),
    db
      .prepare(
        `INSERT INTO source_tags (source_id, slug, name, position)
         SELECT ?1, value ->> '$.slug', value ->> '$.name', key FROM json_each(?2)`,
      )
      .bind(sourceId, JSON.stringify(tags)),
  ];
}

export async function getSource(db: D1Database, id: number): Promise<Source | null> {
  const row = await db.prepare(`${SELECT_SOURCE} WHERE s.id = ?1`).bind(id).first<SourceRow>();
  return row ? toSource(row) : null;
}

/**
 * A source about to be refreshed, with the digest of the document its last stored refresh read
 * (null when none is kept; src/ingest/unchanged.ts): one query, so that a refresh whose upstream
 * sends the same document again makes two trips to D1 in all, this read and the record's write.
 */
export async function getSourceForRefresh(db: D1Database, id: number): Promise<{ source: Source; lastDocument: string | null } | null> {
  const row = await db
    .prepare(
      `SELECT ${SOURCE_COLUMNS}, (SELECT digest FROM source_documents WHERE source_id = s.id) AS last_document
       FROM sources s WHERE s.id = ?1`,
    )
    .bind(id)
    .first<SourceRow & { last_document: string | null }>();
  return row ? { source: toSource(row), lastDocument: row.last_document } : null;
}

/** The source whose URL is `url`, if any. */
export async function findSourceByUrl(db: D1Database, url: string): Promise<Source | null> {
  const row = await db.prepare(`${SELECT_SOURCE} WHERE s.url = ?1`).bind(url).first<SourceRow>();
  return row ? toSource(row) : null;
}

/** Sources by id order, optionally of one state. */
export async function listSources(
  db: D1Database,
  query: { state?: SourceState; limit: number; offset: number },
): Promise<{ sources: Source[]; total: number }> {
  const where = query.state ? 'WHERE s.state = ?3' : '';
  const binds = query.state ? [query.limit, query.offset, query.state] : [query.limit, query.offset];
  const [rows, count] = await db.batch([
    db.prepare(`${SELECT_SOURCE} ${where} ORDER BY s.id LIMIT ?1 OFFSET ?2`).bind(...binds),
    db
      .prepare(`SELECT count(*) AS n FROM sources s ${query.state ? 'WHERE s.state = ?1' : ''}`)
      .bind(...(query.state ? [query.state] : [])),
  ]);
  return {
    sources: (rows!.results as SourceRow[]).map(toSource),
    total: (count!.results[0] as { n: number }).n,
  };
}

/** Sources by id, in id order. */
export async function getSources(db: D1Database, ids: number[]): Promise<Source[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`${SELECT_SOURCE} WHERE s.id IN (SELECT value FROM json_each(?1)) ORDER BY s.id`)
    .bind(JSON.stringify(ids))
    .all<SourceRow>();
  return results.map(toSource);
}

export type SourceInput = {
  url: string;
  titleOverride: string | null;
  tags: string[];
  kind?: SourceKind;
  rules?: Record<string, unknown> | null;
  site?: boolean;
  fullText?: boolean;
  filters?: FilterRule[];
};

/** Adds a source, due for its first refresh at once. */
export async function createSource(db: D1Database, input: SourceInput, now: number): Promise<Source> {
  const tags = sourceTags(input.tags, await claimSlugs(db, 'tag', input.tags, now));
  // One transaction: the source and its tags, or (a URL taken, also by a concurrent request) nothing.
  const [inserted] = await urlAware(input.url, () =>
    db.batch([
      db
        .prepare(
          `INSERT INTO sources (url, title_override, kind, rules, site, full_text, next_due_at, created_at, updated_at)
           VALUES (?1, ?2, ?4, ?5, ?6, ?7, ?3, ?3, ?3) RETURNING id`,
        )
        .bind(
          input.url,
          input.titleOverride,
          now,
          input.kind ?? 'feed',
          input.rules ? JSON.stringify(input.rules) : null,
          input.site ? 1 : 0,
          input.fullText ? 1 : 0,
        ),
      db
        .prepare(`INSERT INTO source_filters (source_id, filters) SELECT id, ?2 FROM sources WHERE url = ?1 AND json_array_length(?2) > 0`)
        .bind(input.url, JSON.stringify(input.filters ?? [])),
      db
        .prepare(
          `INSERT INTO source_tags (source_id, slug, name, position)
           SELECT (SELECT id FROM sources WHERE url = ?1), value ->> '$.slug', value ->> '$.name', key FROM json_each(?2)`,
        )
        .bind(input.url, JSON.stringify(tags)),
    ]),
  );
  const source = (await getSource(db, (inserted!.results[0] as { id: number }).id))!;
  // Its feed (and the planets) begin now: before its first refresh, their `updated` is this time.
  await db.batch(bumpStatements(db, sourceViews(source), now));
  return source;
}

/** A write that may break the uniqueness of a source's URL: SourceExistsError then. */
async function urlAware<T>(url: string, write: () => Promise<T>): Promise<T> {
  try {
    return await guarded(write);
  } catch (error) {
    if (error instanceof ConstraintError && error.kind === 'unique' && error.columns.includes('sources.url'))
      throw new SourceExistsError(url);
    throw error;
  }
}

type SourcePatch = {
  url?: string;
  titleOverride?: string | null;
  tags?: string[];
  paused?: boolean;
  kind?: SourceKind;
  rules?: Record<string, unknown> | null;
  site?: boolean;
  fullText?: boolean;
  /** New filter rules; the caller re-applies them to the stored items (src/ingest/filtering.ts) in `extra`. */
  filters?: FilterRule[];
};

/**
 * Changes what the publisher controls. Pausing stops refreshes; resuming (also of a source that
 * paused itself after failures, or one that is gone) clears the failure count and makes it due now.
 */
export async function updateSource(
  db: D1Database,
  before: Source,
  patch: SourcePatch,
  now: number,
  extra: D1PreparedStatement[] = [],
): Promise<Source> {
  const tags = patch.tags ? sourceTags(patch.tags, await claimSlugs(db, 'tag', patch.tags, now)) : before.tags;
  const statements: D1PreparedStatement[] = [
    db
      .prepare(`UPDATE sources SET url = ?2, title_override = ?3, site = ?5, updated_at = ?4 WHERE id = ?1`)
      .bind(
        before.id,
        patch.url ?? before.url,
        patch.titleOverride !== undefined ? patch.titleOverride : before.titleOverride,
        now,
        (patch.site ?? before.site) ? 1 : 0,
      ),
  ];
  if (patch.kind !== undefined || patch.rules !== undefined) {
    // Another kind or other rules read the upstream differently: refetch it in full, now.
    statements.push(
      db
        .prepare(`UPDATE sources SET kind = ?2, rules = ?3, etag = NULL, last_modified = NULL, next_due_at = ?4 WHERE id = ?1`)
        .bind(
          before.id,
          patch.kind ?? before.kind,
          patch.rules !== undefined
            ? patch.rules === null
              ? null
              : JSON.stringify(patch.rules)
            : before.rules === null
              ? null
              : JSON.stringify(before.rules),
          now,
        ),
    );
  }
  if (patch.fullText !== undefined && patch.fullText !== before.fullText) {
    // Items are read differently now: the next refresh, due at once, sees every item again.
    statements.push(
      db
        .prepare(`UPDATE sources SET full_text = ?2, etag = NULL, last_modified = NULL, next_due_at = ?3 WHERE id = ?1`)
        .bind(before.id, patch.fullText ? 1 : 0, now),
    );
  }
  if (patch.url !== undefined && patch.url !== before.url) {
    statements.push(
      db.prepare(`UPDATE sources SET etag = NULL, last_modified = NULL, next_due_at = ?2 WHERE id = ?1`).bind(before.id, now),
    );
  }
  if (patch.paused === true) {
    // Pausing or resuming ends any lease: the source's next refresh is the publisher's call now.
    statements.push(
      db
        .prepare(`UPDATE sources SET state = 'paused', paused_reason = ?2, lease_until = NULL WHERE id = ?1`)
        .bind(before.id, PUBLISHER_PAUSE),
    );
  } else if (patch.paused === false) {
    statements.push(
      db
        .prepare(
          `UPDATE sources SET state = 'active', paused_reason = NULL, consecutive_failures = 0, next_due_at = ?2, lease_until = NULL WHERE id = ?1`,
        )
        .bind(before.id, now),
    );
  }
  if (patch.tags) statements.push(...tagStatements(db, before.id, tags));
  if (patch.filters !== undefined)
    statements.push(
      patch.filters.length === 0
        ? db.prepare('DELETE FROM source_filters WHERE source_id = ?1').bind(before.id)
        : db
            .prepare(
              `INSERT INTO source_filters (source_id, filters) VALUES (?1, ?2)
               ON CONFLICT (source_id) DO UPDATE SET filters = excluded.filters`,
            )
            .bind(before.id, JSON.stringify(patch.filters)),
    );
  statements.push(...extra);
  // A new title or tag set changes the source's feed and the planets it is (or was) part of.
  // So does making its posts the site's own, or no longer.
  statements.push(
    ...bumpStatements(db, [...sourceViews(before), ...sourceViews({ id: before.id, tags, site: patch.site ?? before.site })], now),
  );
  await urlAware(patch.url ?? before.url, () => db.batch(statements));
  return (await getSource(db, before.id))!;
}

/**
 * Removes a source and its items from every view, and keeps its id in deleted_sources: its
 * feeds and page answer 410 from now on (src/moves/serve-moves.ts), and the id is never reused
 * (sources.id is AUTOINCREMENT).
 */
export async function deleteSource(db: D1Database, source: Source, now: number): Promise<void> {
  await guarded(() =>
    db.batch([
      db
        .prepare(
          `INSERT INTO deleted_sources (id, name, url, site_url, deleted_at)
           SELECT id, coalesce(title_override, title, url), url, site_url, ?2 FROM sources WHERE id = ?1`,
        )
        .bind(source.id, now),
      db.prepare('DELETE FROM entries WHERE source_id = ?1').bind(source.id),
      db.prepare('DELETE FROM sources WHERE id = ?1').bind(source.id),
      ...bumpStatements(db, sourceViews(source), now),
    ]),
  );
}

/**
 * Claims up to `limit` active sources whose refresh is due, oldest due first, by leasing them
 * until `leaseUntil` (their due time moves there too): a source queued for refresh is not queued
 * again by the next cron run. The refresh clears the lease when it records its outcome.
 */
export async function claimDueSources(db: D1Database, now: number, limit: number, leaseUntil: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `UPDATE sources SET next_due_at = ?3, lease_until = ?3 WHERE id IN (
         SELECT id FROM sources WHERE state = 'active' AND next_due_at <= ?1 ORDER BY next_due_at LIMIT ?2)
       RETURNING id`,
    )
    .bind(now, limit, leaseUntil)
    .all<{ id: number }>();
  return results.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * Takes the active sources whose lease ran out with no outcome recorded (the refresh died), up to
 * `limit`: clears their lease, so that no other run takes them too, and answers each one's
 * failures in a row so far. The caller records what happened.
 */
export async function takeExpiredLeases(
  db: D1Database,
  now: number,
  limit: number,
): Promise<{ id: number; consecutiveFailures: number }[]> {
  const { results } = await db
    .prepare(
      `UPDATE sources SET lease_until = NULL WHERE id IN (
         SELECT id FROM sources WHERE state = 'active' AND lease_until <= ?1 ORDER BY lease_until LIMIT ?2)
       RETURNING id, consecutive_failures`,
    )
    .bind(now, limit)
    .all<{ id: number; consecutive_failures: number }>();
  return results.map((r) => ({ id: r.id, consecutiveFailures: r.consecutive_failures })).sort((a, b) => a.id - b.id);
}

/** What one refresh learned about a source, written in one statement that also ends its lease. */
export type FetchRecord = {
  outcome: FetchOutcomeKind;
  status: number | null;
  errorKind: string | null;
  error: string | null;
  warnings: string[];
  consecutiveFailures: number;
  nextDueAt: number;
  state: SourceState;
  pausedReason: string | null;
  /** Validators and feed metadata: undefined keeps what is stored. */
  etag?: string | null;
  lastModified?: string | null;
  url?: string;
  title?: string | null;
  siteUrl?: string | null;
  /** For the history (source_fetches): entries first seen and changed, when the refresh read any. */
  items?: { new: number; updated: number } | null;
  /** For the history: how long the refresh took. */
  durationMs?: number | null;
};

/**
 * A publisher's pause outlasts any refresh (a manual one, or one that was running when the
 * publisher paused): the outcome is recorded, the state and its reason stay.
 */
const HELD = `(state = 'paused' AND paused_reason = ?22)`;

/**
 * The one write of a refresh's outcome: the source's record (which also ends its lease), and a
 * row of its history (source_fetches), the oldest beyond HISTORY_PER_SOURCE pruned.
 */
export function recordFetchStatements(db: D1Database, sourceId: number, record: FetchRecord, now: number): D1PreparedStatement[] {
  const history = historyStatements(
    db,
    sourceId,
    {
      outcome: record.outcome,
      status: record.status,
      errorKind: record.errorKind,
      message: record.error,
      warnings: record.warnings,
      itemsNew: record.items?.new ?? null,
      itemsUpdated: record.items?.updated ?? null,
      durationMs: record.durationMs ?? null,
    },
    now,
  );
  return [sourceRecordStatement(db, sourceId, record, now), ...history];
}

function sourceRecordStatement(db: D1Database, sourceId: number, record: FetchRecord, now: number): D1PreparedStatement {
  const keep = (value: unknown) => (value === undefined ? 0 : 1);
  return db
    .prepare(
      `UPDATE sources SET last_fetched_at = ?2, last_outcome = ?3, last_status = ?4, last_error_kind = ?5, last_error = ?6,
         last_warnings = ?7, consecutive_failures = ?8, next_due_at = ?9,
         state = CASE WHEN ${HELD} THEN state ELSE ?10 END, paused_reason = CASE WHEN ${HELD} THEN paused_reason ELSE ?11 END,
         etag = CASE WHEN ?12 THEN ?13 ELSE etag END,
         last_modified = CASE WHEN ?14 THEN ?15 ELSE last_modified END,
         title = CASE WHEN ?16 THEN ?17 ELSE title END,
         site_url = CASE WHEN ?18 THEN ?19 ELSE site_url END,
         url = CASE WHEN ?20 AND NOT EXISTS (SELECT 1 FROM sources WHERE url = ?21) THEN ?21 ELSE url END,
         lease_until = NULL, updated_at = ?2
       WHERE id = ?1`,
    )
    .bind(
      sourceId,
      now,
      record.outcome,
      record.status,
      record.errorKind,
      record.error?.slice(0, 1000) ?? null,
      JSON.stringify(record.warnings.slice(0, 20)),
      record.consecutiveFailures,
      record.nextDueAt,
      record.state,
      record.pausedReason,
      keep(record.etag),
      record.etag ?? null,
      keep(record.lastModified),
      record.lastModified ?? null,
      keep(record.title),
      record.title ?? null,
      keep(record.siteUrl),
      record.siteUrl ?? null,
      keep(record.url),
      record.url ?? null,
      PUBLISHER_PAUSE,
    );
}

/**
 * Records a refresh's outcome (recordFetchStatements). With `readBack`, the same batch reads the
 * source back as getSource would after the write, and answers it (else null).
 */
export async function recordFetch(
  db: D1Database,
  sourceId: number,
  record: FetchRecord,
  now: number,
  readBack = false,
): Promise<Source | null> {
  const results = await db.batch([
    ...recordFetchStatements(db, sourceId, record, now),
    ...(readBack ? [readSourceStatement(db, sourceId)] : []),
  ]);
  return readBack ? sourceOfResult(results.at(-1)!) : null;
}

/** getSource's read as a statement: last in a batch that writes the source, it sees the writes. */
export const readSourceStatement = (db: D1Database, id: number): D1PreparedStatement =>
  db.prepare(`${SELECT_SOURCE} WHERE s.id = ?1`).bind(id);

/** The source readSourceStatement read, or null. */
export function sourceOfResult(result: D1Result): Source | null {
  const row = result.results[0] as SourceRow | undefined;
  return row ? toSource(row) : null;
}
