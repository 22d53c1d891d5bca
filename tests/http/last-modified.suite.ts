// Last-Modified grows with every version of a view, so a reader revalidating with
// If-Modified-Since alone never gets a 304 for content it has not seen; and If-Modified-Since is
// used only when it is a real HTTP-date that is not in the future.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPostBy } from '../../src/db/entries';
import { updatePost } from '../../src/db/posts';
import { isNotModified, parseHttpDate } from '../../src/serve/conditional';
import { resolveView } from '../../src/serve/serve-view';
import { app } from '../../src/app';
import { AUTH, bumpView, get, insertPost, SITE } from '../support/worker';

const api = (method: string, path: string, body?: unknown) =>
  get(`/api/posts${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
const ims = (value: string) => ({ headers: { 'if-modified-since': value } });
const request = (value: string) => new Request('http://localhost/', ims(value));

describe('Last-Modified with several changes in one second', () => {
  it('two writes within one second: revalidating with the first Last-Modified gets the second version', async () => {
    // Created in another tag: the tag below is first written by the writes at chosen times.
    const created = (await (
      await api('POST', '', { title: 'Same second', tags: ['Elsewhere'], authors: [{ name: 'A' }], published_at: '2020-01-01T00:00:00Z' })
    ).json()) as { id: string };
    // Writes through the db layer the API uses, at chosen times: 100 ms apart in one second, a minute ago.
    const second = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const write = async (title: string, at: number) => {
      const before = (await findPostBy(env.DB, 'id', created.id))!;
      await updatePost(
        env.DB,
        before,
        {
          title,
          slug: before.slug,
          summary: '',
          contentHtml: '',
          authors: [{ name: 'A' }],
          tags: ['Same Second'],
          status: 'published',
          publishedAt: before.publishedAt.getTime(),
          enclosures: [],
          image: null,
          language: null,
        },
        at,
      );
    };
    await write('First version', second + 100);
    const first = await get('/tags/same-second/feed.json');
    expect(await first.text()).toContain('First version');
    const lastModified = first.headers.get('last-modified')!;
    expect(Date.parse(lastModified)).toBe(second + 1000);

    await write('Second version', second + 200);
    const again = await get('/tags/same-second/feed.json', ims(lastModified));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Second version');
    expect(Date.parse(again.headers.get('last-modified')!)).toBe(second + 2000);
    // And the new date revalidates.
    expect((await get('/tags/same-second/feed.json', ims(again.headers.get('last-modified')!))).status).toBe(304);
  });

  it('ten edits in a burst through the API: after each, the latest date a reader can hold gets the new content', async () => {
    const post = (await (
      await api('POST', '', { title: 'Burst 0', tags: ['Burst'], authors: [{ name: 'A' }], published_at: '2020-01-01T00:00:00Z' })
    ).json()) as { id: string };
    // The Last-Modified sent, or while none is (the stored value is ahead of the clock) the
    // current second: no date sent earlier is later than that.
    const heldDate = (res: Response) => res.headers.get('last-modified') ?? new Date(Date.now()).toUTCString();
    let previous = heldDate(await get('/tags/burst/feed.json'));
    for (let i = 1; i <= 10; i++) {
      expect((await api('PATCH', `/${post.id}`, { title: `Burst ${i}` })).status).toBe(200);
      const res = await get('/tags/burst/feed.json', ims(previous));
      expect(res.status, `edit ${i}`).toBe(200);
      expect(((await res.json()) as { items: { title: string }[] }).items.map((item) => item.title)).toEqual([`Burst ${i}`]);
      const lastModified = res.headers.get('last-modified');
      // Never later than the answer itself.
      if (lastModified !== null) expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
      previous = heldDate(res);
    }
  });

  it('a post page edited twice within one second is not answered 304 to the first version', async () => {
    const created = (await (
      await api('POST', '', { title: 'Page v1', slug: 'page-same-second', authors: [{ name: 'A' }], published_at: '2020-01-01T00:00:00Z' })
    ).json()) as { id: string };
    const second = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const before = (await findPostBy(env.DB, 'id', created.id))!;
    const input = {
      slug: before.slug,
      summary: '',
      contentHtml: '',
      authors: [{ name: 'A' }],
      tags: [],
      status: 'published' as const,
      publishedAt: before.publishedAt.getTime(),
      enclosures: [],
      image: null,
      language: null,
    };
    await updatePost(env.DB, before, { ...input, title: 'Page v2' }, second + 100);
    const first = await get('/posts/page-same-second');
    expect(await first.text()).toContain('Page v2');
    await updatePost(env.DB, (await findPostBy(env.DB, 'id', created.id))!, { ...input, title: 'Page v3' }, second + 200);
    const again = await get('/posts/page-same-second', ims(first.headers.get('last-modified')!));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Page v3');
  });
});

describe('Last-Modified when a scheduled post goes live with no write', () => {
  it('is later than any Last-Modified sent before, also within the same second', async () => {
    const base = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    // A tag whose only write was long ago; a post in it scheduled for base + 30.5 s.
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000e001',
      slug: 'old-one',
      title: 'Old one',
      publishedAt: base - 3_600_000,
      tags: [['live', 'Live']],
    });
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000e002',
      slug: 'goes-live',
      title: 'Goes live',
      publishedAt: base + 30_500,
      tags: [['live', 'Live']],
    });
    const view = { kind: 'tag', slug: 'live' } as const;

    // A reader 100 ms before it goes live, in the same second.
    const before = await resolveView(env, view, 'rss', { limit: 20, content: 'full' }, base + 30_400);
    expect(await before.render()).not.toContain('Goes live');
    const sent = new Date(Math.min(before.lastModified!, Math.floor((base + 30_400) / 1000)) * 1000).toUTCString();

    // 100 ms after: new content, and a Last-Modified the earlier one is not current for.
    const after = await resolveView(env, view, 'rss', { limit: 20, content: 'full' }, base + 30_600);
    expect(await after.render()).toContain('Goes live');
    expect(after.lastModified! * 1000).toBeGreaterThan(Date.parse(sent));
    expect(isNotModified(request(sent), after.etag, after.lastModified, base + 30_600)).toBe(false);
    // The reader that saw it stays current.
    const later = new Date(after.lastModified! * 1000).toUTCString();
    expect(isNotModified(request(later), after.etag, after.lastModified, base + 31_000)).toBe(true);
  });
});

describe('a scheduled post going live moves every date and validator of its feeds', () => {
  it('Atom updated, RSS lastBuildDate, JSON date_modified, Last-Modified and the ETag', async () => {
    const base = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const goesLive = base + 30_500;
    // Written at base, scheduled for 30.5 s later; meanwhile an older post of the tag was edited.
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000e101',
      slug: 'edited-meanwhile',
      title: 'Edited meanwhile',
      publishedAt: base - 3_600_000,
      updatedAt: base + 10_000,
      tags: [['golive', 'Golive']],
    });
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000e102',
      slug: 'scheduled-go-live',
      title: 'Scheduled go-live',
      publishedAt: goesLive,
      updatedAt: base,
      tags: [['golive', 'Golive']],
    });
    await bumpView('tag:golive', base + 10_000);
    const view = { kind: 'tag', slug: 'golive' } as const;
    const variant = { limit: null, content: 'full' } as const;
    const at = async (now: number) => {
      const [rss, atom, json] = await Promise.all(['rss', 'atom', 'json'].map((f) => resolveView(env, view, f as 'rss', variant, now)));
      return { rss: rss!, atom: atom!, json: json!, bodies: await Promise.all([rss!.render(), atom!.render(), json!.render()]) };
    };
    const before = await at(base + 20_000);
    const after = await at(base + 40_000);
    const [rss, atom, json] = after.bodies;
    expect(rss).toContain('Scheduled go-live');
    const iso = new Date(goesLive).toISOString();
    expect(/<lastBuildDate>([^<]+)</.exec(rss!)?.[1]).toBe(new Date(goesLive).toUTCString());
    expect(/<feed[\s\S]*?<updated>([^<]+)</.exec(atom!)?.[1]).toBe(iso);
    // The entry is not updated before it was published.
    expect(/<entry>[\s\S]*?<updated>([^<]+)</.exec(atom!)?.[1]).toBe(iso);
    const item = (JSON.parse(json!) as { items: { title: string; date_modified: string }[] }).items[0]!;
    expect(item).toMatchObject({ title: 'Scheduled go-live', date_modified: iso });
    for (const format of ['rss', 'atom', 'json'] as const) {
      expect(after[format].etag).not.toBe(before[format].etag);
      expect(after[format].lastModified!).toBeGreaterThan(before[format].lastModified!);
      expect(after[format].lastModified!).toBe(Math.ceil(goesLive / 1000));
    }
    // Its page too counts from its going live, not from its last write.
    const page = await get('/posts/scheduled-go-live');
    expect(page.headers.get('last-modified')).toBe(new Date(Math.ceil(goesLive / 1000) * 1000).toUTCString());
  });
});

describe('Last-Modified under one ETag', () => {
  afterEach(() => vi.useRealTimers());

  it('never advances while the ETag stays: it is not sent until the clock reaches it', async () => {
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000e201',
      slug: 'steady-validators',
      title: 'Steady validators',
      publishedAt: Date.UTC(2020, 0, 1),
      tags: [['steady', 'Steady']],
    });
    const second = Math.floor(Date.now() / 1000) * 1000 + 10_000;
    vi.useFakeTimers({ toFake: ['Date'], now: second + 300 });
    // A burst of three writes: the stored Last-Modified runs three seconds ahead of the clock.
    for (const at of [second + 300, second + 310, second + 320]) await bumpView('tag:steady', at);
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const sent = new Map<string, Set<string | null>>();
    for (const at of [300, 900, 1_200, 2_500, 3_100, 4_000, 9_000]) {
      vi.setSystemTime(second + at);
      for (const path of ['/tags/steady/feed.xml', '/posts/steady-validators', '/opml.xml']) {
        const res = await app.request(new URL(path, SITE).href, {}, env, ctx);
        expect(res.status, path).toBe(200);
        const lastModified = res.headers.get('last-modified');
        if (lastModified !== null) expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
        const key = `${path} ${res.headers.get('etag')}`;
        if (!sent.has(key)) sent.set(key, new Set());
        if (lastModified !== null) sent.get(key)!.add(lastModified);
      }
    }
    // Under each ETag at most one Last-Modified was ever sent; the feed's is the stored one.
    for (const [key, values] of sent) expect([...values], key).toHaveLength(values.size > 0 ? 1 : 0);
    const feed = [...sent].find(([key]) => key.startsWith('/tags/steady/'))![1];
    expect([...feed]).toEqual([new Date(second + 3_000).toUTCString()]);
  });
});

describe('If-Modified-Since', () => {
  it('answers each of the three HTTP-date forms of Last-Modified with 304', async () => {
    const lastModified = (await get('/tags/tech/feed.xml')).headers.get('last-modified')!;
    const date = new Date(lastModified);
    const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][date.getUTCDay()]!;
    const [, dd, mon, yyyy, time] = /^\w{3}, (\d{2}) (\w{3}) (\d{4}) ([\d:]{8}) GMT$/.exec(lastModified)!;
    const rfc850 = `${weekday}, ${dd}-${mon}-${yyyy!.slice(2)} ${time} GMT`;
    const asctime = `${weekday.slice(0, 3)} ${mon} ${String(Number(dd)).padStart(2, ' ')} ${time} ${yyyy}`;
    for (const form of [lastModified, rfc850, asctime]) {
      expect((await get('/tags/tech/feed.xml', ims(form))).status, form).toBe(304);
    }
  });

  it.each([
    ['a bare year', '2030'],
    ['an ISO date', '2030-01-01T00:00:00Z'],
    ['a lowercase zone', 'Tue, 01 Jan 2030 00:00:00 gmt'],
    ['a numeric zone', 'Tue, 01 Jan 2030 00:00:00 +0000'],
    ['a day that does not exist', 'Sat, 31 Feb 2021 00:00:00 GMT'],
    ['an hour that does not exist', 'Fri, 01 Jan 2021 24:00:00 GMT'],
    ['two dates', 'Fri, 01 Jan 2021 00:00:00 GMT, Sat, 02 Jan 2021 00:00:00 GMT'],
    ['a date in the future', 'Fri, 01 Jan 2100 00:00:00 GMT'],
    ['tomorrow', new Date(Date.now() + 86_400_000).toUTCString()],
  ])('ignores %s (%s): a full 200', async (_name, value) => {
    const res = await get('/tags/tech/feed.xml', ims(value));
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
  });

  it('parses exactly the three forms of RFC 9110', () => {
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(at);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(at);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(at);
    // A two-digit year more than 50 years ahead is in the past.
    expect(parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(2070, 0, 1));
    expect(parseHttpDate('Monday, 01-Jan-80 00:00:00 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(1980, 0, 1));
    for (const bad of [
      '2030',
      '',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'sun, 06 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49 GMT',
      ' Sun, 06 Nov 1994 08:49:37 GMT',
    ]) {
      expect(parseHttpDate(bad), bad).toBeNull();
    }
  });
});
