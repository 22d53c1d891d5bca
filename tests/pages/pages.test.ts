// HTML pages: navigation, landmarks and pagination, and a post page's link preview.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/pages -t '^<suite> '.
import { describe } from 'vitest';

describe('pages', async () => {
  await import('./pages.suite');
});
describe('post-preview', async () => {
  await import('./post-preview.suite');
});
