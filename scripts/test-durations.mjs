// Writes tests/durations.json: how long each test file of the fast tier took, from the JSON report
// that `CI=true npm test` leaves (test-results.json). tests/setup/sequencer.ts starts the longest
// files first when vitest has no durations of its own (a fresh clone). Run after tests change much:
//   CI=true npm test; node scripts/test-durations.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = JSON.parse(readFileSync(join(root, 'test-results.json'), 'utf8'));
const durations = Object.fromEntries(
  report.testResults
    .map((file) => [relative(root, file.name), Math.round((file.endTime - file.startTime) / 100) / 10])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(join(root, 'tests', 'durations.json'), `${JSON.stringify(durations, null, 2)}\n`);
console.log(`tests/durations.json: ${Object.keys(durations).length} files`);
