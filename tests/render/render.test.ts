// Rendering: hostile text in feeds and pages, the golden files, the renderer, absolute URLs, the
// HTML pages as a person navigates them, and a post page's link preview.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/render -t '^<suite> '.
import { describe } from 'vitest';

describe('escaping', async () => {
  await import('./escaping.suite');
});
describe('golden', async () => {
  await import('./golden.suite');
});
describe('render', async () => {
  await import('./render.suite');
});
describe('absolute-urls', async () => {
  await import('./absolute-urls.suite');
});
describe('pages', async () => {
  await import('./pages.suite');
});
describe('post-preview', async () => {
  await import('./post-preview.suite');
});
