/** The whole second after `ms`: a write's Last-Modified (see src/serve/conditional.ts). */
export const secondAfter = (ms: number): number => Math.floor(ms / 1000) + 1;

/**
 * The statement that bumps the version of each view (its counter in `view_versions`), to run in
 * the same batch as the write that changed the views: the next read gets a new ETag, and a
 * Last-Modified (whole seconds) greater than that of every earlier version: the second after the
 * write, or one more than the previous value when writes come faster than one a second. One
 * statement for all the views (a JSON array of keys), however many tags and authors a write touches.
 */
export function bumpStatements(db: D1Database, views: string[], now: number): D1PreparedStatement[] {
  const keys = [...new Set(views)];
  if (keys.length === 0) return [];
  return [
    db
      .prepare(
        `INSERT INTO view_versions (view, version, changed_at, last_modified)
         SELECT value, 1, ?2, ?3 FROM json_each(?1) WHERE true
         ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at,
           last_modified = max(excluded.last_modified, view_versions.last_modified + 1)`,
      )
      .bind(JSON.stringify(keys), now, secondAfter(now)),
  ];
}

/** The same bump for any number of views in one statement (an import adds thousands of sources). */
export function bumpAllStatement(db: D1Database, views: string[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO view_versions (view, version, changed_at, last_modified)
       SELECT value, 1, ?2, ?3 FROM json_each(?1) WHERE true
       ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at,
         last_modified = max(excluded.last_modified, view_versions.last_modified + 1)`,
    )
    .bind(JSON.stringify([...new Set(views)]), now, secondAfter(now));
}

/** The stored Last-Modified (whole seconds) under a version key; null before its first bump. */
export async function storedLastModified(db: D1Database, key: string): Promise<number | null> {
  const row = await db.prepare('SELECT last_modified FROM view_versions WHERE view = ?1').bind(key).first<{ last_modified: number }>();
  return row?.last_modified ?? null;
}
