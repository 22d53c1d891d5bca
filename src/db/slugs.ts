// The address of every tag and author name: its key (slugKey) to its slug, stored in `slugs`.
// A key gets slugify(key) when no other key has it, else that slug with a suffix made from a hash
// of the key (the same key always gets the same candidates, in the same order). A slug once given
// stays with its key for good, also when it is a former one (former = 1), so an address never
// starts to mean another name. Tags of posts and of sources share one namespace ('tag').
//
// Names written before keys existed kept the slug of the old rule (Latin letters beyond a-z
// dropped: Łódź at /tags/odz/). adoptSlugs gives each of them its key and slug once, rewrites
// their rows, and leaves a move (301, src/moves/) from each old address that no name keeps to the
// new one.

import { slugify, slugKey } from '../domain/slug';
import { Flights } from '../lib/single-flight';
import { FEED_FILES } from '../views/urls';
import { viewKey, viewPath } from '../views/registry';
import { MAX_MOVES, MOVES_KEY } from './moves';
import { bumpAllStatement } from './versions';

export type SlugKind = 'tag' | 'author';

/** The cron mark set once every stored name has its key (adoptSlugs). */
const ADOPTED = 'slugs-adopted';

/**
 * The slugs a key may get, in order of preference: its own slug, then with ever longer suffixes
 * of its SHA-256 (so a second name with a taken slug gets a short, stable one: lodz-3f9a2c).
 */
async function candidates(kind: SlugKind, key: string): Promise<string[]> {
  const base = slugify(key);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${kind}\n${key}`)));
  const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  const stem = base || kind;
  return [...(base ? [base] : []), `${stem}-${hex.slice(0, 6)}`, `${stem}-${hex.slice(0, 12)}`, `${stem}-${hex}`];
}

/** Gives each key (in order) its first candidate not in `taken`, and marks it taken. */
async function plan(kind: SlugKind, keys: string[], taken: Set<string>): Promise<Map<string, string>> {
  const given = new Map<string, string>();
  for (const key of keys) {
    const slug = (await candidates(kind, key)).find((s) => !taken.has(s));
    if (slug === undefined) throw new Error(`no free slug for the ${kind} key ${JSON.stringify(key)}`);
    taken.add(slug);
    given.set(key, slug);
  }
  return given;
}

async function currentSlugs(db: D1Database, kind: SlugKind, keys: string[]): Promise<Map<string, string>> {
  const { results } = await db
    .prepare(`SELECT key, slug FROM slugs WHERE kind = ?1 AND former = 0 AND key IN (SELECT value FROM json_each(?2))`)
    .bind(kind, JSON.stringify(keys))
    .all<{ key: string; slug: string }>();
  return new Map(results.map((r) => [r.key, r.slug]));
}

const insertSlugs = (db: D1Database, kind: SlugKind, rows: { slug: string; key: string; former: 0 | 1 }[], now: number) =>
  db
    .prepare(
      `INSERT INTO slugs (kind, slug, key, former, created_at)
       SELECT ?1, value ->> '$.slug', value ->> '$.key', value ->> '$.former', ?3 FROM json_each(?2) WHERE true
       ON CONFLICT DO NOTHING`,
    )
    .bind(kind, JSON.stringify(rows), now);

/**
 * The slug of each name (by its key; names without a key are left out), giving new keys theirs.
 * Concurrent writers that want one slug for two keys: one insert wins, the other finds its key
 * without a slug and tries its next candidate.
 */
export async function claimSlugs(db: D1Database, kind: SlugKind, names: string[], now: number): Promise<Map<string, string>> {
  const keys = [...new Set(names.map(slugKey).filter(Boolean))];
  for (let attempt = 0; attempt < 5; attempt++) {
    const known = await currentSlugs(db, kind, keys);
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length === 0) return known;
    const wanted = (await Promise.all(missing.map((k) => candidates(kind, k)))).flat();
    const { results } = await db
      .prepare(`SELECT slug FROM slugs WHERE kind = ?1 AND slug IN (SELECT value FROM json_each(?2))`)
      .bind(kind, JSON.stringify(wanted))
      .all<{ slug: string }>();
    const given = await plan(kind, missing, new Set(results.map((r) => r.slug)));
    await insertSlugs(
      db,
      kind,
      [...given].map(([key, slug]) => ({ key, slug, former: 0 })),
      now,
    ).run();
  }
  throw new Error(`could not give ${kind} slugs to ${JSON.stringify(keys)}: too many concurrent claims`);
}

/** Per isolate: the databases whose names adoptSlugs has given their slugs. */
const adopted = new WeakSet<D1Database>();
/** Per database, one adoption at a time (lib/single-flight.ts: a request never awaits another's). */
const adoptions = new WeakMap<D1Database, Flights>();

/**
 * adoptSlugs, once per isolate (the admin API's writes wait for it, so that no new name claims
 * a slug an old name still holds; the cron runs it too). Answers the moves made by this call: a
 * request that waited for another's adoption made none.
 */
export function adoptSlugsOnce(db: D1Database, siteUrl: string, now: number): Promise<SlugMove[]> {
  const done = () => (adopted.has(db) ? [] : undefined);
  let flights = adoptions.get(db);
  if (!flights) {
    flights = new Flights({ pollMs: 10, waitMs: 20_000 });
    adoptions.set(db, flights);
  }
  return flights.run('slugs', done, async () => {
    const moves = await adoptSlugs(db, siteUrl, now);
    adopted.add(db);
    return moves;
  });
}

type StoredName = { kind: SlugKind; slug: string; name: string; n: number };

/** A stored name whose slug changes: its rows move from `from` to `to`. */
type Rename = { kind: SlugKind; from: string; name: string; to: string };

/** A former address that now answers 301 to the slug its most used name got. */
export type SlugMove = { kind: SlugKind; from: string; to: string; key: string };

/**
 * Gives every stored tag and author name of the site (own posts' and sources' tags, own posts'
 * authors) its key and slug, once (then sets a cron mark): names that keep their slug claim it
 * first, then the most used. Rows whose slug changes are rewritten; an old slug that no name keeps
 * becomes a former slug of the name that used it most, and its page and feeds answer 301 to the
 * new ones (moves, while fewer than MAX_MOVES exist). One batch: all of it or nothing. Answers the
 * moves made.
 */
export async function adoptSlugs(db: D1Database, siteUrl: string, now: number): Promise<SlugMove[]> {
  if (await db.prepare('SELECT 1 FROM cron_marks WHERE name = ?1').bind(ADOPTED).first()) return [];
  const [stored, mapped, site] = await db.batch([
    db.prepare(
      `SELECT 'tag' AS kind, slug, name, count(*) AS n FROM entry_tags WHERE source_id IS NULL GROUP BY slug, name
       UNION ALL SELECT 'tag', slug, name, count(*) FROM source_tags GROUP BY slug, name
       UNION ALL SELECT 'author', slug, name, count(*) FROM entry_authors WHERE source_id IS NULL GROUP BY slug, name`,
    ),
    db.prepare('SELECT kind, slug, key, former FROM slugs'),
    db.prepare(`SELECT count(*) AS moves FROM moves`),
  ]);
  const names = stored!.results as StoredName[];
  const table = mapped!.results as { kind: SlugKind; slug: string; key: string; former: number }[];
  let room = MAX_MOVES - (site!.results[0] as { moves: number }).moves;

  const renames: Rename[] = [];
  const moves: SlugMove[] = [];
  const newRows = new Map<SlugKind, { slug: string; key: string; former: 0 | 1 }[]>();
  for (const kind of ['tag', 'author'] as const) {
    const ofKind = names.filter((r) => r.kind === kind && slugKey(r.name) !== '');
    const byKey = new Map<string, { uses: number; olds: Set<string> }>();
    for (const r of ofKind) {
      const key = slugKey(r.name);
      const entry = byKey.get(key) ?? { uses: 0, olds: new Set<string>() };
      entry.uses += r.n;
      entry.olds.add(r.slug);
      byKey.set(key, entry);
    }
    const current = new Map(table.filter((t) => t.kind === kind && t.former === 0).map((t) => [t.key, t.slug]));
    const keeps = (key: string) => byKey.get(key)!.olds.has(slugify(key));
    const unmapped = [...byKey.keys()]
      .filter((k) => !current.has(k))
      .sort((a, b) => Number(keeps(b)) - Number(keeps(a)) || byKey.get(b)!.uses - byKey.get(a)!.uses || (a < b ? -1 : 1));
    const taken = new Set(table.filter((t) => t.kind === kind).map((t) => t.slug));
    const given = await plan(kind, unmapped, taken);
    for (const [key, slug] of given) current.set(key, slug);
    const rows: { slug: string; key: string; former: 0 | 1 }[] = [...given].map(([key, slug]) => ({ key, slug, former: 0 }));

    // Old slugs and the names that used them: who moves where.
    const owned = new Set(current.values());
    const leaving = new Map<string, { to: string; key: string; uses: number }>();
    for (const r of ofKind) {
      const key = slugKey(r.name);
      const to = current.get(key)!;
      if (to === r.slug) continue;
      renames.push({ kind, from: r.slug, name: r.name, to });
      const best = leaving.get(r.slug);
      if (!owned.has(r.slug) && (!best || r.n > best.uses)) leaving.set(r.slug, { to, key, uses: r.n });
    }
    for (const [from, { to, key }] of leaving) {
      if (taken.has(from)) continue;
      rows.push({ key, slug: from, former: 1 });
      if (room >= 4) {
        moves.push({ kind, from, to, key });
        room -= 4;
      }
    }
    newRows.set(kind, rows);
  }

  const view = (kind: SlugKind, slug: string) => ({ kind, slug }) as const;
  const moveRows = moves.flatMap(({ kind, from, to }) => [
    { from: viewPath(view(kind, from)), to: viewPath(view(kind, to)), view: null, format: null },
    ...Object.entries(FEED_FILES).map(([format, file]) => ({
      from: viewPath(view(kind, from)) + file,
      to: viewPath(view(kind, to)) + file,
      view: viewKey(view(kind, to)),
      format,
    })),
  ]);
  const changed = renames.flatMap(({ kind, from, to }) => [
    viewKey(view(kind, from)),
    viewKey(view(kind, to)),
    ...(kind === 'tag' ? [viewKey({ kind: 'planet', tag: from }), viewKey({ kind: 'planet', tag: to })] : []),
  ]);
  const renamed = (kind: SlugKind) => JSON.stringify(renames.filter((r) => r.kind === kind));
  await db.batch([
    ...(['tag', 'author'] as const).map((kind) => insertSlugs(db, kind, newRows.get(kind)!, now)),
    db
      .prepare(
        `UPDATE entry_tags SET slug = m.value ->> '$.to' FROM json_each(?1) m
         WHERE entry_tags.source_id IS NULL AND entry_tags.slug = m.value ->> '$.from' AND entry_tags.name = m.value ->> '$.name'`,
      )
      .bind(renamed('tag')),
    db
      .prepare(
        `UPDATE source_tags SET slug = m.value ->> '$.to' FROM json_each(?1) m
         WHERE source_tags.slug = m.value ->> '$.from' AND source_tags.name = m.value ->> '$.name'`,
      )
      .bind(renamed('tag')),
    db
      .prepare(
        `UPDATE entry_authors SET slug = m.value ->> '$.to' FROM json_each(?1) m
         WHERE entry_authors.source_id IS NULL AND entry_authors.slug = m.value ->> '$.from' AND entry_authors.name = m.value ->> '$.name'`,
      )
      .bind(renamed('author')),
    db
      .prepare(
        `INSERT INTO moves (from_path, to_url, gone, to_view, to_format, created_at)
         SELECT value ->> '$.from', ?2 || (value ->> '$.to'), 0, value ->> '$.view', value ->> '$.format', ?3 FROM json_each(?1) WHERE true
         ON CONFLICT (from_path) DO NOTHING`,
      )
      .bind(JSON.stringify(moveRows), siteUrl, now),
    ...(changed.length ? [bumpAllStatement(db, [...changed, ...(moveRows.length ? [MOVES_KEY] : [])], now)] : []),
    db.prepare('INSERT INTO cron_marks (name, at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING').bind(ADOPTED, now),
  ]);
  return moves;
}
