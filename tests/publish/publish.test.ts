// Publishing: the posts API, slugs, moves, podcasts and media, WebSub, the workflow and freshness.
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/publish -t '^<suite> '.
import { describe } from 'vitest';

describe('podcast-cost', async () => {
  await import('./podcast-cost.suite');
});
describe('api', async () => {
  await import('./api.suite');
});
describe('concurrency', async () => {
  await import('./concurrency.suite');
});
describe('slugs', async () => {
  await import('./slugs.suite');
});
describe('slug-addresses', async () => {
  await import('./slug-addresses.suite');
});
describe('moves', async () => {
  await import('./moves.suite');
});
describe('podcast', async () => {
  await import('./podcast.suite');
});
describe('media-language', async () => {
  await import('./media-language.suite');
});
describe('websub', async () => {
  await import('./websub.suite');
});
describe('workflow', async () => {
  await import('./workflow.suite');
});
describe('freshness', async () => {
  await import('./freshness.suite');
});
