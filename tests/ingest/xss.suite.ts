// A sample of the XSS corpus (every 16th vector of tests/fixtures/xss/vectors.ts, one feed per
// format) through the real refresh path, read as xss.full.test.ts reads every vector: nothing
// that could run in any page or feed, and feeds the independent checkers accept.
import { describe, it } from 'vitest';
import { xssSample } from '../fixtures/xss/vectors';
import { expectNothingLive, XSS_PLANS } from '../support/xss';

const STRIDE = 16;

describe('a sample of the XSS corpus', () => {
  for (const plan of XSS_PLANS) {
    it(`every ${STRIDE}th vector through the refresh path as ${plan.format}: no page or feed carries anything live`, (ctx) =>
      expectNothingLive(ctx, plan, xssSample(STRIDE), STRIDE));
  }
});
