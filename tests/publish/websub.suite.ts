// WebSub beyond own-post writes: a refresh that changes a source pings its feed and the planets
// it is in; a scheduled post going live is noticed by the cron, which pings its feeds. The stub
// upstream server plays the hub (tests/setup/upstream.ts, /hub/<name>) and records every ping.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src';
import { getSource } from '../../src/db/sources';
import { refreshSource } from '../../src/ingest/refresh';
import { announce } from '../../src/publish/announce';
import { notifyHub } from '../../src/publish/websub';
import { AUTH, get, insertPost, SITE } from '../support/worker';

let hubs = 0;
/** An env whose WEBSUB_HUB is a fresh stub hub, and a reader of what that hub heard. */
function withHub() {
  const hub = `${inject('upstreamUrl')}/hub/websub-${++hubs}`;
  return { env: { ...env, WEBSUB_HUB: hub }, pings: async () => (await (await fetch(hub)).json()) as string[] };
}
/** The topics of a view: its feeds and their summaries-only variants, in every format. */
const feeds = (prefix: string, query = '') =>
  ['', 'content=summary'].flatMap((variant) => {
    const q = [query.replace(/^\?/, ''), variant].filter(Boolean).join('&');
    return ['feed.xml', 'atom.xml', 'feed.json'].map((f) => `${SITE}${prefix}${f}${q ? `?${q}` : ''}`);
  });

describe('source and planet feeds ping the hub when a refresh changes them', () => {
  it('new items: the source feed, the planet and the planet of each of its tags; an unchanged refresh: nothing', async () => {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${inject('upstreamUrl')}/corpus/34-jsonfeed-valid.json?websub=1`, tags: ['Friends', 'Bees'] }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const hub = withHub();

    const first = await refreshSource(hub.env, (await getSource(env.DB, id))!, Date.now());
    expect(first.items?.changed).toBeGreaterThan(0);
    expect((await hub.pings()).sort()).toEqual(
      [...feeds(`/sources/${id}/`), ...feeds('/planet/'), ...feeds('/planet/', '?tag=friends'), ...feeds('/planet/', '?tag=bees')].sort(),
    );

    // The stub answers 304 to the stored ETag: nothing changed, nobody is told.
    const second = await refreshSource(hub.env, (await getSource(env.DB, id))!, Date.now());
    expect(second.outcome).toBe('not_modified');
    expect(await hub.pings()).toHaveLength(24);
  });

  it('a refresh that fails pings nothing', async () => {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${inject('upstreamUrl')}/status/500` }),
    });
    const { id } = (await res.json()) as { id: number };
    const hub = withHub();
    expect((await refreshSource(hub.env, (await getSource(env.DB, id))!, Date.now())).outcome).toBe('error');
    expect(await hub.pings()).toEqual([]);
  });
});

describe('a scheduled post going live pings the hub, from the cron', () => {
  it('the cron run after its time pings its feeds once; the runs before and after ping nothing', async () => {
    const now = Date.now();
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000ab01',
      slug: 'goes-live-by-itself',
      title: 'Goes live by itself',
      publishedAt: now + 60_000,
      tags: [['hives', 'Hives']],
      authors: [['ada', 'Ada']],
    });
    // No source is due: the cron's refreshes stay out of this hub's log.
    await env.DB.prepare('UPDATE sources SET next_due_at = ?1')
      .bind(now + 3_600_000)
      .run();
    const hub = withHub();
    const cron = async (at: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/5 * * * *' }), hub.env, ctx);
      await waitOnExecutionContext(ctx);
      return hub.pings();
    };
    expect(await cron(now)).toEqual([]);
    expect((await cron(now + 120_000)).sort()).toEqual([...feeds('/'), ...feeds('/tags/hives/'), ...feeds('/authors/ada/')].sort());
    expect(await cron(now + 240_000)).toHaveLength(18);
  });

  it('a post published by a write (which pinged then) is not announced again by the cron', async () => {
    const hub = withHub();
    const ctx = createExecutionContext();
    const { app } = await import('../../src/app');
    const res = await app.request(
      `${SITE}/api/posts`,
      { method: 'POST', headers: AUTH, body: JSON.stringify({ title: 'Published at once', authors: [{ name: 'Grace' }], tags: ['Now'] }) },
      hub.env,
      ctx,
    );
    expect(res.status).toBe(201);
    await waitOnExecutionContext(ctx);
    const afterWrite = await hub.pings();
    expect(afterWrite).toEqual(expect.arrayContaining([`${SITE}/tags/now/feed.xml`, `${SITE}/authors/grace/atom.xml`]));
    const cronCtx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 1000, cron: '*/5 * * * *' }), hub.env, cronCtx);
    await waitOnExecutionContext(cronCtx);
    expect(await hub.pings()).toEqual(afterWrite);
  });
});

describe('hub pings get the address checks of every outbound request', () => {
  const stub = new URL(inject('upstreamUrl'));
  const redirect = (to: string, code = 307) => `${stub.origin}/redirect?code=${code}&to=${encodeURIComponent(to)}`;

  it('a hub that redirects to a private or metadata address is not followed there', async () => {
    // 0.0.0.0 reaches this machine's own stub server: a ping that got there would be recorded.
    const trap = `http://0.0.0.0:${stub.port}/hub/websub-trap`;
    for (const to of [trap, 'http://10.0.0.1/hub', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/hub']) {
      for (const code of [307, 308]) {
        const pings = await announce({ ...env, WEBSUB_HUB: redirect(to, code) }, ['site']);
        expect(await (await fetch(`${stub.origin}/hub/websub-trap`)).json()).toEqual([]);
        expect(pings).toHaveLength(6);
        for (const ping of pings) {
          expect(ping.ok, `${code} to ${to}`).toBe(false);
          expect(ping.error).toMatch(/not a public one.*not pinged/);
        }
      }
    }
    // The hub URL itself is checked too.
    const direct = await notifyHub('http://169.254.169.254/hub', [`${SITE}/feed.xml`], { allowLoopback: true });
    expect(direct).toEqual([{ topic: `${SITE}/feed.xml`, ok: false, error: expect.stringMatching(/linkLocal address/) }]);
    expect((await notifyHub(`${stub.origin}/hub/x`, [`${SITE}/feed.xml`], { allowLoopback: false }))[0]!.ok).toBe(false);
  });

  it('a 307 or 308 to a public (here: loopback, allowed in tests) hub keeps the POST; 301, 302 and 303 are not followed', async () => {
    const hub = withHub();
    const target = hub.env.WEBSUB_HUB;
    expect((await announce({ ...env, WEBSUB_HUB: redirect(target, 307) }, ['site'])).every((p) => p.ok)).toBe(true);
    expect((await announce({ ...env, WEBSUB_HUB: redirect(target, 308) }, ['site'])).every((p) => p.ok)).toBe(true);
    for (const code of [301, 302, 303]) {
      const pings = await announce({ ...env, WEBSUB_HUB: redirect(target, code) }, ['site']);
      expect(pings.map((p) => [p.ok, p.status])).toEqual(Array.from({ length: 6 }, () => [false, code]));
    }
    expect((await hub.pings()).sort()).toEqual([...feeds('/'), ...feeds('/')].sort());
  });
});

describe('every document that advertises the hub is a topic the hub is told about', () => {
  /** The hub a document advertises: in its Link header and in its body, which must agree. */
  async function advertised(res: Response, format: string): Promise<string | null> {
    const header = /<([^>]+)>; rel="hub"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
    const body = await res.text();
    const inBody =
      format === 'feed.json'
        ? ((JSON.parse(body) as { hubs?: { url: string }[] }).hubs?.[0]?.url ?? null)
        : (/href="([^"]+)"/.exec(/<(?:atom:)?link\b[^>]*\brel="hub"[^>]*>/.exec(body)?.[0] ?? '')?.[1] ?? null);
    expect(inBody, res.url).toBe(header);
    return header;
  }

  it('the feed and ?content=summary are pinged and advertise it; ?limit and archive pages do neither', async () => {
    const hub = withHub();
    for (let i = 0; i < 60; i++) {
      await insertPost({
        id: `urn:uuid:00000000-0000-4000-8000-0000000c${String(i).padStart(4, '0')}`,
        slug: `hub-history-${i}`,
        title: `Hub history ${i}`,
        publishedAt: Date.UTC(2018, 0, 1) + i * 86_400_000,
        tags: [['hub-history', 'Hub history']],
      });
    }
    const ctx = createExecutionContext();
    const { app } = await import('../../src/app');
    const write = await app.request(
      `${SITE}/api/posts`,
      { method: 'POST', headers: AUTH, body: JSON.stringify({ title: 'Hub topics', tags: ['Hub history'], authors: [{ name: 'Ada' }] }) },
      hub.env,
      ctx,
    );
    expect(write.status).toBe(201);
    await waitOnExecutionContext(ctx);
    const topics = new Set(await hub.pings());
    const documents = ['', '?content=summary', '?limit=5', '?limit=5&content=summary'].flatMap((q) =>
      ['feed.xml', 'atom.xml', 'feed.json'].map((f) => [`/tags/hub-history/${f}${q}`, f] as const),
    );
    documents.push(['/tags/hub-history/archive/1/feed.xml', 'feed.xml'], ['/tags/hub-history/archive/1/atom.xml', 'atom.xml']);
    documents.push(['/tags/hub-history/archive/1/feed.json', 'feed.json']);
    const advertising: string[] = [];
    for (const [path, format] of documents) {
      const res = await app.request(`${SITE}${path}`, {}, hub.env, createExecutionContext());
      expect(res.status, path).toBe(200);
      const hubUrl = await advertised(res, format);
      if (hubUrl !== null) {
        expect(hubUrl).toBe(hub.env.WEBSUB_HUB);
        advertising.push(`${SITE}${path}`);
      }
      expect(topics.has(`${SITE}${path}`), path).toBe(hubUrl !== null);
    }
    expect(advertising.sort()).toEqual(feeds('/tags/hub-history/').sort());
  });
});
