-- An upstream category's own term, when the name shown is its label (Atom <category term label>):
-- the term is what identifies the category upstream, and what Atom output writes as `term`.
-- NULL: the name is the term (own tags, RSS and JSON Feed categories, Atom ones without a label).
ALTER TABLE entry_tags ADD COLUMN term TEXT;
