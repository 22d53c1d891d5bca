import type { MiddlewareHandler } from 'hono';
import { siteConfig } from '../config';
import { goneSources, listMoves } from '../db/moves';
import type { AppEnv } from '../http/app-env';
import { escapeHtml } from '../html/text';
import { FEED_FILES, viewPath } from '../views/urls';
import { type Farewell, goneResponse } from './farewell';
import { isAdminPath, SOURCE_GONE_GRACE_MS } from './rules';

/**
 * How long an isolate answers from its copy of the moves before reading them again. A move
 * written in this isolate shows at once (forgetMoves); other isolates see it within this time.
 * Reading the moves on every request would double the cost of a cached feed read (one D1 query).
 */
export const MOVES_MEMO_MS = 10_000;

type Rule = { kind: 'moved'; to: string; from: number } | ({ kind: 'gone'; from: number } & Farewell);
type Table = { rules: Map<string, Rule>; loadedAt: number };

const memo = new WeakMap<D1Database, Promise<Table>>();

/** Every moved or gone path: the moves, and the own feeds and page of each source gone for good. */
async function loadTable(env: Env, now: number): Promise<Table> {
  const config = siteConfig(env);
  const [moves, gone] = await Promise.all([listMoves(env.DB), goneSources(env.DB)]);
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
    rules.set(
      move.from,
      move.gone
        ? {
            kind: 'gone',
            from: move.createdAt,
            title: config.title,
            to: move.to,
            since: move.createdAt,
            reasonHtml: 'This feed is no longer updated.',
          }
        : { kind: 'moved', to: move.to!, from: move.createdAt },
    );
  }
  return { rules, loadedAt: now };
}

/** The table this isolate read last, once it has arrived: a request that finds it fresh needs no await. */
const current = new WeakMap<D1Database, Table>();

function load(env: Env, now: number): Promise<Table> {
  const loading = loadTable(env, now);
  memo.set(env.DB, loading);
  loading.then(
    (table) => {
      if (memo.get(env.DB) === loading) current.set(env.DB, table);
    },
    () => {},
  );
  return loading;
}

/**
 * The moves as this isolate knows them: read again when older than MOVES_MEMO_MS (the request
 * waits), and in the background once past half of it, so that a steadily read isolate never waits.
 */
function movesTable(env: Env, now: number, ctx: () => Pick<ExecutionContext, 'waitUntil'> | null): Table | Promise<Table> {
  const table = current.get(env.DB);
  if (table && memo.has(env.DB) && now - table.loadedAt < MOVES_MEMO_MS) {
    if (now - table.loadedAt >= MOVES_MEMO_MS / 2 && !renewing.has(env.DB)) {
      const background = ctx();
      if (background) {
        renewing.add(env.DB);
        background.waitUntil(
          load(env, now)
            .catch(() => {})
            .finally(() => renewing.delete(env.DB)),
        );
      }
    }
    return table;
  }
  return reload(env, now);
}

async function reload(env: Env, now: number): Promise<Table> {
  const known = memo.get(env.DB);
  if (known) {
    const loaded = await known.catch(() => null);
    if (loaded && now - loaded.loadedAt < MOVES_MEMO_MS) return loaded;
  }
  return load(env, now);
}

const renewing = new WeakSet<D1Database>();

/** Makes this isolate read the moves again on the next request (after a write to them). */
export function forgetMoves(db: D1Database): void {
  memo.delete(db);
  current.delete(db);
}

/**
 * Moved paths answer `301` with an absolute Location; gone paths `410` with a final item
 * (goneResponse). A source whose upstream answered 410 serves its items for
 * SOURCE_GONE_GRACE_DAYS, then its own feeds and page are gone too. Everything else, and the
 * admin paths always, goes on to the routes. If the moves cannot be read, requests are served
 * as if nothing had moved (and the failure is logged).
 */
export function servedMoves(): MiddlewareHandler<AppEnv> {
  return async function servedMoves(c, next) {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || isAdminPath(c.req.path)) return next();
    const now = Date.now();
    // No execution context (a direct app.request): nothing is read in the background.
    const ctx = () => {
      try {
        return c.executionCtx;
      } catch {
        return null;
      }
    };
    let rules: Map<string, Rule>;
    try {
      const table = movesTable(c.env, now, ctx);
      rules = (table instanceof Promise ? await table : table).rules;
    } catch (error) {
      console.error('moves could not be read; serving as if nothing moved', error);
      forgetMoves(c.env.DB);
      return next();
    }
    // Most sites have moved nothing: then no request needs its path parsed.
    if (rules.size === 0) return next();
    const path = new URL(c.req.url).pathname;
    const rule = rules.get(path);
    if (!rule || rule.from > now) return next();
    if (rule.kind === 'moved') {
      return new Response(null, { status: 301, headers: { location: rule.to, 'cache-control': 'public, max-age=86400' } });
    }
    return goneResponse(siteConfig(c.env), path, rule);
  };
}
