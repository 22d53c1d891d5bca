/** Rows of `admin_sessions` (migrations/0013): the /stats sessions that are live on the server. */

/** Records a new session, and deletes the rows of sessions that have expired. */
export async function insertSession(db: D1Database, id: string, expiresAt: number, now: number): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?1').bind(now),
    db.prepare('INSERT INTO admin_sessions (id, expires_at) VALUES (?1, ?2)').bind(id, expiresAt),
  ]);
}

/** Whether the session is recorded and has not expired. */
export async function sessionIsLive(db: D1Database, id: string, now: number): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS live FROM admin_sessions WHERE id = ?1 AND expires_at > ?2').bind(id, now).first();
  return row !== null;
}

/** Ends a session (its row goes), and deletes the rows of sessions that have expired. */
export async function deleteSession(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare('DELETE FROM admin_sessions WHERE id = ?1 OR expires_at <= ?2').bind(id, now).run();
}
