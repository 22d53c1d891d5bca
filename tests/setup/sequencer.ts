// The order test files start in. Four run at a time on two cores, so the run ends when the last
// long file does: the long ones must start first. Vitest knows a file's length from its own last
// run on this machine; without one (a fresh clone) it guesses from the file's size, which puts the
// area files (a few lines that run tests/<area>/*.suite.ts) last. Here, without vitest's own
// durations, a file's measured length from tests/durations.json (scripts/test-durations.mjs) goes
// first, and a file not measured there weighs what it and its suites weigh, in bytes.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Bytes of a test file and of the suites it runs. */
function bytes(file: string): number {
  const source = readFileSync(file, 'utf8');
  const suites = [...source.matchAll(/import\('(\.\/[\w.-]+\.suite)'\)/g)].map((m) => join(dirname(file), `${m[1]}.ts`));
  return suites.reduce((sum, suite) => sum + statSync(suite).size, statSync(file).size);
}

export default class AreaSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    if (files.every((f) => cache.getFileTestResults(`${f.project.name}:${relative(root, f.moduleId)}`))) return super.sort(files);
    const measuredFile = join(root, 'tests', 'durations.json');
    const measured: Record<string, number> = existsSync(measuredFile) ? JSON.parse(readFileSync(measuredFile, 'utf8')) : {};
    // Seconds measured, else about one second per 10 KB of test code.
    const weight = (f: TestSpecification) => measured[relative(root, f.moduleId)] ?? bytes(f.moduleId) / 10_000;
    const weights = new Map(files.map((f) => [f, weight(f)]));
    return [...files].sort((a, b) => weights.get(b)! - weights.get(a)!);
  }
}
