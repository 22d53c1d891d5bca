// At most PER_HOST_CONCURRENCY requests to one host at a time, and a host's Crawl-delay between
// the starts of its requests, for everything this isolate fetches from web pages (list pages,
// robots.txt, articles). Written by hand: a semaphore per host with a start clock is a few lines,
// and the limiter libraries on npm are built for Node timers and process-wide pools.

import { PER_HOST_CONCURRENCY } from '../limits';

type Slot = { active: number; waiting: (() => void)[]; nextStart: number };
const slots = new Map<string, Slot>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` once the host has a free slot and, with a crawl delay, once `spacingMs` has passed
 * since the previous start. Answers null without running it when it could not start before
 * `deadline` (null: no deadline).
 */
export async function withHost<T>(host: string, spacingMs: number, deadline: number | null, run: () => Promise<T>): Promise<T | null> {
  let slot = slots.get(host);
  if (!slot) {
    slot = { active: 0, waiting: [], nextStart: 0 };
    slots.set(host, slot);
  }
  while (slot.active >= PER_HOST_CONCURRENCY) await new Promise<void>((resolve) => slot.waiting.push(resolve));
  slot.active++;
  try {
    const now = Date.now();
    const start = Math.max(now, slot.nextStart);
    if (deadline !== null && start > deadline) return null;
    if (spacingMs > 0) slot.nextStart = start + spacingMs;
    if (start > now) await sleep(start - now);
    return await run();
  } finally {
    slot.active--;
    slot.waiting.shift()?.();
    if (slot.active === 0 && slot.waiting.length === 0 && slot.nextStart <= Date.now()) slots.delete(host);
  }
}
