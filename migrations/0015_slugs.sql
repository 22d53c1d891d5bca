-- The address of every tag and author name (src/db/slugs.ts). A name's identity is its key
-- (src/domain/slug.ts: slugKey; Łódź and Lodz are two names); its slug is slugify(key), or that
-- with a suffix when another key had it first. A slug once given is never given to another key:
-- a tag whose slug had to change keeps its former one here (former = 1), and that address
-- answers 301 (a move) to the current one. Tags of posts and of sources share kind 'tag'.
CREATE TABLE slugs (
  kind       TEXT NOT NULL CHECK (kind IN ('tag', 'author')),
  slug       TEXT NOT NULL,
  key        TEXT NOT NULL,
  former     INTEGER NOT NULL DEFAULT 0 CHECK (former IN (0, 1)),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, slug)
) WITHOUT ROWID;
CREATE UNIQUE INDEX slugs_key ON slugs (kind, key) WHERE former = 0;
