// Filters: rules on sources and views through the real refresh and serve paths, subscribers'
// ?filter= / ?filterout= feeds, and tracking parameters removed from links. One workerd and one D1
// for the suites of this area, run in this order.
// Run one: npx vitest run --project workers tests/filters -t '^<suite> '.
import { describe } from 'vitest';

describe('rules', async () => {
  await import('./rules.suite');
});
describe('url-filters', async () => {
  await import('./url-filters.suite');
});
describe('tracking', async () => {
  await import('./tracking.suite');
});
