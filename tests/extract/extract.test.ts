// Page sources: the demo publication, POST /api/extract and page sources end to end, how they fetch
// the web, and crowds.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/extract -t '^<suite> '.
import { describe } from 'vitest';

describe('demo', async () => {
  await import('./demo.suite');
});
describe('page-sources', async () => {
  await import('./page-sources.suite');
});
describe('page-fetch', async () => {
  await import('./page-fetch.suite');
});
describe('crowds', async () => {
  await import('./crowds.suite');
});
describe('examples', async () => {
  await import('./examples.suite');
});
describe('backfill', async () => {
  await import('./backfill.suite');
});
