-- Subscriber counts (src/stats/): who read each feed on each UTC day. One row per feed, day and
-- client. A direct client is an HMAC of its address and User-Agent under that day's random key
-- (subscriber_keys; deleted once the day is over, so no row can be linked to an address or to
-- another day); count is 1. An aggregator that reports its subscribers in its User-Agent
-- ("42 subscribers") is one row per reader and feed-id, client 'reported:<reader>:<feed-id>',
-- holding the latest number it reported that day. Past days' direct rows are compacted into one
-- row per reader (client 'direct:<reader>', count = the distinct clients of that day).
CREATE TABLE feed_subscribers (
  feed    TEXT NOT NULL,    -- the feed's self URL without the site's origin: /feed.xml, /planet/feed.xml?tag=x
  day     INTEGER NOT NULL, -- UTC days since the epoch
  client  TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('direct', 'reported')),
  reader  TEXT NOT NULL,    -- the reader's name, from its User-Agent
  count   INTEGER NOT NULL CHECK (count >= 0),
  seen_at INTEGER NOT NULL, -- ms, the last request counted
  PRIMARY KEY (feed, day, client)
) WITHOUT ROWID;
CREATE INDEX feed_subscribers_day ON feed_subscribers (day, feed);

-- The random key of each UTC day's client hashes; only today's (and, briefly, yesterday's) exist.
CREATE TABLE subscriber_keys (
  day INTEGER PRIMARY KEY,
  key TEXT NOT NULL         -- 32 random bytes, base64
);

-- Moved and retired paths (POST /api/moves): the path answers 301 to to_url, or 410 with a final
-- item pointing to to_url (or the home page) when gone.
CREATE TABLE moves (
  id         INTEGER PRIMARY KEY,
  from_path  TEXT NOT NULL UNIQUE,  -- a path of this site, percent-encoded as URL parsing leaves it
  to_url     TEXT,                  -- absolute
  gone       INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
  -- When to_url is one of our own feeds: its view key and format, whose document then carries
  -- itunes:new-feed-url (src/render/rss.ts).
  to_view    TEXT,
  to_format  TEXT,
  created_at INTEGER NOT NULL,
  CHECK (gone = 1 OR to_url IS NOT NULL)
);
CREATE INDEX moves_to_view ON moves (to_view, to_format) WHERE to_view IS NOT NULL;

-- When a source went gone (its upstream answered 410): its own feeds answer 410 once a grace
-- period has passed since (src/moves/rules.ts). Kept by the trigger, whatever statement changes the state.
ALTER TABLE sources ADD COLUMN gone_since INTEGER;
UPDATE sources SET gone_since = coalesce(last_fetched_at, updated_at) WHERE state = 'gone';
CREATE TRIGGER sources_gone_since AFTER UPDATE OF state ON sources WHEN NEW.state IS NOT OLD.state BEGIN
  UPDATE sources SET gone_since = CASE WHEN NEW.state = 'gone' THEN NEW.updated_at END WHERE id = NEW.id;
END;

-- Marks of the cron's own progress. 'websub-scheduled': scheduled posts that went live up to this
-- time (ms) have been announced to the WebSub hub (src/publish/scheduled-posts.ts).
CREATE TABLE cron_marks (
  name TEXT PRIMARY KEY,
  at   INTEGER NOT NULL
);
INSERT INTO cron_marks (name, at) VALUES ('websub-scheduled', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
