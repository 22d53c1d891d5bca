import type { Source } from '../domain/source';
import { guarded } from './constraint-error';
import { claimSlugs } from './slugs';
import { sourceTags } from './source-rows';
import { getSources, type SourceInput, sourceViews } from './sources';
import { bumpAllStatement } from './versions';

// Bound values stay under D1's 2 MB per string: an import goes in as JSON arrays of this size.
const IMPORT_CHUNK_BYTES = 900_000;

/**
 * Adds every source whose URL is not one yet (the first of a URL listed twice), with its tags,
 * in one transaction, and answers the sources added. Idempotent and safe to run concurrently:
 * a URL added by anyone, meanwhile too, is left as it is (D1 runs one transaction at a time).
 *
 * Tags go only to the sources this import created: right after an INSERT, SQLite's changes() is
 * the number of rows it added, and those rows hold the highest ids, one after the other, so they
 * are the ids above max(id) - changes(). That holds because no row of the INSERT meets the
 * conflict clause: AUTOINCREMENT spends an id on a row the clause skips, which would leave a gap.
 * So the INSERT leaves out URLs that are sources already, and each URL comes once. Each pair of
 * statements runs in order inside the batch's transaction, so nothing else can insert in between.
 */
export async function importSources(db: D1Database, inputs: SourceInput[], now: number): Promise<Source[]> {
  const slugs = await claimSlugs(
    db,
    'tag',
    inputs.flatMap((input) => input.tags),
    now,
  );
  const listed = new Set<string>();
  const rows = inputs
    .filter((input) => !listed.has(input.url) && listed.add(input.url))
    .map((input) => ({
      url: input.url,
      title: input.titleOverride,
      tags: sourceTags(input.tags, slugs),
      kind: input.kind ?? 'feed',
      rules: input.rules ? JSON.stringify(input.rules) : null,
      site: input.site ? 1 : 0,
      fullText: input.fullText ? 1 : 0,
    }));
  const chunks: (typeof rows)[] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    const size = JSON.stringify(row).length * 3;
    if (bytes + size > IMPORT_CHUNK_BYTES) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)!.push(row);
    bytes += size;
  }
  const statements = chunks.flatMap((chunk) => {
    const json = JSON.stringify(chunk);
    return [
      db
        .prepare(
          `INSERT INTO sources (url, title_override, kind, rules, site, full_text, next_due_at, created_at, updated_at)
           SELECT value ->> '$.url', value ->> '$.title', value ->> '$.kind', value ->> '$.rules', value ->> '$.site',
             value ->> '$.fullText', ?2, ?2, ?2 FROM json_each(?1)
           WHERE value ->> '$.url' NOT IN (SELECT url FROM sources) ORDER BY key
           ON CONFLICT (url) DO NOTHING RETURNING id`,
        )
        .bind(json, now),
      db
        .prepare(
          `INSERT INTO source_tags (source_id, slug, name, position)
           SELECT s.id, t.value ->> '$.slug', t.value ->> '$.name', t.key
           FROM json_each(?1) o JOIN sources s ON s.url = o.value ->> '$.url', json_each(o.value, '$.tags') t
           WHERE s.id > (SELECT max(id) FROM sources) - changes()`,
        )
        .bind(json),
    ];
  });
  if (statements.length === 0) return [];
  const results = await guarded(() => db.batch(statements));
  const ids = results.filter((_, i) => i % 2 === 0).flatMap((r) => (r.results as { id: number }[]).map((row) => row.id));
  const added = await getSources(db, ids);
  // Their feeds (and the planets) begin now: before a first refresh, their `updated` is this time.
  if (added.length) await bumpAllStatement(db, added.flatMap(sourceViews), now).run();
  return added;
}
