// Feed documents: archives (RFC 5005) and what a feed says about itself. Every feed of the site
// read as stored by every independent parser is the full tier's (conformance.full.test.ts).
// One workerd and one D1 for the suites of this area, run in this order (each is a file beside this
// one, under a describe of its name): loading the app into a runtime costs more than most suites.
// The first suite sees the demo content alone; the others bear with what those before them stored.
// Run one: npx vitest run tests/feeds -t '^<suite> '.
import { describe } from 'vitest';

describe('archive', async () => {
  await import('./archive.suite');
});
describe('feed-variants', async () => {
  await import('./feed-variants.suite');
});
