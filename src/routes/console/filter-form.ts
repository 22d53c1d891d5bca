import type { Context } from 'hono';
import { checkFilters, type FilterRule, MAX_FILTER_RULES } from '../../domain/filters';
import { InvalidFieldError } from '../../domain/invalid-field-error';
import type { AppEnv } from '../../http/app-env';
import type { FilterPreview } from '../../ingest/filtering';
import { BLANK_ROW, controlId, type FilterEditor, type FilterPreviewShown, type FilterRow } from '../../render/console/filter-rules';
import type { FieldError } from '../../render/console/parts';
import { field, type PostedForm, postedForm } from './forms';

// The filter rules' form (src/render/console/filter-rules.tsx) read back: its rows as typed, the
// rules they make (blank rows left out, removed ones dropped), checked by checkFilters as the API
// checks them, with a bad rule's name (`filters.2.pattern`) turned into its row's control.

/** Rows a form may carry: the rules' limit and a few blank ones; more is refused by the limit. */
const MAX_ROWS = MAX_FILTER_RULES + 10;

/** A stored rule as its row. */
export const rowOf = (rule: FilterRule): FilterRow =>
  rule.field === 'age'
    ? { action: rule.action, field: 'age', match: 'words', pattern: '', maxDays: String(rule.max_days) }
    : { action: rule.action, field: rule.field, match: rule.match, pattern: rule.pattern, maxDays: '' };

/** A row without a pattern (and not an age rule) is no rule yet: Add a rule leaves one. */
const blank = (row: FilterRow) => row.field !== 'age' && row.pattern.trim() === '';

/** What the posted form asks: save, preview, or add a row. */
export type FilterAction = 'save' | 'preview' | 'add';

export type PostedRules = {
  action: FilterAction;
  /** The rows kept (those marked Remove are gone), as typed. */
  rows: FilterRow[];
  posted: PostedForm;
};

/** Reads the rules' form once its token checks out. */
export async function postedRules(c: Context<AppEnv>): Promise<PostedRules> {
  const posted = await postedForm(c, 'filters');
  const count = Math.min(MAX_ROWS, Math.max(0, Number.parseInt(field(posted, 'filter.rows'), 10) || 0));
  const rows: FilterRow[] = [];
  for (let i = 0; i < count; i++) {
    const part = (name: string) => field(posted, `filter.${i}.${name}`);
    if (part('remove') === '1') continue;
    rows.push({ action: part('action'), field: part('field'), match: part('match'), pattern: part('pattern'), maxDays: part('max_days') });
  }
  const what = field(posted, 'do');
  const action: FilterAction = what === 'preview' || what === 'add' ? what : 'save';
  if (action === 'add') rows.push({ ...BLANK_ROW });
  return { action, rows, posted };
}

/** The rules the rows make, checked as the API checks them, or the errors beside their controls. */
export function rulesOf(rows: FilterRow[]): { ok: true; rules: FilterRule[]; at: number[] } | { ok: false; errors: FieldError[] } {
  // at[n]: the row of rule n (blank rows make no rule).
  const at: number[] = [];
  const raw = rows.flatMap((row, i) => {
    if (blank(row)) return [];
    at.push(i);
    const days = row.maxDays.trim();
    return [
      row.field === 'age'
        ? { action: row.action, field: row.field, max_days: /^\d{1,9}$/.test(days) ? Number(days) : days }
        : { action: row.action, field: row.field, match: row.match, pattern: row.pattern },
    ];
  });
  try {
    return { ok: true, rules: checkFilters(raw), at };
  } catch (error) {
    if (!(error instanceof InvalidFieldError)) throw error;
    return { ok: false, errors: [{ field: controlOf(error.field, at), message: error.reason }] };
  }
}

/** The control a rule's name stands for: `filters.2.pattern` is the pattern of rule 2's row. */
function controlOf(name: string, at: number[]): string {
  const m = /^filters\.(\d+)\.(\w+)$/.exec(name);
  const row = m ? at[Number(m[1])] : undefined;
  if (!m || row === undefined) return 'filter-rules';
  const part = m[2] === 'max_days' || m[2] === 'action' || m[2] === 'field' || m[2] === 'match' ? m[2] : 'pattern';
  return controlId(row, part);
}

/** A preview in words: each blocked item's rule as the rows number it. */
export function previewShown(preview: FilterPreview, at: number[]): FilterPreviewShown {
  const ruleName = (reason: string) => {
    const n = /^filters\.(\d+)$/.exec(reason);
    const row = n ? at[Number(n[1])] : undefined;
    return row !== undefined ? `Rule ${row + 1}` : 'no keep rule matched';
  };
  return {
    kept: preview.kept.map((i) => ({ title: i.title, link: i.link })),
    blocked: preview.blocked.map((i) => ({ title: i.title, link: i.link, rule: ruleName(i.rule) })),
  };
}

/** The editor of stored rules. */
export const editorOf = (
  rules: FilterRule[],
  base: Pick<FilterEditor, 'action' | 'hidden' | 'token'>,
  notice: string | null = null,
): FilterEditor => ({ ...base, rows: rules.map(rowOf), errors: [], preview: null, notice });
