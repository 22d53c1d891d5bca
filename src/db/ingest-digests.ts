// The digests that let a refresh skip work (src/ingest/unchanged.ts): the last stored document of
// a source, and the raw item each upstream entry was made from (entries.ingest_digest).

/** The digest of the document the last stored refresh of `sourceId` read; null when none is kept. */
export async function storedDocumentDigest(db: D1Database, sourceId: number): Promise<string | null> {
  const row = await db.prepare('SELECT digest FROM source_documents WHERE source_id = ?1').bind(sourceId).first<{ digest: string }>();
  return row?.digest ?? null;
}

/** Keeps `digest` as the source's last stored document: written in the batch that stores its items. */
export function documentDigestStatement(db: D1Database, sourceId: number, digest: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO source_documents (source_id, digest, stored_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (source_id) DO UPDATE SET digest = excluded.digest, stored_at = excluded.stored_at`,
    )
    .bind(sourceId, digest, now);
}

/** Forgets the source's last document, so that its next refresh reads the upstream's items whatever it sends. */
export function forgetDocumentStatement(db: D1Database, sourceId: number): D1PreparedStatement {
  return db.prepare('DELETE FROM source_documents WHERE source_id = ?1').bind(sourceId);
}

/** Sets the ingest digest of each entry id of `digests` (one statement, whatever their number). */
export function ingestDigestStatement(db: D1Database, sourceId: number, digests: [id: string, digest: string][]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE entries SET ingest_digest = d.value ->> 1
         FROM json_each(?2) AS d
       WHERE entries.id = d.value ->> 0 AND entries.source_id = ?1`,
    )
    .bind(sourceId, JSON.stringify(digests));
}
