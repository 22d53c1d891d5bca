// The order test files start in. Three run at a time on two cores, so the run ends when the last
// long file does: the long ones must start first. Vitest knows a file's length from its last run;
// on a first run (a fresh clone) it guesses from the file's size, and an area file is a few lines
// that run its suites (tests/<area>/*.suite.ts). Here an area file weighs what its suites weigh.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Bytes of a test file and of the suites it runs. */
function weight(file: string): number {
  const source = readFileSync(file, 'utf8');
  const suites = [...source.matchAll(/import\('(\.\/[\w.-]+\.suite)'\)/g)].map((m) => join(dirname(file), `${m[1]}.ts`));
  return suites.reduce((sum, suite) => sum + statSync(suite).size, statSync(file).size);
}

export default class AreaSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const known = files.every((f) => cache.getFileTestResults(`${f.project.name}:${relative(root, f.moduleId)}`) !== undefined);
    // Durations of a last run tell best; without them, weights.
    if (known) return super.sort(files);
    const weights = new Map(files.map((f) => [f, weight(f.moduleId)]));
    return [...files].sort((a, b) => weights.get(b)! - weights.get(a)!);
  }
}
