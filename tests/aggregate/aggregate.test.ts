// Aggregation: the sources API and the bad-feed corpus end to end, refresh state, the cron, OPML and filters.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/aggregate -t '^<suite> '.
import { describe } from 'vitest';

describe('sources', async () => {
  await import('./sources.suite');
});
describe('refresh-state', async () => {
  await import('./refresh-state.suite');
});
describe('scheduled', async () => {
  await import('./scheduled.suite');
});
describe('opml', async () => {
  await import('./opml.suite');
});
// Filter rules on sources and views, subscribers' ?filter= / ?filterout= feeds, tracking parameters.
describe('filters-rules', async () => {
  await import('./filters-rules.suite');
});
describe('filters-url', async () => {
  await import('./filters-url-filters.suite');
});
describe('filters-tracking', async () => {
  await import('./filters-tracking.suite');
});
