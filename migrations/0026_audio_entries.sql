-- Whether a view is a podcast (src/db/history.ts, viewCarriesAudio) asks if any entry of its
-- whole history has an audio enclosure; without an index that reads every entry's enclosures on
-- each render of an RSS feed, and most publications have none. The entries whose enclosures
-- name an audio type, indexed alone: for a publication without audio the question reads nothing.
-- Enclosures are stored minified (json's `->`), so a type is written "type":"audio/….
CREATE INDEX entries_audio ON entries (id) WHERE instr(enclosures, '"audio/') > 0;
