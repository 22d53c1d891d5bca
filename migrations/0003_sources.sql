-- Upstream feeds the aggregator subscribes to, with everything the refresh needs to be polite
-- (validators, backoff) and everything the publisher needs to see why a source is unhealthy.
CREATE TABLE sources (
  id                   INTEGER PRIMARY KEY,
  url                  TEXT NOT NULL UNIQUE,      -- current feed URL; a chain of 301/308 moves it
  title_override       TEXT,                      -- the publisher's name for the source, if any
  title                TEXT,                      -- the upstream feed's own title
  site_url             TEXT,                      -- the upstream's home page
  -- active: refreshed when due; paused: not refreshed (by the publisher, or after too many
  -- failures in a row: see paused_reason); gone: the upstream answered 410.
  state                TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'gone')),
  paused_reason        TEXT,
  etag                 TEXT,
  last_modified        TEXT,
  last_fetched_at      INTEGER,
  last_outcome         TEXT CHECK (last_outcome IN ('ok', 'not_modified', 'error', 'gone')),
  last_status          INTEGER,                   -- HTTP status of the last answer, if any
  last_error_kind      TEXT,
  last_error           TEXT,
  last_warnings        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(last_warnings)),
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_due_at          INTEGER NOT NULL DEFAULT 0, -- ms; also the lease while a refresh is queued
  item_count           INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX sources_due ON sources (state, next_due_at);

-- The publisher's tags on a source: /planet/feed.xml?tag=<slug> merges the sources with a tag.
CREATE TABLE source_tags (
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  slug      TEXT NOT NULL,
  name      TEXT NOT NULL,
  position  INTEGER NOT NULL,
  PRIMARY KEY (source_id, slug)
);
CREATE INDEX source_tags_slug ON source_tags (slug, source_id);

-- Upstream items are entries with source_id set. Their id is urn:uuid:<UUIDv5 of source and
-- item key>: stable across refreshes, unique across sources, valid in every format.
ALTER TABLE entries ADD COLUMN item_key TEXT;      -- the item's identity within its source
ALTER TABLE entries ADD COLUMN canonical_url TEXT; -- the item's own link, normalized: merged views dedupe on it
ALTER TABLE entries ADD COLUMN content_hash TEXT;  -- of everything stored: an unchanged item is not rewritten
-- Merged (planet) views read all upstream entries newest first: one index range.
CREATE INDEX entries_upstream_visible ON entries (visible_at, id) WHERE source_id IS NOT NULL;
