// Filter rules at work (docs/filters.md): judging the items a refresh stores, re-judging the stored
// items of a source or a view when its rules change (no refetch), and previews that store nothing.
// The rules themselves are src/domain/filters.ts; their marks in D1 are src/db/filters.ts.

import {
  blockedByStatement,
  entryViewBlockStatements,
  type FilterableRow,
  setViewFiltersStatement,
  sourceFilterables,
  sourcesFilterables,
  type ViewBlock,
  viewBlockStatements,
  viewFilters,
  viewSourceIds,
} from '../db/filters';
import { sourceViews } from '../db/sources';
import type { UpstreamEntry } from '../db/upstream-entries';
import { bumpStatements } from '../db/versions';
import { compileFilters, type FilterItem, type FilterRule } from '../domain/filters';
import type { Source } from '../domain/source';
import { htmlToText } from '../html/text';

/** An item's text for the rules: its content (else its summary) as plain text. */
function contentText(contentHtml: string, summary: string): string {
  return htmlToText(contentHtml || summary);
}

/** What the rules read of an item on its way in. */
export function filterItemOf(entry: UpstreamEntry): FilterItem {
  return {
    title: entry.title,
    content: contentText(entry.contentHtml, entry.summary),
    authors: entry.authors.map((a) => a.name),
    categories: entry.tags.map((t) => t.name),
    link: entry.url,
    enclosureTypes: entry.enclosures.map((e) => e.type),
    publishedAt: entry.publishedAt ?? Date.now(),
  };
}

/** What the rules read of a stored item. */
export function filterItemOfRow(row: FilterableRow): FilterItem {
  return {
    title: row.title,
    content: contentText(row.content_html, row.summary),
    authors: JSON.parse(row.authors) as string[],
    categories: JSON.parse(row.tags) as string[],
    link: row.url,
    enclosureTypes: (JSON.parse(row.enclosures) as { type: string }[]).map((e) => e.type),
    publishedAt: row.published_at,
  };
}

/** The keys of the views with rules of their own a source's items show in (the site's, the planets). */
export const filteredViewKeys = (source: Pick<Source, 'id' | 'tags' | 'site'>) =>
  sourceViews(source).filter((key) => key === 'site' || key === 'planet' || key.startsWith('planet-tag:'));

/**
 * Judges the items a refresh writes by the source's rules (each gets `blockedBy`) and by the rules
 * of every view it shows in (the statements that replace their view blocks, for the same batch).
 * `viewRules`: those views' rules when the caller read them already (refreshState); read here otherwise.
 */
export async function judgeIncoming<E extends UpstreamEntry>(
  db: D1Database,
  source: Pick<Source, 'id' | 'tags' | 'site' | 'filters'>,
  entries: E[],
  now: number,
  viewRules?: Map<string, FilterRule[]>,
): Promise<{ entries: (E & { blockedBy: string | null })[]; statements: D1PreparedStatement[] }> {
  if (entries.length === 0) return { entries: [], statements: [] };
  const own = compileFilters(source.filters);
  const rules = viewRules ?? (await viewFilters(db, filteredViewKeys(source)));
  const views = [...rules].map(([key, viewRules]) => [key, compileFilters(viewRules)] as const);
  const blocks: ViewBlock[] = [];
  const judged = entries.map((entry) => {
    if (source.filters.length === 0 && views.length === 0) return { ...entry, blockedBy: null };
    const item = filterItemOf(entry);
    for (const [view, rules] of views) {
      const reason = rules.judge(item, now);
      if (reason !== null) blocks.push({ view, entryId: entry.id, reason });
    }
    return { ...entry, blockedBy: own.judge(item, now) };
  });
  return {
    entries: judged,
    statements: entryViewBlockStatements(
      db,
      judged.map((e) => e.id),
      blocks,
    ),
  };
}

/**
 * Judges a source's stored items again by the rules of the views it shows in now (after its tags
 * or its site flag changed: it joined or left a planet or the site), and bumps those views.
 */
export async function rejudgeInViews(db: D1Database, source: Pick<Source, 'id' | 'tags' | 'site'>, now: number): Promise<void> {
  const rows = await sourceFilterables(db, source.id);
  if (rows.length === 0) return;
  const views = [...(await viewFilters(db, filteredViewKeys(source)))].map(([key, rules]) => [key, compileFilters(rules)] as const);
  const blocks: ViewBlock[] = [];
  for (const row of rows) {
    if (views.length === 0) break;
    const item = filterItemOfRow(row);
    for (const [view, rules] of views) {
      const reason = rules.judge(item, now);
      if (reason !== null) blocks.push({ view, entryId: row.id, reason });
    }
  }
  await db.batch([
    ...entryViewBlockStatements(
      db,
      rows.map((r) => r.id),
      blocks,
    ),
    ...bumpStatements(db, sourceViews(source), now),
  ]);
}

/** How stored items fare under rules: kept, and blocked with the rule. */
export type FilterPreview = {
  kept: { id: string; title: string; link: string | null }[];
  blocked: { id: string; title: string; link: string | null; rule: string }[];
};

function judgeRows(rows: FilterableRow[], rules: FilterRule[], now: number): { row: FilterableRow; reason: string | null }[] {
  const compiled = compileFilters(rules);
  return rows.map((row) => ({ row, reason: rules.length ? compiled.judge(filterItemOfRow(row), now) : null }));
}

function preview(verdicts: { row: FilterableRow; reason: string | null }[]): FilterPreview {
  const show = (row: FilterableRow) => ({ id: row.id, title: row.title, link: row.url });
  return {
    kept: verdicts.filter((v) => v.reason === null).map((v) => show(v.row)),
    blocked: verdicts.filter((v) => v.reason !== null).map((v) => ({ ...show(v.row), rule: v.reason! })),
  };
}

/** Which stored items of a source `rules` would keep and block; nothing is stored. */
export async function previewSourceFilters(db: D1Database, sourceId: number, rules: FilterRule[], now: number): Promise<FilterPreview> {
  return preview(judgeRows(await sourceFilterables(db, sourceId), rules, now));
}

/**
 * The statement that marks a source's stored items as its new rules judge them, for the batch that
 * stores the rules (src/db/sources.ts updateSource bumps the source's views in it). Returns null
 * when no mark changes.
 */
export async function sourceRefilterStatement(
  db: D1Database,
  sourceId: number,
  rules: FilterRule[],
  now: number,
): Promise<D1PreparedStatement | null> {
  const changed = judgeRows(await sourceFilterables(db, sourceId), rules, now).filter((v) => v.reason !== v.row.blocked_by);
  return changed.length
    ? blockedByStatement(
        db,
        changed.map((v) => ({ id: v.row.id, reason: v.reason })),
      )
    : null;
}

/** Which stored items of a view's sources `rules` would keep and block in that view; nothing is stored. */
export async function previewViewFilters(db: D1Database, key: string, rules: FilterRule[], now: number): Promise<FilterPreview> {
  const rows = await sourcesFilterables(db, await viewSourceIds(db, key));
  return preview(judgeRows(rows, rules, now));
}

/**
 * Stores a view's rules and judges the stored items of its sources by them at once (no refetch):
 * its blocks are replaced and the view's version bumped, so its feeds change and their ETags move.
 */
export async function setViewFilters(db: D1Database, key: string, rules: FilterRule[], now: number): Promise<FilterPreview> {
  const verdicts = judgeRows(await sourcesFilterables(db, await viewSourceIds(db, key)), rules, now);
  const blocks = verdicts.flatMap((v) => (v.reason === null ? [] : [{ view: key, entryId: v.row.id, reason: v.reason }]));
  await db.batch([
    setViewFiltersStatement(db, key, rules, now),
    ...viewBlockStatements(db, key, blocks),
    ...bumpStatements(db, [key], now),
  ]);
  return preview(verdicts);
}
