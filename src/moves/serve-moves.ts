import type { MiddlewareHandler } from 'hono';
import { type SiteConfig, siteConfig } from '../config';
import { viewName } from '../db/entries';
import { deletedSources, goneSources, listMoves } from '../db/moves';
import type { AppEnv } from '../http/app-env';
import { backgroundOf } from '../http/background';
import { escapeHtml } from '../html/text';
import { Flights } from '../lib/single-flight';
import { definitionOf, type View, viewFromPath } from '../views/registry';
import { FEED_FILES, feedAt, viewPath } from '../views/urls';
import { type Farewell, goneResponse, wantsPage } from './farewell';
import { carryQuery, isAdminPath, matchedPath, SOURCE_GONE_GRACE_MS } from './rules';

/**
 * How long an isolate answers from its copy of the moves before reading them again. A move
 * written in this isolate shows at once (forgetMoves); other isolates see it within this time.
 * Reading the moves on every request would double the cost of a cached feed read (one D1 query).
 */
export const MOVES_MEMO_MS = 10_000;

/** A gone path that was one of our views' feeds or pages (`view`) says that view's title, read when first served. */
type GoneRule = { kind: 'gone'; from: number; view?: View; viewTitle?: string } & Farewell;
type Rule = { kind: 'moved'; to: string; from: number } | GoneRule;
/** `rules` by path; `deleted` by source id: every path under /sources/<id>/ of a deleted source. */
type Table = { rules: Map<string, Rule>; deleted: Map<number, Rule>; loadedAt: number };

/** The id of a source's feeds and page (`/sources/<id>/…`, archive pages too), if the path is one. */
const SOURCE_PATH = /^\/sources\/([1-9]\d{0,15})(?:\/|$)/;

/**
 * Every moved or gone path: the moves, the own feeds and page of each source gone for good, and
 * everything under the path of each source the publisher deleted.
 */
async function loadTable(env: Env, now: number): Promise<Table> {
  const config = siteConfig(env);
  const [moves, gone, removed] = await Promise.all([listMoves(env.DB), goneSources(env.DB), deletedSources(env.DB)]);
  const deleted = new Map<number, Rule>();
  for (const source of removed) {
    const named = source.url ? `, <a href="${escapeHtml(source.url)}">${escapeHtml(source.name)}</a>,` : '';
    const reasonHtml = `The feed this was made from${named} was removed from this site on ${new Date(source.deletedAt).toISOString().slice(0, 10)}.`;
    deleted.set(source.id, {
      kind: 'gone',
      from: source.deletedAt,
      title: source.name,
      to: source.siteUrl,
      reasonHtml,
      since: source.deletedAt,
    });
  }
  const rules = new Map<string, Rule>();
  for (const source of gone) {
    const dir = viewPath({ kind: 'source', id: source.id });
    const from = source.goneSince + SOURCE_GONE_GRACE_MS;
    const reasonHtml = `The feed this was made from, <a href="${escapeHtml(source.url)}">${escapeHtml(source.name)}</a>, was removed by its publisher (it answered 410 Gone on ${new Date(source.goneSince).toISOString().slice(0, 10)}).`;
    const farewell = { title: source.name, to: source.siteUrl, reasonHtml, since: from };
    for (const path of [dir, ...Object.values(FEED_FILES).map((file) => dir + file)]) rules.set(path, { kind: 'gone', from, ...farewell });
  }
  // A publisher's own move of a path wins over a retired source's.
  for (const move of moves) {
    const path = matchedPath(move.from);
    rules.set(
      path,
      move.gone
        ? {
            kind: 'gone',
            from: move.createdAt,
            title: config.title,
            to: move.to,
            since: move.createdAt,
            reasonHtml: 'This feed is no longer updated.',
            view: retiredView(config, path),
          }
        : { kind: 'moved', to: move.to!, from: move.createdAt },
    );
  }
  return { rules, deleted, loadedAt: now };
}

/** The view whose feed or page `path` is (any query aside), if it is one of ours. */
function retiredView(config: SiteConfig, path: string): View | undefined {
  const feed = feedAt(config, config.url + path);
  if (feed) return feed.view;
  return path.endsWith('/') ? (viewFromPath(path, new URLSearchParams()) ?? undefined) : undefined;
}

/**
 * What a gone path tells its readers: a retired feed of ours keeps its own title (read on its
 * first 410 and kept on the rule as a value: the rules are shared by every request of the isolate,
 * and a request must never await another's read, see lib/single-flight.ts); any other path (a
 * former platform's feed) says the site's.
 */
async function farewellOf(env: Env, rule: GoneRule): Promise<Farewell> {
  const { view } = rule;
  if (!view) return rule;
  if (rule.viewTitle === undefined) {
    try {
      rule.viewTitle = definitionOf(view).describe(siteConfig(env), view, await viewName(env.DB, view)).title;
    } catch {
      return rule;
    }
  }
  return { ...rule, title: rule.viewTitle };
}

/**
 * What this isolate holds of the moves: the table it read last (once it has arrived: a request
 * that finds it fresh needs no await) and the read in flight, if any.
 */
type Held = { table: Table | null; loading: Promise<Table> | null; reads: Flights };
const held = new WeakMap<D1Database, Held>();

function load(env: Env, now: number, state: Held): Promise<Table> {
  const loading = loadTable(env, now);
  state.loading = loading;
  const settled = (table: Table | null) => {
    if (state.loading !== loading) return;
    if (table) state.table = table;
    state.loading = null;
  };
  loading.then(settled, () => settled(null));
  return loading;
}

/**
 * The moves as this isolate knows them: read again when older than MOVES_MEMO_MS (the request
 * waits), and in the background once past half of it, so that a steadily read isolate never waits.
 */
function movesTable(env: Env, now: number, background: () => Pick<ExecutionContext, 'waitUntil'> | null): Table | Promise<Table> {
  let state = held.get(env.DB);
  if (!state) {
    state = { table: null, loading: null, reads: new Flights({ pollMs: 5, waitMs: 2_000 }) };
    held.set(env.DB, state);
  }
  const { table } = state;
  if (table && now - table.loadedAt < MOVES_MEMO_MS) {
    if (now - table.loadedAt >= MOVES_MEMO_MS / 2 && !state.loading) {
      background()?.waitUntil(load(env, now, state).catch(() => {}));
    }
    return table;
  }
  return awaitTable(env, now, state);
}

/**
 * The table another request of this isolate is reading, once it has arrived (looked for on this
 * request's own timer: never its promise, see lib/single-flight.ts), else a read of our own.
 */
function awaitTable(env: Env, now: number, state: Held): Promise<Table> {
  const fresh = () => (state.table && now - state.table.loadedAt < MOVES_MEMO_MS ? state.table : undefined);
  return state.reads.run('moves', fresh, () => load(env, now, state));
}

/** Makes this isolate read the moves again on the next request (after a write to them). */
export function forgetMoves(db: D1Database): void {
  held.delete(db);
}

/**
 * Moved paths answer `301` with an absolute Location; gone paths `410` with a final item
 * (goneResponse). A source whose upstream answered 410 serves its items for
 * SOURCE_GONE_GRACE_DAYS, then its own feeds and page are gone too; a deleted source's are gone
 * at once (its id is never given to another source). Everything else, and the
 * admin paths always, goes on to the routes. If the moves cannot be read, requests are served
 * as if nothing had moved (and the failure is logged).
 */
export function servedMoves(): MiddlewareHandler<AppEnv> {
  return async function servedMoves(c, next) {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || isAdminPath(c.req.path)) return next();
    const now = Date.now();
    let moved: Table;
    try {
      const table = movesTable(c.env, now, () => backgroundOf(c));
      moved = table instanceof Promise ? await table : table;
    } catch (error) {
      console.error('moves could not be read; serving as if nothing moved', error);
      forgetMoves(c.env.DB);
      return next();
    }
    // Most sites have moved nothing: then no request needs its path parsed.
    if (moved.rules.size === 0 && moved.deleted.size === 0) return next();
    const url = new URL(c.req.url);
    const path = matchedPath(url.pathname);
    const source = SOURCE_PATH.exec(path)?.[1];
    const rule = moved.rules.get(path) ?? (source ? moved.deleted.get(Number(source)) : undefined);
    if (!rule || rule.from > now) return next();
    if (rule.kind === 'moved') {
      const location = carryQuery(rule.to, url.search);
      return new Response(null, { status: 301, headers: { location, 'cache-control': 'public, max-age=86400' } });
    }
    return goneResponse(siteConfig(c.env), path, url.search, await farewellOf(c.env, rule), wantsPage(c.req.raw.headers));
  };
}
