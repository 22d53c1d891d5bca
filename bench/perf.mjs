// Where the workerd process spends its CPU, split by what each sample's stack shows: the worker's
// isolate (its JS, garbage collection, and the runtime's APIs it calls), local D1 (SQLite and the
// Durable Object that serves it: remote in production, not the Worker's CPU), and the HTTP and
// I/O stacks. Linux `perf` samples the processes' threads only while they are on a CPU (the
// cpu-clock event, 4999 Hz, with call graphs), so waits and a loaded machine's queues do not
// count. Used by bench/profile-refresh.mjs and the steady lines of bench/run.mjs; without perf
// (or where the kernel refuses it) `perfUsable` is false and the callers print n/a.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PERF_HZ = 4999;

/** The categories, in the order a sample is tested against them (the first that matches wins). */
export const CATEGORIES = [
  // SQLite itself, the runtime's SQL API over it, and its fsyncs: local D1's database.
  ['d1-sqlite', /sqlite3|SqliteDatabase|ActorSqlite|SqlStorage|ActorCache|DurableObjectStorage/],
  // V8's helper threads: concurrent marking and compiling for the isolates.
  ['v8-threads', /^thread:V8 /m],
  // JS on the stack (interpreted, JIT-compiled without a symbol, V8's builtins and runtime), or
  // the runtime's C++ API bindings JS called (jsg, workerd::api): the isolate's work.
  ['isolate', /Builtins_|\[unknown\]|v8::|workerd::jsg::|workerd::api::/],
  // The rest of the runtime: HTTP (the inbound request, the upstream fetch, the D1 binding's
  // calls), capnp, the event loop, the kernel's network and scheduling.
  ['runtime-io', /./],
];

let usable;
/** Whether `perf record` runs here (installed, and allowed to sample this user's processes). */
export function perfUsable() {
  if (usable === undefined) {
    const probe = spawnSync('perf', ['stat', '-e', 'cpu-clock', '--', 'true'], { stdio: 'ignore' });
    usable = probe.status === 0;
  }
  return usable;
}

/**
 * Runs `work` with perf sampling the processes `pids`, and answers CPU ms by category (the
 * samples, each worth 1/PERF_HZ s) and the stacks of the isolate's samples (for a closer look).
 */
export async function perfCpu(pids, work) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-perf-'));
  const data = join(dir, 'perf.data');
  try {
    const perf = spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', String(PERF_HZ), '-g', '-p', pids.join(','), '-o', data], {
      stdio: 'ignore',
    });
    // perf attaches in a few ms; give it a margin before the work starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await work();
    perf.kill('SIGINT');
    await new Promise((resolve) => perf.once('exit', resolve));
    const script = spawnSync('perf', ['script', '-i', data, '-F', 'comm,tid,ip,sym,dso'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, LC_ALL: 'C' },
    });
    if (script.status !== 0) throw new Error(`perf script: ${script.stderr}`);
    return classify(script.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** perf script's samples (blank-line separated: a header line, then one frame per line) by category. */
function classify(text) {
  const ms = Object.fromEntries(CATEGORIES.map(([name]) => [name, 0]));
  const stacks = [];
  for (const sample of text.split('\n\n')) {
    const lines = sample.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    // The header is "comm tid": the thread's name may hold spaces ("V8 DefaultWorke").
    const thread = lines[0].trim().replace(/\s+\d+\s*$/, '');
    const frames = lines.slice(1).map((l) => l.trim().replace(/^[0-9a-f]+\s+/, ''));
    const stack = `thread:${thread}\n${frames.join('\n')}`;
    const [name] = CATEGORIES.find(([, re]) => re.test(stack));
    ms[name] += 1000 / PERF_HZ;
    if (name === 'isolate') stacks.push(frames);
  }
  return { ms, stacks };
}
