#!/usr/bin/env node
// Where a steady refresh spends its CPU (docs/benchmarks.md, "Steady upstreams"): a refresh of an
// unchanged ~97 KB feed of 20 items served without validators, of the same feed with one new
// item, and of a feed that answers 304, each through the admin API (POST /api/sources/:id/refresh)
// and through the queue consumer (the Worker's queue handler given a batch of one message,
// /__bench/consume in bench/baselines.ts: what production runs), against rss-parser's parse
// alone of the same bytes (/__bench/parse-alone).
//
//   node bench/profile-refresh.mjs                 CPU per refresh, split; the isolate's top functions
//   node bench/profile-refresh.mjs --top=30        more of them
//   node bench/profile-refresh.mjs --against=DIR   the same for the checkout in DIR (its node_modules
//                                                  linked), in a workerd of its own, rounds alternating
//                                                  with this one's: a before/after on one machine state
//
// For each case: `process`, the CPU of the case's workerd processes (their threads' schedstat)
// around each single request, median; then the same requests again under perf and under V8's
// profiler on every isolate (bench/cpu-split.mjs), which split that CPU: `isolate` (the worker's
// own JS, its garbage collection and the runtime APIs it calls: the CPU Cloudflare bills a
// Worker), `d1` (local D1: SQLite and the JS of its Durable Object; remote in production),
// `miniflare` (the JS of Miniflare's entry worker every request passes through, and its helpers),
// V8's helper threads, and the rest of the runtime (HTTP, the event loop, the kernel). The worker's
// isolate figure is spread over its functions by their share of V8's samples.
import { cpuSplit } from './cpu-split.mjs';
import { build, cpuNs, startWorker, TOKEN, workerdPids } from './harness.mjs';
import { perfUsable } from './perf.mjs';
import { startSteadyUpstream, steadyNow } from './steady.mjs';

const FEEDS = 6;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const TOP = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 15);
const AGAINST = process.argv.find((a) => a.startsWith('--against='))?.slice(10);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (...args) => console.error('[profile-refresh]', ...args);
if (!perfUsable()) throw new Error('perf is needed (linux-perf, and kernel.perf_event_paranoid <= 2)');

const { server, base } = await startSteadyUpstream();

/** A worker built from `root` (this checkout when undefined), its sources, and one refresh by each path. */
async function subject(name, root, inspectorPort, firstFeed) {
  log(`${name}: building the worker…`);
  const script = build(root);
  const before = new Set(workerdPids());
  const w = await startWorker(script, 100, { inspectorPort });
  const pids = workerdPids().filter((p) => !before.has(p));
  const api = (path, init = {}) =>
    fetch(`${w.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
  const addSource = async (url) =>
    (await (await api('/api/sources', { method: 'POST', body: JSON.stringify({ url, kind: 'feed' }) })).json()).id;
  const refresh = {
    admin: async (id) => {
      const res = await api(`/api/sources/${id}/refresh`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`${name}: admin refresh of ${id}: ${res.status}`);
      await res.arrayBuffer();
    },
    consumer: async (id) => {
      const res = await fetch(`${w.url}/__bench/consume?source=${id}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`${name}: consumer refresh of ${id}: ${res.status}`);
    },
  };
  const steady = [];
  const validated = [];
  for (let i = 0; i < FEEDS; i++) {
    steady.push([firstFeed + i, await addSource(`${base}/steady/${firstFeed + i}`)]);
    validated.push([firstFeed + 100 + i, await addSource(`${base}/steady/${firstFeed + 100 + i}/validated`)]);
  }
  for (const [, id] of [...steady, ...validated]) await refresh.admin(id);
  /** The newest history row of a source: what its last refresh recorded. */
  const lastFetch = (id) =>
    w.db.prepare('SELECT outcome, items_new FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC LIMIT 1').bind(id).first();
  return { name, w, pids, inspectorPort, refresh, steady, validated, lastFetch };
}

/** The cases: the sources of a subject each one refreshes, what to do before, what the refresh must record. */
const CASES = {
  304: { feeds: (s) => s.validated, prepare: async () => {}, expect: (f) => f.outcome === 'not_modified' },
  unchanged: { feeds: (s) => s.steady, prepare: async () => {}, expect: (f) => f.outcome === 'not_modified' && f.items_new === null },
  'one new': {
    feeds: (s) => s.steady,
    prepare: (upstream) => fetch(`${base}/steady/${upstream}/next`, { method: 'POST' }),
    expect: (f) => f.outcome === 'ok' && f.items_new === 1,
  },
};

const subjects = [await subject('this checkout', undefined, 9341, 0)];
if (AGAINST) subjects.push(await subject(AGAINST, AGAINST, 9342, 10));
const rows = [];
try {
  /**
   * For each subject over its `count` feeds, ROUNDS times, the subjects alternating: `prepare(s, k)`
   * (not timed), `one(s, k)` (timed), `check(s, k)` (not timed); then each subject's split.
   */
  async function measure(label, { prepare = async () => {}, one, check = async () => {} }, count) {
    const each = subjects.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, s] of subjects.entries()) {
        for (let k = 0; k < count; k++) {
          await prepare(s, k);
          const t = cpuNs(s.pids);
          await one(s, k);
          each[i].push((cpuNs(s.pids) - t) / 1e6);
          await check(s, k);
        }
      }
    }
    for (const [i, s] of subjects.entries()) {
      const run = async () => {
        for (let r = 0; r < ROUNDS; r++)
          for (let k = 0; k < count; k++) {
            await prepare(s, k);
            await one(s, k);
          }
      };
      const processMs = median(each[i]);
      const { fractions, functions } = await cpuSplit(s.pids, s.inspectorPort, run);
      const split = Object.fromEntries(Object.entries(fractions).map(([k, f]) => [k, f * processMs]));
      rows.push({
        label: `${label}${subjects.length > 1 ? ` [${i === 0 ? 'this' : 'against'}]` : ''}`,
        processMs,
        split,
        shares: functions,
      });
    }
  }

  for (const path of ['admin', 'consumer']) {
    for (const [name, c] of Object.entries(CASES)) {
      log(`${path}: ${name}…`);
      await measure(
        `${path}: ${name}`,
        {
          prepare: (s, k) => c.prepare(c.feeds(s)[k][0]),
          one: (s, k) => s.refresh[path](c.feeds(s)[k][1]),
          check: async (s, k) => {
            const f = await s.lastFetch(c.feeds(s)[k][1]);
            if (!c.expect(f)) throw new Error(`${s.name} ${path} ${name}: recorded ${JSON.stringify(f)}`);
          },
        },
        FEEDS,
      );
    }
  }
  log('rss-parser alone…');
  await measure(
    'rss-parser alone (97 KB)',
    { one: async (s, k) => (await fetch(`${s.w.url}/__bench/parse-alone`, { method: 'POST', body: steadyNow(k) })).json() },
    FEEDS,
  );
} finally {
  server.close();
  for (const s of subjects) await s.w.mf.dispose();
}

const names = Object.keys(rows[0].split);
console.log(
  `\nCPU ms per request (${ROUNDS} rounds): process (schedstat, median), and its split (perf and V8's profiler, bench/cpu-split.mjs)`,
);
console.log(`${'case'.padEnd(38)}${['process', ...names].map((h) => h.padStart(12)).join('')}`);
for (const r of rows)
  console.log(`${r.label.padEnd(38)}${[r.processMs, ...names.map((k) => r.split[k])].map((v) => v.toFixed(2).padStart(12)).join('')}`);
console.log('\nratios (rss-parser alone / refresh; targets: unchanged >= 2.0, one new >= 0.5):');
for (const r of rows.filter((r) => /unchanged|one new/.test(r.label))) {
  const alone = rows.find((a) => a.label.startsWith('rss-parser') && a.label.endsWith(r.label.match(/ \[\w+\]$/)?.[0] ?? ')'));
  console.log(
    `  ${r.label.padEnd(34)} process ${(alone.processMs / r.processMs).toFixed(2)}   isolate ${(alone.split.isolate / r.split.isolate).toFixed(2)}`,
  );
}
for (const r of rows) {
  console.log(`\n${r.label}: the isolate's ${r.split.isolate.toFixed(2)} ms by function (V8 profiler's self shares), top ${TOP}`);
  for (const [key, share] of r.shares.slice(0, TOP))
    console.log(`  ${(share * r.split.isolate * 1000).toFixed(0).padStart(6)} µs ${(share * 100).toFixed(1).padStart(5)} %  ${key}`);
}
