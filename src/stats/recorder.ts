import { dayKey, type ReadRow, writeReads } from '../db/stats';
import { isListedAggregator, MAX_IDS_PER_READER, MAX_OTHER_ROWS, readerInfo } from './user-agent';

/** A feed request, as it waits in memory to be counted. The address never leaves this isolate. */
export type FeedRead = { feed: string; address: string; userAgent: string; at: number };

/** How long reads wait in an isolate's buffer: every read in that time goes to D1 in one batch. */
export const FLUSH_DELAY_MS = 2_000;
/** A buffer this full is written at once. */
const FLUSH_SIZE = 500;

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * `reads` holds one read per feed, day, address and User-Agent (`index`: its place): a client
 * polling again before the flush updates its read instead of adding one, so a busy feed costs one
 * hash and one row per client and flush, not one per request.
 */
type Buffer = { reads: FeedRead[]; index: Map<string, number>; flush: Promise<void> | null };
const buffers = new WeakMap<D1Database, Buffer>();
/** Each day's key once it is known: keys, never promises (one request's I/O is not another's to await). */
const keys = new WeakMap<D1Database, Map<number, CryptoKey>>();

const encoder = new TextEncoder();
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** The HMAC key of a UTC day's client hashes, shared by every isolate through D1 (dayKey). */
async function hashKey(db: D1Database, day: number): Promise<CryptoKey> {
  const known = keys.get(db) ?? new Map<number, CryptoKey>();
  keys.set(db, known);
  const held = known.get(day);
  if (held) return held;
  // Two flushes that both miss read the same stored key (dayKey keeps the first one written).
  const stored = await dayKey(db, day, base64(crypto.getRandomValues(new Uint8Array(32))));
  const raw = Uint8Array.from(atob(stored), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  for (const old of known.keys()) if (old < day - 1) known.delete(old);
  known.set(day, key);
  return key;
}

/** A direct client: HMAC-SHA-256 of its address and User-Agent under the day's key, 128 bits in hex. */
async function clientHash(db: D1Database, read: FeedRead, day: number): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hashKey(db, day), encoder.encode(`${read.address}\n${read.userAgent}`));
  return [...new Uint8Array(mac, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A reported count's row. An aggregator of the list keeps a row per feed-id (its ids add up: one
 * feed fetched under a few URLs), at most MAX_IDS_PER_READER of them a day, the largest; every
 * other reader's counts share MAX_OTHER_ROWS rows a day per feed. See plausibleMax for the rest.
 */
function reportedRow(read: FeedRead, day: number, reader: string, count: number, feedId: string | null): ReadRow {
  const listed = isListedAggregator(reader);
  const prefix = listed ? `reported:${reader}:` : 'reported-other:';
  return {
    feed: read.feed,
    day,
    client: `${prefix}${listed ? '' : `${reader}:`}${feedId ?? ''}`,
    kind: 'reported',
    reader,
    count,
    seenAt: read.at,
    bound: { prefix, rows: listed ? MAX_IDS_PER_READER : MAX_OTHER_ROWS },
  };
}

/** The rows of a batch of reads: one per feed, day and client, the latest kept. */
async function rowsOf(db: D1Database, reads: FeedRead[]): Promise<ReadRow[]> {
  const rows = new Map<string, ReadRow>();
  for (const read of reads) {
    const day = dayOf(read.at);
    const info = readerInfo(read.userAgent);
    const row: ReadRow =
      info.subscribers === null
        ? { feed: read.feed, day, client: await clientHash(db, read, day), kind: 'direct', reader: info.reader, count: 1, seenAt: read.at }
        : reportedRow(read, day, info.reader, info.subscribers, info.feedId);
    rows.set(`${row.feed}\n${row.day}\n${row.client}`, row);
  }
  return [...rows.values()];
}

async function flush(db: D1Database, buffer: Buffer, delayMs: number): Promise<void> {
  // The runtime's own sleep (scheduler.wait): a test's fake clock, which drives setTimeout, must
  // not hold a flush back (and the request waiting on it) forever.
  if (delayMs > 0) await scheduler.wait(delayMs);
  const reads = buffer.reads.splice(0);
  buffer.index.clear();
  buffer.flush = null;
  try {
    await writeReads(db, await rowsOf(db, reads));
  } catch (error) {
    // Counts are an estimate: a batch that cannot be written is dropped, never retried forever.
    console.warn(`subscriber counts: ${reads.length} reads could not be recorded`, error);
  }
}

/**
 * Counts a feed read in the background: the read joins this isolate's buffer, and the buffer
 * goes to D1 as one batch FLUSH_DELAY_MS after its first read (at once when FLUSH_SIZE reads
 * wait), kept alive by `waitUntil`. The response never waits for it. Returns the flush.
 */
export function countRead(db: D1Database, ctx: Pick<ExecutionContext, 'waitUntil'>, read: FeedRead): Promise<void> {
  const buffer: Buffer = buffers.get(db) ?? { reads: [], index: new Map(), flush: null };
  buffers.set(db, buffer);
  const key = `${read.feed}\n${dayOf(read.at)}\n${read.address}\n${read.userAgent}`;
  const at = buffer.index.get(key);
  if (at !== undefined) {
    buffer.reads[at] = read;
    if (buffer.flush) return buffer.flush;
  } else buffer.index.set(key, buffer.reads.push(read) - 1);
  // Only the read that starts a flush holds its request open for it (waitUntil); the reads that
  // join the buffer meanwhile end at once, and that flush writes them too.
  if (buffer.reads.length >= FLUSH_SIZE || !buffer.flush) {
    buffer.flush = flush(db, buffer, buffer.reads.length >= FLUSH_SIZE ? 0 : FLUSH_DELAY_MS);
    ctx.waitUntil(buffer.flush);
  }
  return buffer.flush;
}
