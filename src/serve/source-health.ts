import { freshnessMs } from '../config';
import { listSources } from '../db/sources';
import type { SourceHealth } from '../render/pages/pages';
import { digest } from './conditional';
import { heldStamp, holdStamp, startRead } from './stamp-memo';

// The sources' health, as the planet page shows it. It changes with every refresh and no version
// counts it, so it is read whole, digested, and held like a stamp (src/serve/stamp-memo.ts): a
// page that shows it is rendered again only when what it shows changed, and read from D1 at most
// once per freshness window per isolate (or after a write in that isolate).

/** Sources the page lists, at most. */
const LISTED = 1000;

/** What the page shows of each source, with the source's tag slugs (which planet pages list it). */
export type HealthRow = SourceHealth & { tags: string[] };

/** The table and a digest of everything in it: the part of a page's ETag that stands for it. */
export type HealthTable = { rows: HealthRow[]; digest: string; upcoming: null };

const KEY = 'sources-health';

/** The health table, held for the freshness window (`stamps: 'held'`), or read from D1 now (`'fresh'`). */
export async function sourceHealth(env: Env, now: number, stamps: 'held' | 'fresh'): Promise<HealthTable> {
  const held = stamps === 'held' ? heldStamp<HealthTable>(env, KEY, now) : null;
  if (held) return held;
  const token = startRead(env);
  const { sources } = await listSources(env.DB, { limit: LISTED, offset: 0 });
  const rows = sources.map(
    (s): HealthRow => ({
      id: s.id,
      title: s.titleOverride ?? s.title ?? s.url,
      url: s.url,
      siteUrl: s.siteUrl,
      state: s.state,
      pausedReason: s.pausedReason,
      lastOutcome: s.lastOutcome,
      lastError: s.lastError,
      lastFetchedAt: s.lastFetchedAt,
      consecutiveFailures: s.consecutiveFailures,
      itemCount: s.itemCount,
      tags: s.tags.map((t) => t.slug),
    }),
  );
  const table: HealthTable = { rows, digest: await digest(JSON.stringify(rows)), upcoming: null };
  holdStamp(env, KEY, table, now, freshnessMs(env), token);
  return table;
}
