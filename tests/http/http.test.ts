// HTTP: the stats, responses and conditional GETs, Last-Modified, security headers and the preview.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/http -t '^<suite> '.
import { describe } from 'vitest';

describe('stats', async () => {
  await import('./stats.suite');
});
describe('http', async () => {
  await import('./http.suite');
});
describe('last-modified', async () => {
  await import('./last-modified.suite');
});
describe('headers', async () => {
  await import('./headers.suite');
});
describe('preview', async () => {
  await import('./preview.suite');
});
