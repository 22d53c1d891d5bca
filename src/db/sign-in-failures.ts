/** Rows of `sign_in_failures` (migrations/0018): failed console sign-ins, by client, for the rate limit. */

/** The failures of one client since `since`, and when the oldest of them happened (null: none). */
export async function recentFailures(db: D1Database, client: string, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .prepare('SELECT count(*) AS n, min(at) AS oldest FROM sign_in_failures WHERE client = ?1 AND at > ?2')
    .bind(client, since)
    .first<{ n: number; oldest: number | null }>();
  return { count: row?.n ?? 0, oldest: row?.oldest ?? null };
}

/** Records a failure, and deletes every row from before `since` (nobody's window reaches them). */
export async function recordFailure(db: D1Database, client: string, now: number, since: number): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM sign_in_failures WHERE at <= ?1').bind(since),
    db.prepare('INSERT INTO sign_in_failures (client, at) VALUES (?1, ?2)').bind(client, now),
  ]);
}

/** Forgets a client's failures (it has just signed in). */
export async function clearFailures(db: D1Database, client: string): Promise<void> {
  await db.prepare('DELETE FROM sign_in_failures WHERE client = ?1').bind(client).run();
}
