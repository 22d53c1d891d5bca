// The harness of the publishing workflow tests (tests/publish/workflow.suite.ts and
// workflow.full.test.ts): requests straight to the app with a WebSub hub configured and an
// execution context whose background work a test awaits, a strict outbound fetch where the hub
// is the only host the worker may reach, and each view's feeds read back by parsers we did not
// write.
import { env } from 'cloudflare:workers';
import Parser from 'rss-parser';
import { afterEach, beforeEach, expect, inject, vi } from 'vitest';
import { app } from '../../src/app';
import { AUTH, SITE } from './worker';

export const HUB = 'https://hub.example.net/publish';
const HUB_ENV = { ...env, WEBSUB_HUB: HUB };

/** Background work of the requests (waitUntil), awaited by `write`. */
export const background: Promise<unknown>[] = [];
export const ctx = { waitUntil: (p: Promise<unknown>) => void background.push(p), passThroughOnException() {}, props: {} };
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  return app.request(new URL(path, SITE).href, init, HUB_ENV, ctx as unknown as ExecutionContext);
}
export const write = async (method: string, path: string, body?: unknown) => {
  const res = await request(`/api/posts${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  await Promise.all(background.splice(0));
  return res;
};

/** What the hub received (one `hub.url` per POST), and how it answers. */
export const hub: { pings: string[]; answer: () => Response | Promise<Response> } = {
  pings: [],
  answer: () => new Response(null, { status: 204 }),
};

/** Before each test of the calling file: a fresh hub, and the hub as the only host the worker may reach. */
export function useStrictHub() {
  beforeEach(() => {
    hub.pings = [];
    background.length = 0;
    hub.answer = () => new Response(null, { status: 204 });
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
      hub.pings.push(body.get('hub.url')!);
      return hub.answer();
    });
  });
  afterEach(() => vi.restoreAllMocks());
}

export type Item = { id: string; title: string };
const parser = new Parser();

/** The first items of a view in each format, read by parsers we did not write; null for a 404. */
export async function viewState(prefix: string, count = 1): Promise<{ rss: Item[]; atom: Item[]; json: Item[] } | null> {
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
export const everyFormat = (items: Item[]) => ({ rss: items, atom: items, json: items });
/** A view's WebSub topics: its feeds and their summaries-only variants. */
export const feedSet = (prefix: string) =>
  ['', '?content=summary'].flatMap((q) => ['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${SITE}${prefix}${f}${q}`));
export const etags = async (prefixes: string[]) =>
  Promise.all(
    prefixes.flatMap((p) => ['feed.xml', 'atom.xml', 'feed.json'].map(async (f) => (await request(`${p}${f}`)).headers.get('etag'))),
  );
