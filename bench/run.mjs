#!/usr/bin/env node
// `npm run bench`: what a feed costs to serve and to aggregate, as ratios against baselines taken
// in the same run (medians over alternating rounds), so that the figures mean the same on a
// noisy shared machine. See docs/benchmarks.md for what sits in each measured path.
//
//   npm run bench              full run (a few minutes)
//   npm run bench -- --quick   tiny sizes and short rounds (a smoke run)
//   npm run bench -- --big-only  only the refreshes of feeds at the 15 MiB cap (time and memory);
//                                --big=full-content,realistic picks some of them;
//                                --big-skip-store: the same without D1's writes (bench/no-writes-d1.ts)
//   npm run bench -- --freshness=0  the worker with FEED_FRESHNESS=0 (every poll reads D1, as before)
//   npm run bench -- --search-only  only the search line (CPU per query on 50,000 items)
//   npm run bench -- --steady-only  only the refreshes of steady upstreams (unchanged, one new item; under a minute)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { extractionReport, measureExtraction } from './extract.mjs';
import { filtersReport, measureFilters } from './filters.mjs';
import { cpuSplit } from './cpu-split.mjs';
import { build, cpuNs, startWorker as startBenchWorker, TOKEN, workerdPids } from './harness.mjs';
import { measureSearch } from './search.mjs';
import { steadyFeed, steadyNow, steadyRoute } from './steady.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
/** Only the refreshes of feeds at the 15 MiB cap (a minute or two). */
const BIG_ONLY = process.argv.includes('--big-only');
/** Only the search line. */
const SEARCH_ONLY = process.argv.includes('--search-only');
/** Items stored for the search line. */
const SEARCH_ITEMS = QUICK ? 2000 : 50_000;
/** Only the refreshes of steady upstreams (half a minute). */
const STEADY_ONLY = process.argv.includes('--steady-only');
const ROUNDS = QUICK ? 2 : 5;
const SECONDS = QUICK ? 1 : 3;
const CONNECTIONS = 8;
const SMALL = 100;
const LARGE = QUICK ? 1000 : 10_000;
/** FEED_FRESHNESS for the worker; unset: the product's default. */
const FRESHNESS = process.argv.find((a) => a.startsWith('--freshness='))?.slice(12);
/** What the `remote` figure adds to every D1 query (bench/remote-d1.ts). */
const REMOTE_DELAY_MS = 50;
/** Outlines in the OPML import that is timed. */
const IMPORT_OUTLINES = QUICK ? 1000 : 10_000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const log = (...args) => console.error('[bench]', ...args);
// Under heavy load workerd may close a kept-alive connection between two requests: a GET that
// fails that way is sent once more (a write is not).
const plainFetch = globalThis.fetch;
globalThis.fetch = async (url, init = {}) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await plainFetch(url, init);
    } catch (error) {
      if ((init.method ?? 'GET') !== 'GET' || attempt === 3) throw error;
      log(`${url}: ${error.cause?.code ?? error.message}; sent again`);
    }
  }
};

/** The inspector port of the workerd whose steady refreshes are profiled (bench/cpu-split.mjs). */
const STEADY_INSPECTOR_PORT = 9338;
const startWorker = async (script, posts, { inspect = false } = {}) => {
  const w = await startBenchWorker(script, posts, { freshness: FRESHNESS, ...(inspect ? { inspectorPort: STEADY_INSPECTOR_PORT } : {}) });
  return { ...w, inspectorPort: inspect ? STEADY_INSPECTOR_PORT : null };
};

// ---------------------------------------------------------------- measuring tools
/**
 * Steady upstreams that ignore validators (src/ingest/unchanged.ts): refreshes of an unchanged
 * ~100 KB feed of 20 items, and of the same feed with one new item, against rss-parser's
 * parseString alone on the same bytes in the same runtime. Both sides are CPU time of the bench's
 * workerd processes (their threads' schedstat) around one request each: the refresh request
 * through the admin API (its fetch from the upstream, D1 and SQLite included) and the
 * parse-alone request (its 100 KB request body included). The same refreshes through the queue
 * consumer (/__bench/consume: what production runs) beside them; then each case again under perf
 * and V8's profiler (bench/cpu-split.mjs), for the part of that CPU the worker's isolate spends
 * (what Cloudflare bills a Worker; local D1 and Miniflare's own isolates left out).
 */
async function measureSteady(w, api, upstreamBase, rows, results) {
  log('steady upstreams (no validators)…');
  const FEEDS = QUICK ? 2 : 6;
  const ids = [];
  for (let i = 0; i < FEEDS; i++) {
    const res = await api(w, '/api/sources', {
      method: 'POST',
      body: JSON.stringify({ url: `${upstreamBase}/steady/${i}`, kind: 'feed' }),
    });
    const { id } = await res.json();
    ids.push(id);
    await api(w, `/api/sources/${id}/refresh`, { method: 'POST' });
  }
  // The floor of any refresh through the admin API: one that gets a 304 and no body at all.
  const validated = (
    await (
      await api(w, '/api/sources', { method: 'POST', body: JSON.stringify({ url: `${upstreamBase}/feed/900?r=0`, kind: 'feed' }) })
    ).json()
  ).id;
  await api(w, `/api/sources/${validated}/refresh`, { method: 'POST' });
  const pids = workerdPids();
  /** What the last refresh of source `id` recorded. The history does not tell an unchanged document from a 304: both are not_modified, nothing read. */
  const lastOutcome = (id) =>
    w.db.prepare('SELECT outcome, items_new FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC LIMIT 1').bind(id).first();
  /** Refreshes through the admin API and through the queue consumer, not timed. */
  const through = {
    admin: async (id) => (await (await api(w, `/api/sources/${id}/refresh`, { method: 'POST' })).json()).refresh,
    consumer: async (id) => {
      const res = await fetch(`${w.url}/__bench/consume?source=${id}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`consumer refresh of ${id}: ${res.status}`);
    },
  };
  /** One refresh of steady feed `i` through `path`: CPU ms of workerd (the check of its outcome not counted). */
  const refresh = async (i, expected, id = ids[i], path = 'admin') => {
    const t = cpuNs(pids);
    const res =
      path === 'admin'
        ? await api(w, `/api/sources/${id}/refresh`, { method: 'POST' })
        : await fetch(`${w.url}/__bench/consume?source=${id}`, { method: 'POST' });
    const body = path === 'admin' ? (await res.json()).refresh : null;
    if (!body) await res.arrayBuffer();
    const ms = (cpuNs(pids) - t) / 1e6;
    const out = body ?? (await lastOutcome(id));
    if (!expected(out, path)) throw new Error(`steady refresh (${path}): ${JSON.stringify(out).slice(0, 400)}`);
    if (process.env.STEADY_DEBUG) log(path, out.outcome, ms.toFixed(2), JSON.stringify(out.timings));
    return ms;
  };
  const alone = async (i) => {
    const doc = steadyNow(i);
    const t = cpuNs(pids);
    await (await fetch(`${w.url}/__bench/parse-alone`, { method: 'POST', body: doc })).json();
    return (cpuNs(pids) - t) / 1e6;
  };
  const figures = {
    unchanged: { ours: [], alone: [], each: [], consumer: [] },
    oneNew: { ours: [], alone: [], each: [], consumer: [] },
  };
  const notModified = [];
  const notModifiedConsumer = [];
  const unchanged = (o, path) => (path === 'consumer' ? o.outcome === 'not_modified' && o.items_new === null : o.outcome === 'unchanged');
  const oneNew = (o, path) =>
    path === 'consumer' ? o.outcome === 'ok' && o.items_new === 1 : o.outcome === 'ok' && o.items.changed === 1 && o.items.reused === 19;
  for (let r = 0; r < ROUNDS * 2; r++) {
    for (const [name, expected] of [
      ['unchanged', unchanged],
      ['oneNew', oneNew],
    ]) {
      const f = figures[name];
      let ours = 0;
      let base = 0;
      for (let i = 0; i < FEEDS; i++) {
        if (name === 'oneNew') await fetch(`${upstreamBase}/steady/${i}/next`, { method: 'POST' });
        const ms = await refresh(i, expected);
        ours += ms;
        f.each.push(ms);
        base += await alone(i);
        if (name === 'oneNew') await fetch(`${upstreamBase}/steady/${i}/next`, { method: 'POST' });
        f.consumer.push(await refresh(i, expected, ids[i], 'consumer'));
      }
      f.ours.push(ours);
      f.alone.push(base);
    }
    notModified.push(await refresh(0, (o) => o.outcome === 'not_modified', validated));
    notModifiedConsumer.push(await refresh(0, (o) => o.outcome === 'not_modified', validated, 'consumer'));
  }
  const kb = (Buffer.byteLength(steadyFeed(0, 0)) / 1024).toFixed(0);
  // The isolate's part of each figure's CPU: the same requests again under the profilers.
  log('steady upstreams: where the CPU goes (perf, V8 profiler)…');
  const isolateShare = async (one) => {
    const split = await cpuSplit(pids, w.inspectorPort, async () => {
      for (let r = 0; r < 2; r++) for (let i = 0; i < FEEDS; i++) await one(i);
    });
    return split?.fractions.isolate ?? null;
  };
  const share = {
    alone: await isolateShare(async (i) => (await fetch(`${w.url}/__bench/parse-alone`, { method: 'POST', body: steadyNow(i) })).json()),
  };
  for (const path of ['admin', 'consumer']) {
    share[`unchanged-${path}`] = await isolateShare((i) => through[path](ids[i]));
    share[`oneNew-${path}`] = await isolateShare(async (i) => {
      await fetch(`${upstreamBase}/steady/${i}/next`, { method: 'POST' });
      await through[path](ids[i]);
    });
    share[`notModified-${path}`] = await isolateShare(() => through[path](validated));
  }
  const aloneMs = median(figures.unchanged.alone.concat(figures.oneNew.alone)) / FEEDS;
  const isolate = (ms, key) => (share[key] === null ? null : ms * share[key]);
  const aloneIsolate = isolate(aloneMs, 'alone');
  const fixed = (ms) => (ms === null ? 'n/a' : ms.toFixed(2));
  const ratio = (ms) => (ms === null || aloneIsolate === null ? 'n/a' : (aloneIsolate / ms).toFixed(2));
  results.steadyMs = { kb: Number(kb), aloneIsolate };
  for (const [figure, name, target] of [
    ['steady-unchanged', 'unchanged', '>= 2.0'],
    ['steady-one-new', 'oneNew', '>= 0.5'],
  ]) {
    const f = figures[name];
    const admin = median(f.each);
    const consumer = median(f.consumer);
    const adminIsolate = isolate(admin, `${name}-admin`);
    const consumerIsolate = isolate(consumer, `${name}-consumer`);
    // Ratio of speeds: rss-parser's time over ours on the same documents (medians of rounds).
    rows.push([
      figure,
      `${admin.toFixed(2)} ms per refresh`,
      `${(median(f.alone) / FEEDS).toFixed(2)} ms parse of ${kb} KB`,
      median(f.alone) / median(f.ours),
      target,
      `isolate ${fixed(adminIsolate)} ms vs ${fixed(aloneIsolate)} ms: ratio ${ratio(adminIsolate)}; queue consumer: ${consumer.toFixed(2)} ms (ratio ${(aloneMs / consumer).toFixed(2)}), isolate ${fixed(consumerIsolate)} ms (ratio ${ratio(consumerIsolate)})`,
    ]);
    results.steadyMs[name] = admin;
    results.steadyMs[`${name}Isolate`] = adminIsolate;
    results.steadyMs[`${name}Consumer`] = consumer;
    results.steadyMs[`${name}ConsumerIsolate`] = consumerIsolate;
  }
  results.steadyMs.notModified = median(notModified);
  results.steadyMs.notModifiedIsolate = isolate(median(notModified), 'notModified-admin');
  results.steadyMs.notModifiedConsumer = median(notModifiedConsumer);
  results.steadyMs.notModifiedConsumerIsolate = isolate(median(notModifiedConsumer), 'notModified-consumer');
}

async function rps(url, headers = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx && !headers['if-none-match']) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

async function latency(url, init = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      const t = performance.now();
      const res = await fetch(url, init);
      await res.arrayBuffer();
      return performance.now() - t;
    } catch (error) {
      // A kept-alive connection the server closed meanwhile (after autocannon's load): once more.
      if (attempt === 3) throw error;
      log(`${url}: ${error.cause?.code ?? error.message}; retrying`);
    }
  }
}

async function bumpSite(db) {
  await db
    .prepare(`INSERT INTO view_versions (view, version, changed_at) VALUES ('site', 1, ?1)
    ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = ?1`)
    .bind(Date.now())
    .run();
  await db
    .prepare(`INSERT INTO view_versions (view, version, changed_at) VALUES ('tag:tag-3', 1, ?1)
    ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = ?1`)
    .bind(Date.now())
    .run();
}

// ---------------------------------------------------------------- upstream corpus for ingest
function upstreamFeed(i, round, items = 20) {
  const entries = Array.from({ length: items }, (_, n) => {
    const body = Array.from(
      { length: 4 + (n % 6) },
      (_, p) =>
        `<p>Upstream ${i} item ${n} paragraph ${p} round ${round}. ${'Sed ut perspiciatis unde omnis iste natus error sit voluptatem. '.repeat(5)}<a href="/rel/${n}">link</a></p>`,
    ).join('');
    return `<item><title>Feed ${i} item ${n} &amp; more</title><link>https://upstream${i}.example/p/${n}</link><guid>u${i}-${n}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1) - n * 3_600_000).toUTCString()}</pubDate><dc:creator>Writer ${n % 3}</dc:creator><category>cat-${n % 4}</category><description><![CDATA[<p>Summary ${n}</p>]]></description><content:encoded><![CDATA[${body}<script>alert(1)</script><img src="/i/${n}.png" onerror="x()">]]></content:encoded></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Upstream ${i}</title><link>https://upstream${i}.example/</link><description>Feed ${i}</description>\n${entries}\n</channel></rss>\n`;
}

/** Bytes just under the 15 MiB body cap, which every feed below fills. */
const CAP_FILL = 14.5 * 1024 * 1024;
const rssDoc = (title, items) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title><link>https://big.example/</link><description>x</description>\n${items}</channel></rss>\n`;
const dated = (i) => new Date(Date.UTC(2026, 0, 1) - i * 60_000).toUTCString();

/**
 * Feeds at the cap, each a different shape of "15 MiB": what sits in the path is the whole refresh
 * (decode, truncate to 500 items, repair, parse, normalize, sanitize, compare, store).
 */
const BIG_FEEDS = {
  // Realistic items (~3.6 KB, 20 per ~56 KB like the ingest corpus), about 4,000 of them.
  realistic: () => {
    const perItem = upstreamFeed(99, 0, 120).length / 120;
    return upstreamFeed(99, 0, Math.floor(CAP_FILL / perItem));
  },
  // 20,000 small items, each with a CDATA section.
  'many-items-cdata': () => manyItems('Many', (_i, pad) => `<![CDATA[<p>${pad}</p>]]>`),
  // The same without any CDATA section (escaped HTML): a search for the next one finds none.
  'many-items-escaped': () => manyItems('Escaped', (_i, pad) => `&lt;p&gt;${pad}&lt;/p&gt;`),
  // 200 items of ~72 KB of full content each: nothing is cut by the item cap, everything is
  // parsed, sanitized and stored (the largest the refresh ever has to hold).
  'full-content': () => {
    const paragraph = (n, p) =>
      `<p>Paragraph ${p} of item ${n}. ${'Sed ut perspiciatis unde omnis iste natus error sit voluptatem. '.repeat(8)}<a href="/rel/${n}/${p}">link</a> <img src="/i/${n}/${p}.png" alt=""></p>`;
    const perItem = Math.floor(CAP_FILL / 200);
    const paragraphs = Math.floor(perItem / paragraph(0, 0).length) - 1;
    return rssDoc(
      'Full',
      Array.from(
        { length: 200 },
        (_, n) =>
          `<item><title>Item ${n}</title><link>https://big.example/${n}</link><guid>f${n}</guid><pubDate>${dated(n)}</pubDate><description><![CDATA[<p>Summary ${n}</p>]]></description><content:encoded><![CDATA[${Array.from({ length: paragraphs }, (_, p) => paragraph(n, p)).join('')}]]></content:encoded></item>\n`,
      ).join(''),
    );
  },
};
/** 20,000 small items filling the cap, each description made by `body`. */
function manyItems(title, body) {
  const item = (i, pad) =>
    `<item><title>Item ${i}</title><link>https://big.example/${i}</link><guid>b${i}</guid><pubDate>${dated(i)}</pubDate><description>${body(i, pad)}</description></item>\n`;
  const pad = 'x'.repeat(Math.floor(CAP_FILL / 20_000) - item(19_999, '').length);
  return rssDoc(title, Array.from({ length: 20_000 }, (_, i) => item(i, pad)).join(''));
}
const bigCache = new Map();
const bigFeed = (name) => {
  if (!bigCache.has(name)) bigCache.set(name, Buffer.from(BIG_FEEDS[name]()));
  return bigCache.get(name);
};

function startUpstream() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (steadyRoute(req, res, url.pathname)) return;
    const m = /^\/feed\/(\d+)$/.exec(url.pathname);
    const big = /^\/big\/([\w-]+)$/.exec(url.pathname);
    if (big && big[1] in BIG_FEEDS) {
      return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(bigFeed(big[1]));
    }
    if (!m) return void res.writeHead(404).end();
    const round = Number(url.searchParams.get('r') ?? 0);
    const etag = `"f${m[1]}-r${round}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(upstreamFeed(Number(m[1]), round));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` })),
  );
}

const status = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/**
 * Refreshes each feed at the cap once in a workerd of its own (nothing else has run in it), and
 * reports the refresh's time and workerd's peak memory growth: the kernel's high-water mark of
 * resident memory (VmHWM, reset through /proc/<pid>/clear_refs just before the refresh) against
 * the resident memory before it. Where the reset is refused, RSS sampled every 5 ms stands in.
 */
async function measureBigFeeds(script, base) {
  const out = {};
  const only = process.argv
    .find((a) => a.startsWith('--big='))
    ?.slice(6)
    .split(',');
  for (const name of Object.keys(BIG_FEEDS).filter((n) => !only || only.includes(n))) {
    const bytes = bigFeed(name).length;
    const pidsBefore = new Set(workerdPids());
    const w = await startWorker(script, 0);
    try {
      const pids = workerdPids().filter((p) => !pidsBefore.has(p));
      const api = (path, init = {}) =>
        fetch(`${w.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
        });
      const id = (await (await api('/api/sources', { method: 'POST', body: JSON.stringify({ url: `${base}/big/${name}` }) })).json()).id;
      // Warm the isolate (the worker's code loaded, D1 opened) with a small refresh first.
      const warm = (await (await api('/api/sources', { method: 'POST', body: JSON.stringify({ url: `${base}/feed/0?r=0` }) })).json()).id;
      await api(`/api/sources/${warm}/refresh`, { method: 'POST' });
      const rssBefore = pids.reduce((n, p) => n + status(p, 'VmRSS'), 0);
      let hwmReset = true;
      for (const p of pids) {
        try {
          writeFileSync(`/proc/${p}/clear_refs`, '5');
        } catch {
          hwmReset = false;
        }
      }
      let sampled = rssBefore;
      const timer = setInterval(
        () =>
          (sampled = Math.max(
            sampled,
            pids.reduce((n, p) => n + status(p, 'VmRSS'), 0),
          )),
        5,
      );
      const t = performance.now();
      // --big-skip-store: the refresh's D1 batches (its store step) are not written (bench/no-writes-d1.ts).
      const skipStore = process.argv.includes('--big-skip-store') ? { 'x-bench-d1-writes': 'skip' } : {};
      const report = (await (await api(`/api/sources/${id}/refresh`, { method: 'POST', headers: skipStore })).json()).refresh;
      const wallMs = performance.now() - t;
      clearInterval(timer);
      const peak = hwmReset
        ? Math.max(
            sampled,
            pids.reduce((n, p) => n + status(p, 'VmHWM'), 0),
          )
        : sampled;
      out[name] = {
        mib: Number((bytes / 1048576).toFixed(2)),
        outcome: report.outcome,
        error: report.error,
        itemsSeen: report.items?.seen ?? null,
        warnings: report.warnings,
        refreshMs: Math.round(wallMs),
        timingsMs: report.timings,
        rssBeforeMb: Math.round(rssBefore / 1024),
        peakMb: Math.round(peak / 1024),
        growthMb: Number(((peak - rssBefore) / 1024).toFixed(1)),
        peakFrom: hwmReset ? 'VmHWM' : 'sampled VmRSS',
      };
      log(`big feed ${name} (${(bytes / 1048576).toFixed(1)} MiB): ${report.outcome}, ${Math.round(wallMs)} ms, +${out[name].growthMb} MB`);
    } finally {
      await w.mf.dispose();
    }
  }
  return out;
}

// ---------------------------------------------------------------- the run
/** Everything but the feeds at the cap: warm, revalidate, cold, scale, ingest, 304. */
async function measureServingAndIngest(script, rows, results) {
  log(`starting workerd with ${SMALL} and ${LARGE} synthetic posts…`);
  const small = await startWorker(script, SMALL, { inspect: true });
  const large = await startWorker(script, LARGE);
  const api = (w, path, init = {}) =>
    fetch(`${w.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
  try {
    // Warm feed vs a constant body of the same size.
    const feedBody = await (await fetch(`${large.url}/feed.xml?limit=50`)).text();
    const bytes = Buffer.byteLength(feedBody);
    const etag = (await fetch(`${large.url}/feed.xml?limit=50`)).headers.get('etag');
    log(`/feed.xml?limit=50 is ${(bytes / 1024).toFixed(0)} KB; measuring rps (${ROUNDS} alternating rounds of ${SECONDS}s)…`);
    const warm = { subject: [], base: [] };
    const reval = { subject: [], base: [] };
    for (let r = 0; r < ROUNDS; r++) {
      warm.base.push(await rps(`${large.url}/__bench/const?bytes=${bytes}`));
      warm.subject.push(await rps(`${large.url}/feed.xml?limit=50`));
      reval.base.push(await rps(`${large.url}/__bench/empty`));
      reval.subject.push(await rps(`${large.url}/feed.xml?limit=50`, { 'if-none-match': etag }));
    }
    rows.push([
      'warm',
      `${median(warm.subject).toFixed(0)} rps`,
      `${median(warm.base).toFixed(0)} rps`,
      median(warm.subject) / median(warm.base),
      '>= 0.9',
    ]);
    rows.push([
      'revalidate',
      `${median(reval.subject).toFixed(0)} rps`,
      `${median(reval.base).toFixed(0)} rps`,
      median(reval.subject) / median(reval.base),
      '>= 0.9',
    ]);

    // Remote: warm feed requests, one at a time, served with a D1 binding that adds 50 ms to every
    // query (a reader far from the database) and with the plain one, in alternating rounds.
    log(`remote (D1 + ${REMOTE_DELAY_MS} ms per query)…`);
    const remote = { subject: [], base: [] };
    const far = { 'x-bench-d1-delay': String(REMOTE_DELAY_MS) };
    await latency(`${large.url}/feed.xml?limit=50`, { headers: far });
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < (QUICK ? 20 : 60); i++) remote.base.push(await latency(`${large.url}/feed.xml?limit=50`));
      for (let i = 0; i < (QUICK ? 20 : 60); i++) remote.subject.push(await latency(`${large.url}/feed.xml?limit=50`, { headers: far }));
    }
    rows.push([
      'remote',
      `${median(remote.subject).toFixed(2)} ms (D1 +${REMOTE_DELAY_MS} ms)`,
      `${median(remote.base).toFixed(2)} ms`,
      median(remote.subject) / median(remote.base),
      '<= 1.2',
    ]);
    // Where a stamp could be kept, and what one look-up costs there (inside the worker).
    const sources = [];
    for (let r = 0; r < ROUNDS; r++) sources.push(await (await fetch(`${large.url}/__bench/stamp-sources?n=200`)).json());
    results.stampLookupMs = Object.fromEntries(
      Object.keys(sources[0]).map((k) => [k, Number(median(sources.map((s) => s[k])).toFixed(4))]),
    );
    results.remoteP90Ms = {
      far: Number(remote.subject.sort((x, y) => x - y)[Math.floor(remote.subject.length * 0.9)].toFixed(2)),
      near: Number(remote.base.sort((x, y) => x - y)[Math.floor(remote.base.length * 0.9)].toFixed(2)),
    };

    // Cold render: the first request after a write (one post edited through the admin API, as a
    // publisher would), per format. The worker reports its phases in Server-Timing: `query` is the
    // wait for D1 (I/O, not CPU), `build` and `serialize` are this worker's CPU. Their sum is set
    // against the `feed` package alone rendering the same 50 items in the same runtime.
    log('cold renders…');
    const cold = {};
    const phaseSamples = {};
    const newest = [...large.posts].sort((a, b) => b.publishedAt - a.publishedAt)[0];
    let edit = 0;
    for (const [format, file] of [
      ['rss', 'feed.xml'],
      ['atom', 'atom.xml'],
      ['json', 'feed.json'],
    ]) {
      const cpu = [];
      const firstRequest = [];
      const baseline = [];
      for (let r = 0; r < ROUNDS * 4; r++) {
        const res = await api(large, `/api/posts/${newest.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ content_html: `${newest.content}<p>edit ${++edit}</p>` }),
        });
        if (res.status !== 200) throw new Error(`edit failed: ${res.status} ${await res.text()}`);
        const t0 = performance.now();
        const first = await fetch(`${large.url}/${file}?limit=50`);
        await first.arrayBuffer();
        firstRequest.push(performance.now() - t0);
        const phases = Object.fromEntries(
          [...(first.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]),
        );
        if (!('serialize' in phases)) throw new Error(`no render after a write: ${first.headers.get('server-timing')}`);
        for (const [k, v] of Object.entries(phases)) (phaseSamples[`${format}.${k}`] ??= []).push(v);
        cpu.push(phases.build + phases.serialize);
        baseline.push((await (await fetch(`${large.url}/__bench/feed-alone?format=${format}`)).json()).ms);
      }
      // The worker's clock ticks coarsely (about 0.5 ms): means over the rounds, not medians.
      cold[format] = { ours: mean(cpu), firstRequest: median(firstRequest), feedAlone: mean(baseline), worst: Math.max(...cpu) };
    }
    results.coldPhasesMs = Object.fromEntries(Object.entries(phaseSamples).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
    results.coldFirstRequestMs = Object.fromEntries(Object.entries(cold).map(([f, c]) => [f, Number(c.firstRequest.toFixed(2))]));
    results.coldWorstCpuMs = Math.max(...Object.values(cold).map((c) => c.worst));
    // The format that costs most is the one held to the limit; JSON (well under 1 ms) is reported, not divided.
    const coldRatio = Math.max(
      ...Object.entries(cold)
        .filter(([f]) => f !== 'json')
        .map(([, c]) => c.ours / c.feedAlone),
    );
    rows.push([
      'cold',
      Object.entries(cold)
        .map(([f, c]) => `${f} ${c.ours.toFixed(2)} ms`)
        .join(', '),
      Object.entries(cold)
        .map(([f, c]) => `${f} ${c.feedAlone.toFixed(2)} ms`)
        .join(', '),
      coldRatio,
      '<= 1.1, < 10 ms',
    ]);

    // Scale: the same requests with LARGE and SMALL posts stored, cold (query + render) and warm.
    log('scale…');
    const scale = { large: [], small: [] };
    for (let r = 0; r < ROUNDS * 2; r++) {
      for (const [name, w] of [
        ['small', small],
        ['large', large],
      ]) {
        // Written from outside (another isolate): the first readers hold the previous version, so
        // the worker reads the stamp again (its held one does not name theirs) and renders.
        await bumpSite(w.db);
        const previous = { headers: { 'if-none-match': '"previous"' } };
        const t = median([await latency(`${w.url}/feed.xml`, previous), await latency(`${w.url}/tags/tag-3/feed.xml`, previous)]);
        const warmT = median([await latency(`${w.url}/feed.xml`), await latency(`${w.url}/tags/tag-3/feed.xml`)]);
        scale[name].push(t + warmT);
      }
    }
    rows.push([
      'scale',
      `${median(scale.large).toFixed(1)} ms (${LARGE} posts)`,
      `${median(scale.small).toFixed(1)} ms (${SMALL} posts)`,
      median(scale.large) / median(scale.small),
      '<= 1.2',
    ]);

    // Aggregation ingest: upstream bytes per second through the refresh path (decode, parse,
    // normalize, sanitize, compare, store; the steps the worker times itself, D1 waits included),
    // each round with changed content, against rss-parser's parseString alone on the same bytes
    // in the same runtime.
    log('ingest…');
    const { server, base } = await startUpstream();
    try {
      const FEEDS = QUICK ? 4 : 12;
      const ids = [];
      for (let i = 0; i < FEEDS; i++) {
        const res = await api(small, '/api/sources', { method: 'POST', body: JSON.stringify({ url: `${base}/feed/${i}?r=0` }) });
        ids.push((await res.json()).id);
      }
      const oursRate = [];
      const aloneRate = [];
      const wallRate = [];
      const ingestPhases = {};
      for (let r = 1; r <= ROUNDS; r++) {
        let totalBytes = 0;
        let oursMs = 0;
        let aloneMs = 0;
        let wallMs = 0;
        for (let i = 0; i < FEEDS; i++) {
          const doc = upstreamFeed(i, r);
          await api(small, `/api/sources/${ids[i]}`, { method: 'PATCH', body: JSON.stringify({ url: `${base}/feed/${i}?r=${r}` }) });
          const t = performance.now();
          const out = await (await api(small, `/api/sources/${ids[i]}/refresh`, { method: 'POST' })).json();
          wallMs += performance.now() - t;
          if (out.refresh.outcome !== 'ok' || out.refresh.items.changed === 0)
            throw new Error(`ingest round ${r}: ${JSON.stringify(out.refresh)}`);
          for (const [k, v] of Object.entries(out.refresh.timings)) (ingestPhases[k] ??= []).push(v);
          const { parse, compare, store } = out.refresh.timings;
          oursMs += parse + compare + store;
          aloneMs += (await (await fetch(`${small.url}/__bench/parse-alone`, { method: 'POST', body: doc })).json()).ms;
          totalBytes += Buffer.byteLength(doc);
        }
        oursRate.push(totalBytes / (oursMs / 1000));
        aloneRate.push(totalBytes / (aloneMs / 1000));
        wallRate.push(totalBytes / (wallMs / 1000));
      }
      results.ingestPhasesMs = Object.fromEntries(Object.entries(ingestPhases).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
      results.ingestEndToEndMBps = Number((median(wallRate) / 1e6).toFixed(2));
      rows.push([
        'ingest',
        `${(median(oursRate) / 1e6).toFixed(2)} MB/s`,
        `${(median(aloneRate) / 1e6).toFixed(2)} MB/s`,
        median(oursRate) / median(aloneRate),
        '>= 0.5',
      ]);

      // An unchanged upstream: a 304, against the empty route.
      const notModified = [];
      const empty = [];
      for (let r = 0; r < ROUNDS * 4; r++) {
        const out = await (await api(small, `/api/sources/${ids[0]}/refresh`, { method: 'POST' })).json();
        notModified.push(Object.values(out.refresh.timings).reduce((a, b) => a + b, 0));
        if (out.refresh.outcome !== 'not_modified') throw new Error(`expected a 304 refresh, got ${out.refresh.outcome}`);
        empty.push(await latency(`${small.url}/__bench/empty`));
      }
      results.refresh304 = { ms: median(notModified), emptyMs: median(empty) };

      await measureSteady(small, api, base, rows, results);

      // An OPML import of many outlines in folders (each folder a tag), timed through the admin API.
      log(`OPML import of ${IMPORT_OUTLINES} outlines…`);
      const outlines = Array.from(
        { length: IMPORT_OUTLINES },
        (_, i) => `<outline text="Feed ${i}" xmlUrl="${base}/opml/${i}.xml" category="topic-${i % 7}"/>`,
      );
      const folders = Array.from({ length: 50 }, (_, f) => {
        const inFolder = outlines.filter((_, i) => i % 50 === f).join('\n');
        return `<outline text="Folder ${f}">\n${inFolder}\n</outline>`;
      });
      const opml = `<?xml version="1.0"?>\n<opml version="2.0"><head><title>Bench</title></head><body>\n${folders.join('\n')}\n</body></opml>\n`;
      const t = performance.now();
      const imported = await api(large, '/api/sources/import', { method: 'POST', body: opml, headers: { 'content-type': 'text/x-opml' } });
      const importMs = performance.now() - t;
      const report = await imported.json();
      if (imported.status !== 200 || report.added.length !== IMPORT_OUTLINES)
        throw new Error(`OPML import: ${imported.status} ${JSON.stringify(report).slice(0, 300)}`);
      results.opmlImport = {
        outlines: IMPORT_OUTLINES,
        ms: Math.round(importMs),
        perSecond: Math.round(IMPORT_OUTLINES / (importMs / 1000)),
      };
    } finally {
      server.close();
    }
  } finally {
    await small.mf.dispose();
    await large.mf.dispose();
  }
}

const isolateMs = (ms) => (ms === null || ms === undefined ? 'n/a' : ms.toFixed(2));
/** The steady ratios on the isolate's CPU alone (rss-parser's isolate CPU over the refresh's), for the bench line. */
const steadyIsolateRatios = (m) =>
  ['unchanged', 'oneNew']
    .map((name) => {
      const value = m.aloneIsolate === null || m[`${name}Isolate`] === null ? 'n/a' : (m.aloneIsolate / m[`${name}Isolate`]).toFixed(2);
      return `steady-${name === 'oneNew' ? 'one-new' : name}-isolate=${value}`;
    })
    .join(' ');

/** `--steady-only`: the steady figures alone, in a workerd of their own. */
async function steadyOnly(script) {
  const w = await startWorker(script, SMALL, { inspect: true });
  const { server, base } = await startUpstream();
  const api = (path, init = {}) =>
    fetch(`${w.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
  const rows = [];
  const results = {};
  try {
    await measureSteady(w, (_w, path, init) => api(path, init), base, rows, results);
  } finally {
    server.close();
    await w.mf.dispose();
  }
  for (const [figure, subject, baseline, ratio, target, isolate] of rows)
    console.log(`${figure}: ${subject} vs ${baseline}: ratio ${ratio.toFixed(2)} (target ${target}); ${isolate}`);
  const m = results.steadyMs;
  console.log(
    `a 304 refresh: ${m.notModified.toFixed(2)} ms CPU (isolate ${isolateMs(m.notModifiedIsolate)}); through the queue consumer ${m.notModifiedConsumer.toFixed(2)} ms (isolate ${isolateMs(m.notModifiedConsumerIsolate)})`,
  );
  console.log(
    `bench: steady-unchanged=${rows[0][3].toFixed(2)} steady-one-new=${rows[1][3].toFixed(2)} ${steadyIsolateRatios(m)} steady-cpu-ms=${m.unchanged.toFixed(2)}/${m.oneNew.toFixed(2)} refresh-304-cpu-ms=${m.notModified.toFixed(2)} steady-isolate-ms=${isolateMs(m.unchangedIsolate)}/${isolateMs(m.oneNewIsolate)}/${isolateMs(m.notModifiedIsolate)}`,
  );
}

async function main() {
  const started = Date.now();
  log('building the worker (wrangler deploy --dry-run)…');
  const script = build();
  const rows = [];
  const results = {};
  if (STEADY_ONLY) return steadyOnly(script);
  if (!BIG_ONLY) results.search = await measureSearch(script, { items: SEARCH_ITEMS, rounds: QUICK ? 3 : 10, log });
  if (results.search) {
    const { search } = results;
    rows.push([
      'search',
      `p50 ${search.feed.p50} ms, p95 ${search.feed.p95} ms CPU per query`,
      `p50 ${search.baseline.p50} ms, p95 ${search.baseline.p95} ms (cached feed)`,
      search.feed.p50 / search.baseline.p50,
      'report',
    ]);
  }
  if (SEARCH_ONLY) {
    console.log(JSON.stringify(results.search, null, 2));
    return;
  }
  if (!BIG_ONLY) await measureServingAndIngest(script, rows, results);
  log('feeds at the 15 MiB cap, each in a fresh workerd…');
  const { server, base } = await startUpstream();
  try {
    results.bigFeeds = await measureBigFeeds(script, base);
  } finally {
    server.close();
  }
  if (!BIG_ONLY) log('extraction CPU (bench/extract.mjs)…');
  if (!BIG_ONLY) results.extract = await measureExtraction(script, { quick: QUICK });
  if (!BIG_ONLY) log('filter rules CPU (bench/filters.mjs)…');
  if (!BIG_ONLY) {
    results.filters = await measureFilters({ quick: QUICK });
    rows.push([
      'filters',
      '20 filter rules per item (8 RE2 regexes)',
      'one words rule per item',
      results.filters.ratio,
      'µs/item in the line below',
    ]);
  }

  // ---------------------------------------------------------------- report
  const table = rows.map(([figure, subject, baseline, ratio, target]) => ({
    figure,
    subject,
    baseline,
    ratio: Number(ratio.toFixed(3)),
    target,
  }));
  const pad = (s, n) => String(s).padEnd(n);
  const cold = rows.find((r) => r[0] === 'cold');
  if (!BIG_ONLY) {
    console.log(`\n${pad('figure', 12)}${pad('subject', 44)}${pad('baseline', 44)}${pad('ratio', 8)}target`);
    for (const r of table)
      console.log(`${pad(r.figure, 12)}${pad(r.subject, 44)}${pad(r.baseline, 44)}${pad(r.ratio.toFixed(2), 8)}${r.target}`);
    console.log(`\ncold render phases inside the worker (median ms): ${JSON.stringify(results.coldPhasesMs)}`);
    console.log(
      `first request after a write, end to end (median ms): ${JSON.stringify(results.coldFirstRequestMs)}; slowest render CPU (build + serialize): ${results.coldWorstCpuMs.toFixed(1)} ms of the 10 ms free-plan limit`,
    );
    console.log(
      `ingest phases per refresh of a ~${(Buffer.byteLength(upstreamFeed(0, 1)) / 1024).toFixed(0)} KB feed (median ms): ${JSON.stringify(results.ingestPhasesMs)}`,
    );
    console.log(
      `ingest end to end through the admin API (HTTP, auth, D1 reads of the source included): ${results.ingestEndToEndMBps} MB/s`,
    );
    console.log(
      `one stamp look-up inside the worker (median of means, ms): ${JSON.stringify(results.stampLookupMs)}; remote: p90 ${results.remoteP90Ms.far} ms far from D1, ${results.remoteP90Ms.near} ms near; OPML import: ${results.opmlImport.outlines} outlines in ${results.opmlImport.ms} ms (${results.opmlImport.perSecond} outlines/s)`,
    );
    console.log(
      `search on ${results.search.items} items, CPU per query (ms): feed p50 ${results.search.feed.p50} p95 ${results.search.feed.p95}; page p50 ${results.search.page.p50} p95 ${results.search.page.p95}; per query p50 ${JSON.stringify(results.search.perQueryP50)}`,
    );
    console.log(
      `unchanged upstream (304) refresh: ${results.refresh304.ms.toFixed(2)} ms inside the worker, the conditional fetch included (an empty request end to end: ${results.refresh304.emptyMs.toFixed(2)} ms), target < 1 ms CPU`,
    );
    console.log(
      `steady upstream without validators, ${results.steadyMs.kb} KB of 20 items, workerd CPU ms per refresh: unchanged ${results.steadyMs.unchanged.toFixed(2)} (target <= 10), one new item ${results.steadyMs.oneNew.toFixed(2)}; a 304 refresh (the floor of a refresh through the admin API) ${results.steadyMs.notModified.toFixed(2)}; the worker's isolate alone: unchanged ${isolateMs(results.steadyMs.unchangedIsolate)}, one new ${isolateMs(results.steadyMs.oneNewIsolate)}, 304 ${isolateMs(results.steadyMs.notModifiedIsolate)}; through the queue consumer: unchanged ${results.steadyMs.unchangedConsumer.toFixed(2)} (isolate ${isolateMs(results.steadyMs.unchangedConsumerIsolate)}), one new ${results.steadyMs.oneNewConsumer.toFixed(2)} (isolate ${isolateMs(results.steadyMs.oneNewConsumerIsolate)}), 304 ${results.steadyMs.notModifiedConsumer.toFixed(2)} (isolate ${isolateMs(results.steadyMs.notModifiedConsumerIsolate)})`,
    );
  }
  console.log(
    "\nrefresh of a feed at the 15 MiB cap, each in a fresh workerd (time through the admin API; peak growth of workerd's resident memory, D1 included; limit 128 MB):",
  );
  for (const [name, f] of Object.entries(results.bigFeeds)) {
    console.log(
      `  ${pad(name, 20)}${pad(`${f.mib} MiB`, 11)}${pad(`${f.outcome}${f.error ? ` (${f.error})` : ''}, ${f.itemsSeen} items`, 22)}${pad(`${f.refreshMs} ms`, 10)}+${f.growthMb} MB (${f.rssBeforeMb} -> ${f.peakMb} MB, ${f.peakFrom}) phases ${JSON.stringify(f.timingsMs)}`,
    );
  }
  if (results.extract) console.log(extractionReport(results.extract));
  if (results.filters) console.log(filtersReport(results.filters));
  const out = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, quick: QUICK, bigOnly: BIG_ONLY },
    seconds: (Date.now() - started) / 1000,
    table,
    extra: { ...results, cold: cold?.[1] },
  };
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  const ratio = (name) => table.find((r) => r.figure === name)?.ratio.toFixed(2) ?? 'n/a';
  const worst = Object.values(results.bigFeeds).reduce((a, f) => (f.growthMb > a.growthMb ? f : a));
  const slowest = Math.max(...Object.values(results.bigFeeds).map((f) => f.refreshMs));
  console.log(
    `\nbench: warm=${ratio('warm')} revalidate=${ratio('revalidate')} cold=${ratio('cold')} scale=${ratio('scale')} search=${ratio('search')} ingest=${ratio('ingest')} steady-unchanged=${ratio('steady-unchanged')} steady-one-new=${ratio('steady-one-new')} ${results.steadyMs ? steadyIsolateRatios(results.steadyMs) : ''} remote=${ratio('remote')} opml-import=${results.opmlImport?.perSecond ?? 'n/a'}/s cap-feed-memory=+${worst.growthMb}MB cap-feed-refresh=${slowest}ms`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
