-- Fetching article pages politely (page sources, and feed sources with full_text): what the list
-- page (or the feed) said about each post when its article was last fetched, and the article
-- page's validators, so that an article is fetched again only when its list entry changes (with a
-- conditional GET) or on request. queued_until marks a post whose article waits in the refresh
-- queue: no refresh fetches it before then (if the message is lost, the next refresh after it does).
CREATE TABLE article_fetches (
  source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  item_key      TEXT NOT NULL,        -- entries.item_key of the post (a page source's: the post URL)
  fingerprint   TEXT,                 -- hash of what the list (or feed) said when the article was fetched
  etag          TEXT,                 -- the article page's validators, sent back as a conditional GET
  last_modified TEXT,
  fetched_at    INTEGER,              -- ms; NULL: not fetched yet (only queued)
  queued_until  INTEGER,              -- ms; set while the article waits in the queue
  PRIMARY KEY (source_id, item_key)
);

-- Feed sources only: fetch the linked page of an item whose feed carries only a summary, and
-- store the article read from it as the item's content.
ALTER TABLE sources ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1));

-- Page sources stored their list page's validators before; from now on a refresh stores them only
-- when it left no post over, so the first refresh after this migration reads every list in full.
UPDATE sources SET etag = NULL, last_modified = NULL WHERE kind = 'page';
