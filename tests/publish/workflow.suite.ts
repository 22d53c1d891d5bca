// The publishing workflow as readers and hubs see it: after each step of a post's short life,
// every format of its feeds (read back by rss-parser and JSON.parse) and its page show exactly the
// new state, unaffected feeds keep their ETag, and the WebSub hub is told about exactly the feeds
// that changed; a failing hub fails no write, and every feed advertises the hub. The whole life
// (schedule, re-tag, unpublish) is in workflow.full.test.ts.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { app } from '../../src/app';
import { AUTH, check, SITE } from '../support/worker';
import { background, ctx, etags, everyFormat, feedSet, HUB, hub, request, useStrictHub, viewState, write } from '../support/workflow';

useStrictHub();

describe('every feed follows each step, and the hub hears about exactly those feeds', () => {
  it('create, edit, delete: the post follows in every format, and the hub hears about exactly its feeds', async () => {
    const untouched = ['/tags/law/'];
    const untouchedBefore = await etags(untouched);

    // Create: the post tops the site feed and its new tag's, in every format.
    const created = await write('POST', '', {
      title: 'Short life',
      tags: ['Epsilon'],
      authors: [{ name: 'Brief Writer' }],
      content_html: '<p>One.</p>',
    });
    expect(created.status).toBe(201);
    const post = (await created.json()) as { id: string; slug: string };
    expect(await viewState('/')).toEqual(everyFormat([{ id: post.id, title: 'Short life' }]));
    expect(await viewState('/tags/epsilon/')).toEqual(everyFormat([{ id: post.id, title: 'Short life' }]));
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/epsilon/'), ...feedSet('/authors/brief-writer/')].sort());

    // Edit the title: new title everywhere, same id.
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { title: 'Short life, edited' });
    expect(await viewState('/tags/epsilon/')).toEqual(everyFormat([{ id: post.id, title: 'Short life, edited' }]));
    expect(await (await request(`/posts/${post.slug}`)).text()).toContain('Short life, edited');
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/epsilon/'), ...feedSet('/authors/brief-writer/')].sort());

    // Delete: gone from every feed, its page answers 410.
    hub.pings = [];
    expect((await write('DELETE', `/${post.id}`)).status).toBe(204);
    expect(await viewState('/tags/epsilon/')).toBeNull();
    expect((await request(`/posts/${post.slug}`)).status).toBe(410);
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/epsilon/'), ...feedSet('/authors/brief-writer/')].sort());
    expect(await etags(untouched)).toEqual(untouchedBefore);
  });

  it('a failing hub never fails the write, and the failure is logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let calls = 0;
    hub.answer = () => (++calls % 2 ? new Response('down', { status: 503 }) : Promise.reject(new TypeError('connection refused')));
    const res = await write('POST', '', { title: 'Hub is down', authors: [{ name: 'Ada Writer' }] });
    expect(res.status).toBe(201);
    const post = (await res.json()) as { id: string };
    expect(hub.pings).toHaveLength(12);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/WebSub: hub .* refused .*feed\.xml: (503|connection refused)/));
    expect((await viewState('/'))!.json[0]!.id).toBe(post.id);
  });

  it('without WEBSUB_HUB, nothing is fetched: the own hub has no subscriber to deliver to', async () => {
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

  it("no WEBSUB_HUB configured: the site's own hub, in the document and in Link", async () => {
    const res = await app.request(new URL('/atom.xml', SITE).href, {}, env, ctx as unknown as ExecutionContext);
    expect(res.headers.get('link')).toBe(`<${SITE}/hub>; rel="hub", <${SITE}/atom.xml>; rel="self"`);
    expect(await res.text()).toContain(`<link rel="hub" href="${SITE}/hub"/>`);
  });
});
