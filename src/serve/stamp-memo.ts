import type { ViewStamp } from '../db/entries';

// The version stamps this isolate read lately, so that a poll of an unchanged feed needs no
// database at all (the freshness contract is in docs/operations.md, "Freshness and caching").
//
// A stamp read at time t is reused until t + FEED_FRESHNESS, and never past the view's next
// scheduled post (its `upcoming`): a post that goes live by its clock moves the stamp with no
// write, and then the next read asks D1 again. A write made in this isolate forgets every stamp
// at once (`forgetStamps`), so the writer sees it on its next read; other isolates see it within
// the window. Stamps live per `env` object, which is one per isolate (tests use two to stand
// for two isolates), and only in memory: nothing is shared, so nothing can be shared stale.
//
// A held stamp only ever answers "unchanged": src/serve/serve-view.ts asks D1 again before it
// renders (an ETag never names two bodies) and whenever a reader's validators are not exactly the
// held version's (it may hold a newer one: never a 304 for content older than what it holds).

type Held = { stamp: ViewStamp; readAt: number; until: number; renewing: boolean };
type Stamps = { views: Map<string, Held>; epoch: number };

/** Views held per isolate: a few hundred bytes each; past this the oldest are dropped. */
const MAX_HELD = 5000;

const byEnv = new WeakMap<object, Stamps>();

function stampsOf(env: object): Stamps {
  let stamps = byEnv.get(env);
  if (!stamps) {
    stamps = { views: new Map(), epoch: 0 };
    byEnv.set(env, stamps);
  }
  return stamps;
}

/** The stamp of `key` read within the window and still valid at `now`; null: ask D1. */
export function heldStamp(env: object, key: string, now: number): ViewStamp | null {
  const held = stampsOf(env).views.get(key);
  return held && now < held.until ? held.stamp : null;
}

/**
 * Marks the start of a read of stamps from D1; pass the token to `holdStamp`. A write that
 * finishes in this isolate meanwhile (its `forgetStamps` call) voids the token, so a stamp read
 * before that write is never kept after it.
 */
export const startRead = (env: object): number => stampsOf(env).epoch;

/**
 * Keeps a stamp read from D1 at `readAt` (the time the read started) for `windowMs`, or until its
 * view's next scheduled post, whichever comes first.
 */
export function holdStamp(env: object, key: string, stamp: ViewStamp, readAt: number, windowMs: number, token: number): void {
  const stamps = stampsOf(env);
  if (windowMs <= 0 || token !== stamps.epoch) return;
  const until = Math.min(readAt + windowMs, stamp.upcoming ?? Number.POSITIVE_INFINITY);
  stamps.views.delete(key);
  if (stamps.views.size >= MAX_HELD) stamps.views.delete(stamps.views.keys().next().value!);
  stamps.views.set(key, { stamp, readAt, until, renewing: false });
}

/**
 * True once per held stamp, when a request finds it past half its window: the caller reads it
 * again in the background, so that a feed polled steadily never has a reader wait for D1 (the
 * bound is unchanged: the new stamp is held from the time it is read).
 */
export function renewDue(env: object, key: string, now: number): boolean {
  const held = stampsOf(env).views.get(key);
  if (!held || held.renewing || now >= held.until || now - held.readAt < (held.until - held.readAt) / 2) return false;
  held.renewing = true;
  return true;
}

/** After a write in this isolate (once it is committed): every stamp is read again from D1. */
export function forgetStamps(env: object): void {
  const stamps = stampsOf(env);
  stamps.epoch++;
  stamps.views.clear();
}
