-- Page sources: a feed made from a site's own web pages (a list page and its article pages)
-- instead of a feed document. `rules` is the publisher's ListRules as JSON (src/extract/list-rules.ts),
-- or NULL to let the extraction find the list by itself.
ALTER TABLE sources ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'page'));
ALTER TABLE sources ADD COLUMN rules TEXT CHECK (rules IS NULL OR json_valid(rules));
