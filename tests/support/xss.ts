// The XSS corpus through the real refresh path (tests/ingest/xss.suite.ts for a sample,
// xss.full.test.ts for every vector): each vector an item of a feed served by the stub upstream,
// then every page and feed a reader can get read by the scanner (tests/tools/xss_scan.py) and the
// feeds by the independent checkers.
import { env } from 'cloudflare:workers';
import { expect, type TestContext } from 'vitest';
import { AUTH, check, get, upstream } from './worker';

export type Scan = { fragments: number; findings: { where: string; element: string; what: string }[] };

/** The scanner's report on `body`, which must be readable. */
export async function scan(ctx: TestContext, body: string): Promise<Scan> {
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

/** A feed format, the vectors per feed, and whether the sources' HTML pages are scanned too. */
export type XssPlan = { format: 'rss' | 'atom' | 'json'; size: number; pages: boolean };

// Pages list 50 items; feeds carry up to 100 (?limit=100).
export const XSS_PLANS: readonly XssPlan[] = [
  { format: 'rss', size: 50, pages: true },
  { format: 'atom', size: 50, pages: true },
  { format: 'json', size: 100, pages: false },
];

/**
 * Sends `vectors` (xssSample(stride) of the corpus) through the refresh path as `plan` says, and
 * checks that no page or feed carries anything live and that the checkers accept the feeds.
 */
export async function expectNothingLive(ctx: TestContext, plan: XssPlan, vectors: readonly string[], stride: number) {
  const count = Math.ceil(vectors.length / plan.size);
  const ids: number[] = [];
  for (let page = 0; page < count; page++) {
    ids.push(await addAndRefresh(upstream(`/xss/${plan.format}/${page}?size=${plan.size}${stride > 1 ? `&stride=${stride}` : ''}`)));
  }
  // Every vector became a stored item: hostile markup drops content, never the item.
  const stored = await env.DB.prepare(`SELECT count(*) AS n FROM entries WHERE source_id IN (${ids.join(',')})`).first<{ n: number }>();
  expect(stored!.n).toBe(vectors.length);
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
}
