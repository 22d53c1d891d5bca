// V8's sampling CPU profiler on the worker's isolate, through workerd's inspector (the worker
// started with `inspectorPort`, bench/harness.mjs): which of the isolate's functions its samples
// fall in. Only the shares mean something: under load the sampler thread misses ticks (the same
// requests gave 37 to 336 samples in runs minutes apart), so absolute times come from perf
// (bench/perf.mjs), and bench/profile-refresh.mjs spreads the isolate's perf CPU over these shares.
import WebSocket from 'ws';

/** The isolates behind workerd's inspector on `port`, by the worker's name (`core:user:syndicate`, `d1:db`, …). */
export async function isolateNames(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  return targets.map((t) => t.title.replace(/^workerd: worker /, ''));
}

/** Connects to the isolate of worker `name` (default: the user's worker) behind workerd's inspector on `port`. */
export async function attachProfiler(port, intervalUs = 100, name = /^core:user:/) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => name.test(t.title.replace(/^workerd: worker /, '')));
  if (!target) throw new Error(`no isolate ${name} behind the inspector: ${JSON.stringify(targets.map((t) => t.title))}`);
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
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  return {
    start: () => send('Profiler.start'),
    /** Stops the profiler: each function's share of the isolate's samples (self), largest first, and their number. */
    async stop() {
      const { profile } = await send('Profiler.stop');
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      const counts = new Map();
      let total = 0;
      for (const nodeId of profile.samples) {
        const { functionName, url, lineNumber } = byId.get(nodeId).callFrame;
        if (functionName === '(idle)') continue;
        const where = lineNumber >= 0 ? ` (${url.split('/').at(-1) || 'worker.js'}:${lineNumber + 1})` : '';
        const key = `${functionName || '(anonymous)'}${where}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        total++;
      }
      return { total, shares: [...counts].map(([key, n]) => [key, n / total]).sort((a, b) => b[1] - a[1]) };
    },
    close: () => ws.close(),
  };
}
