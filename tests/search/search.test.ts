// Search: the index following every write, CJK substrings, snippets, the page, the feeds, any
// query at all. One workerd and one D1 for the suites of this area, run in this order.
// Run one: npx vitest run tests/search -t '^<suite> '.
import { describe } from 'vitest';

describe('index', async () => {
  await import('./index.suite');
});
describe('page', async () => {
  await import('./page.suite');
});
describe('feeds', async () => {
  await import('./feeds.suite');
});
describe('fuzz', async () => {
  await import('./fuzz.suite');
});
describe('console', async () => {
  await import('./console.suite');
});
describe('filters', async () => {
  await import('./filters.suite');
});
