// The XSS corpus (tests/fixtures/xss/vectors.ts, several hundred vectors) through the real refresh
// path: each vector is an item of a feed served by the stub upstream on 127.0.0.1, in RSS, Atom
// and JSON Feed. Every page and feed a reader can get is then read by html5lib, the feeds' HTML
// strings decoded and parsed one by one, and scanned for anything that could run: script,
// handlers, script URLs, unsandboxed frames, plugins, base, meta refresh (tests/tools/xss_scan.py).
// A sample of the vectors takes the same path in the fast tier (xss.suite.ts).
import { describe, expect, it } from 'vitest';
import { sanitizeFragment } from '../../src/html/sanitize';
import { XSS_VECTORS } from '../fixtures/xss/vectors';
import { expectNothingLive, scan, XSS_PLANS } from '../support/xss';

describe('the XSS corpus', () => {
  it('has at least 300 distinct vectors', () => {
    expect(new Set(XSS_VECTORS).size).toBe(XSS_VECTORS.length);
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(300);
  });

  it('sanitized alone, every vector parses back to exactly what was serialized (no mutation)', () => {
    const unstable = XSS_VECTORS.filter((v) => {
      const once = sanitizeFragment(v, 'https://upstream.example/post');
      return sanitizeFragment(once, 'https://upstream.example/post') !== once;
    });
    expect(unstable).toEqual([]);
  });

  it('sanitized alone, no vector leaves anything live for html5lib', async (ctx) => {
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      items: XSS_VECTORS.map((v, i) => ({ id: String(i), content_html: sanitizeFragment(v, 'https://upstream.example/post') })),
    });
    const result = await scan(ctx, feed);
    expect(result.fragments).toBe(XSS_VECTORS.length);
    expect(result.findings).toEqual([]);
  });

  for (const plan of XSS_PLANS) {
    it(`through the refresh path as ${plan.format}: no page or feed carries anything live`, { timeout: 180_000 }, (ctx) =>
      expectNothingLive(ctx, plan, XSS_VECTORS, 1),
    );
  }
});
