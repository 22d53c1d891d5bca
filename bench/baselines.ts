import { Feed } from 'feed';
import { Hono } from 'hono';
import Parser from 'rss-parser';
import { listViewEntries, viewStamp } from '../src/db/entries';
import type { AppEnv } from '../src/http/app-env';
import worker from '../src';
import type { RefreshMessage } from '../src/scheduled';

/**
 * Baselines for `npm run bench` (bench/run.mjs): the cheapest answers this worker can give, to
 * divide the feed figures by. They live outside src/: bench/worker.ts mounts them in front of the
 * app, and only the bench builds that worker.
 */
export const benchRoutes = new Hono<AppEnv>();

const bodies = new Map<number, string>();
const parser = new Parser();

/** A constant body of `bytes` bytes, with the headers a feed has. */
benchRoutes.get('/const', (c) => {
  const bytes = Math.min(Number(c.req.query('bytes') ?? 0) || 0, 1 << 20);
  let body = bodies.get(bytes);
  if (body === undefined) {
    body = 'x'.repeat(bytes);
    bodies.set(bytes, body);
  }
  return c.body(body, 200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"const"', 'cache-control': 'public, no-cache' });
});

/** An empty 200. */
benchRoutes.get('/empty', (c) => c.body(null, 200));

/**
 * The `feed` package alone rendering the site's newest 50 posts, in this runtime: the baseline of
 * the cold-render figure. Reads the rows (not timed), then times only `feed`'s own work.
 */
benchRoutes.get('/feed-alone', async (c) => {
  const format = c.req.query('format') ?? 'rss';
  const entries = await listViewEntries(c.env.DB, { kind: 'site' }, Date.now(), 50);
  const t = performance.now();
  const feed = new Feed({
    id: `${c.env.SITE_URL}/atom.xml`,
    title: c.env.SITE_TITLE,
    description: c.env.SITE_DESCRIPTION,
    link: `${c.env.SITE_URL}/`,
    language: c.env.SITE_LANGUAGE,
    updated: entries[0]?.updatedAt ?? new Date(0),
    copyright: '',
  });
  for (const e of entries) {
    feed.addItem({
      title: e.title,
      id: e.id,
      link: `${c.env.SITE_URL}/posts/${e.slug}`,
      date: e.updatedAt,
      published: e.publishedAt,
      description: e.summary,
      content: e.contentHtml,
      author: e.authors.map((a) => ({ name: a.name })),
      category: e.tags.map((tag) => ({ name: tag.name })),
    });
  }
  const body = format === 'atom' ? feed.atom1() : format === 'json' ? feed.json1() : feed.rss2();
  const ms = performance.now() - t;
  return c.json({ ms, bytes: body.length });
});

/** rss-parser's `parseString` alone on the posted document, in this runtime: the ingest baseline. */
benchRoutes.post('/parse-alone', async (c) => {
  const text = await c.req.text();
  const t = performance.now();
  const feed = await parser.parseString(text);
  return c.json({ ms: performance.now() - t, items: feed.items.length });
});

/**
 * What one look-up of a view's stamp costs from each place it could be kept, in this runtime:
 * D1 (today's stamp query), the Cache API (a small response per view, shared by a data centre's
 * isolates), and the isolate's own memory. Mean over `n` sequential look-ups each.
 */
benchRoutes.get('/stamp-sources', async (c) => {
  const n = Math.min(Number(c.req.query('n') ?? 200) || 200, 2000);
  const view = { kind: 'site' } as const;
  const stamp = await viewStamp(c.env.DB, view, Date.now());
  const cache = await caches.open('bench-stamps');
  const key = new Request('https://stamps.bench.internal/site');
  await cache.put(key, new Response(JSON.stringify(stamp), { headers: { 'cache-control': 'max-age=60' } }));
  const memory = new Map([['site', stamp]]);
  const mean = async (lookup: () => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await lookup();
    return (performance.now() - t) / n;
  };
  return c.json({
    d1Ms: await mean(() => viewStamp(c.env.DB, view, Date.now())),
    cacheApiMs: await mean(async () => (await cache.match(key))?.json()),
    memoryMs: await mean(async () => memory.get('site')),
  });
});

/**
 * One refresh of source `?source=` as production runs it: a batch of one refresh message handed
 * to the Worker's queue handler (src/index.ts: the consumer the cron's messages reach), no admin
 * API in front. 204 once the message is acked (its outcome recorded), 500 if it would be retried.
 */
benchRoutes.post('/consume', async (c) => {
  const sourceId = Number(c.req.query('source'));
  let acked = false;
  const message: Message<RefreshMessage> = {
    id: `bench-${sourceId}`,
    timestamp: new Date(),
    attempts: 1,
    body: { kind: 'source', sourceId },
    ack: () => {
      acked = true;
    },
    retry: () => {},
  };
  const batch: MessageBatch<RefreshMessage> = { queue: 'syndicate-refresh', messages: [message], ackAll: () => {}, retryAll: () => {} };
  await worker.queue(batch, c.env, c.executionCtx as ExecutionContext);
  return c.body(null, acked ? 204 : 500);
});
