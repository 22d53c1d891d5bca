-- Full-text search over own posts and upstream items (docs/search.md).
--
-- search_docs holds what is searched of each entry as plain text: its title, the text of its
-- summary and content (HTML stripped by src/lib/html-text.ts), its authors' and its tags' names.
-- entry_search is an FTS5 index over it (external content: the text is stored once, in
-- search_docs, and snippet() reads it from there). The trigram tokenizer finds any substring of 3
-- characters or more, so words of scripts written without spaces (Japanese, Chinese) are found
-- inside a sentence; shorter terms are matched by src/db/search.ts without the index.
--
-- Kept in step by triggers, so no write can miss it: search_docs' own triggers keep the index;
-- the entries triggers create, rename and remove documents. The one writer of entries
-- (src/db/entry-writer.ts) writes each document whole, text and all, just before its entry
-- (`fresh` = 1). A row inserted any other way (the demo seed, plain SQL) gets a document from what
-- SQL can see, its HTML as it is (`fresh` = 0), which the cron rewrites as text
-- (src/db/search.ts refreshStaleSearchDocs); until then its tags and authors follow by trigger.
CREATE TABLE search_docs (
  rowid    INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  title    TEXT NOT NULL,
  body     TEXT NOT NULL,
  authors  TEXT NOT NULL DEFAULT '',
  tags     TEXT NOT NULL DEFAULT '',
  fresh    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX search_docs_stale ON search_docs (fresh) WHERE fresh = 0;

CREATE VIRTUAL TABLE entry_search USING fts5 (
  title, body, authors, tags,
  content = 'search_docs', content_rowid = 'rowid',
  tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
  INSERT INTO entry_search (rowid, title, body, authors, tags) VALUES (NEW.rowid, NEW.title, NEW.body, NEW.authors, NEW.tags);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
  INSERT INTO entry_search (entry_search, rowid, title, body, authors, tags)
  VALUES ('delete', OLD.rowid, OLD.title, OLD.body, OLD.authors, OLD.tags);
END;
-- Only a change of text reindexes (a document written again with the same text costs nothing).
CREATE TRIGGER search_docs_update AFTER UPDATE OF title, body, authors, tags ON search_docs
WHEN OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body OR OLD.authors IS NOT NEW.authors OR OLD.tags IS NOT NEW.tags
BEGIN
  INSERT INTO entry_search (entry_search, rowid, title, body, authors, tags)
  VALUES ('delete', OLD.rowid, OLD.title, OLD.body, OLD.authors, OLD.tags);
  INSERT INTO entry_search (rowid, title, body, authors, tags) VALUES (NEW.rowid, NEW.title, NEW.body, NEW.authors, NEW.tags);
END;

-- An entry without a document (written by plain SQL) gets one from its columns. The writer's
-- document, written first, stays (OR IGNORE).
CREATE TRIGGER entries_search_insert AFTER INSERT ON entries BEGIN
  INSERT OR IGNORE INTO search_docs (entry_id, title, body, fresh)
  VALUES (NEW.id, NEW.title, trim(NEW.summary || ' ' || NEW.content_html), 0);
END;
CREATE TRIGGER entries_search_title AFTER UPDATE OF title ON entries BEGIN
  UPDATE search_docs SET title = NEW.title WHERE entry_id = NEW.id;
END;
CREATE TRIGGER entries_search_content AFTER UPDATE OF summary, content_html ON entries BEGIN
  UPDATE search_docs SET body = trim(NEW.summary || ' ' || NEW.content_html), fresh = 0 WHERE entry_id = NEW.id AND fresh = 0;
END;
-- Deletions of every kind: a post deleted, retention trimming a source, a source removed.
CREATE TRIGGER entries_search_delete AFTER DELETE ON entries BEGIN
  DELETE FROM search_docs WHERE entry_id = OLD.id;
END;
-- Documents not written by the writer follow their tags and authors (the writer's carry them).
CREATE TRIGGER entry_tags_search AFTER INSERT ON entry_tags BEGIN
  UPDATE search_docs SET tags = (SELECT coalesce(group_concat(name, ' '), '') FROM (
    SELECT name FROM entry_tags WHERE entry_id = NEW.entry_id ORDER BY position))
  WHERE entry_id = NEW.entry_id AND fresh = 0;
END;
CREATE TRIGGER entry_authors_search AFTER INSERT ON entry_authors BEGIN
  UPDATE search_docs SET authors = (SELECT coalesce(group_concat(name, ' '), '') FROM (
    SELECT name FROM entry_authors WHERE entry_id = NEW.entry_id ORDER BY position))
  WHERE entry_id = NEW.entry_id AND fresh = 0;
END;

-- What is already stored: a document for each entry (its HTML rewritten as text by the cron).
INSERT INTO search_docs (entry_id, title, body, authors, tags, fresh)
SELECT e.id, e.title, trim(e.summary || ' ' || e.content_html),
  (SELECT coalesce(group_concat(name, ' '), '') FROM (SELECT name FROM entry_authors WHERE entry_id = e.id ORDER BY position)),
  (SELECT coalesce(group_concat(name, ' '), '') FROM (SELECT name FROM entry_tags WHERE entry_id = e.id ORDER BY position)),
  0
FROM entries e;
