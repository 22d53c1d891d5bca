-- Last-Modified of each view, in whole seconds since the epoch (HTTP dates have no finer unit).
-- Every bump of a view sets it to max(the second after the write, the previous value + 1), so it
-- grows with every version of the view, even for several writes within one second, and a reader
-- revalidating with If-Modified-Since alone never gets a 304 for content it has not seen.
-- See src/http/conditional.ts for how it combines with scheduled posts going live.
ALTER TABLE view_versions ADD COLUMN last_modified INTEGER NOT NULL DEFAULT 0;
UPDATE view_versions SET last_modified = changed_at / 1000 + 1;
