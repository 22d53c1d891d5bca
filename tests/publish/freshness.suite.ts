// The freshness contract (docs/operations.md, "Freshness and caching"): a write shows on the next read in the isolate that made
// it, and everywhere within FEED_FRESHNESS; a scheduled post appears at its time with no write;
// the hub is pinged only once every reader can see the change; no reader gets a 304 for content
// older than what it holds; an ETag never names two bodies.
//
// Two isolates of one deployment share one D1 and nothing else: each `env` object below holds its
// own version stamps (src/serve/stamp-memo.ts), as each isolate does. The clock is vitest's fake
// one (Date and setTimeout), moved by the tests.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../src/app';
import { resolveView } from '../../src/serve/serve-view';
import { AUTH, SITE } from '../support/worker';

const WINDOW_MS = 5_000;
const HUB = 'https://hub.example.net/publish';

type Isolate = Env & { name: string };
const isolate = (name: string, seconds = WINDOW_MS / 1000, hub = ''): Isolate => ({
  ...env,
  name,
  FEED_FRESHNESS: String(seconds),
  WEBSUB_HUB: hub,
});

let background: Promise<unknown>[] = [];
const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p), passThroughOnException() {}, props: {} };
const settle = async () => {
  while (background.length) await Promise.all(background.splice(0));
};

/** Every body served under each ETag in this file: an ETag must never name two. */
const bodiesByEtag = new Map<string, Set<string>>();

async function read(on: Isolate, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(new URL(path, SITE).href, { headers }, on, ctx as unknown as ExecutionContext);
  const body = await res.text();
  const etag = res.headers.get('etag')!;
  if (res.status === 200) {
    if (!bodiesByEtag.has(etag)) bodiesByEtag.set(etag, new Set());
    bodiesByEtag.get(etag)!.add(body);
  }
  const stamp = /stamp;desc="(\w+)"/.exec(res.headers.get('server-timing') ?? '')?.[1];
  return { status: res.status, body, etag, lastModified: res.headers.get('last-modified'), stamp };
}

async function write(on: Isolate, method: string, path: string, body?: unknown) {
  const res = await app.request(
    new URL(`/api/posts${path}`, SITE).href,
    { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) },
    on,
    ctx as unknown as ExecutionContext,
  );
  expect(res.status).toBeLessThan(300);
  return (res.status === 204 ? null : await res.json()) as { id: string } | null;
}

const publish = (on: Isolate, tag: string, title: string, at = Date.now() - 60_000) =>
  write(on, 'POST', '', { title, tags: [tag], authors: [{ name: 'Fresh' }], published_at: new Date(at).toISOString() });

/** What the hub heard, and what the feed it was told about said when the hub fetched it from isolate B. */
let pings: { topic: string; seenByHub: string }[] = [];
let hubReadsFrom: Isolate;

beforeEach(() => {
  pings = [];
  background = [];
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: Date.now() });
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== HUB) throw new Error(`unexpected outbound fetch to ${url}`);
    // A hub fetches the topic as soon as it is told: here from the isolate that did not write.
    const topic = new URLSearchParams(String(init?.body)).get('hub.url')!;
    const seen = await read(hubReadsFrom, new URL(topic).pathname + new URL(topic).search);
    pings.push({ topic, seenByHub: seen.body });
    return new Response(null, { status: 204 });
  });
});
afterEach(async () => {
  await vi.runAllTimersAsync();
  await settle();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the freshness contract, two isolates', () => {
  it('the writer sees its write at once; another isolate answers from its stamp until the window ends, without D1', async () => {
    const [a, b] = [isolate('a'), isolate('b')];
    const post = await publish(a, 'fresh-one', 'First title');
    await settle();
    const path = '/tags/fresh-one/feed.json';
    expect((await read(b, path)).stamp).toBe('d1');
    const held = await read(b, path);
    expect(held).toMatchObject({ stamp: 'held', status: 200 });
    expect(held.body).toContain('First title');

    await read(a, path);
    expect((await read(a, path)).stamp).toBe('held');

    vi.advanceTimersByTime(1_000);
    await write(a, 'PATCH', `/${post!.id}`, { title: 'Second title' });
    // The writer's isolate held the old stamp too: its write made it forget every stamp.
    const writer = await read(a, path);
    expect(writer.body).toContain('Second title');
    expect(writer.stamp).toBe('d1');

    // B read its stamp 1 s before the write: it may answer from it until 5 s after that read.
    vi.advanceTimersByTime(WINDOW_MS - 1_000 - 1);
    const stale = await read(b, path);
    expect(stale).toMatchObject({ stamp: 'held', etag: held.etag });
    expect(stale.body).toContain('First title');
    vi.advanceTimersByTime(1);
    // (That last read was past half the window: B reads the stamp again after answering it. Either
    // way, from here on B serves the write.)
    const fresh = await read(b, path);
    expect(fresh.etag).toBe(writer.etag);
    expect(fresh.body).toContain('Second title');
  });

  it('a feed polled steadily has its stamp read again in the background, so no reader waits for D1, within the same bound', async () => {
    const [a, b] = [isolate('a'), isolate('b')];
    const post = await publish(a, 'fresh-renew', 'Renew one');
    const path = '/tags/fresh-renew/feed.xml';
    expect((await read(b, path)).stamp).toBe('d1');
    vi.advanceTimersByTime(1_000);
    await write(a, 'PATCH', `/${post!.id}`, { title: 'Renew two' });
    expect((await read(a, path)).body).toContain('Renew two');
    // Past half the window: answered from the held stamp, which is read again after the response.
    vi.advanceTimersByTime(2_000);
    const late = await read(b, path);
    expect(late).toMatchObject({ stamp: 'held' });
    expect(late.body).toContain('Renew one');
    await settle();
    // Past the first stamp's window: the stamp read in the background answers, with the write in it.
    vi.advanceTimersByTime(2_500);
    const renewed = await read(b, path);
    expect(renewed).toMatchObject({ stamp: 'held' });
    expect(renewed.body).toContain('Renew two');
  });

  it('with FEED_FRESHNESS=0 every read asks D1: a write in one isolate shows on the next read in any other', async () => {
    const [a, strict] = [isolate('a'), isolate('strict', 0)];
    const post = await publish(a, 'fresh-strict', 'Strict one');
    const path = '/tags/fresh-strict/atom.xml';
    expect((await read(strict, path)).stamp).toBe('d1');
    expect((await read(strict, path)).stamp).toBe('d1');
    await write(a, 'PATCH', `/${post!.id}`, { title: 'Strict two' });
    expect((await read(strict, path)).body).toContain('Strict two');
  });

  it('a scheduled post appears at its time in every isolate, with no write and before the window ends', async () => {
    const [a, b] = [isolate('a'), isolate('b')];
    await publish(a, 'fresh-scheduled', 'Already out');
    await publish(a, 'fresh-scheduled', 'Goes out later', Date.now() + 2_000);
    await settle();
    const path = '/tags/fresh-scheduled/feed.xml';
    const before = await read(b, path);
    expect(before.body).not.toContain('Goes out later');
    vi.advanceTimersByTime(1_999);
    expect(await read(b, path)).toMatchObject({ stamp: 'held', etag: before.etag });
    vi.advanceTimersByTime(1);
    const live = await read(b, path);
    expect(live.stamp).toBe('d1');
    expect(live.body).toContain('Goes out later');
    expect(live.etag).not.toBe(before.etag);
  });

  it('the hub is pinged once every isolate serves the change: a hub fetching at once gets the new bytes', async () => {
    const [a, b] = [isolate('a', WINDOW_MS / 1000, HUB), isolate('b', WINDOW_MS / 1000, HUB)];
    hubReadsFrom = b;
    await publish(a, 'fresh-hub', 'Hub one');
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await settle();
    pings = [];
    const path = '/tags/fresh-hub/feed.xml';
    expect((await read(b, path)).body).toContain('Hub one');

    await publish(a, 'fresh-hub', 'Hub two');
    // The write's response is out and its background work has run as far as it can: no ping yet,
    // and B still answers from the stamp it read before the write.
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(pings).toEqual([]);
    expect((await read(b, path)).body).not.toContain('Hub two');
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    const tagPings = pings.filter((p) => p.topic.includes('/tags/fresh-hub/'));
    expect(tagPings.map((p) => new URL(p.topic).pathname + new URL(p.topic).search).sort()).toEqual(
      ['', '?content=summary'].flatMap((q) => ['atom.xml', 'feed.json', 'feed.xml'].map((f) => `/tags/fresh-hub/${f}${q}`)).sort(),
    );
    for (const ping of tagPings) expect(ping.seenByHub).toContain('Hub two');
  });
});

describe('validators across isolates', () => {
  it('a reader holding a newer version than an isolate’s held stamp never gets a 304 naming the older one', async () => {
    const [a, b, c, d] = [isolate('a'), isolate('b'), isolate('c'), isolate('d')];
    const post = await publish(a, 'fresh-validators', 'Old words');
    const path = '/tags/fresh-validators/feed.json';
    const old = await read(b, path);
    await read(c, path);
    await read(d, path);
    vi.advanceTimersByTime(1_500);
    await write(a, 'PATCH', `/${post!.id}`, { title: 'New words' });
    // Two seconds on, the new version's Last-Modified is no longer capped at the current second.
    vi.advanceTimersByTime(2_000);
    const current = await read(a, path);
    expect(current.etag).not.toBe(old.etag);
    expect(current.body).toContain('New words');

    // By ETag: B's held stamp names another version, so B asks D1 and finds the reader current.
    expect(await read(b, path, { 'if-none-match': current.etag })).toMatchObject({ status: 304, etag: current.etag, stamp: 'd1' });
    // By date alone: C's held Last-Modified is older than the reader's date, which would make a 304,
    // but it is not that version's own date, so C asks D1: the 304 names the reader's version.
    const byDate = await read(c, path, { 'if-modified-since': current.lastModified! });
    expect(byDate).toMatchObject({ status: 304, etag: current.etag, lastModified: current.lastModified, stamp: 'd1' });
    // A reader holding exactly the held version is answered from the held stamp, without D1.
    expect(await read(d, path, { 'if-none-match': old.etag })).toMatchObject({ status: 304, etag: old.etag, stamp: 'held' });
  });

  it('an ETag never names two bodies: a render is never made under a held stamp', async () => {
    const [a, b] = [isolate('a'), isolate('b')];
    const post = await publish(a, 'fresh-etag', 'Body one');
    const path = '/tags/fresh-etag/feed.json?limit=4';
    expect((await read(b, '/tags/fresh-etag/feed.json?limit=3')).body).toContain('Body one');
    // The ETag the old version has at limit=4, never rendered anywhere.
    const view = { kind: 'tag', slug: 'fresh-etag' } as const;
    const oldEtag = (await resolveView(b, view, 'json', { limit: 4, content: 'full' }, Date.now())).etag;
    vi.advanceTimersByTime(1_000);
    await write(a, 'PATCH', `/${post!.id}`, { title: 'Body two' });
    // B still holds the old stamp, and limit=4 has no bytes yet: B asks D1 before rendering.
    const rendered = await read(b, path);
    expect(rendered.body).toContain('Body two');
    expect(rendered.etag).not.toBe(oldEtag);
    expect(rendered.etag).toBe((await resolveView(isolate('strict', 0), view, 'json', { limit: 4, content: 'full' }, Date.now())).etag);
    for (const [etag, bodies] of bodiesByEtag) expect(bodies.size, `ETag ${etag}`).toBe(1);
  });
});

describe('pages and the OPML list, as cheap as a feed', () => {
  it('a post page and /opml.xml answer from a held stamp; the writer sees its write at once, others within the window', async () => {
    const [a, b] = [isolate('a'), isolate('b')];
    const post = (await publish(a, 'fresh-page', 'Page one')) as { id: string; slug: string };
    await settle();
    const page = `/posts/${post.slug}`;
    for (const path of [page, '/opml.xml']) {
      expect((await read(b, path)).stamp, path).toBe('d1');
      const held = await read(b, path);
      expect(held, path).toMatchObject({ stamp: 'held', status: 200 });
      expect(await read(b, path, { 'if-none-match': held.etag }), path).toMatchObject({ status: 304, stamp: 'held' });
    }
    const before = { page: await read(b, page) };
    expect(before.page.body).toContain('Page one');

    vi.advanceTimersByTime(1_000);
    await write(a, 'PATCH', `/${post.id}`, { title: 'Page two', tags: ['fresh-page-moved'] });
    const writer = await read(a, page);
    expect(writer.stamp).toBe('d1');
    expect(writer.body).toContain('Page two');
    expect((await read(a, '/opml.xml')).body).toContain('/tags/fresh-page-moved/');

    // Before half the window the page is not read again (past it a request renews the stamp in the
    // background, which may bring the change sooner: the window bounds staleness, not freshness).
    // The list may come sooner too: its bytes are shared, and a held stamp never renders.
    vi.advanceTimersByTime(WINDOW_MS / 2 - 1_000 - 1);
    expect(await read(b, page)).toMatchObject({ stamp: 'held', etag: before.page.etag });
    vi.advanceTimersByTime(WINDOW_MS / 2 + 1);
    expect((await read(b, page)).body).toContain('Page two');
    expect((await read(b, '/opml.xml')).body).toContain('/tags/fresh-page-moved/');
  });

  it('the planet page is cached under an ETag that covers its sources’ health, read again once the window ends', async () => {
    const b = isolate('b');
    const source = await env.DB.prepare(
      `INSERT INTO sources (url, title, created_at, updated_at) VALUES ('https://health.example/feed.xml', 'Health upstream', 0, 0) RETURNING id`,
    ).first<{ id: number }>();
    try {
      const first = await read(b, '/planet/');
      expect(first.body).toMatch(/Health upstream[\s\S]*?not fetched yet/);
      expect(await read(b, '/planet/')).toMatchObject({ status: 200, stamp: 'held', etag: first.etag });
      expect(await read(b, '/planet/', { 'if-none-match': first.etag })).toMatchObject({ status: 304, stamp: 'held' });

      // A refresh recorded by another isolate: this one answers from what it read until its window ends.
      await env.DB.prepare(`UPDATE sources SET last_outcome = 'error', consecutive_failures = 3, last_error = 'HTTP 503' WHERE id = ?1`)
        .bind(source!.id)
        .run();
      expect((await read(b, '/planet/')).etag).toBe(first.etag);
      vi.advanceTimersByTime(WINDOW_MS);
      const later = await read(b, '/planet/');
      expect(later.etag).not.toBe(first.etag);
      expect(later.body).toContain('failing (3 in a row): HTTP 503');
      expect((await read(b, '/planet/', { 'if-none-match': first.etag })).status).toBe(200);
    } finally {
      await env.DB.prepare('DELETE FROM sources WHERE id = ?1').bind(source!.id).run();
    }
  });
});
