// Moved and retired paths (POST /api/moves, src/moves/): 301 to the new address, 410 with a final
// item (a moved-to podcast feed says itunes:new-feed-url: tests/publish/podcast.suite.ts), validation, and
// sources retired by their upstream's 410 after the grace period. Gone documents are read by
// xmllint, jing and Universal Feed Parser.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it, vi } from 'vitest';
import { app } from '../../src/app';
import { siteConfig } from '../../src/config';
import { createMove } from '../../src/db/moves';
import { getSource } from '../../src/db/sources';
import { refreshSource } from '../../src/ingest/refresh';
import { resolveMove, SOURCE_GONE_GRACE_MS } from '../../src/moves/rules';
import { forgetMoves, MOVES_MEMO_MS } from '../../src/moves/serve-moves';
import { AUTH, check, get, SITE } from '../support/worker';

const api = (method: string, path: string, body?: unknown) =>
  get(`/api/moves${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
const move = async (body: unknown) => {
  const res = await api('POST', '', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; from: string; to: string | null; gone: boolean; status: number };
};
type Problem = { status: number; errors: { field: string; message: string }[] };
const problem = async (res: Response) => ({ status: res.status, ...((await res.json()) as Omit<Problem, 'status'>) });
type Fp = {
  bozo_exception: string | null;
  version: string;
  feed: { title: string; links: { rel: string; href: string }[] };
  entries: { id: string; title: string; link: string; summary: string }[];
};

describe('POST /api/moves {"from", "to"}: a permanent redirect', () => {
  it('the old path answers 301 with an absolute Location; the feed moved to changes its ETag; DELETE undoes both', async (ctx) => {
    const before = await get('/feed.xml');
    expect(await before.text()).not.toContain('new-feed-url');
    const created = await move({ from: '/blog/rss.xml', to: '/feed.xml' });
    expect(created).toMatchObject({ from: `${SITE}/blog/rss.xml`, to: `${SITE}/feed.xml`, gone: false, status: 301 });

    const old = await get('/blog/rss.xml', { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`${SITE}/feed.xml`);

    // A podcast feed moved to says itunes:new-feed-url (tests/publish/podcast.suite.ts); this one is no
    // podcast (no complete show in the shipped settings), so it says nothing iTunes.
    const moved = await get('/feed.xml');
    expect(moved.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const xml = await moved.text();
    expect(xml).not.toContain('itunes');
    expect(xml).toContain(`<atom:link href="${SITE}/feed.xml" rel="self"`);
    const lint = await check(ctx, 'xmllint', xml);
    expect(lint.output).toBe('');
    const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as Fp;
    expect(fp.bozo_exception).toBeNull();
    expect(fp.feed.links).toContainEqual({ rel: 'self', href: `${SITE}/feed.xml` });

    const list = (await (await api('GET', '')).json()) as { moves: { id: number; from: string }[] };
    expect(list.moves).toContainEqual(expect.objectContaining({ id: created.id, from: `${SITE}/blog/rss.xml` }));

    expect((await api('DELETE', `/${created.id}`)).status).toBe(204);
    expect((await get('/blog/rss.xml', { redirect: 'manual' })).status).toBe(404);
    const after = await get('/feed.xml');
    expect(await after.text()).not.toContain('new-feed-url');
    expect(after.headers.get('etag')).not.toBe(moved.headers.get('etag'));
    expect((await api('DELETE', `/${created.id}`)).status).toBe(404);
  });

  it('moves a live feed of ours elsewhere: the route is not reached any more', async () => {
    await move({ from: '/tags/lifestyle/feed.xml', to: 'https://elsewhere.example/lifestyle.rss' });
    const res = await get('/tags/lifestyle/feed.xml', { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://elsewhere.example/lifestyle.rss');
    expect((await get('/tags/lifestyle/atom.xml')).status).toBe(200);
  });
});

describe('POST /api/moves {"from", "gone": true}: 410 with a final item', () => {
  for (const [file, format] of [
    ['feed.xml', 'rss20'],
    ['atom.xml', 'atom10'],
  ] as const) {
    it(`${file}: the feed document with one final item pointing on, status 410, read by the checkers`, async (ctx) => {
      await move({ from: `/authors/news-desk/${file}`, gone: true, to: '/planet/' });
      const res = await get(`/authors/news-desk/${file}`);
      expect(res.status).toBe(410);
      const xml = await res.text();
      expect((await check(ctx, 'xmllint', xml)).output).toBe('');
      if (file === 'atom.xml') expect((await check(ctx, 'jing', xml)).output).toBe('');
      const fp = JSON.parse((await check(ctx, 'feedparser', xml)).output) as Fp;
      expect(fp.bozo_exception).toBeNull();
      expect(fp.version).toBe(format);
      expect(fp.feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${SITE}/authors/news-desk/${file}` }));
      expect(fp.entries).toHaveLength(1);
      expect(fp.entries[0]).toMatchObject({ title: 'This feed has ended', link: `${SITE}/planet/` });
      expect(fp.entries[0]!.summary).toContain(`${SITE}/planet/`);
    });
  }

  it('JSON Feed and pages too; without "to" the item points to the home page', async () => {
    await move({ from: '/old/feed.json', gone: true });
    const res = await get('/old/feed.json');
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const json = (await res.json()) as { version: string; feed_url: string; items: { title: string; url: string }[] };
    expect(json).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', feed_url: `${SITE}/old/feed.json` });
    expect(json.items).toEqual([expect.objectContaining({ title: 'This feed has ended', url: `${SITE}/` })]);

    await move({ from: '/old/page', gone: true });
    const page = await get('/old/page');
    expect(page.status).toBe(410);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('This feed has ended');
  });
});

describe('the request query on moved and retired feeds', () => {
  it('a 301 carries the query over; the target keeps its own parameters and its fragment', async () => {
    await move({ from: '/query/feed.xml', to: '/feed.xml' });
    const location = async (path: string) => (await get(path, { redirect: 'manual' })).headers.get('location');
    expect(await location('/query/feed.xml?limit=5')).toBe(`${SITE}/feed.xml?limit=5`);
    expect(await location('/query/feed.xml?limit=5&content=summary')).toBe(`${SITE}/feed.xml?limit=5&content=summary`);
    expect(await location('/query/feed.xml')).toBe(`${SITE}/feed.xml`);

    await move({ from: '/query/planet.json', to: '/planet/feed.json?tag=friends' });
    expect(await location('/query/planet.json?limit=5')).toBe(`${SITE}/planet/feed.json?tag=friends&limit=5`);
    // A parameter the target sets itself names the feed moved to: the target's value stays.
    expect(await location('/query/planet.json?tag=other&limit=5')).toBe(`${SITE}/planet/feed.json?tag=friends&limit=5`);

    await move({ from: '/query/away.rss', to: 'https://elsewhere.example/feed.rss#latest' });
    expect(await location('/query/away.rss?limit=5')).toBe('https://elsewhere.example/feed.rss?limit=5#latest');
  });

  it('the JSON Feed farewell of a retired feed is expired, keeps the feed title, and its self link keeps the query', async () => {
    const title = ((await (await get('/tags/tech/feed.json')).json()) as { title: string }).title;
    expect(title).not.toBe(siteConfig(env).title);
    await move({ from: '/tags/tech/feed.json', gone: true, to: '/feed.json' });
    await move({ from: '/tags/tech/atom.xml', gone: true, to: '/atom.xml' });
    const res = await get('/tags/tech/feed.json?limit=5');
    expect(res.status).toBe(410);
    const json = (await res.json()) as { expired: boolean; title: string; feed_url: string; items: { title: string }[] };
    expect(json).toMatchObject({ expired: true, title, feed_url: `${SITE}/tags/tech/feed.json?limit=5` });
    expect(json.items).toEqual([expect.objectContaining({ title: 'This feed has ended' })]);
    // Atom says the same title and self link.
    const atom = await (await get('/tags/tech/atom.xml?limit=5')).text();
    expect(atom).toContain(`<title>${title}</title>`);
    expect(atom).toContain(`<link rel="self" type="application/atom+xml" href="${SITE}/tags/tech/atom.xml?limit=5"/>`);
    expect(atom).toContain(`<id>${SITE}/tags/tech/atom.xml</id>`);
    // A path that was never a feed of ours keeps the site's title.
    await move({ from: '/query/old.json', gone: true });
    expect(((await (await get('/query/old.json')).json()) as { title: string }).title).toBe(siteConfig(env).title);
  });
});

describe('validation', () => {
  it('each bad field is a 400 naming it; a duplicate from a 409; no token a 401', async () => {
    const cases: [unknown, string][] = [
      [{ from: 'no-slash', to: '/feed.xml' }, 'from'],
      [{ from: 'https://other.example/feed.xml', to: '/feed.xml' }, 'from'],
      [{ from: '/feed.xml?x=1', to: '/atom.xml' }, 'from'],
      [{ from: '/api/posts', to: '/feed.xml' }, 'from'],
      [{ from: '/stats', to: '/feed.xml' }, 'from'],
      [{ from: '/a.xml' }, 'to'],
      [{ from: '/a.xml', gone: false }, 'to'],
      [{ from: '/a.xml', to: 'javascript:alert(1)' }, 'to'],
      [{ from: '/a.xml', to: '/a.xml' }, 'to'],
      [{ from: '/a.xml', to: '/b.xml', extra: 1 }, 'extra'],
      [{ from: 7, to: '/b.xml' }, 'from'],
    ];
    for (const [body, field] of cases) {
      const res = await problem(await api('POST', '', body));
      expect([res.status, res.errors.map((e) => e.field)], JSON.stringify(body)).toEqual([400, [field]]);
    }
    // A chain is fine; one that comes back to where it starts is a loop.
    await move({ from: '/loop/a.xml', to: '/loop/b.xml' });
    await move({ from: '/loop/b.xml', to: `${SITE}/loop/c.xml` });
    const loop = await problem(await api('POST', '', { from: '/loop/c.xml', to: '/loop/a.xml' }));
    expect([loop.status, loop.errors[0]!.field, loop.errors[0]!.message]).toEqual([400, 'to', 'leads back to /loop/c.xml: a loop']);

    const duplicate = await problem(await api('POST', '', { from: '/loop/a.xml', to: '/feed.xml' }));
    expect([duplicate.status, duplicate.errors[0]!.field]).toEqual([409, 'from']);
    expect((await get('/api/moves')).status).toBe(401);
    expect((await get('/api/moves/1', { method: 'DELETE' })).status).toBe(401);
  });
});

describe('loops, matched as serving matches paths', () => {
  // Serving matches the path alone (no query, no fragment), on any spelling of the site's host,
  // with percent-escapes of unreserved characters decoded: a target that lands on a moved path
  // however it is written follows that move.
  const refused = async (body: { from: string; to: string }) => {
    const res = await problem(await api('POST', '', body));
    expect([res.status, res.errors.map((e) => e.field)], JSON.stringify(body)).toEqual([400, ['to']]);
    return res.errors[0]!.message;
  };

  it('a target that is the path itself with a query, a fragment, another host spelling or escapes is a loop', async () => {
    const host = new URL(SITE).host;
    for (const to of [
      '/mv/q?x=1',
      '/mv/q#top',
      '/mv/%71',
      '/mv/x/../q',
      `http://${host.toUpperCase()}/mv/q?x=1`,
      `http://localhost.:${new URL(SITE).port}/mv/q`,
      `http://www.${host}/mv/q`,
      `https://${host}/mv/q`,
      `http://user:secret@${host}/mv/q`,
      `${SITE}/m%76/%71?x=1`,
    ]) {
      expect(await refused({ from: '/mv/q', to })).toBe('leads back to /mv/q: a loop');
    }
    // The same path on another site is no loop.
    await move({ from: '/mv/q', to: 'https://elsewhere.example/mv/q' });
  });

  it('a chain through a query, a host spelling or escapes that comes back is a loop, at any length', async () => {
    await move({ from: '/mv/a', to: '/mv/b?x=1' });
    await move({ from: '/mv/b', to: `http://WWW.${new URL(SITE).hostname}.:${new URL(SITE).port}/mv/%63#c` });
    await move({ from: '/mv/c', to: '/mv/d?from=c' });
    expect(await refused({ from: '/mv/d', to: '/mv/a?y=2' })).toBe('leads back to /mv/d: a loop');
    expect(await refused({ from: '/mv/%64', to: `${SITE}/mv/b` })).toBe('leads back to /mv/d: a loop');
    // A target that runs into a loop stored earlier (before loops were matched this way) never ends either.
    await createMove(env.DB, { from: '/mv/old', to: `${SITE}/mv/old?x=1`, gone: false, toView: null, toFormat: null }, Date.now());
    expect(await refused({ from: '/mv/new', to: '/mv/old' })).toBe('leads into a loop through /mv/old');
    // A chain that leaves the site ends there.
    await move({ from: '/mv/d', to: 'https://elsewhere.example/mv/a' });
  });

  it('serves a moved path under every spelling the loop check treats as one', async () => {
    await move({ from: '/mv/%7Eserved', to: '/feed.xml' });
    for (const [path, query] of [
      ['/mv/~served', ''],
      ['/mv/%7eserved', ''],
      ['/m%76/%7Eserved?x=1', '?x=1'],
    ]) {
      const res = await get(path!, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')], path).toEqual([301, `${SITE}/feed.xml${query}`]);
    }
    const again = await problem(await api('POST', '', { from: '/mv/~served', to: '/atom.xml' }));
    expect([again.status, again.errors[0]!.field]).toEqual([409, 'from']);
  });

  it('checks the host as a reader would reach an https site by it: default port, case, trailing dot, www', () => {
    const config = { ...siteConfig(env), url: 'https://example.com' };
    for (const to of ['https://EXAMPLE.com:443/mv/q', 'http://example.com:80/mv/q', 'https://www.example.com./mv/q?x']) {
      expect(() => resolveMove(config, { from: '/mv/q', to }, []), to).toThrow('leads back to /mv/q: a loop');
    }
    expect(resolveMove(config, { from: '/mv/q', to: 'https://example.com:8443/mv/q' }, []).to).toBe('https://example.com:8443/mv/q');
  });
});

describe('a source retired by its upstream (410) answers 410 on its own feeds after the grace period', () => {
  const DAY = 86_400_000;
  const goneSource = async (daysAgo: number) => {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${inject('upstreamUrl')}/status/410?gone=${daysAgo}` }),
    });
    const { id } = (await res.json()) as { id: number };
    const report = await refreshSource(env, (await getSource(env.DB, id))!, Date.now() - daysAgo * DAY);
    expect(report.state).toBe('gone');
    return id;
  };

  it(`within ${SOURCE_GONE_GRACE_MS / DAY} days its feeds serve as before; after them, 410 with a final item`, async (ctx) => {
    const recent = await goneSource(SOURCE_GONE_GRACE_MS / DAY - 1);
    const old = await goneSource(SOURCE_GONE_GRACE_MS / DAY + 1);
    // As another isolate would, once its copy of the moves is older than MOVES_MEMO_MS.
    forgetMoves(env.DB);
    for (const file of ['feed.xml', 'atom.xml', 'feed.json', '']) {
      expect((await get(`/sources/${recent}/${file}`)).status).toBe(200);
      expect((await get(`/sources/${old}/${file}`)).status).toBe(410);
    }
    const atom = await (await get(`/sources/${old}/atom.xml`)).text();
    expect((await check(ctx, 'jing', atom)).output).toBe('');
    const fp = JSON.parse((await check(ctx, 'feedparser', atom)).output) as Fp;
    expect(fp.entries).toHaveLength(1);
    expect(fp.entries[0]!.summary).toContain('was removed by its publisher');

    // Made active again, it serves its feeds again.
    const patched = await get(`/api/sources/${old}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ paused: false }) });
    expect(patched.status).toBe(200);
    forgetMoves(env.DB);
    expect((await get(`/sources/${old}/feed.xml`)).status).toBe(200);
  });
});

describe('the moves an isolate holds', () => {
  // A steadily read isolate reads the moves again in the background once its copy is past half
  // of MOVES_MEMO_MS, so that no reader waits for D1, and a move written by another isolate
  // (stored straight into D1 here: nothing tells this isolate) still shows within MOVES_MEMO_MS.
  it('are read again in the background past half their window: a move written elsewhere shows before the window ends', async () => {
    const background: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p), passThroughOnException() {}, props: {} };
    const read = (path: string) => app.request(new URL(path, SITE).href, { redirect: 'manual' }, env, ctx as unknown as ExecutionContext);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const t0 = Date.now();
      forgetMoves(env.DB);
      expect((await read('/elsewhere/rss.xml')).status).toBe(404);
      await Promise.all(background.splice(0));
      await createMove(env.DB, { from: '/elsewhere/rss.xml', to: `${SITE}/feed.xml`, gone: false, toView: 'site', toFormat: 'rss' }, t0);

      vi.setSystemTime(t0 + MOVES_MEMO_MS * 0.4);
      expect((await read('/elsewhere/rss.xml')).status).toBe(404); // its copy is fresh: not read again
      expect(background).toHaveLength(0);
      vi.setSystemTime(t0 + MOVES_MEMO_MS * 0.6);
      expect((await read('/elsewhere/rss.xml')).status).toBe(404); // answered from its copy, which is read again meanwhile
      expect(background.length).toBeGreaterThan(0);
      await Promise.all(background.splice(0));
      vi.setSystemTime(t0 + MOVES_MEMO_MS * 0.7);
      const moved = await read('/elsewhere/rss.xml');
      expect(moved.status).toBe(301);
      expect(moved.headers.get('location')).toBe(`${SITE}/feed.xml`);
    } finally {
      vi.useRealTimers();
      forgetMoves(env.DB);
    }
  });
});

describe('a retired feed opened in a browser', () => {
  const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  const READER = { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' };

  const expectFarewellPage = async (res: Response, to: string) => {
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toContain('Accept');
    const html = await res.text();
    expect(html).toContain('<h1>This feed has ended.</h1>');
    expect(html).toContain(`Go on at <a href="${to}">${to}</a>`);
    expect(html).not.toMatch(/^<\?xml/);
  };

  it('a gone move: the page with its farewell message for a browser, still 410; readers get the feed document', async () => {
    await move({ from: '/retired-browser/feed.xml', gone: true, to: '/planet/' });
    await expectFarewellPage(await get('/retired-browser/feed.xml', { headers: BROWSER }), `${SITE}/planet/`);
    await expectFarewellPage(
      await get('/retired-browser/feed.xml', { headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } }),
      `${SITE}/planet/`,
    );
    for (const headers of [READER, {}]) {
      const res = await get('/retired-browser/feed.xml', { headers });
      expect(res.status).toBe(410);
      expect(res.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
      expect(await res.text()).toMatch(/^<\?xml[\s\S]*This feed has ended/);
    }
  });

  it('a deleted source: its feeds show a browser the farewell page, readers the 410 feed', async () => {
    const row = await env.DB.prepare(
      `INSERT INTO sources (url, title, site_url, created_at, updated_at) VALUES ('https://retired.example/feed.xml', 'Retired upstream', 'https://retired.example/', 0, 0) RETURNING id`,
    ).first<{ id: number }>();
    const deleted = await get(`/api/sources/${row!.id}`, { method: 'DELETE', headers: AUTH });
    expect(deleted.status, await deleted.clone().text()).toBe(204);
    forgetMoves(env.DB);
    await expectFarewellPage(await get(`/sources/${row!.id}/atom.xml`, { headers: BROWSER }), 'https://retired.example/');
    const feed = await get(`/sources/${row!.id}/atom.xml`, { headers: READER });
    expect(feed.status).toBe(410);
    expect(feed.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
  });
});
