#!/usr/bin/env node
// The CPU of a refresh's parse, by phase, in Node: `node bench/profile-ingest.mjs`. Times the whole
// parse, the XML parse alone and the sanitizer alone on the bench's ingest corpus (12 feeds of
// ~56 KB), then takes a CPU profile (--cpu-prof) of the whole parse and attributes its samples to
// the phases by the functions on each sample's stack. The worker reports the D1 phases itself
// (`npm run bench`: compare, store).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', '.build', 'profile');
const ROUNDS = Number(process.env.ROUNDS ?? 20);

if (process.argv[2] === '--child') {
  const { run } = await import(join(out, 'profile-ingest.js'));
  const { upstreamFeed } = await import(join(out, 'corpus.mjs'));
  const docs = Array.from({ length: 12 }, (_, i) => upstreamFeed(i, 1));
  console.log(JSON.stringify(await run(docs, ROUNDS)));
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(
  join(root, 'node_modules', '.bin', 'esbuild'),
  [
    'bench/profile-ingest.ts',
    '--bundle',
    '--platform=node',
    '--format=esm',
    `--outfile=${join(out, 'profile-ingest.js')}`,
    '--log-level=warning',
    // rss-parser requires Node's http and friends (unused here) at load time.
    "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  ],
  { cwd: root, stdio: 'inherit' },
);
// The corpus is bench/run.mjs's own generator (the function only).
const run = readFileSync(join(root, 'bench', 'run.mjs'), 'utf8');
const start = run.indexOf('function upstreamFeed');
writeFileSync(join(out, 'corpus.mjs'), `export ${run.slice(start, run.indexOf('\n}\n', start) + 3)}`);

const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, fileURLToPath(import.meta.url), '--child'], {
  encoding: 'utf8',
  env: process.env,
});
if (child.status !== 0) throw new Error(child.stderr);
const times = JSON.parse(child.stdout.trim().split('\n').at(-1));

// Samples by phase: the innermost phase function on each sample's stack.
const PHASES = [
  ['sanitize (parse5: parse, filter, serialize)', /^(sanitizeAll|sanitizeFragment)$/],
  ['XML parse (rss-parser, xml2js, sax)', /^(readXml|parseString)$/],
  ['decode, locate, repair', /^(locateDocument|repairXml|decodeFeedBytes|truncateItems)$/],
  ['normalize (fields, URLs, dates, ids)', /^(normalizeItems|finishItems|finish|shapeItems?|fromRss|fromAtom)$/],
];
const profile = JSON.parse(
  readFileSync(
    join(
      out,
      readdirSync(out).find((f) => f.endsWith('.cpuprofile')),
    ),
    'utf8',
  ),
);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
for (const id of profile.samples) {
  let phase = null;
  for (let cur = id; cur !== undefined && phase === null; cur = parent.get(cur)) {
    const name = nodes.get(cur).callFrame.functionName;
    phase = PHASES.find(([, re]) => re.test(name))?.[0] ?? (name === '(garbage collector)' ? 'garbage collection' : null);
  }
  counts.set(phase ?? 'other (module loading, timers, idle)', (counts.get(phase ?? 'other (module loading, timers, idle)') ?? 0) + 1);
}
const inPhases = [...counts].filter(([k]) => !k.startsWith('other')).reduce((a, [, v]) => a + v, 0);
console.log(`parse of one ~56 KB feed (20 full-content items), Node ${process.version}, ${ROUNDS} rounds of 12 feeds:`);
console.log(
  `  whole parse ${times.parseFeedMs.toFixed(2)} ms; XML parse alone ${times.xmlParseMs.toFixed(2)} ms; sanitizer alone ${times.sanitizeMs.toFixed(2)} ms`,
);
console.log('CPU profile of the whole parse, share of its samples by phase:');
for (const [phase, n] of [...counts].sort((a, b) => b[1] - a[1]).filter(([k]) => !k.startsWith('other')))
  console.log(`  ${((n / inPhases) * 100).toFixed(1).padStart(5)} %  ${phase}`);
