/** One row of `feed_subscribers` (migrations/0011): a client of a feed on a UTC day. */
export type ReadRow = {
  /** The feed's self URL without the site's origin. */
  feed: string;
  day: number;
  /**
   * Direct: the client's hash under the day's key. Reported: `reported:<reader>:<feed-id>` for an
   * aggregator of src/stats/user-agent.ts's list, `reported-other:<reader>:<feed-id>` for any other.
   */
  client: string;
  kind: 'direct' | 'reported';
  reader: string;
  /** Direct: 1. Reported: the number the reader gave. */
  count: number;
  seenAt: number;
  /**
   * Reported: the rows of the feed and day whose client starts with `prefix` (this row's group:
   * one reader's feed-ids, or all other readers) keep only the `rows` largest counts.
   */
  bound?: { prefix: string; rows: number };
};

/** Days of counts kept; older ones are deleted by the cron's compaction. */
export const STATS_RETENTION_DAYS = 400;

/**
 * The key of a UTC day's client hashes: `candidate` (fresh random bytes) if the day has none
 * yet, else the one stored (so every isolate hashes with the same key). Only the newest two days'
 * keys are kept (the day before the newest for reads flushed just after midnight): older ones are deleted on the way: once gone, no hash can be linked to an address again.
 */
export async function dayKey(db: D1Database, day: number, candidate: string): Promise<string> {
  const [, , row] = await db.batch([
    db.prepare('DELETE FROM subscriber_keys WHERE day < (SELECT max(day) FROM subscriber_keys) - 1'),
    db.prepare('INSERT INTO subscriber_keys (day, key) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING').bind(day, candidate),
    db.prepare('SELECT key FROM subscriber_keys WHERE day = ?1').bind(day),
  ]);
  return (row!.results[0] as { key: string } | undefined)?.key ?? candidate;
}

/**
 * Writes buffered reads in one batch. A direct client is written once a day (later requests
 * change nothing); a reported count keeps the latest number the reader gave that day, and then
 * each group of reported rows it belongs to (ReadRow.bound) keeps only its largest counts, so
 * forged feed-ids or reader names cannot add rows without end.
 */
export async function writeReads(db: D1Database, rows: ReadRow[]): Promise<void> {
  if (rows.length === 0) return;
  const direct = db.prepare(
    `INSERT INTO feed_subscribers (feed, day, client, kind, reader, count, seen_at) VALUES (?1, ?2, ?3, 'direct', ?4, 1, ?5)
     ON CONFLICT (feed, day, client) DO NOTHING`,
  );
  const reported = db.prepare(
    `INSERT INTO feed_subscribers (feed, day, client, kind, reader, count, seen_at) VALUES (?1, ?2, ?3, 'reported', ?4, ?5, ?6)
     ON CONFLICT (feed, day, client) DO UPDATE SET count = excluded.count, seen_at = excluded.seen_at
     WHERE excluded.seen_at >= feed_subscribers.seen_at`,
  );
  // The group's clients are the range [prefix, prefix with its last character one higher): the
  // primary key's range, not a scan of the day's direct clients.
  const prune = db.prepare(
    `DELETE FROM feed_subscribers WHERE feed = ?1 AND day = ?2 AND client >= ?3 AND client < ?4 AND client NOT IN (
       SELECT client FROM feed_subscribers WHERE feed = ?1 AND day = ?2 AND client >= ?3 AND client < ?4
       ORDER BY count DESC, seen_at DESC LIMIT ?5)`,
  );
  const groups = new Map<string, D1PreparedStatement>();
  for (const r of rows) {
    if (!r.bound) continue;
    const { prefix, rows: keep } = r.bound;
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    groups.set(`${r.feed}\n${r.day}\n${prefix}`, prune.bind(r.feed, r.day, prefix, end, keep));
  }
  await db.batch([
    ...rows.map((r) =>
      r.kind === 'direct'
        ? direct.bind(r.feed, r.day, r.client, r.reader, r.seenAt)
        : reported.bind(r.feed, r.day, r.client, r.reader, r.count, r.seenAt),
    ),
    ...groups.values(),
  ]);
}

/** Subscribers per feed, day, kind and reader, from `fromDay` on (one index range). */
export async function subscriberCounts(
  db: D1Database,
  fromDay: number,
): Promise<{ feed: string; day: number; kind: 'direct' | 'reported'; reader: string; subscribers: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT feed, day, kind, reader, sum(count) AS subscribers FROM feed_subscribers WHERE day >= ?1
       GROUP BY feed, day, kind, reader`,
    )
    .bind(fromDay)
    .all<{ feed: string; day: number; kind: 'direct' | 'reported'; reader: string; subscribers: number }>();
  return results;
}

/**
 * Cron: the direct rows of days before `beforeDay` become one row per feed, day and reader
 * holding their number (the hashes are of no use once the day is over), their days' keys go, and
 * counts older than STATS_RETENTION_DAYS go. Returns the rows compacted.
 */
export async function compactCounts(db: D1Database, beforeDay: number): Promise<number> {
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO feed_subscribers (feed, day, client, kind, reader, count, seen_at)
         SELECT feed, day, 'direct:' || reader, 'direct', reader, count(*), max(seen_at) FROM feed_subscribers
         WHERE day < ?1 AND kind = 'direct' AND client NOT LIKE 'direct:%' GROUP BY feed, day, reader
         ON CONFLICT (feed, day, client) DO UPDATE SET count = feed_subscribers.count + excluded.count`,
      )
      .bind(beforeDay),
    db.prepare(`DELETE FROM feed_subscribers WHERE day < ?1 AND kind = 'direct' AND client NOT LIKE 'direct:%'`).bind(beforeDay),
    db.prepare('DELETE FROM feed_subscribers WHERE day < ?1').bind(beforeDay - STATS_RETENTION_DAYS),
    db.prepare('DELETE FROM subscriber_keys WHERE day < ?1').bind(beforeDay),
  ]);
  return results[1]!.meta.changes ?? 0;
}
