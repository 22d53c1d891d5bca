// Runs in Node before the suite: serves the independent feed checkers (xmllint, jing with the
// RFC 4287 schema, Universal Feed Parser, newsboat, html5lib) on 127.0.0.1, because the tests themselves
// run inside workerd, which cannot start processes. POST /<tool> with the document as the body;
// the answer is JSON { available, ok, output }.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';

const here = new URL('../tools/', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';

const TOOLS: Record<string, (file: string) => [string, string[]]> = {
  xmllint: (file) => ['xmllint', ['--noout', '--nonet', file]],
  jing: (file) => ['jing', ['-c', join(here, 'atom.rnc'), file]],
  feedparser: (file) => [PYTHON, [join(here, 'feedparser_check.py'), file]],
  newsboat: (file) => [PYTHON, [join(here, 'newsboat_check.py'), file]],
  html5: (file) => [PYTHON, [join(here, 'html5_check.py'), file]],
  xss: (file) => [PYTHON, [join(here, 'xss_scan.py'), file]],
};

/**
 * jing starts a JVM for every document: a JVM that compiles less and collects simply starts in
 * about two thirds of the time, which is most of a check.
 */
const CHECKER_ENV = { ...process.env, JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto' };

type Result = { available: boolean; ok: boolean; output: string };

/** What a check printed, as one answer: `missing` when the tool is not installed. */
function result(code: number | null, missingProgram: boolean, stdout: string, stderr: string): Result {
  // A wrapper script names a program it needs and cannot find with `not installed: <name>`.
  const missing = missingProgram || /No module named|^not installed: /m.test(stderr);
  // jing prints harmless warnings about optional Java libraries on stderr, and the JVM names
  // the options it was given.
  const noise = /^(?:\[warning\] .*Unable to locate .*|Picked up JAVA_TOOL_OPTIONS:.*)$/gm;
  return { available: !missing, ok: code === 0, output: (stdout + stderr.replace(noise, '')).trim() };
}

/** The Python checkers that read one document at a time and keep no state: served by workers that stay. */
const RESIDENT = new Set(['feedparser', 'html5', 'xss']);
/** Resident workers per checker: test files run three at a time. */
const WORKERS_PER_TOOL = 3;

type Job = { file: string; done: (r: Result) => void };
type Worker = { process: ChildProcessWithoutNullStreams; busy: Job | null; alive: boolean };
const pools = new Map<string, { workers: Worker[]; waiting: Job[] }>();

/**
 * Checks `file` with a resident Python worker of `tool` (tests/tools/serve_checks.py): the same
 * script, run again in a process that imported its libraries once. A worker that dies hands its
 * document to a Python of its own.
 */
function checkResident(tool: string, file: string): Promise<Result> {
  return new Promise((done) => {
    const pool = pools.get(tool) ?? { workers: [], waiting: [] };
    pools.set(tool, pool);
    pool.waiting.push({ file, done });
    dispatch(tool, pool);
  });
}

function dispatch(tool: string, pool: { workers: Worker[]; waiting: Job[] }) {
  pool.workers = pool.workers.filter((w) => w.alive);
  while (pool.waiting.length) {
    let worker = pool.workers.find((w) => !w.busy);
    if (!worker && pool.workers.length < WORKERS_PER_TOOL) worker = startWorker(tool, pool);
    if (!worker) return;
    const job = pool.waiting.shift()!;
    worker.busy = job;
    worker.process.stdin.write(`${job.file}\n`);
  }
}

function startWorker(tool: string, pool: { workers: Worker[]; waiting: Job[] }): Worker {
  const [, args] = TOOLS[tool]!('');
  const child = spawn(PYTHON, [join(here, 'serve_checks.py'), args[0]!], { stdio: 'pipe', env: CHECKER_ENV });
  const worker: Worker = { process: child, busy: null, alive: true };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const job = worker.busy;
    worker.busy = null;
    const answer = JSON.parse(line) as { code: number; stdout: string; stderr: string };
    job?.done(result(answer.code, false, answer.stdout, answer.stderr));
    dispatch(tool, pool);
  });
  child.on('error', () => {});
  child.on('exit', () => {
    worker.alive = false;
    const job = worker.busy;
    worker.busy = null;
    if (job) runOnce(tool, job.file).then(job.done);
    dispatch(tool, pool);
  });
  pool.workers.push(worker);
  return worker;
}

function runOnce(tool: string, file: string): Promise<Result> {
  const [command, args] = TOOLS[tool]!(file);
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, env: CHECKER_ENV }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve(result(code, (error as NodeJS.ErrnoException | null)?.code === 'ENOENT', stdout, stderr));
    });
  });
}

async function runTool(tool: string, body: Buffer): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'syndicate-check-'));
  const file = join(dir, 'document');
  writeFileSync(file, body);
  try {
    return await (RESIDENT.has(tool) ? checkResident(tool, file) : runOnce(tool, file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject) {
  const server = createServer((req, res) => {
    const tool = (req.url ?? '').slice(1);
    if (req.method !== 'POST' || !(tool in TOOLS)) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const result = await runTool(tool, Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  // workerd keeps connections to this server open between tests; a connection the server closed
  // after Node's idle timeout (5 s) while a request was on its way fails that request as
  // "Network connection lost". Idle connections stay open until the client closes them.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('checker server has no port');
  project.provide('checkerUrl', `http://127.0.0.1:${address.port}`);
  project.provide('checkersRequired', process.env.CI === 'true');
  return () =>
    new Promise<void>((resolve) => {
      for (const pool of pools.values()) for (const worker of pool.workers) worker.process.kill();
      server.close(() => resolve());
    });
}
