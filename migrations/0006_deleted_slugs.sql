-- Every slug a deleted post had (its last one and the former ones that redirected to it): each
-- /posts/<slug> of a deleted post answers 410 Gone, not only the last one.
CREATE TABLE deleted_slugs (
  slug       TEXT PRIMARY KEY,
  entry_id   TEXT NOT NULL,
  deleted_at INTEGER NOT NULL
);
INSERT OR IGNORE INTO deleted_slugs (slug, entry_id, deleted_at) SELECT slug, id, deleted_at FROM deleted_posts;
