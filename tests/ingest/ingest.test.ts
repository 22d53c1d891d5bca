// Ingest through the refresh path: fetch-level cases, the robustness review and a sample of the XSS corpus.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/ingest -t '^<suite> '.
import { describe } from 'vitest';

describe('fetch', async () => {
  await import('./fetch.suite');
});
describe('robustness', async () => {
  await import('./robustness.suite');
});
describe('xss', async () => {
  await import('./xss.suite');
});
describe('unchanged', async () => {
  await import('./unchanged.suite');
});
describe('trips', async () => {
  await import('./trips.suite');
});
describe('large-feed', async () => {
  await import('./large-feed.suite');
});
