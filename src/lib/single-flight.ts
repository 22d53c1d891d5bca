// Work that concurrent requests in one isolate would repeat (reading a robots.txt, rendering a
// feed, reading the moves table) is done by one of them, without handing that request's promise
// to the others. workerd ties a promise's I/O to the request that started it: a request that
// awaits only another request's work has nothing of its own pending, and the runtime cancels it
// as hung (a 500), or leaves it waiting when the other request is cancelled first. So the first
// request does the work and keeps the result where the others look (a cache, a field); the others
// look again on their own timers, and do the work themselves if it has not appeared in time.
// Written by hand: the single-flight helpers on npm share one promise, which is exactly what must
// not happen here.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type FlightOptions = {
  /** How often a waiting request looks for the result (ms). */
  pollMs: number;
  /** How long a request waits for another's work before doing it itself (ms). */
  waitMs: number;
};

export class Flights {
  /** The work in flight per key: a token of the request doing it, and when it started. */
  private readonly inFlight = new Map<string, { since: number }>();

  constructor(private readonly options: FlightOptions) {}

  /**
   * `find()` when it answers; else waits (polling `find`) while another request does the work for
   * `key`, up to `waitMs`; else runs `work`, which must leave its result where `find` looks.
   */
  async run<T>(key: string, find: () => T | undefined, work: () => Promise<T>): Promise<T> {
    const found = find();
    if (found !== undefined) return found;
    const other = this.inFlight.get(key);
    if (other) {
      const until = other.since + this.options.waitMs;
      while (this.inFlight.get(key) === other && Date.now() < until) {
        await sleep(this.options.pollMs);
        const arrived = find();
        if (arrived !== undefined) return arrived;
      }
      const arrived = find();
      if (arrived !== undefined) return arrived;
    }
    const mine = { since: Date.now() };
    this.inFlight.set(key, mine);
    try {
      return await work();
    } finally {
      if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
    }
  }
}
