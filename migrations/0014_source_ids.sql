-- A source's id is never given to another source: readers of /sources/<id>/feed.xml keep the feed
-- they subscribed to, or learn that it is gone. Without AUTOINCREMENT, SQLite gives a new row the
-- largest id plus one, so deleting the newest source handed its id to the next one added. SQLite
-- cannot add AUTOINCREMENT to a table: the table is rebuilt, with every row and id kept.

-- Deleted sources: their feeds and page answer 410 Gone (src/moves/serve-moves.ts).
CREATE TABLE deleted_sources (
  id         INTEGER PRIMARY KEY,  -- the source's id
  name       TEXT NOT NULL,        -- its name as its feeds gave it
  url        TEXT,                 -- its upstream; NULL for sources deleted before this migration
  site_url   TEXT,                 -- the upstream's home page, if known
  deleted_at INTEGER NOT NULL      -- ms
);
-- Those deleted before: every source's feed has a version row (view 'source:<id>'), left behind
-- when the source went; its last change is the deletion.
INSERT INTO deleted_sources (id, name, deleted_at)
SELECT CAST(substr(view, 8) AS INTEGER), 'Source ' || substr(view, 8), changed_at FROM view_versions
WHERE view GLOB 'source:[1-9]*' AND substr(view, 8) NOT GLOB '*[^0-9]*' AND length(view) <= 22
  AND CAST(substr(view, 8) AS INTEGER) NOT IN (SELECT id FROM sources);

-- Dropping a table deletes its rows first, and foreign keys cascade that to the rows that point
-- to them (D1 enforces foreign keys): those are set aside while the table is rebuilt.
CREATE TABLE source_tags_kept AS SELECT * FROM source_tags;
CREATE TABLE article_fetches_kept AS SELECT * FROM article_fetches;
DELETE FROM source_tags;
DELETE FROM article_fetches;

CREATE TABLE sources_rebuilt (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused (see above)
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
  updated_at           INTEGER NOT NULL,
  lease_until          INTEGER,                   -- migration 0005
  kind                 TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'page')), -- 0007
  rules                TEXT CHECK (rules IS NULL OR json_valid(rules)),
  full_text            INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1)), -- 0008
  gone_since           INTEGER,                   -- 0011
  site                 INTEGER NOT NULL DEFAULT 0 CHECK (site IN (0, 1)) -- 0012
);
INSERT INTO sources_rebuilt (id, url, title_override, title, site_url, state, paused_reason, etag, last_modified,
  last_fetched_at, last_outcome, last_status, last_error_kind, last_error, last_warnings, consecutive_failures,
  next_due_at, item_count, created_at, updated_at, lease_until, kind, rules, full_text, gone_since, site)
SELECT id, url, title_override, title, site_url, state, paused_reason, etag, last_modified,
  last_fetched_at, last_outcome, last_status, last_error_kind, last_error, last_warnings, consecutive_failures,
  next_due_at, item_count, created_at, updated_at, lease_until, kind, rules, full_text, gone_since, site
FROM sources;
-- New ids start above every deleted one too: a row with the largest deleted id, inserted and
-- deleted, moves AUTOINCREMENT's counter past it.
INSERT INTO sources_rebuilt (id, url, created_at, updated_at)
SELECT max(id), 'deleted:' || max(id), 0, 0 FROM deleted_sources
HAVING max(id) > (SELECT coalesce(max(id), 0) FROM sources_rebuilt);
DELETE FROM sources_rebuilt WHERE id IN (SELECT id FROM deleted_sources);

DROP TABLE sources;
ALTER TABLE sources_rebuilt RENAME TO sources;
CREATE INDEX sources_due ON sources (state, next_due_at);
CREATE INDEX sources_site ON sources (id) WHERE site = 1;
CREATE TRIGGER sources_gone_since AFTER UPDATE OF state ON sources WHEN NEW.state IS NOT OLD.state BEGIN
  UPDATE sources SET gone_since = CASE WHEN NEW.state = 'gone' THEN NEW.updated_at END WHERE id = NEW.id;
END;

INSERT INTO source_tags SELECT * FROM source_tags_kept;
INSERT INTO article_fetches SELECT * FROM article_fetches_kept;
DROP TABLE source_tags_kept;
DROP TABLE article_fetches_kept;
