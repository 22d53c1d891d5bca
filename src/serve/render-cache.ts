import { LruCache } from '../lib/lru';
import { Flights } from '../lib/single-flight';
// Rendered bytes, keyed by ETag. The ETag already encodes the view, its version, the format and
// every setting that shapes the output, so an entry never goes stale and is never invalidated:
// a write changes the ETag, and the next read renders under the new key.
//
// Two levels: this isolate's memory (free to read), then the Cache API (shared by the isolates
// of one data centre). Concurrent misses for the same key in one isolate wait for one render.

const MEMORY_BUDGET = 16 * 1024 * 1024;
const memory = new LruCache<Uint8Array>(MEMORY_BUDGET, (_key, body) => body.byteLength);
/** One render per key at a time; concurrent misses wait for it in memory (lib/single-flight.ts). */
const renders = new Flights({ pollMs: 10, waitMs: 5_000 });

type CacheSource = 'memory' | 'cache-api' | 'render';

export type CachedBytes = { body: Uint8Array; source: CacheSource };

const CACHE_NAME = 'syndicate-renders';
const cacheRequest = (key: string) => new Request(`https://renders.syndicate.internal/${encodeURIComponent(key)}`);

/** The bytes stored under `key` in memory or the Cache API; null when they were never rendered here. */
export async function storedRender(key: string): Promise<CachedBytes | null> {
  const hit = memory.get(key);
  if (hit) return { body: hit, source: 'memory' };
  const stored = await (await caches.open(CACHE_NAME)).match(cacheRequest(key));
  if (!stored) return null;
  const body = new Uint8Array(await stored.arrayBuffer());
  remember(key, body);
  return { body, source: 'cache-api' };
}

/** Returns the bytes stored under `key`, rendering them with `render` at most once per change. */
export async function cachedRender(
  key: string,
  render: () => Promise<string>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<CachedBytes> {
  const stored = await storedRender(key);
  if (stored) return stored;
  const inMemory = (): CachedBytes | undefined => {
    const body = memory.get(key);
    return body ? { body, source: 'memory' } : undefined;
  };
  return renders.run(key, inMemory, async () => {
    const body = new TextEncoder().encode(await render());
    remember(key, body);
    const cache = await caches.open(CACHE_NAME);
    waitUntil(
      cache
        .put(cacheRequest(key), new Response(body, { headers: { 'cache-control': 'public, max-age=31536000, immutable' } }))
        .catch((error: unknown) => console.warn('render cache put failed', error)),
    );
    return { body, source: 'render' };
  });
}

/** One rendered body takes at most a quarter of the memory budget. */
const remember = (key: string, body: Uint8Array) => memory.set(key, body, 1 / 4);
