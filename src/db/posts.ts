import { ConflictError } from '../domain/conflict-error';
import type { SearchQuery } from '../domain/search-query';
import { searchCondition } from './search';
import { viewsTouchedBy } from '../views/registry';
import type { Enclosure, Entry, EntryStatus, EntryWrite } from '../domain/entry';
import { slugify, slugKey } from '../domain/slug';
import { claimSlugs } from './slugs';
import { findPostBy } from './entries';
import { entryStatements } from './entry-writer';
import { ConstraintError, guarded } from './constraint-error';
import { bumpStatements } from './versions';

/** A post as the admin API writes it: everything but the id and the update time. */
export type PostInput = {
  title: string;
  slug: string | null;
  summary: string;
  contentHtml: string;
  authors: { name: string; email?: string; url?: string }[];
  tags: string[];
  status: EntryStatus;
  publishedAt: number;
  enclosures: Enclosure[];
  image: string | null;
  /** BCP 47, canonical; null: the site's language. */
  language: string | null;
  /**
   * The Markdown `contentHtml` was rendered from (kept for editing it again); null: the content
   * was written as HTML; absent: whatever was kept stays (an edit that leaves the content alone).
   */
  markdown?: string | null;
};

export class SlugTakenError extends ConflictError {
  constructor(readonly slug: string) {
    super('slug', 'is taken by another post', `The slug "${slug}" is taken by another post.`);
  }
}

/**
 * The version key of a post's own page (`/posts/:slug`): bumped by every write to the post, so its
 * Last-Modified grows like a view's. Not a view: no feed, no hub ping.
 */
export const postKey = (id: string): string => POST_KEY_PREFIX + id;
const POST_KEY_PREFIX = 'post:';

/** What a post page's validators are made of: the visible post at a slug, as one point lookup. */
export type PostStamp = {
  id: string;
  slug: string;
  updatedAt: number;
  publishedAt: number;
  /** The post's stored Last-Modified, whole seconds (postKey); null before its first bump. */
  lastModified: number | null;
  /** A visible post does not change by itself: only a write moves its stamp. */
  upcoming: null;
};

/** The stamp of the own post visible at `slug` at `now`; null when none is. */
export async function postStamp(db: D1Database, slug: string, now: number): Promise<PostStamp | null> {
  const row = await db
    .prepare(
      `SELECT e.id AS id, e.slug AS slug, e.updated_at AS updated_at, e.published_at AS published_at, v.last_modified AS last_modified
       FROM entries e LEFT JOIN view_versions v ON v.view = ?3 || e.id
       WHERE e.source_id IS NULL AND e.slug = ?1 AND e.visible_at <= ?2`,
    )
    .bind(slug, now, POST_KEY_PREFIX)
    .first<{ id: string; slug: string; updated_at: number; published_at: number; last_modified: number | null }>();
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    lastModified: row.last_modified,
    upcoming: null,
  };
}

/** Views a post shows in: the site, each of its tags and each of its authors. */
function viewsOf(post: { tags: { slug: string }[]; authors: { slug: string }[] }): string[] {
  return viewsTouchedBy({ kind: 'post', tags: post.tags.map((t) => t.slug), authors: post.authors.map((a) => a.slug) });
}

async function slugOwner(db: D1Database, slug: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT id FROM entries WHERE source_id IS NULL AND slug = ?1
       UNION ALL SELECT entry_id FROM slug_redirects WHERE slug = ?1 LIMIT 1`,
    )
    .bind(slug)
    .first<{ id: string }>();
  return row?.id ?? null;
}

/**
 * The requested slug, if no other post has it or had it (409 otherwise). The check is repeated by
 * the unique index when the post is written: of concurrent requests for one slug, one wins and
 * the others get SlugTakenError.
 */
async function checkSlug(db: D1Database, slug: string, selfId: string | null): Promise<string> {
  const owner = await slugOwner(db, slug);
  if (owner !== null && owner !== selfId) throw new SlugTakenError(slug);
  return slug;
}

/** The slug a write asks for: a given one, or the first free one derived from the title. */
type SlugChoice = { given: string } | { fromTitle: string };

/**
 * The statements that write a post (through the one entry writer), and the views it will show in.
 * Tags and authors get the slugs of their names (src/db/slugs.ts); names that are one tag are
 * kept once. The API refuses names without a key, so every name has a slug.
 */
async function writeStatements(db: D1Database, id: string, slug: SlugChoice, input: PostInput, now: number) {
  const [tagSlugs, authorSlugs] = await Promise.all([
    claimSlugs(db, 'tag', input.tags, now),
    claimSlugs(
      db,
      'author',
      input.authors.map((a) => a.name),
      now,
    ),
  ]);
  const tags = dedupeBy(
    input.tags.map((name) => ({ slug: tagSlugs.get(slugKey(name)) ?? 'tag', name })),
    (t) => t.slug,
  );
  const authors = input.authors.map((a) => ({ ...a, slug: authorSlugs.get(slugKey(a.name)) ?? 'author' }));
  const write: EntryWrite = {
    id,
    sourceId: null,
    itemKey: null,
    slug: 'given' in slug ? slug.given : null,
    title: input.title,
    summary: input.summary,
    contentHtml: input.contentHtml,
    url: null,
    canonicalUrl: null,
    image: input.image,
    enclosures: input.enclosures,
    language: input.language,
    status: input.status,
    publishedAt: input.publishedAt,
    updatedAt: now,
    contentHash: null,
    authors,
    tags,
  };
  const statements = [...entryStatements(db, [write], 'fromTitle' in slug ? slug.fromTitle : null), ...markdownStatements(db, id, input)];
  return { statements, views: viewsOf({ tags, authors }) };
}

/** Keeps the post's Markdown source with it, drops it when the content is HTML, or leaves it. */
function markdownStatements(db: D1Database, id: string, input: PostInput): D1PreparedStatement[] {
  if (input.markdown === undefined) return [];
  if (input.markdown === null) return [db.prepare('DELETE FROM post_markdown WHERE entry_id = ?1').bind(id)];
  return [db.prepare('INSERT OR REPLACE INTO post_markdown (entry_id, markdown) VALUES (?1, ?2)').bind(id, input.markdown)];
}

type WriteResult = { post: Entry; changedViews: string[] };

/** Creates a post with a new permanent id; bumps the views it shows in. */
export async function createPost(db: D1Database, input: PostInput, now: number): Promise<WriteResult> {
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const slug: SlugChoice = input.slug ? { given: await checkSlug(db, input.slug, null) } : { fromTitle: slugify(input.title) || 'post' };
  const { statements, views } = await writeStatements(db, id, slug, input, now);
  const post = await commit(db, id, [...statements, ...bumpStatements(db, [...views, postKey(id)], now)], input.slug);
  return { post, changedViews: [...new Set(views)] };
}

/** Replaces a post's fields, keeping its id; a changed slug leaves a redirect behind. */
export async function updatePost(db: D1Database, before: Entry, input: PostInput, now: number): Promise<WriteResult> {
  // The API always sends a slug for an update (the stored one unless the body names another).
  const newSlug = await checkSlug(db, input.slug ?? before.slug ?? slugify(input.title), before.id);
  const { statements, views } = await writeStatements(db, before.id, { given: newSlug }, input, now);
  // A re-tag changes the old tags' views as well as the new ones'.
  const changedViews = [...new Set([...viewsOf(before), ...views])];
  if (before.slug && before.slug !== newSlug) {
    statements.push(
      db.prepare('DELETE FROM slug_redirects WHERE slug = ?1').bind(newSlug),
      db.prepare('INSERT OR REPLACE INTO slug_redirects (slug, entry_id) VALUES (?1, ?2)').bind(before.slug, before.id),
    );
  }
  const post = await commit(db, before.id, [...statements, ...bumpStatements(db, [...changedViews, postKey(before.id)], now)], newSlug);
  return { post, changedViews };
}

/** Deletes a post: gone from every view, its page answers 410. */
export async function deletePost(db: D1Database, post: Entry, now: number): Promise<string[]> {
  const changedViews = viewsOf(post);
  await guarded(() =>
    db.batch([
      db
        .prepare('INSERT OR REPLACE INTO deleted_posts (id, slug, deleted_at, title) VALUES (?1, ?2, ?3, ?4)')
        .bind(post.id, post.slug, now, post.title),
      // Its former slugs answered 301 to it; from now on they answer 410 like its last one.
      db
        .prepare(
          `INSERT OR REPLACE INTO deleted_slugs (slug, entry_id, deleted_at)
           SELECT ?2, ?1, ?3 UNION ALL SELECT slug, entry_id, ?3 FROM slug_redirects WHERE entry_id = ?1`,
        )
        .bind(post.id, post.slug, now),
      db.prepare('DELETE FROM entries WHERE id = ?1').bind(post.id),
      db.prepare('DELETE FROM view_versions WHERE view = ?1').bind(postKey(post.id)),
      ...bumpStatements(db, changedViews, now),
    ]),
  );
  return [...new Set(changedViews)];
}

/**
 * Runs the statements as one transaction (a D1 batch), then reads the post back. A given slug
 * that another post took in the meantime is a SlugTakenError; any other violated constraint a
 * ConstraintError.
 */
async function commit(db: D1Database, id: string, statements: D1PreparedStatement[], givenSlug: string | null): Promise<Entry> {
  try {
    await guarded(() => db.batch(statements));
  } catch (error) {
    if (givenSlug !== null && error instanceof ConstraintError && error.kind === 'unique' && error.columns.includes('entries.slug')) {
      throw new SlugTakenError(givenSlug);
    }
    throw error;
  }
  const post = await findPostBy(db, 'id', id);
  if (!post) throw new Error(`post ${id} vanished after writing it`);
  return post;
}

/**
 * Which own posts to list. `status` is the stored one (a published post with a future date is
 * published); `due` narrows published posts to those live at `now` or still scheduled.
 */
export type PostFilter = {
  status?: EntryStatus;
  due?: { now: number; live: boolean };
  /** A tag's or an author's slug. */
  tag?: string;
  author?: string;
  /** Words the title contains (case-insensitive for ASCII letters, as SQLite's LIKE). */
  title?: string;
  /** A search of the posts' text, titles, authors and tags (src/db/search.ts, as /search runs it). */
  text?: SearchQuery;
  limit: number;
  offset: number;
};

/** `%`, `_` and the escape character itself, escaped for a LIKE pattern with ESCAPE '\\'. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Own posts of any status, newest first, for the admin API and the console. */
export async function listPostIds(db: D1Database, filter: PostFilter): Promise<{ ids: string[]; total: number }> {
  const where = ['e.source_id IS NULL'];
  const binds: unknown[] = [];
  const bind = (value: unknown) => `?${binds.push(value)}`;
  if (filter.status) where.push(`e.status = ${bind(filter.status)}`);
  if (filter.due) where.push(`e.status = 'published' AND e.published_at ${filter.due.live ? '<=' : '>'} ${bind(filter.due.now)}`);
  if (filter.tag) where.push(`e.id IN (SELECT entry_id FROM entry_tags WHERE slug = ${bind(filter.tag)})`);
  if (filter.author) where.push(`e.id IN (SELECT entry_id FROM entry_authors WHERE slug = ${bind(filter.author)})`);
  if (filter.title) where.push(`e.title LIKE ${bind(`%${likeEscaped(filter.title)}%`)} ESCAPE '\\'`);
  if (filter.text) where.push(`EXISTS (SELECT 1 FROM search_docs d WHERE d.entry_id = e.id AND ${searchCondition(filter.text, bind).sql})`);
  const sql = `FROM entries e WHERE ${where.join(' AND ')}`;
  const [rows, count] = await db.batch([
    db.prepare(`SELECT e.id ${sql} ORDER BY e.published_at DESC, e.id DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`).bind(...binds),
    db.prepare(`SELECT count(*) AS n ${sql}`).bind(...binds),
  ]);
  return {
    ids: (rows!.results as { id: string }[]).map((r) => r.id),
    total: (count!.results[0] as { n: number }).n,
  };
}

/** A deleted own post as the console lists it; `title` is null for posts deleted before titles were kept. */
export type DeletedPost = { id: string; slug: string; title: string | null; deletedAt: number };

/** Deleted own posts, most recently deleted first; `title` filters as in listPostIds. */
export async function listDeletedPosts(
  db: D1Database,
  filter: { title?: string; limit: number; offset: number },
): Promise<{ posts: DeletedPost[]; total: number }> {
  const where = filter.title ? `WHERE coalesce(title, slug) LIKE ?1 ESCAPE '\\'` : '';
  const binds = filter.title ? [`%${likeEscaped(filter.title)}%`] : [];
  const [rows, count] = await db.batch([
    db
      .prepare(
        `SELECT id, slug, title, deleted_at FROM deleted_posts ${where}
         ORDER BY deleted_at DESC, id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      )
      .bind(...binds),
    db.prepare(`SELECT count(*) AS n FROM deleted_posts ${where}`).bind(...binds),
  ]);
  return {
    posts: (rows!.results as { id: string; slug: string; title: string | null; deleted_at: number }[]).map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      deletedAt: r.deleted_at,
    })),
    total: (count!.results[0] as { n: number }).n,
  };
}

/** The Markdown a post was written in; null when it was written as HTML. */
export async function postMarkdown(db: D1Database, id: string): Promise<string | null> {
  const row = await db.prepare('SELECT markdown FROM post_markdown WHERE entry_id = ?1').bind(id).first<{ markdown: string }>();
  return row?.markdown ?? null;
}

/** A post's former slugs (each answers 301 to its current one), in no particular order. */
export async function formerSlugs(db: D1Database, id: string): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT slug FROM slug_redirects WHERE entry_id = ?1 ORDER BY slug')
    .bind(id)
    .all<{ slug: string }>();
  return results.map((r) => r.slug);
}

/** Where an unknown slug went: a redirect to the post's current slug, or a deleted post. */
export async function slugHistory(db: D1Database, slug: string): Promise<{ redirectTo: string | null; deleted: boolean }> {
  const [redirect, deleted] = await db.batch([
    db
      .prepare(
        `SELECT e.slug FROM slug_redirects r JOIN entries e ON e.id = r.entry_id
         WHERE r.slug = ?1 AND e.status = 'published'`,
      )
      .bind(slug),
    db.prepare('SELECT 1 AS gone FROM deleted_slugs WHERE slug = ?1').bind(slug),
  ]);
  return {
    redirectTo: (redirect!.results[0] as { slug: string } | undefined)?.slug ?? null,
    deleted: deleted!.results.length > 0,
  };
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** How many own posts are in each state at `now`, and how many were deleted. */
export async function postCounts(
  db: D1Database,
  now: number,
): Promise<{ published: number; scheduled: number; draft: number; deleted: number }> {
  const row = await db
    .prepare(
      `SELECT coalesce(sum(status = 'published' AND published_at <= ?1), 0) AS published,
              coalesce(sum(status = 'published' AND published_at > ?1), 0) AS scheduled,
              coalesce(sum(status = 'draft'), 0) AS draft,
              (SELECT count(*) FROM deleted_posts) AS deleted
       FROM entries WHERE source_id IS NULL`,
    )
    .bind(now)
    .first<{ published: number; scheduled: number; draft: number; deleted: number }>();
  return row ?? { published: 0, scheduled: 0, draft: 0, deleted: 0 };
}

/** Every tag and author of own posts of any status (the console's filters), by name. */
export async function postFacets(
  db: D1Database,
): Promise<{ tags: { slug: string; name: string }[]; authors: { slug: string; name: string }[] }> {
  const query = (table: string) =>
    db.prepare(`SELECT slug, min(name) AS name FROM ${table} WHERE source_id IS NULL GROUP BY slug ORDER BY name COLLATE NOCASE, slug`);
  const [tags, authors] = await db.batch<{ slug: string; name: string }>([query('entry_tags'), query('entry_authors')]);
  return { tags: tags!.results, authors: authors!.results };
}
