-- One entry model: the site's own posts (source_id IS NULL) and, later, items of upstream
-- feeds (source_id set) are rows of the same table, rendered by the same code.
CREATE TABLE entries (
  -- Stable public id (RSS guid, Atom id, JSON Feed id). Own posts get urn:uuid:… at creation;
  -- it never changes, whatever happens to the title or slug.
  id           TEXT PRIMARY KEY,
  source_id    INTEGER,                       -- NULL: own post; otherwise the upstream source
  slug         TEXT,                          -- own posts: the page is /posts/<slug>
  title        TEXT NOT NULL,
  summary      TEXT NOT NULL DEFAULT '',      -- HTML
  content_html TEXT NOT NULL DEFAULT '',      -- HTML (trusted for own posts, sanitized for upstream)
  url          TEXT,                          -- upstream permalink; NULL for own posts (derived from slug)
  image        TEXT,
  enclosures   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(enclosures)),  -- [{url,type,length}]
  status       TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
  published_at INTEGER NOT NULL,              -- ms since the epoch, UTC
  updated_at   INTEGER NOT NULL,
  -- When the entry appears in views: published_at for published entries, NULL for drafts.
  -- Views select visible_at <= now, so a post scheduled in the future appears by itself.
  visible_at   INTEGER GENERATED ALWAYS AS (CASE WHEN status = 'published' THEN published_at END) STORED
);
CREATE UNIQUE INDEX entries_own_slug ON entries (slug) WHERE source_id IS NULL;
CREATE INDEX entries_by_source_visible ON entries (source_id, visible_at, id);

-- Tags and authors are both display data and selection keys for views. source_id and
-- visible_at are copies kept by the triggers below, so a tag or author view reads one index
-- range in order instead of joining and sorting.
CREATE TABLE entry_tags (
  entry_id   TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  slug       TEXT NOT NULL,
  name       TEXT NOT NULL,
  position   INTEGER NOT NULL,
  source_id  INTEGER,
  visible_at INTEGER,
  PRIMARY KEY (entry_id, slug)
);
CREATE INDEX entry_tags_view ON entry_tags (slug, source_id, visible_at, entry_id);

CREATE TABLE entry_authors (
  entry_id   TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  slug       TEXT NOT NULL,
  name       TEXT NOT NULL,
  email      TEXT,
  url        TEXT,
  source_id  INTEGER,
  visible_at INTEGER,
  PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_authors_view ON entry_authors (slug, source_id, visible_at, entry_id);

CREATE TRIGGER entry_tags_copy AFTER INSERT ON entry_tags BEGIN
  UPDATE entry_tags SET (source_id, visible_at) = (SELECT source_id, visible_at FROM entries WHERE id = NEW.entry_id)
  WHERE entry_id = NEW.entry_id AND slug = NEW.slug;
END;
CREATE TRIGGER entry_authors_copy AFTER INSERT ON entry_authors BEGIN
  UPDATE entry_authors SET (source_id, visible_at) = (SELECT source_id, visible_at FROM entries WHERE id = NEW.entry_id)
  WHERE entry_id = NEW.entry_id AND position = NEW.position;
END;
CREATE TRIGGER entries_visibility AFTER UPDATE OF status, published_at ON entries BEGIN
  UPDATE entry_tags SET visible_at = NEW.visible_at WHERE entry_id = NEW.id;
  UPDATE entry_authors SET visible_at = NEW.visible_at WHERE entry_id = NEW.id;
END;

-- A counter per view ('site', 'tag:<slug>', 'author:<slug>'), bumped by every write that
-- changes what the view shows. With the newest visible_at it forms the view's version stamp:
-- the ETag, and the key of its cached renders.
CREATE TABLE view_versions (
  view       TEXT PRIMARY KEY,
  version    INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);
