// The search line of `npm run bench` (docs/search.md): CPU per query on 50,000 stored items, p50
// and p95, as a ratio against a cached feed read measured in the same run, in the same workerd.
// CPU is the workerd processes' own (/proc schedstat), read before and after each request, one
// request at a time: it holds the D1 work (local D1 runs inside workerd) and the worker's.
import { cpuNs, startWorker, workerdPids } from './harness.mjs';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Queries of each kind a reader sends: rare and common words, a phrase, a tag, a short term (no index). */
const QUERIES = [
  ['rare word', 'post 4242:'],
  ['phrase', '"number 31337: a realistic"'],
  ['common word', 'reference'],
  ['two words', 'lorem 12345'],
  ['tag', '"Tag 7"'],
  ['short term', 'zq'],
];

async function cpuOf(pids, url) {
  const before = cpuNs(pids);
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return (cpuNs(pids) - before) / 1e6;
}

/**
 * Starts a worker with `items` synthetic posts (generated inside SQLite by the harness, with the
 * search documents the writer stores: text, checked against searchDocument) and measures `rounds`
 * requests per query.
 */
export async function measureSearch(script, { items, rounds, log }) {
  const pidsBefore = new Set(workerdPids());
  log(`search: seeding ${items} items…`);
  const t = performance.now();
  const w = await startWorker(script, items);
  const seedSeconds = (performance.now() - t) / 1000;
  const pids = workerdPids().filter((p) => !pidsBefore.has(p));
  try {
    const feed = (q) => `${w.url}/search/feed.json?q=${encodeURIComponent(q)}`;
    const page = (q) => `${w.url}/search?q=${encodeURIComponent(q)}`;
    // Warm-up: the first request of each URL renders; later ones run the search for the ETag only.
    for (const [, q] of QUERIES) {
      await cpuOf(pids, feed(q));
      await cpuOf(pids, page(q));
    }
    await cpuOf(pids, `${w.url}/feed.json?limit=20`);
    const samples = { baseline: [], feed: [], page: [] };
    const perQuery = {};
    // Alternating rounds: the baseline sees the same machine as the subject.
    for (let r = 0; r < rounds; r++) {
      for (const [name, q] of QUERIES) {
        samples.baseline.push(await cpuOf(pids, `${w.url}/feed.json?limit=20`));
        const ms = await cpuOf(pids, feed(q));
        samples.feed.push(ms);
        (perQuery[name] ??= []).push(ms);
        samples.page.push(await cpuOf(pids, page(q)));
      }
    }
    const figures = (xs) => ({ p50: Number(quantile(xs, 0.5).toFixed(2)), p95: Number(quantile(xs, 0.95).toFixed(2)) });
    return {
      items,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      baseline: figures(samples.baseline),
      feed: figures(samples.feed),
      page: figures(samples.page),
      perQueryP50: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, figures(v).p50])),
    };
  } finally {
    await w.mf.dispose();
  }
}
