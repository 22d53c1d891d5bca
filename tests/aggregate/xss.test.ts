// The XSS corpus (tests/fixtures/xss/vectors.ts, several hundred vectors) through the real refresh
// path: each vector is an item of a feed served by the stub upstream on 127.0.0.1, in RSS, Atom
// and JSON Feed. Every page and feed a reader can get is then read by html5lib, the feeds' HTML
// strings decoded and parsed one by one, and scanned for anything that could run: script,
// handlers, script URLs, unsandboxed frames, plugins, base, meta refresh (tests/tools/xss_scan.py).
import { env } from 'cloudflare:workers';
import { describe, expect, it, type TestContext } from 'vitest';
import { sanitizeFragment } from '../../src/html/sanitize';
import { XSS_VECTORS } from '../fixtures/xss/vectors';
import { AUTH, check, get, upstream } from '../support/worker';

type Scan = { fragments: number; findings: { where: string; element: string; what: string }[] };

async function scan(ctx: TestContext, body: string): Promise<Scan> {
  const result = await check(ctx, 'xss', body);
  expect(result.ok, result.output).toBe(true);
  return JSON.parse(result.output) as Scan;
}

async function addAndRefresh(url: string): Promise<number> {
  const created = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url, kind: 'feed' }) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: number };
  const refreshed = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
  const report = (await refreshed.json()) as { refresh: { outcome: string; error: string | null } };
  expect(report.refresh.outcome, report.refresh.error ?? '').toBe('ok');
  return id;
}

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

  // Pages list 50 items; feeds carry up to 100 (?limit=100).
  const plans = [
    { format: 'rss', size: 50, pages: true },
    { format: 'atom', size: 50, pages: true },
    { format: 'json', size: 100, pages: false },
  ] as const;

  for (const plan of plans) {
    it(`through the refresh path as ${plan.format}: no page or feed carries anything live`, { timeout: 180_000 }, async (ctx) => {
      const count = Math.ceil(XSS_VECTORS.length / plan.size);
      const ids: number[] = [];
      for (let page = 0; page < count; page++) ids.push(await addAndRefresh(upstream(`/xss/${plan.format}/${page}?size=${plan.size}`)));
      // Every vector became a stored item: hostile markup drops content, never the item.
      const stored = await env.DB.prepare(`SELECT count(*) AS n FROM entries WHERE source_id IN (${ids.join(',')})`).first<{ n: number }>();
      expect(stored!.n).toBe(XSS_VECTORS.length);
      const paths = ids.flatMap((id) => [
        `/sources/${id}/feed.xml?limit=100`,
        `/sources/${id}/atom.xml?limit=100`,
        `/sources/${id}/feed.json?limit=100`,
        ...(plan.pages ? [`/sources/${id}/`] : []),
      ]);
      paths.push('/planet/', '/planet/feed.xml?limit=100', '/planet/atom.xml?limit=100', '/planet/feed.json?limit=100');
      const documents: Record<string, string> = {};
      for (const path of paths) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        documents[path] = await res.text();
      }
      // One scanner run reads them all, each on its own.
      const scanned = await check(ctx, 'xss', JSON.stringify({ documents }));
      expect(scanned.ok, scanned.output).toBe(true);
      const results = Object.entries(JSON.parse(scanned.output) as Record<string, Scan>).map(([path, r]) => ({ path, ...r }));
      expect(results.map((r) => r.path)).toEqual(paths);
      expect(results.filter((r) => r.findings.length > 0)).toEqual([]);
      // The independent checkers accept the feeds made of the first vectors (a DOCTYPE in an
      // item once made Universal Feed Parser crash) and the merged ones.
      const feeds = [
        `/sources/${ids[0]}/feed.xml?limit=100`,
        `/sources/${ids[0]}/atom.xml?limit=100`,
        '/planet/feed.xml?limit=100',
        '/planet/atom.xml?limit=100',
      ];
      for (const path of feeds) {
        const xml = await (await get(path)).text();
        const lint = await check(ctx, 'xmllint', xml);
        expect(lint.ok, `${path}: ${lint.output}`).toBe(true);
        if (path.includes('atom')) expect((await check(ctx, 'jing', xml)).output, path).toBe('');
        const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as {
          bozo: boolean;
          bozo_exception?: string;
          entries: unknown[];
        };
        expect(fp.bozo, `${path}: ${fp.bozo_exception}`).toBe(false);
        expect(fp.entries.length, path).toBeGreaterThan(0);
      }
      // The scanner really read the vectors: every feed had HTML strings to parse.
      for (const r of results.filter((r) => !r.path.endsWith('/'))) expect(r.fragments, r.path).toBeGreaterThan(0);
    });
  }
});
