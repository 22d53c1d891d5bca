/**
 * Statements that bump the version of each view (its counter in `view_versions`), to run in the
 * same batch as the write that changed the views: the next read gets a new ETag.
 */
export function bumpStatements(db: D1Database, views: string[], now: number): D1PreparedStatement[] {
  return [...new Set(views)].map((view) =>
    db
      .prepare(
        `INSERT INTO view_versions (view, version, changed_at) VALUES (?1, 1, ?2)
         ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`,
      )
      .bind(view, now),
  );
}
