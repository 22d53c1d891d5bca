// The version stamps this isolate read lately, so that a poll of an unchanged feed or page needs
// no database at all (the freshness contract is in docs/operations.md, "Freshness and caching"). A stamp is whatever
// a representation's validators are made of (a view's version and newest entry, a post's update
// time, the sources' health): src/serve/serve.ts answers from it.
//
// A stamp read at time t is reused until t + FEED_FRESHNESS, and never past its `upcoming` time
// (a view's next scheduled post): a post that goes live by its clock moves the stamp with no
// write, and then the next read asks D1 again. A write made in this isolate forgets every stamp
// at once (`forgetStamps`), so the writer sees it on its next read; other isolates see it within
// the window. Stamps live per `env` object, which is one per isolate (tests use two to stand
// for two isolates), and only in memory: nothing is shared, so nothing can be shared stale.
//
// A held stamp only ever answers "unchanged": src/serve/serve.ts asks D1 again before it
// renders (an ETag never names two bodies) and whenever a reader's validators are not exactly the
// held version's (it may hold a newer one: never a 304 for content older than what it holds).

/** What a stamp must say: the time it moves by itself (a scheduled post going live), or null. */
export type Stamp = { upcoming: number | null };

type Held = { stamp: Stamp; readAt: number; until: number; renewing: boolean };
type Stamps = { held: Map<string, Held>; epoch: number };

/** Stamps held per isolate: a few hundred bytes each; past this the oldest are dropped. */
const MAX_HELD = 5000;

const byEnv = new WeakMap<object, Stamps>();

function stampsOf(env: object): Stamps {
  let stamps = byEnv.get(env);
  if (!stamps) {
    stamps = { held: new Map(), epoch: 0 };
    byEnv.set(env, stamps);
  }
  return stamps;
}

/**
 * The stamp of `key` read within the window and still valid at `now`; null: ask D1. One key is
 * always held with one type of stamp (each caller keys its own).
 */
export function heldStamp<T extends Stamp>(env: object, key: string, now: number): T | null {
  const held = stampsOf(env).held.get(key);
  return held && now < held.until ? (held.stamp as T) : null;
}

/**
 * Marks the start of a read of stamps from D1; pass the token to `holdStamp`. A write that
 * finishes in this isolate meanwhile (its `forgetStamps` call) voids the token, so a stamp read
 * before that write is never kept after it.
 */
export const startRead = (env: object): number => stampsOf(env).epoch;

/**
 * Keeps a stamp read from D1 at `readAt` (the time the read started) for `windowMs`, or until its
 * `upcoming` time, whichever comes first.
 */
export function holdStamp(env: object, key: string, stamp: Stamp, readAt: number, windowMs: number, token: number): void {
  const stamps = stampsOf(env);
  if (windowMs <= 0 || token !== stamps.epoch) return;
  const until = Math.min(readAt + windowMs, stamp.upcoming ?? Number.POSITIVE_INFINITY);
  stamps.held.delete(key);
  if (stamps.held.size >= MAX_HELD) stamps.held.delete(stamps.held.keys().next().value!);
  stamps.held.set(key, { stamp, readAt, until, renewing: false });
}

/**
 * True once per held stamp, when a request finds it past half its window: the caller reads it
 * again in the background, so that a feed polled steadily never has a reader wait for D1 (the
 * bound is unchanged: the new stamp is held from the time it is read).
 */
export function renewDue(env: object, key: string, now: number): boolean {
  const held = stampsOf(env).held.get(key);
  if (!held || held.renewing || now >= held.until || now - held.readAt < (held.until - held.readAt) / 2) return false;
  held.renewing = true;
  return true;
}

/** After a write in this isolate (once it is committed): every stamp is read again from D1. */
export function forgetStamps(env: object): void {
  const stamps = stampsOf(env);
  stamps.epoch++;
  stamps.held.clear();
}
