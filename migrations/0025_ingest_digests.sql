-- The cost of doing nothing (src/ingest/unchanged.ts): a refresh whose upstream sends the same
-- document again stops after hashing it, and an item whose raw fields are unchanged is not
-- normalized or sanitized again. Both digests include INGEST_VERSION, so a new parser or
-- sanitizer reads everything once more.

-- The SHA-256 of the last document a refresh of the source stored, written in the same batch.
CREATE TABLE source_documents (
  source_id  INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  digest     TEXT NOT NULL,
  stored_at  INTEGER NOT NULL  -- ms
);

-- The digest of the raw item an upstream entry was made from; null for own posts.
ALTER TABLE entries ADD COLUMN ingest_digest TEXT;
