// The pure suites whose runtime matters, again inside workerd (they run in Node as well): feed
// parsing, for the runtime's TextDecoder, and the windows of large feeds; hostile pages, for its stack; filter rules, for re2js. One runtime for all.
import { describe } from 'vitest';

describe('ingest/parse', async () => {
  await import('./ingest/parse.test');
});
describe('ingest/xml-windows', async () => {
  await import('./ingest/xml-windows.test');
});
describe('extract/hostile', async () => {
  await import('./extract/hostile.test');
});
describe('filters/matcher', async () => {
  // re2js (the regex engine of filter rules) and Unicode property escapes, in the runtime that runs them.
  await import('./filters/matcher.test');
});
