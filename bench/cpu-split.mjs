// The CPU of a run of requests, split between the worker's own isolate and the rest of the workerd
// process, in two steps: perf (bench/perf.mjs) tells the process's JS (every isolate's, and the
// runtime APIs JS calls) from SQLite, V8's helper threads and the HTTP/I-O stacks; V8's profiler on
// each isolate at once (bench/inspector.mjs) tells how the JS divides between the worker
// (`core:user:…`), local D1's Durable Object (`d1:db`, its JS wrapping SQLite) and Miniflare's own
// isolates (`core:entry`, which every inbound request passes through, and helpers). Both shares
// apply to the process CPU measured by schedstat, which is neither the profilers' overhead nor a
// sampler's missed ticks: isolate = process × JS share (perf) × the worker's share of JS samples (V8).
import { attachProfiler, isolateNames } from './inspector.mjs';
import { perfCpu, perfUsable } from './perf.mjs';

/** Where a run's CPU goes, as fractions of the process's; null where perf cannot run. */
export async function cpuSplit(pids, inspectorPort, run) {
  if (!perfUsable()) return null;
  const perf = await perfCpu(pids, run);
  const sampled = Object.values(perf.ms).reduce((a, b) => a + b, 0);
  const names = (await isolateNames(inspectorPort)).filter((n) => !/^queues?:/.test(n));
  const profilers = await Promise.all(names.map((n) => attachProfiler(inspectorPort, 100, new RegExp(`^${n.replace(/[^\w]/g, '\\$&')}$`))));
  try {
    await Promise.all(profilers.map((p) => p.start()));
    await run();
    const profiles = await Promise.all(profilers.map((p) => p.stop()));
    const all = profiles.reduce((sum, p) => sum + p.total, 0);
    const byIsolate = Object.fromEntries(names.map((n, i) => [n, all ? profiles[i].total / all : 0]));
    const js = perf.ms.isolate / sampled;
    const share = (pattern) => Object.entries(byIsolate).reduce((sum, [n, s]) => sum + (pattern.test(n) ? s : 0), 0);
    return {
      fractions: {
        isolate: js * share(/^core:user:/),
        d1: perf.ms['d1-sqlite'] / sampled + js * share(/^d1:/),
        miniflare: js * (1 - share(/^core:user:/) - share(/^d1:/)),
        'v8-threads': perf.ms['v8-threads'] / sampled,
        'runtime-io': perf.ms['runtime-io'] / sampled,
      },
      byIsolate,
      /** The worker isolate's functions by their share of its samples. */
      functions: profiles[names.findIndex((n) => /^core:user:/.test(n))].shares,
    };
  } finally {
    for (const p of profilers) p.close();
  }
}
