// Runs in Node before the suite: serves the independent feed checkers (xmllint, jing with the
// RFC 4287 schema, Universal Feed Parser, newsboat, html5lib) on 127.0.0.1, because the tests themselves
// run inside workerd, which cannot start processes. POST /<tool> with the document as the body;
// the answer is JSON { available, ok, output }.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function runTool(tool: string, body: Buffer): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'syndicate-check-'));
  const file = join(dir, 'document');
  writeFileSync(file, body);
  const [command, args] = TOOLS[tool]!(file);
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, env: CHECKER_ENV }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      // A wrapper script names a program it needs and cannot find with `not installed: <name>`.
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' || /No module named|^not installed: /m.test(stderr);
      // jing prints harmless warnings about optional Java libraries on stderr, and the JVM names
      // the options it was given.
      const noise = /^(?:\[warning\] .*Unable to locate .*|Picked up JAVA_TOOL_OPTIONS:.*)$/gm;
      resolve({ available: !missing, ok: !error, output: (stdout + stderr.replace(noise, '')).trim() });
    });
  });
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
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
