-- What the console needs to edit a post as it was written and to list what was deleted.
--
-- The Markdown a post was written in (content_markdown in the admin API, the console's editor):
-- entries.content_html holds what it renders to, which is what every feed and page shows; this
-- keeps the source so that the editor opens the post in Markdown again. A post written as HTML
-- has no row. The row goes with its post.
CREATE TABLE post_markdown (
  entry_id TEXT PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
  markdown TEXT NOT NULL
) WITHOUT ROWID;

-- A deleted post's title, for the console's list of deleted posts (NULL for those deleted before).
ALTER TABLE deleted_posts ADD COLUMN title TEXT;
