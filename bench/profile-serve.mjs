#!/usr/bin/env node
// Where a cached feed read spends its CPU, against the bench's baselines (docs/benchmarks.md,
// "Where the targets are missed"). The worker runs as in `npm run bench` (bench/harness.mjs), with 1,000
// synthetic posts.
//
//   node bench/profile-serve.mjs            CPU per request, warm and revalidate, against their baselines
//   node bench/profile-serve.mjs --profile  and, for each pair, the part of that CPU the worker's isolate
//                                           spends (perf and V8's profiler, bench/cpu-split.mjs), and
//                                           its functions' shares of it, the subject beside its baseline,
//                                           largest difference first
//   node bench/profile-serve.mjs --cold     the same for a cold read: the site's version bumped in D1
//                                           before each request (FEED_FRESHNESS=0, so the worker sees
//                                           it), so every request reads D1 and renders; against the
//                                           `feed` package alone rendering the same 50 posts
//
// CPU per request is the CPU time of the workerd processes this script started (their threads'
// time on a CPU, from /proc/<pid>/task/*/schedstat) over a fixed number of requests, so that time spent waiting for a core on a busy
// machine is not counted, unlike requests per second. The isolate's part applies perf's and V8's
// shares of samples to that CPU (V8's own timings are not used: under load its sampler misses
// ticks and counts waits as the next function's time).
import autocannon from 'autocannon';
import { cpuSplit } from './cpu-split.mjs';
import { build, cpuNs, startWorker, workerdPids } from './harness.mjs';

const PROFILE = process.argv.includes('--profile') || process.argv.includes('--cold');
/** Profile cold reads (a render each) instead of warm and revalidate. */
const COLD = process.argv.includes('--cold');
const REQUESTS = 4000;
const ROUNDS = 5;
const INSPECTOR_PORT = 9339;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...args) => console.error('[profile-serve]', ...args);

log('building the worker…');
const script = build();
const w = await startWorker(script, 1000, {
  ...(PROFILE ? { inspectorPort: INSPECTOR_PORT } : {}),
  ...(COLD ? { freshness: '0' } : {}),
});
const feed = `${w.url}/feed.xml?limit=50`;
const first = await fetch(feed);
const bytes = (await first.arrayBuffer()).byteLength;
const etag = first.headers.get('etag');
await (await fetch(feed)).arrayBuffer();

const pids = workerdPids();
/** Requests one at a time, the site's version bumped in D1 before each: every one renders. */
async function coldLoad(url) {
  const total = REQUESTS / 20;
  for (let i = 0; i < total; i++) {
    await w.db
      .prepare(`INSERT INTO view_versions (view, version, changed_at) VALUES ('site', 1, ?1)
        ON CONFLICT (view) DO UPDATE SET version = version + 1, changed_at = ?1`)
      .bind(Date.now())
      .run();
    await (await fetch(url)).arrayBuffer();
  }
  return { requests: { total } };
}
/** The baseline of a cold read, one at a time like it. */
async function sequentialLoad(url) {
  const total = REQUESTS / 20;
  for (let i = 0; i < total; i++) await (await fetch(url)).arrayBuffer();
  return { requests: { total } };
}
const load = (url, headers) =>
  headers === 'cold'
    ? coldLoad(url)
    : headers === 'sequential'
      ? sequentialLoad(url)
      : autocannon({ url, connections: 8, amount: REQUESTS, headers });
async function cpuPerRequest(url, headers = {}) {
  const before = cpuNs(pids);
  const result = await load(url, headers);
  return (cpuNs(pids) - before) / 1e6 / result.requests.total;
}

const PAIRS = COLD
  ? [{ name: 'cold', subject: [feed, 'cold'], baseline: [`${w.url}/__bench/feed-alone?format=rss`, 'sequential'] }]
  : [
      { name: 'warm', subject: [feed, {}], baseline: [`${w.url}/__bench/const?bytes=${bytes}`, {}] },
      { name: 'revalidate', subject: [feed, { 'if-none-match': etag }], baseline: [`${w.url}/__bench/empty`, {}] },
    ];

try {
  for (const pair of PAIRS) {
    const subject = [];
    const baseline = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseline.push(await cpuPerRequest(...pair.baseline));
      subject.push(await cpuPerRequest(...pair.subject));
    }
    const s = median(subject);
    const b = median(baseline);
    console.log(
      `${pair.name.padEnd(10)} subject ${s.toFixed(3)} ms CPU/request, baseline ${b.toFixed(3)} ms; ratio ${(b / s).toFixed(2)} (subject costs ${((s - b) * 1000).toFixed(0)} µs more)`,
    );
    if (PROFILE) await profilePair(pair, { subject: s, baseline: b });
  }
} finally {
  await w.mf.dispose();
}

/**
 * Where a pair's CPU goes (bench/cpu-split.mjs): the process CPU per request of the rounds above,
 * the part the worker's isolate spends, and the isolate's functions, subject beside baseline, by
 * their share of V8's samples applied to the isolate's CPU; largest difference first.
 */
async function profilePair(pair, processMs) {
  const split = async ([url, headers], ms) => {
    let requests = 0;
    const result = await cpuSplit(pids, INSPECTOR_PORT, async () => {
      requests = (await load(url, headers)).requests.total;
    });
    if (!result) throw new Error('perf is needed for --profile (linux-perf, kernel.perf_event_paranoid <= 2)');
    const isolateUs = ms * 1000 * result.fractions.isolate;
    return { isolateUs, requests, functions: new Map(result.functions.map(([key, share]) => [key, share * isolateUs])) };
  };
  const subject = await split(pair.subject, processMs.subject);
  const baseline = await split(pair.baseline, processMs.baseline);
  console.log(
    `  ${pair.name}: the worker's isolate ${subject.isolateUs.toFixed(0)} µs per request, baseline ${baseline.isolateUs.toFixed(0)} µs (ratio ${(baseline.isolateUs / subject.isolateUs).toFixed(2)}); the rest of the process (Miniflare's entry worker, HTTP, V8's threads) ${(processMs.subject * 1000 - subject.isolateUs).toFixed(0)} and ${(processMs.baseline * 1000 - baseline.isolateUs).toFixed(0)} µs. Isolate µs per request by function:`,
  );
  console.log(`  ${'subject'.padStart(8)} ${'baseline'.padStart(8)} ${'more'.padStart(8)}  function`);
  const rows = [...new Set([...subject.functions.keys(), ...baseline.functions.keys()])]
    .map((key) => [key, subject.functions.get(key) ?? 0, baseline.functions.get(key) ?? 0])
    .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
    .slice(0, 25);
  for (const [key, su, ba] of rows)
    console.log(`  ${su.toFixed(1).padStart(8)} ${ba.toFixed(1).padStart(8)} ${(su - ba).toFixed(1).padStart(8)}  ${key}`);
}
