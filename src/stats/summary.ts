import { DAY_MS } from './recorder';
import { MAX_REPORTED_PER_FEED, plausibleMax } from './user-agent';

type CountRow = { feed: string; day: number; kind: 'direct' | 'reported'; reader: string; subscribers: number };

export type ReaderCount = { name: string; kind: 'direct' | 'reported'; subscribers: number };
export type DayCount = { date: string; subscribers: number; direct: number; reported: number };
export type FeedStats = {
  /** The feed's self URL. */
  url: string;
  /** The latest estimate: the sum over `readers`, their reported part at most MAX_REPORTED_PER_FEED. */
  subscribers: number;
  /** The latest estimate per reader, largest first. */
  readers: ReaderCount[];
  /** One entry per UTC day, oldest first, the last one today (still counting). */
  daily: DayCount[];
};

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Per feed, the latest estimate split by reader and the daily series. A day's figure only grows
 * while the day lasts (clients that poll once a day show up when they poll), so the latest
 * estimate of each reader is the larger of today's and yesterday's figures.
 */
export function summarize(counted: CountRow[], siteUrl: string, today: number, days: number): FeedStats[] {
  // A reader's reported figure of a day (its feed-ids summed) is at most what it may claim
  // (plausibleMax), also for rows written before that bound; a feed's reported total is capped below.
  const rows = counted.map((r) => (r.kind === 'reported' ? { ...r, subscribers: Math.min(r.subscribers, plausibleMax(r.reader)) } : r));
  const reportedCap = (n: number) => Math.min(n, MAX_REPORTED_PER_FEED);
  const feeds = new Map<string, CountRow[]>();
  for (const row of rows) feeds.set(row.feed, [...(feeds.get(row.feed) ?? []), row]);
  const stats = [...feeds].map(([feed, own]): FeedStats => {
    const latest = new Map<string, ReaderCount>();
    for (const row of own.filter((r) => r.day >= today - 1)) {
      const key = `${row.kind}\n${row.reader}`;
      const known = latest.get(key);
      if (!known || known.subscribers < row.subscribers)
        latest.set(key, { name: row.reader, kind: row.kind, subscribers: row.subscribers });
    }
    const readers = [...latest.values()].sort((a, b) => b.subscribers - a.subscribers || a.name.localeCompare(b.name));
    const daily: DayCount[] = [];
    for (let day = today - days + 1; day <= today; day++) {
      const of = (kind: string) => own.filter((r) => r.day === day && r.kind === kind).reduce((n, r) => n + r.subscribers, 0);
      const direct = of('direct');
      const reported = reportedCap(of('reported'));
      daily.push({ date: isoDay(day), subscribers: direct + reported, direct, reported });
    }
    const sum = (kind: string) => readers.filter((r) => r.kind === kind).reduce((n, r) => n + r.subscribers, 0);
    return { url: siteUrl + feed, subscribers: sum('direct') + reportedCap(sum('reported')), readers, daily };
  });
  return stats.sort((a, b) => b.subscribers - a.subscribers || a.url.localeCompare(b.url));
}
