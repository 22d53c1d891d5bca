-- The language of each entry (a BCP 47 tag such as `en` or `de-AT`): an own post's from the admin
-- API, an upstream item's from the item or its feed (or a page source's article). NULL: unknown,
-- the feed's language applies. Rendered as Atom xml:lang, RSS dc:language, JSON Feed language.
ALTER TABLE entries ADD COLUMN lang TEXT;
