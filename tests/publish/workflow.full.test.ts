// The publishing workflow as readers and hubs see it, through a post's whole life: after every
// step, every format of every affected feed (read back by rss-parser and JSON.parse) and its page
// show exactly the new state, unaffected feeds keep their ETag, and the WebSub hub is told about
// exactly the feeds that changed. A shorter life takes the same path in the fast tier
// (workflow.suite.ts).
import { describe, expect, it } from 'vitest';
import { etags, everyFormat, feedSet, hub, request, useStrictHub, viewState, write } from '../support/workflow';

useStrictHub();

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
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/gamma/'), ...feedSet('/authors/ada-writer/')].sort());

    // Edit the title: new title everywhere, same id.
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { title: 'Step two' });
    const second = [{ id: post.id, title: 'Step two' }];
    expect(await viewState('/')).toEqual(everyFormat(second));
    expect(await viewState('/tags/gamma/')).toEqual(everyFormat(second));
    expect(await viewState('/authors/ada-writer/')).toEqual(everyFormat(second));
    expect(await (await request(`/posts/${post.slug}`)).text()).toContain('Step two');
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/gamma/'), ...feedSet('/authors/ada-writer/')].sort());

    // Re-tag: the old tag's feeds are gone in every format, the new tag's show the post; both are pinged.
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { tags: ['Delta'] });
    expect(await viewState('/tags/gamma/')).toBeNull();
    expect(await viewState('/tags/delta/')).toEqual(everyFormat(second));
    expect(hub.pings).toEqual(expect.arrayContaining([...feedSet('/tags/gamma/'), ...feedSet('/tags/delta/')]));

    // Schedule into the future: out of every feed and off its page until the time comes.
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { published_at: '2099-01-01T00:00:00Z' });
    expect((await viewState('/'))!.json).not.toEqual(second);
    expect(await viewState('/tags/delta/')).toBeNull();
    expect(await viewState('/authors/ada-writer/')).toBeNull();
    expect((await request(`/posts/${post.slug}`)).status).toBe(404);
    expect(hub.pings).toHaveLength(18); // it was visible before this step: its feeds changed

    // Editing a post that nobody can see yet tells no hub.
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { title: 'Still scheduled' });
    expect(hub.pings).toEqual([]);

    // Back in the past, then unpublished (draft).
    await write('PATCH', `/${post.id}`, { published_at: '2024-06-01T00:00:00Z', title: 'Step three' });
    expect(await viewState('/tags/delta/')).toEqual(everyFormat([{ id: post.id, title: 'Step three' }]));
    hub.pings = [];
    await write('PATCH', `/${post.id}`, { status: 'draft' });
    expect(await viewState('/tags/delta/')).toBeNull();
    const site = await viewState('/', 50);
    for (const format of ['rss', 'atom', 'json'] as const) expect(site![format].map((i) => i.id)).not.toContain(post.id);
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/delta/'), ...feedSet('/authors/ada-writer/')].sort());

    // Delete: gone from every feed, its page answers 410.
    await write('PATCH', `/${post.id}`, { status: 'published' });
    hub.pings = [];
    expect((await write('DELETE', `/${post.id}`)).status).toBe(204);
    expect(await viewState('/tags/delta/')).toBeNull();
    expect(await viewState('/authors/ada-writer/')).toBeNull();
    expect((await request(`/posts/${post.slug}`)).status).toBe(410);
    expect(hub.pings.sort()).toEqual([...feedSet('/'), ...feedSet('/tags/delta/'), ...feedSet('/authors/ada-writer/')].sort());

    // Feeds the post never touched kept their ETags through all of it.
    expect(await etags(untouched)).toEqual(untouchedBefore);
  });
});
