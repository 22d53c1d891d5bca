// A sources row as D1 holds it, and the Source it maps to.

import type { Tag } from '../domain/entry';
import { parseStoredFilters } from '../domain/filters';
import type { FetchOutcomeKind, Source, SourceKind, SourceState } from '../domain/source';
import { slugKey } from '../domain/slug';

export type SourceRow = {
  id: number;
  url: string;
  kind: SourceKind;
  rules: string | null;
  site: 0 | 1;
  full_text: number;
  filters: string | null;
  title_override: string | null;
  title: string | null;
  site_url: string | null;
  state: SourceState;
  paused_reason: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: number | null;
  last_outcome: FetchOutcomeKind | null;
  last_status: number | null;
  last_error_kind: string | null;
  last_error: string | null;
  last_warnings: string;
  consecutive_failures: number;
  next_due_at: number;
  item_count: number;
  created_at: number;
  updated_at: number;
  tags: string;
};

/** A source's columns, its tags and its filter rules, from `sources s`. */
export const SOURCE_COLUMNS = `s.*, (SELECT json_group_array(json_object('slug', slug, 'name', name))
  FROM (SELECT slug, name FROM source_tags WHERE source_id = s.id ORDER BY position)) AS tags,
  (SELECT filters FROM source_filters WHERE source_id = s.id) AS filters`;

export const SELECT_SOURCE = `SELECT ${SOURCE_COLUMNS} FROM sources s`;

export function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    url: row.url,
    kind: row.kind,
    rules: row.rules === null ? null : (JSON.parse(row.rules) as Record<string, unknown>),
    site: row.site === 1,
    fullText: row.full_text === 1,
    filters: parseStoredFilters(row.filters),
    titleOverride: row.title_override,
    title: row.title,
    siteUrl: row.site_url,
    tags: JSON.parse(row.tags) as Tag[],
    state: row.state,
    pausedReason: row.paused_reason,
    pausedByPublisher: row.state === 'paused' && row.paused_reason === PUBLISHER_PAUSE,
    etag: row.etag,
    lastModified: row.last_modified,
    lastFetchedAt: row.last_fetched_at,
    lastOutcome: row.last_outcome,
    lastStatus: row.last_status,
    lastErrorKind: row.last_error_kind,
    lastError: row.last_error,
    lastWarnings: JSON.parse(row.last_warnings) as string[],
    consecutiveFailures: row.consecutive_failures,
    nextDueAt: row.next_due_at,
    itemCount: row.item_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The paused_reason of a source the publisher paused. */
export const PUBLISHER_PAUSE = 'paused by the publisher';

/** Tag names to stored tags, by the slugs of their names (`slugs`): deduplicated, in order. */
export function sourceTags(names: string[], slugs: Map<string, string>): Tag[] {
  const seen = new Set<string>();
  return names
    .map((name) => ({ slug: slugs.get(slugKey(name)) ?? '', name: name.trim() }))
    .filter((t) => t.slug !== '' && !seen.has(t.slug) && seen.add(t.slug));
}
