-- Old slugs of own posts: /posts/<old> answers 301 to the post's current slug.
CREATE TABLE slug_redirects (
  slug     TEXT PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE
);
CREATE INDEX slug_redirects_entry ON slug_redirects (entry_id);

-- Deleted own posts: their pages answer 410 Gone instead of 404, and their ids are never reused.
CREATE TABLE deleted_posts (
  id         TEXT PRIMARY KEY,
  slug       TEXT NOT NULL,
  deleted_at INTEGER NOT NULL
);
CREATE INDEX deleted_posts_slug ON deleted_posts (slug);
