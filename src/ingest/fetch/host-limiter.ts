// At most PER_HOST_CONCURRENCY requests to one host at a time, and a host's Crawl-delay between
// the starts of its requests, for everything this isolate fetches from web pages (list pages,
// robots.txt, articles). Written by hand: a semaphore per host with a start clock is a few lines,
// and the limiter libraries on npm are built for Node timers and process-wide pools.
//
// A request waiting for a slot looks again on its own timer (every WAIT_STEP_MS) instead of
// waiting on a promise the request leaving the slot would resolve: workerd cancels a request
// whose only pending work belongs to another request as hung, and the slots are shared by every
// request of the isolate.

import { PER_HOST_CONCURRENCY } from '../limits';

type Slot = { active: number; nextStart: number };
const slots = new Map<string, Slot>();

/** How often a request waiting for a host's slot looks again (ms). */
const WAIT_STEP_MS = 10;

/** What the limiter reads the time from and waits on. */
export type LimiterClock = { now: () => number; sleep: (ms: number) => Promise<void> };

const systemClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
let clock = systemClock;

/**
 * Replaces the clock the limiter waits on (null: the system clock). A test passes one whose sleep
 * moves its own time forward, so that a Crawl-delay is checked without being waited out.
 */
export function setLimiterClock(next: LimiterClock | null): void {
  clock = next ?? systemClock;
}

function slotOf(host: string): Slot {
  let slot = slots.get(host);
  if (!slot) {
    slot = { active: 0, nextStart: 0 };
    slots.set(host, slot);
  }
  return slot;
}

/**
 * Runs `run` once the host has a free slot and, with a crawl delay, once `spacingMs` has passed
 * since the previous start. Answers null without running it when it could not start before
 * `deadline` (null: no deadline).
 */
export async function withHost<T>(host: string, spacingMs: number, deadline: number | null, run: () => Promise<T>): Promise<T | null> {
  let slot = slotOf(host);
  while (slot.active >= PER_HOST_CONCURRENCY) {
    if (deadline !== null && clock.now() > deadline) return null;
    await clock.sleep(WAIT_STEP_MS);
    slot = slotOf(host);
  }
  slot.active++;
  try {
    const now = clock.now();
    const start = Math.max(now, slot.nextStart);
    if (deadline !== null && start > deadline) return null;
    if (spacingMs > 0) slot.nextStart = start + spacingMs;
    if (start > now) await clock.sleep(start - now);
    return await run();
  } finally {
    slot.active--;
    if (slot.active === 0 && slot.nextStart <= clock.now() && slots.get(host) === slot) slots.delete(host);
  }
}
