-- Filter rules (docs/filters.md). A source's rules decide which of its items are served at all; a
-- view's rules (the site, a planet, a tag's planet) decide which items that view shows. Blocked
-- items stay stored, marked with the rule that blocked them, so that a change of rules re-admits
-- them without a refetch.
-- A table of its own rather than a column of sources: a source without rules has no row.
CREATE TABLE source_filters (
  source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  filters   TEXT NOT NULL CHECK (json_valid(filters))
);
-- The source rule that blocked the item ('filters.<n>', or 'filters.keep' when no keep rule
-- matched); NULL: served. Every view skips a blocked item.
ALTER TABLE entries ADD COLUMN blocked_by TEXT;
-- A view's own rules, by view key ('site', 'planet', 'planet-tag:<slug>').
CREATE TABLE view_filters (
  view       TEXT PRIMARY KEY,
  filters    TEXT NOT NULL CHECK (json_valid(filters)),
  updated_at INTEGER NOT NULL
);
-- Items a view's rules block in that view only, and the rule; the view's selection skips them.
CREATE TABLE entry_view_blocks (
  view     TEXT NOT NULL,
  entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  reason   TEXT NOT NULL,
  PRIMARY KEY (view, entry_id)
);
CREATE INDEX entry_view_blocks_entry ON entry_view_blocks (entry_id);
