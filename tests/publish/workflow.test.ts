// The publishing workflow as readers and hubs see it: after every step of a post's life, every
// format of every affected feed (read back by rss-parser and JSON.parse) and its page show
// exactly the new state, unaffected feeds keep their ETag, and the WebSub hub is told about
// exactly the feeds that changed.
import { env } from 'cloudflare:workers';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { app } from '../../src/app';
import { AUTH, check, SITE } from '../support/worker';

const HUB = 'https://hub.example.net/publish';
const HUB_ENV = { ...env, WEBSUB_HUB: HUB };

/** Requests go straight to the app with a hub configured and an execution context we can await. */
let background: Promise<unknown>[] = [];
const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p), passThroughOnException() {}, props: {} };
async function request(path: string, init: RequestInit = {}): Promise<Response> {
  return app.request(new URL(path, SITE).href, init, HUB_ENV, ctx as unknown as ExecutionContext);
}
const write = async (method: string, path: string, body?: unknown) => {
  const res = await request(`/api/posts${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  await Promise.all(background.splice(0));
  return res;
};

/** What the hub received: one `hub.url` per POST. */
let pings: string[] = [];
let hubAnswer: () => Response | Promise<Response> = () => new Response(null, { status: 204 });
beforeEach(() => {
  pings = [];
  background = [];
  hubAnswer = () => new Response(null, { status: 204 });
  // Strict: the hub is the only host the worker may reach (the checkers are the test's own).
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(inject('checkerUrl'))) return realFetch(input, init);
    if (url !== HUB) throw new Error(`unexpected outbound fetch to ${url}`);
    const body = new URLSearchParams(String(init?.body));
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(body.get('hub.mode')).toBe('publish');
    pings.push(body.get('hub.url')!);
    return hubAnswer();
  });
});
afterEach(() => vi.restoreAllMocks());

type Item = { id: string; title: string };
const parser = new Parser();

/** The first items of a view in each format, read by parsers we did not write; null for a 404. */
async function viewState(prefix: string, count = 1): Promise<{ rss: Item[]; atom: Item[]; json: Item[] } | null> {
  const [rss, atom, json] = await Promise.all(['feed.xml', 'atom.xml', 'feed.json'].map((f) => request(`${prefix}${f}`)));
  if (rss!.status === 404 && atom!.status === 404 && json!.status === 404) return null;
  const rssFeed = await parser.parseString(await rss!.text());
  const atomFeed = await parser.parseString(await atom!.text());
  const jsonFeed = (await json!.json()) as { items: Item[] };
  return {
    rss: rssFeed.items.slice(0, count).map((i) => ({ id: i.guid!, title: i.title! })),
    atom: atomFeed.items.slice(0, count).map((i) => ({ id: i.id as string, title: i.title! })),
    json: jsonFeed.items.slice(0, count).map((i) => ({ id: i.id, title: i.title })),
  };
}
const everyFormat = (items: Item[]) => ({ rss: items, atom: items, json: items });
/** A view's WebSub topics: its feeds and their summaries-only variants. */
const feedSet = (prefix: string) =>
  ['', '?content=summary'].flatMap((q) => ['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${SITE}${prefix}${f}${q}`));
const etags = async (prefixes: string[]) =>
  Promise.all(
    prefixes.flatMap((p) => ['feed.xml', 'atom.xml', 'feed.json'].map(async (f) => (await request(`${p}${f}`)).headers.get('etag'))),
  );

describe('every feed follows each step, and the hub hears about exactly those feeds', () => {
  it('create, edit, re-tag, schedule, unpublish, delete', async () => {
    const untouched = ['/tags/law/', '/authors/news-desk/'];
    const untouchedBefore = await etags(untouched);

    // Create: the post tops the site feed, its new tag and its new author, in every format.
    const created = await write('POST', '', {
      title: 'Step one',
      tags: ['Gamma'],
      authors: [{ name: 'Ada Writer' }],
      content_html: '<p>One.</p>',
    });
    expect(created.status).toBe(201);
    const post = (await created.json()) as { id: string; slug: string };
    const first = [{ id: post.id, title: 'Step one' }];
    expect(await viewState('/')).toEqual(everyFormat(first));
    expect(await viewState('/tags/gamma/')).toEqual(everyFormat(first));
    expect(await viewState('/authors/ada-writer/')).toEqual(everyFormat(first));
    expect(await (await request(`/posts/${post.slug}`)).text()).toContain('Step one');
    expect(pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/gamma/'), ...feedSet('/authors/ada-writer/')].sort());

    // Edit the title: new title everywhere, same id.
    pings = [];
    await write('PATCH', `/${post.id}`, { title: 'Step two' });
    const second = [{ id: post.id, title: 'Step two' }];
    expect(await viewState('/')).toEqual(everyFormat(second));
    expect(await viewState('/tags/gamma/')).toEqual(everyFormat(second));
    expect(await viewState('/authors/ada-writer/')).toEqual(everyFormat(second));
    expect(await (await request(`/posts/${post.slug}`)).text()).toContain('Step two');
    expect(pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/gamma/'), ...feedSet('/authors/ada-writer/')].sort());

    // Re-tag: the old tag's feeds are gone in every format, the new tag's show the post; both are pinged.
    pings = [];
    await write('PATCH', `/${post.id}`, { tags: ['Delta'] });
    expect(await viewState('/tags/gamma/')).toBeNull();
    expect(await viewState('/tags/delta/')).toEqual(everyFormat(second));
    expect(pings).toEqual(expect.arrayContaining([...feedSet('/tags/gamma/'), ...feedSet('/tags/delta/')]));

    // Schedule into the future: out of every feed and off its page until the time comes.
    pings = [];
    await write('PATCH', `/${post.id}`, { published_at: '2099-01-01T00:00:00Z' });
    expect((await viewState('/'))!.json).not.toEqual(second);
    expect(await viewState('/tags/delta/')).toBeNull();
    expect(await viewState('/authors/ada-writer/')).toBeNull();
    expect((await request(`/posts/${post.slug}`)).status).toBe(404);
    expect(pings).toHaveLength(18); // it was visible before this step: its feeds changed

    // Editing a post that nobody can see yet tells no hub.
    pings = [];
    await write('PATCH', `/${post.id}`, { title: 'Still scheduled' });
    expect(pings).toEqual([]);

    // Back in the past, then unpublished (draft).
    await write('PATCH', `/${post.id}`, { published_at: '2024-06-01T00:00:00Z', title: 'Step three' });
    expect(await viewState('/tags/delta/')).toEqual(everyFormat([{ id: post.id, title: 'Step three' }]));
    pings = [];
    await write('PATCH', `/${post.id}`, { status: 'draft' });
    expect(await viewState('/tags/delta/')).toBeNull();
    const site = await viewState('/', 50);
    for (const format of ['rss', 'atom', 'json'] as const) expect(site![format].map((i) => i.id)).not.toContain(post.id);
    expect(pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/delta/'), ...feedSet('/authors/ada-writer/')].sort());

    // Delete: gone from every feed, its page answers 410.
    await write('PATCH', `/${post.id}`, { status: 'published' });
    pings = [];
    expect((await write('DELETE', `/${post.id}`)).status).toBe(204);
    expect(await viewState('/tags/delta/')).toBeNull();
    expect(await viewState('/authors/ada-writer/')).toBeNull();
    expect((await request(`/posts/${post.slug}`)).status).toBe(410);
    expect(pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/delta/'), ...feedSet('/authors/ada-writer/')].sort());

    // Feeds the post never touched kept their ETags through all of it.
    expect(await etags(untouched)).toEqual(untouchedBefore);
  });

  it('a failing hub never fails the write, and the failure is logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let calls = 0;
    hubAnswer = () => (++calls % 2 ? new Response('down', { status: 503 }) : Promise.reject(new TypeError('connection refused')));
    const res = await write('POST', '', { title: 'Hub is down', authors: [{ name: 'Ada Writer' }] });
    expect(res.status).toBe(201);
    const post = (await res.json()) as { id: string };
    expect(pings).toHaveLength(12);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/WebSub: hub .* refused .*feed\.xml: (503|connection refused)/));
    expect((await viewState('/'))!.json[0]!.id).toBe(post.id);
  });

  it('without a hub configured, nothing is fetched', async () => {
    const res = await app.request(
      new URL('/api/posts', SITE).href,
      {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({ title: 'No hub', authors: [{ name: 'A' }] }),
      },
      env,
      ctx as unknown as ExecutionContext,
    );
    expect(res.status).toBe(201);
    await Promise.all(background.splice(0));
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });
});

describe('hub discovery', () => {
  it('every format advertises the hub and itself, in the document and in Link', async (tctx) => {
    const rss = await request('/feed.xml');
    expect(rss.headers.get('link')).toBe(`<${HUB}>; rel="hub", <${SITE}/feed.xml>; rel="self"`);
    const rssText = await rss.text();
    expect(rssText).toContain(`<atom:link href="${HUB}" rel="hub"/>`);
    const atom = await (await request('/tags/law/atom.xml')).text();
    expect(atom).toContain(`<link rel="hub" href="${HUB}"/>`);
    expect(atom).toContain(`<link rel="self" type="application/atom+xml" href="${SITE}/tags/law/atom.xml"/>`);
    const json = (await (await request('/authors/news-desk/feed.json')).json()) as { hubs: unknown };
    expect(json.hubs).toEqual([{ type: 'WebSub', url: HUB }]);
    expect((await check(tctx, 'jing', atom)).output).toBe('');
    expect((await check(tctx, 'xmllint', rssText)).ok).toBe(true);
  });

  it('no hub configured: no rel="hub" anywhere', async () => {
    const res = await app.request(new URL('/atom.xml', SITE).href, {}, env, ctx as unknown as ExecutionContext);
    expect(res.headers.get('link')).toBe(`<${SITE}/atom.xml>; rel="self"`);
    expect(await res.text()).not.toContain('rel="hub"');
  });
});
