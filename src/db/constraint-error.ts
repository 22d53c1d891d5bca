// D1 reports a violated constraint as an Error whose message carries SQLite's text
// ("D1_ERROR: UNIQUE constraint failed: entries.slug: SQLITE_CONSTRAINT"). This module is the one
// place that reads that text: everything above the db layer sees a typed ConstraintError, which
// app.onError answers with a problem (409 or 400), never a 500.

type ConstraintKind = 'unique' | 'not_null' | 'check' | 'foreign_key';

/** The API field a column is written from, where the two differ or the column is a list item. */
const FIELDS: Record<string, string> = {
  'entries.slug': 'slug',
  'entry_tags.slug': 'tags',
  'entry_tags.entry_id': 'tags',
  'entry_authors.entry_id': 'authors',
  'entry_authors.position': 'authors',
  'sources.url': 'url',
  'source_tags.slug': 'tags',
  'source_tags.source_id': 'tags',
  'moves.from_path': 'from',
};

export class ConstraintError extends Error {
  /** The request field the violated constraint is about, as the API names it. */
  readonly field: string;

  constructor(
    readonly kind: ConstraintKind,
    /** `table.column` of each column SQLite named (none for CHECK and FOREIGN KEY). */
    readonly columns: string[],
    options?: { cause?: unknown },
  ) {
    const named = columns.map((c) => FIELDS[c] ?? c.split('.').pop()!);
    super(`${kind.replace('_', ' ')} constraint failed${columns.length ? `: ${columns.join(', ')}` : ''}`, options);
    this.name = 'ConstraintError';
    this.field = named[0] ?? 'body';
  }
}

const PATTERN = /\b(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*([\w.]+(?:,\s*[\w.]+)*))?/;

/** The error as a ConstraintError when D1 reports a violated constraint; otherwise unchanged. */
export function asDbError(error: unknown): unknown {
  if (error instanceof ConstraintError || !(error instanceof Error)) return error;
  const match = PATTERN.exec(error.message);
  if (!match) return error;
  const kind = match[1]!.toLowerCase().replace(' ', '_') as ConstraintKind;
  const columns = kind === 'unique' || kind === 'not_null' ? (match[2] ?? '').split(/,\s*/).filter(Boolean) : [];
  return new ConstraintError(kind, columns, { cause: error });
}

/** Runs a D1 write; a violated constraint comes out as a ConstraintError. */
export async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw asDbError(error);
  }
}
