// How page sources (and full-text feed sources) fetch the web, through the real refresh path
// against the stub server on 127.0.0.1 (tests/setup/upstream.ts): robots.txt, the per-host limit
// and Crawl-delay, article pages fetched again only when the list changes or on request
// (conditional GETs), the list page's own conditional GET, fan-out of articles through the queue
// within the invocation's subrequest budget and the refresh's time budget, and full_text.
// Each robots.txt case has an origin of its own (another port of the stub): robots.txt answers
// are cached per isolate.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src';
import { app } from '../../src/app';
import { getSource } from '../../src/db/sources';
import { type LimiterClock, setLimiterClock } from '../../src/ingest/fetch/host-limiter';
import { MAX_ARTICLE_FETCHES, ROBOTS_RETRY_MS, SUBREQUESTS_PER_INVOCATION } from '../../src/ingest/limits';
import { refreshSource } from '../../src/ingest/refresh';
import type { RefreshMessage } from '../../src/scheduled';
import { addSource, AUTH, get } from '../support/worker';

const main = inject('upstreamUrl');
const origins = inject('upstreamOrigins');
const api = (path: string, body?: unknown, method = 'POST', bindings: Env = env) =>
  app.request(path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, bindings);

type Problem = { status: number; errors?: { field: string; message: string }[] };
type SourceJson = {
  id: number;
  kind: string;
  full_text: boolean;
  item_count: number;
  etag: string | null;
  last_outcome: string;
  last_error_kind: string | null;
  last_error: string | null;
  consecutive_failures: number;
};
type RefreshJson = {
  refresh: { outcome: string; errorKind: string | null; warnings: string[]; items: { seen: number; changed: number } | null };
  source: SourceJson;
};
type JsonFeed = {
  items: { id: string; url: string; title: string; date_published: string; content_html: string; authors?: { name: string }[] }[];
};

async function json<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}
const pageHits = async (prefix: string) => (await json<{ hits: number }>(`${main}/pages-hits?prefix=${encodeURIComponent(prefix)}`)).hits;
const docHits = (name: string) => json<{ hits: number; notModified: number }>(`${main}/docs-hits?name=${name}`);
const robotsHits = async (origin: string) => (await json<{ hits: number }>(`${origin}/robots-hits`)).hits;
const pageLoad = (site: string) => json<{ max: number; starts: number[] }>(`${main}/pages-load?site=${site}`);

async function setRobots(origin: string, config: { status?: number; body?: string; location?: string }) {
  expect((await fetch(`${origin}/robots-config`, { method: 'PUT', body: JSON.stringify(config) })).status).toBe(204);
}

/** Serves `body` at /docs/<name> (on every origin of the stub); `etag`: with an ETag and 304s. */
async function putDoc(name: string, body: string, options: { type?: string; etag?: boolean; status?: number; origin?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': options.type ?? 'text/html; charset=utf-8' };
  if (options.etag) headers['x-etag'] = 'yes';
  if (options.status) headers['x-status'] = String(options.status);
  expect((await fetch(`${main}/docs/${name}`, { method: 'PUT', body, headers })).ok).toBe(true);
  return `${options.origin ?? main}/docs/${name}`;
}

type Post = { url: string; title: string; date?: string; summary?: string };
/** A list page of `posts`, newest first. */
function listPage(posts: Post[]): string {
  const items = posts
    .map(
      (p, i) =>
        `<article class="post"><h2><a href="${p.url}">${p.title}</a></h2><time datetime="${p.date ?? new Date(Date.UTC(2024, 5, 30) - i * 86400_000).toISOString()}">date</time><p>${p.summary ?? `Summary of ${p.title}.`}</p></article>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><title>List</title></head><body><main>${items}</main></body></html>`;
}
/** `n` posts under /pages/<site>/ on `origin` (generated article pages). */
const posts = (site: string, n: number, origin = main, query = ''): Post[] =>
  Array.from({ length: n }, (_, i) => ({ url: `${origin}/pages/${site}/post-${i + 1}/${query}`, title: `Post ${i + 1} of ${site}` }));

/** An article page with three paragraphs that start with `words`. */
const articleHtml = (title: string, words: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><article><h1>${title}</h1>
<p>${words}: the first paragraph explains, at some length, what the post is about and why anyone would read it.</p>
<p>${words}: the second paragraph goes into the details, with enough words for a reader and for readability alike.</p>
<p>${words}: the third paragraph wraps it up and thanks the reader for staying with the post until the end.</p>
</article></main></body></html>`;

/** Adds a source: a page source unless `fields` say otherwise. */
const addPage = (url: string, fields: Record<string, unknown> = { kind: 'page' }) => addSource<SourceJson>(url, fields);
async function refresh(id: number, body?: unknown, bindings: Env = env): Promise<RefreshJson> {
  const res = await api(`/api/sources/${id}/refresh`, body, 'POST', bindings);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as RefreshJson;
}
async function feedJson(id: number): Promise<JsonFeed> {
  const res = await get(`/sources/${id}/feed.json?limit=100`);
  expect(res.status).toBe(200);
  return (await res.json()) as JsonFeed;
}

/** An env whose refresh queue records the messages sent to it instead of delivering them. */
function recordingQueue(): { bindings: Env; sent: RefreshMessage[] } {
  const sent: RefreshMessage[] = [];
  const queue = {
    send: async (body: RefreshMessage) => void sent.push(body),
    sendBatch: async (batch: { body: RefreshMessage }[]) => void sent.push(...batch.map((m) => m.body)),
  };
  return { bindings: { ...env, REFRESH_QUEUE: queue } as unknown as Env, sent };
}
/** Delivers `messages` to the worker's queue consumer as one batch. */
async function deliver(bindings: Env, messages: RefreshMessage[]) {
  const batch = createMessageBatch<RefreshMessage>(
    'syndicate-refresh',
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings, ctx);
  return getQueueResult(batch, ctx);
}
/**
 * A clock for the host limiter whose sleep moves its own time forward at once (yielding to the
 * event loop, so that other requests go on), and records every wait.
 */
function virtualClock(): LimiterClock & { slept: number[] } {
  let ahead = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => Date.now() + ahead,
    sleep: async (ms) => {
      slept.push(ms);
      ahead += ms;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}
const jobCount = (messages: RefreshMessage[]) => messages.reduce((n, m) => n + (m.kind === 'articles' ? m.jobs.length : 0), 0);

describe('robots.txt', () => {
  it('the group for Syndicate applies (not *): a disallowed article is a warning and skipped; robots.txt is read once per day', async () => {
    const origin = origins[0]!;
    await setRobots(origin, {
      body: 'User-agent: *\nDisallow: /pages/r1/secret/\n\nUser-agent: Syndicate\nDisallow: /pages/r1/private/\n',
    });
    const list = await putDoc(
      'r1-list.html',
      listPage([
        { url: `${origin}/pages/r1/open/`, title: 'Open post' },
        { url: `${origin}/pages/r1/private/post/`, title: 'Private post' },
        { url: `${origin}/pages/r1/secret/post/`, title: 'Secret post' },
      ]),
      { origin },
    );
    const source = await addPage(list);
    const first = await refresh(source.id);
    expect(first.refresh.outcome).toBe('ok');
    expect(first.refresh.items).toMatchObject({ seen: 3, changed: 2 });
    expect(first.refresh.warnings).toEqual([
      `${origin}/pages/r1/private/post/: skipped (robots_disallowed: ${origin}/robots.txt disallows /pages/r1/private/post/ for Syndicate (line 5).)`,
    ]);
    expect(await pageHits('/pages/r1/private/')).toBe(0);
    expect(await pageHits('/pages/r1/secret/')).toBe(1);
    expect(await pageHits('/pages/r1/open/')).toBe(1);
    expect((await feedJson(source.id)).items.map((i) => i.title).sort()).toEqual(['Open post', 'Secret post']);
    expect(await robotsHits(origin)).toBe(1);

    // Cached: not asked for again by the next refresh; the post stays skipped.
    const second = await refresh(source.id);
    expect(second.refresh.warnings).toHaveLength(1);
    expect(await robotsHits(origin)).toBe(1);
    expect(await pageHits('/pages/r1/private/')).toBe(0);
    // A day later it is read again.
    await refreshSource(env, (await getSource(env.DB, source.id))!, Date.now() + 25 * 3600_000);
    expect(await robotsHits(origin)).toBe(2);
  });

  it('a disallowed list page is a recorded robots_disallowed error (the product token matches in any case); the page is never fetched', async () => {
    const origin = origins[1]!;
    await setRobots(origin, { body: '# ours\nUser-agent: syndicate\nDisallow: /docs/\n' });
    const source = await addPage(await putDoc('r2-list.html', listPage(posts('r2', 2, origin)), { origin }));
    const result = await refresh(source.id);
    expect(result.refresh).toMatchObject({ outcome: 'error', errorKind: 'robots_disallowed' });
    expect(result.source).toMatchObject({ last_error_kind: 'robots_disallowed', consecutive_failures: 1, item_count: 0 });
    expect(result.source.last_error).toBe(`The list page: ${origin}/robots.txt disallows /docs/r2-list.html for Syndicate (line 3).`);
    expect((await docHits('r2-list.html')).hits).toBe(0);
  });

  it('RFC 9309: 5xx is disallow all (asked again later), 4xx allow all, redirects followed with the same checks', async () => {
    const [down, forbidden, moved, toPrivate] = [origins[2]!, origins[3]!, origins[4]!, origins[5]!];
    await setRobots(down, { status: 503, body: 'down' });
    await setRobots(forbidden, { status: 403, body: 'no' });
    const target = await putDoc('r4-robots.txt', 'User-agent: *\nDisallow: /docs/r4-\n', { type: 'text/plain' });
    await setRobots(moved, { status: 301, location: target });
    await setRobots(toPrivate, { status: 302, location: 'http://10.0.0.1/robots.txt' });

    const unreachable = await addPage(await putDoc('r3-down.html', listPage(posts('r3down', 2, down)), { origin: down }));
    const failed = await refresh(unreachable.id);
    expect(failed.refresh).toMatchObject({ outcome: 'error', errorKind: 'robots_unreachable' });
    expect(failed.source.last_error).toMatch(/robots\.txt answered 503: RFC 9309 asks crawlers to fetch nothing/);
    expect((await docHits('r3-down.html')).hits).toBe(0);

    const allowed = await addPage(await putDoc('r3-forbidden.html', listPage(posts('r3forbidden', 2, forbidden)), { origin: forbidden }));
    expect((await refresh(allowed.id)).refresh).toMatchObject({ outcome: 'ok', items: { changed: 2 } });

    const redirected = await addPage(await putDoc('r4-list.html', listPage(posts('r4', 2, moved)), { origin: moved }));
    expect((await refresh(redirected.id)).refresh).toMatchObject({ outcome: 'error', errorKind: 'robots_disallowed' });
    expect((await docHits('r4-robots.txt')).hits).toBe(1);

    const blocked = await addPage(await putDoc('r5-list.html', listPage(posts('r5', 2, toPrivate)), { origin: toPrivate }));
    expect((await refresh(blocked.id)).refresh).toMatchObject({ outcome: 'ok', items: { changed: 2 } });

    // Back up: the unreachable answer is cached for a while only.
    await setRobots(down, { status: 200, body: 'User-agent: *\nAllow: /\n' });
    expect((await refresh(unreachable.id)).refresh.errorKind).toBe('robots_unreachable');
    const later = await refreshSource(env, (await getSource(env.DB, unreachable.id))!, Date.now() + ROBOTS_RETRY_MS + 60_000);
    expect(later).toMatchObject({ outcome: 'ok', items: { changed: 2 } });
  });

  it('Crawl-delay spaces the requests to a host; articles not started within the time budget go to the queue', async () => {
    const origin = origins[6]!;
    await setRobots(origin, { body: 'User-agent: *\nCrawl-delay: 16\n' });
    const source = await addPage(await putDoc('cd-list.html', listPage(posts('cd', 3, origin)), { origin }));
    const { bindings, sent } = recordingQueue();
    // The limiter waits on a clock whose sleep moves its time forward instead of waiting.
    const clock = virtualClock();
    setLimiterClock(clock);
    let result: RefreshJson;
    try {
      result = await refresh(source.id, undefined, bindings);
    } finally {
      setLimiterClock(null);
    }
    expect(result.refresh.items).toMatchObject({ seen: 3, changed: 1 });
    expect(result.refresh.warnings).toContain('2 article pages left for the queue (the time budget of this refresh ran out)');
    const load = await pageLoad('cd');
    expect(load.starts).toHaveLength(1);
    // The list page, then 16 s, then the first article.
    expect(Math.max(...clock.slept)).toBeGreaterThanOrEqual(15_500);
    expect(sent).toEqual([{ kind: 'articles', sourceId: source.id, jobs: expect.any(Array) }]);
    expect(jobCount(sent)).toBe(2);
  });
});

describe('politeness', () => {
  it('fetches the articles of a refresh two at a time per host, not one by one', async () => {
    const source = await addPage(await putDoc('polite-list.html', listPage(posts('polite', 6, main, '?slow=300'))));
    const result = await refresh(source.id);
    expect(result.refresh.items).toMatchObject({ changed: 6 });
    expect((await pageLoad('polite')).max).toBe(2);
  });
});

describe('articles fetched again only when the list changes, or on request', () => {
  it('conditional GETs: the list page when nothing is left over, an article when its list entry changed (304 keeps the body)', async () => {
    const names = ['c-a', 'c-b', 'c-c'];
    for (const name of names) await putDoc(`${name}.html`, articleHtml(`Page ${name}`, `Words of ${name}`), { etag: true });
    const entries = (betaTitle: string, betaDate = '2024-06-29T00:00:00.000Z'): Post[] => [
      { url: `${main}/docs/c-a.html`, title: 'Alpha', date: '2024-06-30T00:00:00.000Z' },
      { url: `${main}/docs/c-b.html`, title: betaTitle, date: betaDate },
      { url: `${main}/docs/c-c.html`, title: 'Gamma', date: '2024-06-28T00:00:00.000Z' },
    ];
    const source = await addPage(await putDoc('c-list.html', listPage(entries('Beta')), { etag: true }));
    expect((await refresh(source.id)).refresh.items).toMatchObject({ seen: 3, changed: 3 });
    for (const name of names) expect(await docHits(`${name}.html`)).toEqual({ hits: 1, notModified: 0 });

    // Nothing changed, nothing left over: the list page answers 304, no article is asked for.
    const same = await refresh(source.id);
    expect(same.refresh.outcome).toBe('not_modified');
    expect(await docHits('c-list.html')).toEqual({ hits: 2, notModified: 1 });
    for (const name of names) expect((await docHits(`${name}.html`)).hits).toBe(1);

    // Beta's list entry changes: its article is asked for conditionally, answers 304, keeps its body.
    await putDoc('c-list.html', listPage(entries('Beta, revised')), { etag: true });
    const renamed = await refresh(source.id);
    expect(renamed.refresh.items).toMatchObject({ seen: 3, changed: 1 });
    expect(await docHits('c-b.html')).toEqual({ hits: 2, notModified: 1 });
    expect((await docHits('c-a.html')).hits).toBe(1);
    const beta = (await feedJson(source.id)).items.find((i) => i.url.endsWith('c-b.html'))!;
    expect(beta.title).toBe('Beta, revised');
    expect(beta.content_html).toContain('Words of c-b: the second paragraph');

    // The article changed too: a 200, and its new body is stored.
    await putDoc('c-b.html', articleHtml('Page c-b', 'New words of c-b'), { etag: true });
    await putDoc('c-list.html', listPage(entries('Beta, revised', '2024-06-29T12:00:00.000Z')), { etag: true });
    await refresh(source.id);
    expect(await docHits('c-b.html')).toEqual({ hits: 3, notModified: 1 });
    const updated = (await feedJson(source.id)).items.find((i) => i.url.endsWith('c-b.html'))!;
    expect(updated.content_html).toContain('New words of c-b: the second paragraph');
    expect(updated.date_published).toBe('2024-06-29T12:00:00.000Z');

    // On request: the list page and every article in full, unconditionally.
    const list = await docHits('c-list.html');
    const again = await refresh(source.id, { refetch: true });
    expect(again.refresh.outcome).toBe('ok');
    expect(await docHits('c-list.html')).toEqual({ hits: list.hits + 1, notModified: list.notModified });
    expect(await docHits('c-a.html')).toEqual({ hits: 2, notModified: 0 });
    expect(await docHits('c-b.html')).toEqual({ hits: 4, notModified: 1 });
    expect(await docHits('c-c.html')).toEqual({ hits: 2, notModified: 0 });
  });

  it('refresh options are validated: a 400 naming the field, a 415 for a body that is not JSON', async () => {
    const source = await addPage(await putDoc('v-list.html', listPage(posts('v', 2))));
    for (const [body, field] of [
      [{ refetch: 'yes' }, 'refetch'],
      [{ again: true }, 'body'],
      [[true], 'body'],
    ] as const) {
      const res = await api(`/api/sources/${source.id}/refresh`, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors!.map((e) => e.field)).toEqual([field]);
    }
    const text = await app.request(
      `/api/sources/${source.id}/refresh`,
      { method: 'POST', headers: { authorization: AUTH.authorization, 'content-type': 'text/plain' }, body: 'refetch' },
      env,
    );
    expect(text.status).toBe(415);
    expect((await getSource(env.DB, source.id))!.lastFetchedAt).toBeNull();
  });

  it('a post left over (its page failed) makes the next refresh read the list in full and try it again', async () => {
    await putDoc('l-b.html', 'down', { status: 500 });
    await putDoc('l-a.html', articleHtml('Page l-a', 'Words of l-a'));
    const list = [
      { url: `${main}/docs/l-a.html`, title: 'Left A' },
      { url: `${main}/docs/l-b.html`, title: 'Left B' },
    ];
    const source = await addPage(await putDoc('l-list.html', listPage(list), { etag: true }));
    const first = await refresh(source.id);
    expect(first.refresh.items).toMatchObject({ changed: 1 });
    expect(first.source.etag).toBeNull();
    await refresh(source.id);
    expect(await docHits('l-list.html')).toEqual({ hits: 2, notModified: 0 });
    expect((await docHits('l-b.html')).hits).toBe(2);
    await putDoc('l-b.html', articleHtml('Page l-b', 'Words of l-b'));
    const fixed = await refresh(source.id);
    expect(fixed.refresh.items).toMatchObject({ changed: 1 });
    expect(fixed.source.etag).not.toBeNull();
    expect((await refresh(source.id)).refresh.outcome).toBe('not_modified');
    expect((await docHits('l-a.html')).hits).toBe(1);
  });
  it('a post stored before article states existed takes what the list says now, without a fetch', async () => {
    const source = await addPage(await putDoc('old-list.html', listPage(posts('old', 3))));
    await refresh(source.id);
    expect(await pageHits('/pages/old/')).toBe(3);
    await env.DB.prepare('DELETE FROM article_fetches WHERE source_id = ?1').bind(source.id).run();
    expect((await refresh(source.id)).refresh.items).toMatchObject({ seen: 3, changed: 0 });
    expect(await pageHits('/pages/old/')).toBe(3);
    const { results } = await env.DB.prepare('SELECT fingerprint FROM article_fetches WHERE source_id = ?1')
      .bind(source.id)
      .all<{ fingerprint: string }>();
    expect(results).toHaveLength(3);
    // From then on a changed list entry fetches its article again.
    const renamed = posts('old', 3);
    renamed[0]!.title = 'Post 1 of old, renamed';
    await putDoc('old-list.html', listPage(renamed));
    await refresh(source.id);
    expect(await pageHits('/pages/old/post-1/')).toBe(2);
    expect(await pageHits('/pages/old/')).toBe(4);
  });
});

describe('fan-out through the queue', () => {
  it(`articles over the ${MAX_ARTICLE_FETCHES} of a refresh go out as article messages; the consumer fetches and stores them`, async () => {
    const all = posts('qfan', MAX_ARTICLE_FETCHES + 5);
    const source = await addPage(await putDoc('q-list.html', listPage(all)));
    const { bindings, sent } = recordingQueue();
    const first = await refresh(source.id, undefined, bindings);
    expect(first.refresh.items).toMatchObject({ seen: MAX_ARTICLE_FETCHES + 5, changed: MAX_ARTICLE_FETCHES });
    expect(first.refresh.warnings).toEqual([
      `5 article pages left for the queue (more than the ${MAX_ARTICLE_FETCHES} article pages fetched at once)`,
    ]);
    expect(await pageHits('/pages/qfan/')).toBe(MAX_ARTICLE_FETCHES);
    expect(sent).toHaveLength(1);
    const message = sent[0]!;
    expect(message.kind === 'articles' && message.jobs.map((j) => j.url)).toEqual(all.slice(MAX_ARTICLE_FETCHES).map((p) => p.url));

    // A refresh before the consumer ran leaves them to the queue.
    const meanwhile = await refresh(source.id, undefined, bindings);
    expect(meanwhile.refresh.items).toMatchObject({ changed: 0 });
    expect(sent).toHaveLength(1);
    expect(await pageHits('/pages/qfan/')).toBe(MAX_ARTICLE_FETCHES);

    const result = await deliver(bindings, sent);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    expect(await pageHits('/pages/qfan/')).toBe(MAX_ARTICLE_FETCHES + 5);
    expect((await getSource(env.DB, source.id))!.itemCount).toBe(MAX_ARTICLE_FETCHES + 5);
    expect((await feedJson(source.id)).items.map((i) => i.title)).toEqual(all.map((p) => p.title));
    // Nothing is left: the next refresh fetches no article.
    expect((await refresh(source.id, undefined, bindings)).refresh.items).toMatchObject({ changed: 0 });
    expect(await pageHits('/pages/qfan/')).toBe(MAX_ARTICLE_FETCHES + 5);
    expect(sent).toHaveLength(1);
  });

  it(`one consumer invocation starts at most ${SUBREQUESTS_PER_INVOCATION} fetches; the articles beyond go back to the queue`, async () => {
    const first = await addPage(await putDoc('b1-list.html', listPage(posts('bud1', 25))));
    const second = await addPage(await putDoc('b2-list.html', listPage(posts('bud2', 25))));
    const { bindings, sent } = recordingQueue();
    const robots = await robotsHits(main);
    const result = await deliver(bindings, [{ kind: 'source', sourceId: first.id }, { sourceId: second.id }]);
    expect([...result.explicitAcks].sort()).toEqual(['m0', 'm1']);
    const articles = (await pageHits('/pages/bud1/')) + (await pageHits('/pages/bud2/'));
    const lists = (await docHits('b1-list.html')).hits + (await docHits('b2-list.html')).hits;
    expect(lists).toBe(2);
    expect(articles + lists + (await robotsHits(main)) - robots).toBeLessThanOrEqual(SUBREQUESTS_PER_INVOCATION);
    expect(articles).toBeGreaterThan(0);
    // Nothing lost: what was not fetched is in the queue.
    expect(jobCount(sent)).toBe(50 - articles);
    const stored = (await getSource(env.DB, first.id))!.itemCount + (await getSource(env.DB, second.id))!.itemCount;
    expect(stored).toBe(articles);
  });

  it('the consumer retries an article message whose work D1 could not record', async () => {
    const source = await addPage(await putDoc('qr-list.html', listPage(posts('qretry', 2))));
    const { bindings, sent } = recordingQueue();
    const message: RefreshMessage = {
      kind: 'articles',
      sourceId: source.id,
      jobs: posts('qretry', 2).map((p, i) => ({
        key: p.url,
        url: p.url,
        fingerprint: 'f',
        etag: null,
        lastModified: null,
        stored: false,
        base: { kind: 'page', item: { url: p.url, title: p.title, published: Date.UTC(2024, 0, 2) - i * 86400_000 } },
      })),
    };
    const failing = new Proxy(env.DB, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === 'batch') return () => Promise.reject(new Error('D1 is unavailable'));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const refused = await deliver({ ...bindings, DB: failing } as Env, [message]);
    expect(refused.retryMessages).toEqual([{ msgId: 'm0' }]);
    expect((await getSource(env.DB, source.id))!.itemCount).toBe(0);
    const done = await deliver(bindings, [message]);
    expect(done.explicitAcks).toEqual(['m0']);
    expect((await feedJson(source.id)).items.map((i) => i.title)).toEqual(['Post 1 of qretry', 'Post 2 of qretry']);
    expect(sent).toEqual([]);
  });
});

describe('full_text for feed sources', () => {
  const longContent = `<p>${'Item B carries its whole text in the feed, sentence after sentence. '.repeat(12)}</p>`;
  const rss = (titleA: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Teasers</title><link>${main}/</link><description>x</description>
<item><title>${titleA}</title><link>${main}/pages/ft/a/</link><guid>ft-a</guid><pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate>
<dc:creator>Feed Author</dc:creator><description>&lt;p&gt;Short teaser of A.&lt;/p&gt;</description></item>
<item><title>Item B</title><link>${main}/pages/ft/b/</link><guid>ft-b</guid><pubDate>Thu, 29 Feb 2024 10:00:00 GMT</pubDate>
<description>Teaser of B.</description><content:encoded><![CDATA[${longContent}]]></content:encoded></item>
<item><title>Item C</title><link>${main}/status/500</link><guid>ft-c</guid><pubDate>Wed, 28 Feb 2024 10:00:00 GMT</pubDate>
<description>Teaser of C.</description></item>
</channel></rss>`;

  it('a summary-only item gets its page as content (feed title, date, authors kept), once; a failed page keeps the summary', async () => {
    const url = await putDoc('ft-feed.xml', rss('Feed title A'), { type: 'application/rss+xml' });
    const plain = await addPage(`${url}?plain`, {});
    expect(plain.full_text).toBe(false);
    await refresh(plain.id);
    expect(await pageHits('/pages/ft/')).toBe(0);

    const source = await addPage(url, { full_text: true });
    expect(source).toMatchObject({ kind: 'feed', full_text: true });
    const first = await refresh(source.id);
    expect(first.refresh.outcome).toBe('ok');
    expect(first.refresh.items).toMatchObject({ seen: 3, changed: 3 });
    expect(first.refresh.warnings).toHaveLength(1);
    expect(first.refresh.warnings[0]).toMatch(/\/status\/500: not fetched \(http_status: .*\); tried again next refresh$/);
    expect(await pageHits('/pages/ft/a/')).toBe(1);
    expect(await pageHits('/pages/ft/b/')).toBe(0);
    const items = (await feedJson(source.id)).items;
    expect(items.map((i) => [i.title, i.date_published])).toEqual([
      ['Feed title A', '2024-03-01T10:00:00.000Z'],
      ['Item B', '2024-02-29T10:00:00.000Z'],
      ['Item C', '2024-02-28T10:00:00.000Z'],
    ]);
    expect(items[0]!.authors).toEqual([{ name: 'Feed Author' }]);
    expect(items[0]!.content_html).toContain('The second paragraph of pages ft a');
    expect(items[0]!.content_html).not.toMatch(/Advertisement|Sidebar post/);
    expect(items[1]!.content_html).toContain('Item B carries its whole text');
    expect(items[2]!.content_html).toContain('Teaser of C.');

    // Not fetched again while the feed's item stays as it is.
    await refresh(source.id);
    expect(await pageHits('/pages/ft/a/')).toBe(1);
    // The item changes in the feed: its page is fetched again; the feed's new title is kept.
    await putDoc('ft-feed.xml', rss('Feed title A, corrected'), { type: 'application/rss+xml' });
    await refresh(source.id);
    expect(await pageHits('/pages/ft/a/')).toBe(2);
    const changed = (await feedJson(source.id)).items[0]!;
    expect(changed.title).toBe('Feed title A, corrected');
    expect(changed.content_html).toContain('The second paragraph of pages ft a');
  });

  it('summary-only items over what a refresh fetches are stored with their summary, and get their page from the queue', async () => {
    const n = MAX_ARTICLE_FETCHES + 2;
    const items = Array.from(
      { length: n },
      (_, i) =>
        `<item><title>Teaser ${i + 1}</title><link>${main}/pages/ftq/item-${i + 1}/</link><guid>ftq-${i + 1}</guid><pubDate>${new Date(Date.UTC(2024, 2, 1) - i * 3600_000).toUTCString()}</pubDate><description>Teaser ${i + 1} only.</description></item>`,
    ).join('\n');
    const url = await putDoc(
      'ftq-feed.xml',
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title><link>${main}/</link><description>x</description>${items}</channel></rss>`,
      { type: 'application/rss+xml', etag: true },
    );
    const source = await addPage(url, { full_text: true });
    const { bindings, sent } = recordingQueue();
    const first = await refresh(source.id, undefined, bindings);
    expect(first.refresh.items).toMatchObject({ seen: n, changed: n });
    expect(first.source.etag).toBeNull();
    expect(jobCount(sent)).toBe(2);
    const waiting = (await feedJson(source.id)).items.slice(-2);
    expect(waiting.map((i) => i.content_html)).toEqual(['Teaser 21 only.', 'Teaser 22 only.']);
    expect((await deliver(bindings, sent)).explicitAcks).toEqual(['m0']);
    const filled = (await feedJson(source.id)).items.slice(-2);
    expect(filled.map((i) => i.title)).toEqual(['Teaser 21', 'Teaser 22']);
    expect(filled[1]!.content_html).toContain('The second paragraph of pages ftq item-22');
    expect(await pageHits('/pages/ftq/')).toBe(n);
    // Nothing left over: the feed's validators are kept, and the next refresh is a 304.
    expect((await refresh(source.id, undefined, bindings)).source.etag).not.toBeNull();
    expect((await refresh(source.id, undefined, bindings)).refresh.outcome).toBe('not_modified');
    expect(await pageHits('/pages/ftq/')).toBe(n);
  });

  it('full_text is a boolean for feed sources only: a 400 naming full_text otherwise; GET and PATCH show and change it', async () => {
    const url = `${main}/corpus/34-jsonfeed-valid.json?full-text`;
    for (const body of [
      { url, kind: 'page', full_text: true },
      { url, full_text: 'yes' },
    ]) {
      const res = await api('/api/sources', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors!.map((e) => e.field)).toEqual(['full_text']);
    }
    const source = await addPage(url, {});
    const on = await api(`/api/sources/${source.id}`, { full_text: true }, 'PATCH');
    expect(await on.json()).toMatchObject({ full_text: true });
    expect(await (await api(`/api/sources/${source.id}`, undefined, 'GET')).json()).toMatchObject({ full_text: true });
    const asPage = await api(`/api/sources/${source.id}`, { kind: 'page' }, 'PATCH');
    expect(await asPage.json()).toMatchObject({ kind: 'page', full_text: false });
    const bad = await api(`/api/sources/${source.id}`, { full_text: true }, 'PATCH');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).errors!.map((e) => e.field)).toEqual(['full_text']);
  });
});
