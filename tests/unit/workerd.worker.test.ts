// The pure suites whose runtime matters, again inside workerd (they run in Node as well): feed
// parsing, for the runtime's TextDecoder; hostile pages, for its stack. One runtime for both.
import { describe } from 'vitest';

describe('ingest/parse', async () => {
  await import('./ingest/parse.test');
});
describe('extract/hostile', async () => {
  await import('./extract/hostile.test');
});
