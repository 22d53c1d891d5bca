-- A source whose posts are the site's own too (`site` = 1): the publisher's own web pages, read by
-- a page source, make the site's main feeds (/feed.xml, /atom.xml, /feed.json) and home page,
-- beside the posts written through the API. A site has few such sources: the site view reads
-- each one's newest entries by its (source_id, visible_at, id) index and merges them.
ALTER TABLE sources ADD COLUMN site INTEGER NOT NULL DEFAULT 0 CHECK (site IN (0, 1));
CREATE INDEX sources_site ON sources (id) WHERE site = 1;
