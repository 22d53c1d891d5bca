#!/usr/bin/env node
// Where a cached feed read spends its CPU, against the bench's baselines (docs/benchmarks.md,
// "Where the targets are missed"). The worker runs as in `npm run bench` (bench/harness.mjs), with 1,000
// synthetic posts.
//
//   node bench/profile-serve.mjs            CPU per request, warm and revalidate, against their baselines
//   node bench/profile-serve.mjs --profile  and, for each pair, V8's CPU profile of the worker's isolate
//                                           (through its inspector): self time per request by function,
//                                           the subject beside its baseline, largest difference first
//   node bench/profile-serve.mjs --cold     the same for a cold read: the site's version bumped in D1
//                                           before each request (FEED_FRESHNESS=0, so the worker sees
//                                           it), so every request reads D1 and renders; against the
//                                           `feed` package alone rendering the same 50 posts
//
// CPU per request is the CPU time of the workerd processes this script started (their threads'
// time on a CPU, from /proc/<pid>/task/*/schedstat) over a fixed number of requests, so that time spent waiting for a core on a busy
// machine is not counted, unlike requests per second. The figures in the profile are inflated by the
// profiler's own sampling and only compare with each other.
import autocannon from 'autocannon';
import WebSocket from 'ws';
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
    if (PROFILE) await profilePair(pair);
  }
} finally {
  await w.mf.dispose();
}

/** V8's sampling profile of the isolate while `url` is loaded: self µs per request, by function. */
async function selfTimes(send, [url, headers]) {
  await send('Profiler.start');
  const result = await load(url, headers);
  const { profile } = await send('Profiler.stop');
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'}${lineNumber >= 0 ? ` (worker.js:${lineNumber + 1})` : ''}`;
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return new Map([...times].map(([key, us]) => [key, us / result.requests.total]));
}

async function profilePair(pair) {
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json();
  const target = targets.find((t) => /core:user:/.test(t.title));
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const message = JSON.parse(data);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 50 });
  const subject = await selfTimes(send, pair.subject);
  const baseline = await selfTimes(send, pair.baseline);
  ws.close();
  const busy = (times) => [...times].filter(([key]) => key !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
  console.log(
    `  ${pair.name}: profiled busy time per request ${busy(subject).toFixed(0)} µs, baseline ${busy(baseline).toFixed(0)} µs. Self time per request (µs):`,
  );
  console.log(`  ${'subject'.padStart(8)} ${'baseline'.padStart(8)} ${'more'.padStart(8)}  function`);
  const rows = [...new Set([...subject.keys(), ...baseline.keys()])]
    .filter((key) => key !== '(idle)')
    .map((key) => [key, subject.get(key) ?? 0, baseline.get(key) ?? 0])
    .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
    .slice(0, 25);
  for (const [key, s, b] of rows)
    console.log(`  ${s.toFixed(1).padStart(8)} ${b.toFixed(1).padStart(8)} ${(s - b).toFixed(1).padStart(8)}  ${key}`);
}
