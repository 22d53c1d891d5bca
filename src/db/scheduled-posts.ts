import { viewsTouchedBy } from '../views/registry';
import { postKey } from './posts';

const MARK = 'websub-scheduled';

/**
 * The own posts that went live by themselves since the last call (their scheduled `published_at`
 * came, after their last write), by id, and the views they are in; moves the mark to `now`. A
 * post whose last write came after its time went live with that write, which announced it
 * already. Two runs at once may both see a post: a second ping is harmless.
 */
export async function postsGoneLive(db: D1Database, now: number): Promise<{ ids: string[]; views: string[] }> {
  const mark = await db.prepare('SELECT at FROM cron_marks WHERE name = ?1').bind(MARK).first<number>('at');
  const from = mark ?? now;
  const { results } = await db
    .prepare(
      `SELECT e.id, (SELECT json_group_array(slug) FROM entry_tags WHERE entry_id = e.id) AS tags,
              (SELECT json_group_array(slug) FROM entry_authors WHERE entry_id = e.id) AS authors
       FROM entries e LEFT JOIN view_versions v ON v.view = ?3 || e.id
       WHERE e.source_id IS NULL AND e.visible_at > ?1 AND e.visible_at <= ?2
         AND (v.changed_at IS NULL OR v.changed_at < e.visible_at)`,
    )
    .bind(from, now, postKey(''))
    .all<{ id: string; tags: string; authors: string }>();
  await db
    .prepare('INSERT INTO cron_marks (name, at) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET at = max(at, excluded.at)')
    .bind(MARK, now)
    .run();
  const views = viewsTouchedBy(
    ...results.map((r) => ({ kind: 'post' as const, tags: JSON.parse(r.tags) as string[], authors: JSON.parse(r.authors) as string[] })),
  );
  return { ids: results.map((r) => r.id), views };
}
