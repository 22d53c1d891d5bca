// Backfill: a page source's first refresh queues its list's next page, and each backfill page
// the one after it, up to `backfillPages` (default 5); later refreshes read the first page only.
// Inside workerd, against a 3-page list this file PUTs on the stub server on 127.0.0.1; the queue
// messages are caught and handed to the real consumer (worker.queue).
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src';
import { app } from '../../src/app';
import type { RefreshMessage } from '../../src/scheduled';
import { get } from '../support/worker';

const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;

async function putDoc(name: string, html: string) {
  const res = await fetch(upstream(`/docs/${name}`), {
    method: 'PUT',
    body: html,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
  expect(res.ok).toBe(true);
  return upstream(`/docs/${name}`);
}

/** A list of 3 pages, 2 posts each, linked by rel="next"; every post has its article page. */
async function threePages(prefix: string): Promise<string[]> {
  const urls: string[] = [];
  for (let page = 1; page <= 3; page++) {
    const posts = [1, 2].map((n) => ({
      slug: `${prefix}-p${page}-${n}`,
      title: `Post ${n} of page ${page} in ${prefix}`,
      day: 28 - page * 2 - n,
    }));
    for (const post of posts) {
      await putDoc(
        `${post.slug}.html`,
        `<html><body><main><article><h1>${post.title}</h1><p>The body of ${post.title}, with enough words to be read as an article.</p></article></main></body></html>`,
      );
    }
    const items = posts
      .map(
        (p) =>
          `<article class="post"><h2><a href="/docs/${p.slug}.html">${p.title}</a></h2><time datetime="2024-05-${p.day}">May ${p.day}, 2024</time></article>`,
      )
      .join('');
    const next = page < 3 ? `<a rel="next" href="/docs/${prefix}-list-${page + 1}.html">Older posts</a>` : '';
    urls.push(
      await putDoc(
        `${prefix}-list-${page}.html`,
        `<html lang="en"><body><main>${items}<nav class="pagination">${next}</nav></main></body></html>`,
      ),
    );
  }
  return urls;
}

/** An Env whose queue keeps what is sent to it. */
function catching(sent: RefreshMessage[]): Env {
  return {
    ...env,
    REFRESH_QUEUE: {
      send: async (body: RefreshMessage) => void sent.push(body),
      sendBatch: async (batch: { body: RefreshMessage }[]) => void sent.push(...batch.map((m) => m.body)),
    },
  } as unknown as Env;
}

const api = (path: string, body: unknown, bindings: Env) =>
  app.request(path, { method: 'POST', headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, bindings);

/** Hands every message caught to the real consumer, and the messages that sends, until none is left. */
async function drain(sent: RefreshMessage[], bindings: Env): Promise<RefreshMessage[]> {
  const handled: RefreshMessage[] = [];
  while (sent.length) {
    const bodies = sent.splice(0);
    handled.push(...bodies);
    const batch = createMessageBatch<RefreshMessage>(
      'syndicate-refresh',
      bodies.map((body, i) => ({ id: `m${handled.length}-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, bindings, ctx);
    expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);
  }
  return handled;
}

async function feedUrls(id: number): Promise<string[]> {
  const feed = (await (await get(`/sources/${id}/feed.json?limit=100`)).json()) as { items: { url: string }[] };
  return feed.items.map((i) => i.url);
}

describe('backfill', () => {
  it("a new page source's first refresh reads the list's older pages through the queue; later ones the first only", async () => {
    const [first, second, third] = await threePages('bf');
    const sent: RefreshMessage[] = [];
    const bindings = catching(sent);
    const created = await api('/api/sources', { url: first, kind: 'page' }, bindings);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    sent.splice(0); // the add's own refresh message: this test refreshes through the API itself

    const res = await api(`/api/sources/${id}/refresh`, undefined, bindings);
    expect(((await res.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
    expect(sent).toEqual([{ kind: 'backfill', sourceId: id, url: second, page: 2 }]);
    expect(await feedUrls(id)).toHaveLength(2);

    const handled = await drain(sent, bindings);
    expect(handled).toEqual([
      { kind: 'backfill', sourceId: id, url: second, page: 2 },
      { kind: 'backfill', sourceId: id, url: third, page: 3 },
    ]);
    const urls = await feedUrls(id);
    expect(urls).toHaveLength(6);
    // Newest first: page 1's posts, then page 2's, then page 3's.
    expect(urls).toEqual([1, 2, 3].flatMap((page) => [1, 2].map((n) => upstream(`/docs/bf-p${page}-${n}.html`))));
    const source = (await (await app.request(`/api/sources/${id}`, { headers: AUTH }, env)).json()) as { url: string; item_count: number };
    expect(source).toMatchObject({ url: first, item_count: 6 });

    // A later refresh reads the first page only.
    const again = await api(`/api/sources/${id}/refresh`, undefined, bindings);
    expect(again.status).toBe(200);
    expect(sent).toEqual([]);
  });

  it('rules.backfillPages bounds the pages read; 1 reads the first page only', async () => {
    const [first, second] = await threePages('bf2');
    for (const [pages, expected] of [
      [2, 4],
      [1, 2],
    ] as const) {
      const sent: RefreshMessage[] = [];
      const bindings = catching(sent);
      const url = `${first}?pages=${pages}`;
      const created = await api(
        '/api/sources',
        { url, kind: 'page', rules: { item: 'article.post', date: 'time', backfillPages: pages } },
        bindings,
      );
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      sent.splice(0);
      await api(`/api/sources/${id}/refresh`, undefined, bindings);
      const handled = await drain(sent, bindings);
      expect(handled).toEqual(pages === 2 ? [{ kind: 'backfill', sourceId: id, url: second, page: 2 }] : []);
      expect(await feedUrls(id)).toHaveLength(expected);
    }
    const bad = await api('/api/sources', { url: first, kind: 'page', rules: { item: 'article', backfillPages: 0 } }, env);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['rules.backfillPages']);
  });
});
