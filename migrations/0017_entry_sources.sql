-- The feed an upstream item says it came from (RSS <source url>, Atom <source>), as JSON
-- {"title", "feedUrl", "siteUrl", "id"}: our RSS and Atom output credit it rather than the feed we
-- read the item from (RFC 4287 §4.2.11: a source already present is kept). NULL: none given.
ALTER TABLE entries ADD COLUMN upstream_source TEXT CHECK (upstream_source IS NULL OR json_valid(upstream_source));
