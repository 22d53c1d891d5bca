/** Rows of `api_tokens` (migrations/0018): the admin API's tokens besides ADMIN_TOKEN, kept as SHA-256 hashes. */

export type ApiToken = { id: number; name: string; scopes: string[]; createdAt: number; lastUsedAt: number | null };

type Row = { id: number; name: string; scopes: string; created_at: number; last_used_at: number | null };

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** At most this many tokens exist: a console lists them all on one page. */
export const MAX_API_TOKENS = 200;

/** Stores a token by its hash; null when MAX_API_TOKENS exist already. */
export async function insertApiToken(db: D1Database, name: string, hash: string, scopes: string[], now: number): Promise<ApiToken | null> {
  const row = await db
    .prepare(
      `INSERT INTO api_tokens (name, hash, scopes, created_at)
       SELECT ?1, ?2, ?3, ?4 WHERE (SELECT count(*) FROM api_tokens) < ?5
       RETURNING id, name, scopes, created_at, last_used_at`,
    )
    .bind(name, hash, JSON.stringify(scopes), now, MAX_API_TOKENS)
    .first<Row>();
  return row ? toToken(row) : null;
}

export async function listApiTokens(db: D1Database): Promise<ApiToken[]> {
  const { results } = await db
    .prepare('SELECT id, name, scopes, created_at, last_used_at FROM api_tokens ORDER BY created_at DESC, id DESC')
    .all<Row>();
  return results.map(toToken);
}

/** The token with this hash, or null (never made, or revoked). */
export async function findApiToken(db: D1Database, hash: string): Promise<ApiToken | null> {
  const row = await db.prepare('SELECT id, name, scopes, created_at, last_used_at FROM api_tokens WHERE hash = ?1').bind(hash).first<Row>();
  return row ? toToken(row) : null;
}

/** Notes a use of the token, at most once a minute (one write per minute of use, not per request). */
export async function touchApiToken(db: D1Database, id: number, now: number): Promise<void> {
  await db
    .prepare('UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?2 - 60000)')
    .bind(id, now)
    .run();
}

/** Revokes a token: its row goes. False when there was none. */
export async function deleteApiToken(db: D1Database, id: number): Promise<boolean> {
  const result = await db.prepare('DELETE FROM api_tokens WHERE id = ?1').bind(id).run();
  return result.meta.changes > 0;
}
