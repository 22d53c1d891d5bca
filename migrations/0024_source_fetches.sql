-- The history of each source's refreshes (src/db/sources.ts, recordFetchStatements): one row per
-- recorded outcome, written in the same batch as the source's own record, the newest 100 kept per
-- source. The console's source page lists them, newest first.
CREATE TABLE source_fetches (
  id            INTEGER PRIMARY KEY,
  source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  at            INTEGER NOT NULL,        -- ms
  outcome       TEXT NOT NULL,           -- ok, not_modified, gone, error
  status        INTEGER,                 -- HTTP status; null: no answer
  error_kind    TEXT,
  message       TEXT,                    -- the error, for a failure
  warnings      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
  items_new     INTEGER,                 -- null: nothing was read (304, failure)
  items_updated INTEGER,
  duration_ms   INTEGER
);
CREATE INDEX source_fetches_source ON source_fetches (source_id, at DESC, id DESC);
