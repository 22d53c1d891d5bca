// The sources in the console, inside workerd with the stub upstream on 127.0.0.1: Find feed shows
// what an address gives and stores nothing; Add source stores it through the API's write; a
// source's page refreshes it now, pauses and resumes it, edits it (a bad rule is a 400 naming the
// field, nothing changed) and deletes it; the history of refreshes is written by every refresh
// path (the console's, the cron's, the queue's, an interrupted lease) and kept bounded.
import { createExecutionContext, createMessageBatch, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import worker from '../../src';
import { HISTORY_PER_SOURCE } from '../../src/db/source-fetches';
import { getSource, recordFetch } from '../../src/db/sources';
import { CLAIM_LEASE_MS, type RefreshMessage, refreshDueSources } from '../../src/scheduled';
import { csrfOf, post, request, signIn } from '../support/console';
import { AUTH, addSource, check, get, upstream } from '../support/worker';

let cookie = '';
beforeAll(async () => {
  cookie = await signIn('192.0.2.90');
});

/** A document on the stub upstream (/docs/<name>). */
async function put(name: string, body: string, type = 'application/rss+xml') {
  const res = await fetch(upstream(`/docs/${name}`), { method: 'PUT', headers: { 'content-type': type }, body });
  expect(res.status).toBe(204);
  return upstream(`/docs/${name}`);
}

/** An RSS feed of `items`, each linking to an article page of the stub, its date fixed by its key. */
const rss = (title: string, items: [key: string, title: string][]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>${upstream('/pages/csrc-site/')}</link>${items
    .map(
      ([key, t]) =>
        `<item><title>${t}</title><link>${upstream(`/pages/csrc-site/${key}/`)}</link><guid>csrc-${key}</guid><pubDate>${new Date(
          Date.UTC(
            2026,
            0,
            1,
            0,
            [...key].reduce((n, c) => n + c.charCodeAt(0), 0),
          ),
        ).toUTCString()}</pubDate><description>About ${t}</description></item>`,
    )
    .join('')}</channel></rss>`;

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;
const sourcesStored = () => count('SELECT count(*) AS n FROM sources');
const history = (id: number) =>
  env.DB.prepare(
    'SELECT outcome, status, error_kind, message, items_new, items_updated, duration_ms FROM source_fetches WHERE source_id = ?1 ORDER BY at DESC, id DESC',
  )
    .bind(id)
    .all<{
      outcome: string;
      status: number | null;
      error_kind: string | null;
      message: string | null;
      items_new: number | null;
      items_updated: number | null;
      duration_ms: number | null;
    }>()
    .then((r) => r.results);

async function page(path: string): Promise<string> {
  const res = await request(path, { headers: { cookie } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** A console page is valid HTML with no inline script, and its style sheets are allowed by the policy's hashes. */
async function wellFormed(ctx: TestContext, res: Response): Promise<string> {
  const html = await res.text();
  const csp = res.headers.get('content-security-policy')!;
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(html).not.toMatch(/<script(?![^>]*src="\/admin\/assets\/console\.js")/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  for (const [, sheet] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sheet)));
    expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
  }
  expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  return html;
}

/** Find feed on the add page: the answer (200 with a preview, 400 with the address's error). */
async function findFeed(address: string) {
  const token = csrfOf(await page('/admin/sources/new'), '/admin/sources/find');
  return post(cookie, '/admin/sources/find', { csrf: token, address });
}

describe('adding a source through the forms', () => {
  let feedUrl = '';
  let added = 0;

  beforeAll(async () => {
    feedUrl = await put(
      'csrc-feed.xml',
      rss('Console feed', [
        ['one', 'First console item'],
        ['two', 'Second console item'],
        ['three', 'Third console item'],
      ]),
    );
  });

  it('Find feed shows the feed and its items, and stores nothing', async (ctx) => {
    const before = { sources: await sourcesStored(), fetches: await count('SELECT count(*) AS n FROM source_fetches') };
    const res = await findFeed(feedUrl);
    expect(res.status).toBe(200);
    const html = await wellFormed(ctx, res);
    expect(html).toContain('The address is a feed.');
    expect(html).toContain('Console feed');
    for (const title of ['First console item', 'Second console item', 'Third console item']) expect(html).toContain(title);
    expect(html).toContain(`href="${upstream('/pages/csrc-site/one/')}"`);
    expect(html).toMatch(/<button type="submit" class="primary">\s*Add source\s*<\/button>/);
    expect(html).toContain(`name="url" value="${feedUrl}"`);
    expect(html).toContain('name="kind" value="feed"');
    // A feed source gets no link to the rules builder.
    expect(html).not.toContain('Build rules by clicking');
    expect({ sources: await sourcesStored(), fetches: await count('SELECT count(*) AS n FROM source_fetches') }).toEqual(before);
  });

  it('Add source stores what was found, with its tags, title and full text, and goes to its page', async () => {
    const found = await (await findFeed(feedUrl)).text();
    const token = csrfOf(found, '/admin/sources/new');
    const res = await post(cookie, '/admin/sources/new', {
      csrf: token,
      address: feedUrl,
      url: feedUrl,
      kind: 'feed',
      tags: 'Console News, Weekly',
      title: 'My console feed',
      full_text: '1',
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/sources\/\d+\?added=1$/);
    added = Number(/\/(\d+)\?/.exec(location)![1]);
    const source = (await getSource(env.DB, added))!;
    expect(source).toMatchObject({ url: feedUrl, kind: 'feed', titleOverride: 'My console feed', fullText: true, site: false });
    expect(source.tags.map((t) => t.name)).toEqual(['Console News', 'Weekly']);
    const html = await page(location);
    expect(html).toContain('<h1>My console feed</h1>');
    expect(html).toContain('The source is added');
  });

  it('the same address again is refused beside the field, as typed, and stores nothing', async () => {
    const before = await sourcesStored();
    const token = csrfOf(await (await findFeed(feedUrl)).text(), '/admin/sources/new');
    const res = await post(cookie, '/admin/sources/new', {
      csrf: token,
      address: feedUrl,
      url: feedUrl,
      kind: 'feed',
      tags: 'Kept',
      title: 'Typed',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('is already a source');
    expect(html).toContain('id="address-error"');
    expect(html).toContain('value="Kept"');
    expect(html).toContain('value="Typed"');
    expect(await sourcesStored()).toBe(before);
  });

  it('a bad tag is named beside Tags, and nothing is stored', async () => {
    const url = await put('csrc-other.xml', rss('Other', [['x', 'Other item']]));
    const before = await sourcesStored();
    const token = csrfOf(await (await findFeed(url)).text(), '/admin/sources/new');
    const res = await post(cookie, '/admin/sources/new', { csrf: token, address: url, url, kind: 'feed', tags: 'x'.repeat(300) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="tags-error"');
    expect(html).toContain('Other item');
    expect(await sourcesStored()).toBe(before);
  });

  it('a web page that advertises a feed gives that feed', async () => {
    const feed = await put('csrc-advertised.xml', rss('Advertised', [['ad', 'Advertised item']]));
    const html = await put(
      'csrc-home.html',
      `<!doctype html><html><head><title>Home</title><link rel="alternate" type="application/rss+xml" href="${feed}"></head><body><p>Hello</p></body></html>`,
      'text/html; charset=utf-8',
    );
    const res = await findFeed(html);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('advertises a feed');
    expect(text).toContain(`name="url" value="${feed}"`);
    expect(text).toContain('Advertised item');
  });

  it('a web page with a list of posts gives a page source, with the link to the rules builder', async (ctx) => {
    const list = upstream('/pages/hfeed/');
    const res = await findFeed(list);
    expect(res.status).toBe(200);
    const html = await wellFormed(ctx, res);
    expect(html).toContain('name="kind" value="page"');
    expect(html).toContain(`href="/admin/sources/builder?address=${encodeURIComponent(list)}"`);
    expect(html).toContain('Build rules by clicking');
    expect(html.match(/<tr>/g)!.length).toBeGreaterThan(2);
  });

  const wrong: [what: string, address: () => string | Promise<string>, words: string][] = [
    ['an unreachable address', () => upstream('/status/500'), 'could not be fetched'],
    ['a private address', () => 'http://10.0.0.1/feed.xml', 'cannot be followed'],
    [
      'a document that is not a feed',
      () => put('csrc-not-feed.json', '{"hello": "world"}', 'application/json'),
      'not a feed or a web page',
    ],
    [
      'a page with nothing on it',
      () =>
        put(
          'csrc-empty.html',
          '<!doctype html><html><head><title>Empty</title></head><body><p>Nothing here.</p></body></html>',
          'text/html',
        ),
      'no list of posts was found',
    ],
  ];
  it.for(wrong)('%s is said plainly beside the Address, kept as typed, and nothing is stored', async ([, address, words], ctx) => {
    const url = await address();
    const before = await sourcesStored();
    const res = await findFeed(url);
    expect(res.status).toBe(400);
    const html = await wellFormed(ctx, res);
    expect(html).toMatch(new RegExp(`<p class="hint error-text" id="address-error">[^<]*${words}`));
    expect(html).toContain(`value="${url}"`);
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('action="/admin/sources/new"');
    expect(await sourcesStored()).toBe(before);
  });

  it('the list shows the source with its health, and filters by state, kind, tag and words', async (ctx) => {
    const res = await request('/admin/sources?tag=console-news', { headers: { cookie } });
    const html = await wellFormed(ctx, res);
    expect(html).toContain(`href="/admin/sources/${added}"`);
    expect(html).toContain('One source match.');
    expect(await page('/admin/sources?tag=Weekly')).toContain(`href="/admin/sources/${added}"`);
    expect(await page('/admin/sources?q=console%20feed')).toContain(`href="/admin/sources/${added}"`);
    expect(await page(`/admin/sources?q=${encodeURIComponent('csrc-feed.xml')}`)).toContain(`href="/admin/sources/${added}"`);
    expect(await page('/admin/sources?kind=page&tag=console-news')).toContain('No source matches these filters.');
    expect(await page('/admin/sources?state=paused&tag=console-news')).toContain('No source matches these filters.');
    expect(await page('/admin/sources?state=active&tag=console-news')).toContain(`href="/admin/sources/${added}"`);
    expect(await page('/admin/sources?q=no-such-words-anywhere')).toContain('No source matches these filters.');
    // Words are matched as typed: % and _ are no wildcards.
    expect(await page('/admin/sources?q=%25')).toContain('No source matches these filters.');
    expect(await page('/admin/sources?q=_')).toContain('No source matches these filters.');
  });

  it('pages the list 50 at a time', async () => {
    const many = await Promise.all(
      Array.from({ length: 51 }, (_, i) => addSource(upstream(`/docs/csrc-many.xml?n=${i}`), { kind: 'feed', tags: ['Many Pages'] })),
    );
    const first = await page('/admin/sources?tag=many-pages');
    expect(first).toContain('51 sources match.');
    expect(first).toContain('Page 1 of 2');
    expect(first.match(/href="\/admin\/sources\/\d+"/g)!.length).toBe(50);
    const second = await page('/admin/sources?tag=many-pages&page=2');
    const last = Math.max(...many.map((s) => s.id));
    expect(second.match(/href="\/admin\/sources\/\d+"/g)).toEqual([`href="/admin/sources/${last}"`]);
  });

  describe("a source's page", () => {
    const actionToken = async (id: number) => csrfOf(await page(`/admin/sources/${id}`), `/admin/sources/${id}/refresh`);

    it('Refresh now runs the refresh and shows what it did; the history counts new and updated items', async (ctx) => {
      const res = await post(cookie, `/admin/sources/${added}/refresh`, { csrf: await actionToken(added) });
      expect(res.status).toBe(200);
      const html = await wellFormed(ctx, res);
      expect(html).toContain('Refreshed: 3 items read, 3 new or changed.');
      for (const title of ['First console item', 'Second console item', 'Third console item']) expect(html).toContain(title);
      expect((await history(added))[0]).toMatchObject({ outcome: 'ok', status: 200, items_new: 3, items_updated: 0, error_kind: null });

      // One item changed upstream, one new: the next refresh says so.
      await put(
        'csrc-feed.xml',
        rss('Console feed', [
          ['four', 'Fourth console item'],
          ['one', 'First console item, corrected'],
          ['two', 'Second console item'],
          ['three', 'Third console item'],
        ]),
      );
      await post(cookie, `/admin/sources/${added}/refresh`, { csrf: await actionToken(added) });
      const rows = await history(added);
      expect(rows[0]).toMatchObject({ outcome: 'ok', items_new: 1, items_updated: 1 });
      expect(rows[0]!.duration_ms).toBeGreaterThanOrEqual(0);
      const shown = await page(`/admin/sources/${added}`);
      expect(shown).toContain('Fourth console item');
      // Newest first.
      expect(shown.indexOf('1 / 1')).toBeLessThan(shown.indexOf('3 / 0'));
    });

    it('a failed refresh is shown, and stays in the history with its kind and message', async () => {
      const failing = await addSource(upstream('/status/500?csrc=1'), { kind: 'feed' });
      const res = await post(cookie, `/admin/sources/${failing.id}/refresh`, { csrf: await actionToken(failing.id) });
      const html = await res.text();
      expect(html).toContain('The refresh failed: http_status (HTTP 500)');
      expect((await history(failing.id))[0]).toMatchObject({ outcome: 'error', status: 500, error_kind: 'http_status', items_new: null });
      expect(await page(`/admin/sources/${failing.id}`)).toMatch(/<p class="error">\s*http_status: /);
      expect(await page('/admin/sources?state=failing')).toContain(`href="/admin/sources/${failing.id}"`);
      expect(await page('/admin/sources?state=failing')).not.toContain(`href="/admin/sources/${added}"`);
    });

    it('Pause and Resume', async () => {
      const paused = await post(cookie, `/admin/sources/${added}/pause`, { csrf: await actionToken(added) });
      expect(paused.status).toBe(303);
      expect(paused.headers.get('location')).toBe(`/admin/sources/${added}?paused=1`);
      expect(await getSource(env.DB, added)).toMatchObject({ state: 'paused', pausedByPublisher: true });
      const html = await page(`/admin/sources/${added}?paused=1`);
      expect(html).toMatch(/<button type="submit">Resume<\/button>/);
      expect(await page('/admin/sources?state=paused&tag=console-news')).toContain(`href="/admin/sources/${added}"`);
      const resumed = await post(cookie, `/admin/sources/${added}/resume`, { csrf: await actionToken(added) });
      expect(resumed.status).toBe(303);
      expect(await getSource(env.DB, added)).toMatchObject({ state: 'active', pausedReason: null });
    });

    it('Refresh now, Pause and Delete need their form token', async () => {
      for (const action of ['refresh', 'pause', 'resume', 'edit', 'delete']) {
        const res = await post(cookie, `/admin/sources/${added}/${action}`, {});
        expect(res.status, action).toBe(403);
      }
      expect(await getSource(env.DB, added)).toMatchObject({ state: 'active' });
    });

    it('Edit with a bad rule is a 400 naming Rules, as typed, and changes nothing', async (ctx) => {
      const before = await getSource(env.DB, added);
      const token = csrfOf(await page(`/admin/sources/${added}/edit`), `/admin/sources/${added}/edit`);
      const cases: [fields: Record<string, string>, words: string][] = [
        [{ kind: 'page', rules: '{"item": "[[["}' }, 'item: '],
        [{ kind: 'page', rules: '{"item": ' }, 'is not valid JSON'],
        [{ kind: 'page', rules: '{"item": "article", "colour": "red"}' }, 'colour'],
        [{ kind: 'feed', rules: '{"item": "article"}' }, 'rules'],
      ];
      for (const [fields, words] of cases) {
        const res = await post(cookie, `/admin/sources/${added}/edit`, { csrf: token, tags: 'Changed', title: 'Changed', ...fields });
        expect(res.status, fields.rules).toBe(400);
        const html = await wellFormed(ctx, res);
        const error = /<p class="hint error-text" id="rules-error">([^<]*)<\/p>/.exec(html);
        expect(error?.[1], fields.rules).toContain(words);
        expect(html).toContain('<a href="#rules">Rules</a>');
        // The form comes back as typed.
        expect(html).toContain('value="Changed"');
        expect(html).toContain(fields.rules!.replaceAll('"', '&quot;'));
      }
      expect(await getSource(env.DB, added)).toEqual(before);
    });

    it('Edit saves tags, title, site membership and full text through the same write as the API', async () => {
      const token = csrfOf(await page(`/admin/sources/${added}/edit`), `/admin/sources/${added}/edit`);
      const res = await post(cookie, `/admin/sources/${added}/edit`, {
        csrf: token,
        kind: 'feed',
        rules: '',
        tags: 'Console News, Edited',
        title: 'Renamed feed',
        site: '1',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/sources/${added}?saved=1`);
      const source = (await getSource(env.DB, added))!;
      expect(source).toMatchObject({ titleOverride: 'Renamed feed', site: true, fullText: false, kind: 'feed' });
      expect(source.tags.map((t) => t.name)).toEqual(['Console News', 'Edited']);
      // The API sees the same source.
      const api = (await (await get(`/api/sources/${added}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } })).json()) as {
        title: string;
        site: boolean;
      };
      expect(api).toMatchObject({ title: 'Renamed feed', site: true });
    });

    it('Delete asks first, says what happens, then the feeds answer 410 and its history goes', async (ctx) => {
      const confirm = await request(`/admin/sources/${added}/delete`, { headers: { cookie } });
      const html = await wellFormed(ctx, confirm);
      expect(html).toContain('4 items go');
      expect(html).toContain('410 Gone');
      expect(await getSource(env.DB, added)).not.toBeNull();
      const res = await post(cookie, `/admin/sources/${added}/delete`, { csrf: csrfOf(html, `/admin/sources/${added}/delete`) });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/sources?deleted=${encodeURIComponent('Renamed feed')}`);
      expect(await getSource(env.DB, added)).toBeNull();
      expect(await count('SELECT count(*) AS n FROM entries WHERE source_id = ?1', added)).toBe(0);
      expect(await count('SELECT count(*) AS n FROM source_fetches WHERE source_id = ?1', added)).toBe(0);
      expect((await get(`/sources/${added}/feed.xml`)).status).toBe(410);
      expect((await request(`/admin/sources/${added}`, { headers: { cookie } })).status).toBe(404);
    });
  });
});

describe('the history of refreshes', () => {
  it('is written by the cron, the queue and an interrupted lease, and keeps the newest 100', async () => {
    const url = await put('csrc-cron.xml', rss('Cron feed', [['c1', 'Cron item']]));
    const { id } = await addSource(url, { kind: 'feed' });
    await env.DB.prepare('DELETE FROM source_fetches WHERE source_id = ?1').bind(id).run();
    // Only this source is due.
    await env.DB.prepare('UPDATE sources SET next_due_at = ?2 WHERE id <> ?1')
      .bind(id, Date.now() + 3_600_000)
      .run();
    await env.DB.prepare('UPDATE sources SET next_due_at = 0, lease_until = NULL WHERE id = ?1').bind(id).run();
    const cron = await refreshDueSources(env, Date.now());
    expect([...cron.inline, ...cron.queued]).toContain(id);
    if (cron.queued.includes(id)) {
      const batch = createMessageBatch<RefreshMessage>('syndicate-refresh', [
        { id: 'csrc-cron', timestamp: new Date(), attempts: 1, body: { kind: 'source', sourceId: id } },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect((await history(id))[0]).toMatchObject({ outcome: 'ok', items_new: 1 });

    // A queue message refreshes it again.
    const batch = createMessageBatch<RefreshMessage>('syndicate-refresh', [
      { id: 'csrc-queue', timestamp: new Date(), attempts: 1, body: { kind: 'source', sourceId: id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const afterQueue = await history(id);
    expect(afterQueue.length).toBeGreaterThanOrEqual(2);
    // The same document again: recorded as not modified, nothing read again.
    expect(afterQueue[0]).toMatchObject({ outcome: 'not_modified', status: 200, items_new: null });

    // A refresh whose lease ran out is recorded by the cron as interrupted.
    const past = Date.now() - CLAIM_LEASE_MS - 1000;
    await env.DB.prepare("UPDATE sources SET state = 'active', lease_until = ?2, next_due_at = ?3 WHERE id = ?1")
      .bind(id, past, Date.now() + 3_600_000)
      .run();
    await refreshDueSources(env, Date.now());
    expect((await history(id))[0]).toMatchObject({ outcome: 'error', error_kind: 'interrupted' });

    // Bounded: the newest HISTORY_PER_SOURCE stay, pruned in the write that adds one.
    const now = Date.now();
    const record = {
      outcome: 'not_modified' as const,
      status: 304,
      errorKind: null,
      error: null,
      warnings: [],
      consecutiveFailures: 0,
      nextDueAt: now + 3_600_000,
      state: 'active' as const,
      pausedReason: null,
    };
    for (let i = 1; i <= HISTORY_PER_SOURCE + 5; i++) await recordFetch(env.DB, id, { ...record, status: 1000 + i }, now + i);
    const rows = await history(id);
    expect(rows.length).toBe(HISTORY_PER_SOURCE);
    expect(rows[0]!.status).toBe(1000 + HISTORY_PER_SOURCE + 5);
    expect(rows.at(-1)!.status).toBe(1006);
  });
});

describe("searching a source's items", () => {
  let source = 0;
  let other = 0;
  beforeAll(async () => {
    // 25 items about otters (two pages of 20), one whose text looks like markup, and another
    // source whose otter item must not be found from this source's page.
    const items: [string, string][] = Array.from({ length: 25 }, (_, i) => [`otter${String(i).padStart(2, '0')}`, `Otter report ${i}`]);
    items.push(['marked', 'A &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; otter']);
    items.push(['other', 'Badgers only']);
    source = (await addSource(await put('csrc-search.xml', rss('Searched feed', items)))).id;
    other = (await addSource(await put('csrc-search-other.xml', rss('Other feed', [['elsewhere', 'Otter elsewhere']])))).id;
    for (const id of [source, other]) {
      const res = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
      expect(res.status).toBe(200);
    }
  });

  const titlesOf = (html: string) => [...html.matchAll(/<li><a href="[^"]+" rel="noreferrer noopener">([^<]*)<\/a>/g)].map((m) => m[1]);

  it('has a labelled field and a Search button on the source page', async (ctx) => {
    const html = await wellFormed(ctx, await request(`/admin/sources/${source}`, { headers: { cookie } }));
    expect(html).toContain(`<form method="get" action="/admin/sources/${source}" class="filters" aria-label=`);
    expect(html).toContain('<label for="q">Search this source&#39;s items</label>');
    expect(html).toMatch(/<button type="submit">Search<\/button>/);
    expect(html).toContain('Latest items');
  });

  it("finds only this source's items, newest first, with escaped snippets, 20 a page", async (ctx) => {
    const res = await request(`/admin/sources/${source}?q=otter`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const first = await wellFormed(ctx, res);
    const titles = titlesOf(first);
    expect(titles).toHaveLength(20);
    expect(titles.every((t) => /otter/i.test(t!))).toBe(true);
    expect(first).not.toContain('Otter elsewhere');
    expect(first).not.toContain('Badgers only');
    expect(first).not.toContain('Latest items');
    expect(first).toContain('<p class="snippet">About <mark>Otter</mark> report');
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first)![1]!.replaceAll('&amp;', '&');
    expect(next).toBe(`/admin/sources/${source}?q=otter&page=2`);
    const second = await page(next);
    const rest = titlesOf(second);
    expect(rest).toHaveLength(6);
    expect(new Set([...titles, ...rest]).size).toBe(26);
    expect(second).toContain('rel="prev">Previous page</a>');
    expect(second).not.toContain('rel="next"');
    // Snippets are text: a title that looks like markup shows as written, never as an element.
    const marked = await wellFormed(ctx, await request(`/admin/sources/${source}?q=alert`, { headers: { cookie } }));
    expect(titlesOf(marked)).toEqual(['A &lt;script&gt;alert(1)&lt;/script&gt; otter']);
    expect(marked).toContain('<p class="snippet">About A &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; otter</p>');
    expect(marked).not.toContain('<script>alert');
    // The other source finds its own item only.
    expect(titlesOf(await page(`/admin/sources/${other}?q=otter`))).toEqual(['Otter elsewhere']);
  });

  it('a query or page that cannot run is a 400 beside the field, kept as typed', async (ctx) => {
    for (const [q, words] of [
      ['"  "', 'Enter words to search for.'],
      ['a b', 'Search for a word of at least 2 characters.'],
      ['otter&page=51', 'page: a whole number from 1 to 50.'],
    ] as const) {
      const [text, extra] = q.split('&');
      const res = await request(`/admin/sources/${source}?q=${encodeURIComponent(text!)}${extra ? `&${extra}` : ''}`, {
        headers: { cookie },
      });
      expect(res.status, q).toBe(400);
      const html = await wellFormed(ctx, res);
      expect(html).toContain(`<p class="hint error-text" id="q-error">${words}</p>`);
      expect(html).toContain('aria-invalid="true"');
      // The field keeps what was typed; no results, the latest items as without a search.
      expect(html).toContain(`name="q" type="search" value="${text!.replaceAll('"', '&quot;')}"`);
      expect(html).not.toContain('Items matching the search');
      expect(html).toContain('Latest items');
    }
  });
});
