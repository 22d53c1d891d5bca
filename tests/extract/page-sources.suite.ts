// Page sources end to end, inside workerd against real D1: POST /api/extract, sources of kind
// "page" created, refreshed through POST /api/sources/:id/refresh and read back from their
// feeds, the preview, and the failures. Every page comes from the stub server on 127.0.0.1
// (tests/setup/upstream.ts): /pages/<list>/ serves a list fixture of tests/fixtures/pages/lists/
// whose posts it also serves (generated article pages, or an article fixture), /pages/articles/
// the article fixtures, /docs/<name> pages a test PUTs there.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { MAX_ARTICLE_FETCHES } from '../../src/ingest/limits';
import { expectedLines } from '../support/page-fixtures';
import { AUTH, check, get, SITE, upstream } from '../support/worker';

const api = (path: string, body?: unknown, method = 'POST', bindings: Env = env) =>
  app.request(path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, bindings);

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type SourceJson = {
  id: number;
  url: string;
  kind: string;
  rules: unknown;
  item_count: number;
  last_outcome: string;
  last_error_kind: string | null;
  last_error: string | null;
};
type RefreshJson = {
  refresh: {
    outcome: string;
    errorKind: string | null;
    error: string | null;
    warnings: string[];
    items: { seen: number; changed: number } | null;
  };
  source: SourceJson;
};
type JsonFeed = {
  items: { id: string; url: string; title: string; date_published: string; content_html: string; authors?: { name: string }[] }[];
};

/** Hits the stub counted for paths under `prefix`. */
async function hits(prefix: string): Promise<number> {
  return ((await (await fetch(upstream(`/pages-hits?prefix=${encodeURIComponent(prefix)}`))).json()) as { hits: number }).hits;
}

/** Serves `html` at /docs/<name> on the stub. */
async function putDoc(name: string, html: string | Uint8Array, type = 'text/html; charset=utf-8') {
  const res = await fetch(upstream(`/docs/${name}`), { method: 'PUT', body: html, headers: { 'content-type': type } });
  expect(res.ok).toBe(true);
  return upstream(`/docs/${name}`);
}

async function addPage(url: string, extra: Record<string, unknown> = {}): Promise<SourceJson> {
  const res = await api('/api/sources', { url, kind: 'page', ...extra });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as SourceJson;
}

async function refresh(id: number, bindings: Env = env): Promise<RefreshJson> {
  const res = await api(`/api/sources/${id}/refresh`, undefined, 'POST', bindings);
  expect(res.status).toBe(200);
  return (await res.json()) as RefreshJson;
}

async function feedJson(id: number): Promise<JsonFeed> {
  const res = await get(`/sources/${id}/feed.json?limit=100`);
  expect(res.status).toBe(200);
  return (await res.json()) as JsonFeed;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
/** Posts the stub serves from an article fixture (tests/setup/upstream.ts), by path. */
const ARTICLE_FIXTURE: Record<string, string> = { '/pages/wordpress-sidebar/tips-for-becoming-a-good-boxer/': 'wordpress-boxer' };
/** The three paragraphs of the stub's generated article at `path`. */
const generated = (path: string) => {
  const words = path.split('/').filter(Boolean).join(' ');
  return [`The first paragraph of ${words}`, `The second paragraph of ${words}`, `The third paragraph of ${words}`];
};

describe('POST /api/extract', () => {
  it('GET and HEAD with a chunked body answer as they do without one (404 problem), never a 500', async () => {
    for (const method of ['GET', 'HEAD']) {
      const plain = await SELF.fetch(new URL('/api/extract', SITE), { method, headers: AUTH });
      expect(plain.status).toBe(404);
      // Transfer-Encoding: chunked gives the request a body of unknown length, GET or not.
      const chunked = await SELF.fetch(new URL('/api/extract', SITE), { method, headers: { ...AUTH, 'transfer-encoding': 'chunked' } });
      expect(chunked.status, method).toBe(404);
      expect(chunked.headers.get('content-type')).toBe(plain.headers.get('content-type'));
    }
  });

  const cases = [
    { file: 'news-wp-ads', title: '‘Clarity’ achieved with Russian Federation on Syria truce steps, says Kerry' },
    { file: 'german-news', title: 'Stadtwerke erhöhen Fernwärmepreise um elf Prozent' },
    { file: 'wordpress-boxer', title: 'Tips for becoming a good boxer' },
  ];
  for (const { file, title } of cases) {
    it(`reads ${file}: its title, every paragraph of its body, no boilerplate`, async () => {
      const res = await api('/api/extract', { url: upstream(`/pages/articles/${file}.html`) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown> & {
        title: string;
        text: string;
        content_html: string;
        published: string | null;
      };
      expect(Object.keys(body).sort()).toEqual(
        ['authors', 'content_html', 'excerpt', 'image', 'lang', 'published', 'text', 'title', 'url'].sort(),
      );
      expect(body.title).toBe(title);
      const text = squash(body.text);
      const lines = expectedLines(file);
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(text).toContain(squash(line));
      expect(body.text).not.toMatch(/Advertisement|Anzeige/);
      expect(body.content_html).not.toMatch(/Advertisement|Anzeige|<script|<style|onclick/i);
      expect(body.published === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(body.published)).toBe(true);
    });
  }

  it('decodes the charset a <meta charset> names', async () => {
    const html = `<html><head><meta charset="windows-1252"><title>Caf\u00e9 cr\u00e8me</title></head><body><article><h1>Caf\u00e9 cr\u00e8me</h1>${'<p>Une cr\u00e8me br\u00fbl\u00e9e au caf\u00e9, servie ti\u00e8de, avec une pinc\u00e9e de sel et beaucoup de patience pour la faire.</p>'.repeat(4)}</article></body></html>`;
    const bytes = Uint8Array.from([...html].map((ch) => ch.charCodeAt(0)));
    const url = await putDoc('latin1-article.html', bytes, 'text/html');
    const body = (await (await api('/api/extract', { url })).json()) as { title: string; text: string };
    expect(body.title).toBe('Café crème');
    expect(body.text).toContain('Une crème brûlée au café');
  });

  it('refuses a bad body with a 400 naming url, and answers unusable pages with a problem naming the kind', async () => {
    for (const bad of [{}, { url: 'not a url' }, { url: 'ftp://example.com/x' }, { url: 42 }]) {
      const res = await api('/api/extract', bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors!.map((e) => e.field)).toEqual(['url']);
    }
    expect((await api('/api/extract', { url: upstream('/x'), extra: 1 })).status).toBe(400);
    const notFound = await api('/api/extract', { url: upstream('/status/404') });
    expect(notFound.status).toBe(502);
    expect(((await notFound.json()) as Problem).detail).toMatch(/^http_status: .*HTTP 404/);
    const blocked = await api('/api/extract', { url: 'http://10.0.0.1/article' });
    expect(blocked.status).toBe(422);
    expect(((await blocked.json()) as Problem).detail).toMatch(/^blocked_address: /);
    const empty = await api('/api/extract', {
      url: await putDoc('empty-article.html', '<html><body><nav><a href="/">Home</a></nav></body></html>'),
    });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as Problem).detail).toMatch(/^nothing_found: /);
    const deep = await api('/api/extract', {
      url: await putDoc('deep-article.html', `<html><body>${'<div>'.repeat(400)}deep${'</div>'.repeat(400)}</body></html>`),
    });
    expect(deep.status).toBe(422);
    expect(((await deep.json()) as Problem).detail).toMatch(/^too_deep: /);
    expect(
      (await app.request('/api/extract', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, env)).status,
    ).toBe(401);
  });
});

/** The posts each list fixture holds, as the stub serves it: path under /pages/<list>/, title, date. */
const LISTS: Record<string, { method: string; posts: [string, string, string][] }> = {
  'wordpress-sidebar': {
    method: 'repeated',
    posts: [
      ['tips-for-becoming-a-good-boxer/', 'Tips for becoming a good boxer', '2020-11-06T08:41:12.000Z'],
      ['7-expert-tips-hens-night/', '7 expert tips for making your hens night a memorable one', '2020-11-06T08:20:00.000Z'],
      ['christmas-party-cruise-boat/', '5 reasons to host your Christmas party on a cruise boat', '2020-11-06T07:55:00.000Z'],
      ['what-to-do-when-charged-with-a-crime/', 'What to do when you’re charged with a crime', '2020-11-06T07:30:00.000Z'],
      [
        'should-you-get-one-or-multiple-dogs/',
        'Should you get one or multiple dogs? Here’s all you need to know',
        '2020-11-03T15:00:00.000Z',
      ],
      ['magic-mirror/', 'A Guide: How to Build Your Very Own Magic Mirror', '2019-02-14T10:00:00.000Z'],
      ['inspirational-baseball-stars/', 'Our Top Inspirational Baseball Stars', '2018-11-24T12:00:00.000Z'],
      ['tech-tools-blog-into-business/', 'Five Tech Tools That Will Help You Turn Your Blog into a Business', '2018-11-24T09:00:00.000Z'],
      ['indulge-on-vacation/', 'How to Indulge on Vacation without Expanding Your Waist', '2018-11-09T16:00:00.000Z'],
      [
        'mobile-crazed-customers/',
        '5 Strategies for Businesses to Appeal to Today’s Increasingly Mobile-Crazed Customers',
        '2018-11-09T11:00:00.000Z',
      ],
    ],
  },
  'jsonld-blog': {
    method: 'json-ld',
    posts: [
      ['blog/how-we-choose-farms', 'How we choose which farms to buy from', '2024-02-12T09:00:00.000Z'],
      ['blog/pour-over-guide', 'A beginner’s guide to pour-over', '2024-01-20T09:00:00.000Z'],
      ['blog/espresso-blend-change', 'Why our espresso blend changed in January', '2024-01-03T00:00:00.000Z'],
    ],
  },
  // "vor 2 Tagen" on the list page: two days before the refresh, at midnight UTC.
  'german-list': {
    method: 'repeated',
    posts: [
      ['blog/auswinterung-2024/', 'Auswinterung: Alle zwölf Völker sind gesund', 'two days ago'],
      ['blog/honigernte-herbst/', 'Die Herbsternte ist im Glas', '2020-11-06T00:00:00.000Z'],
      ['blog/tag-der-offenen-imkerei/', 'Tag der offenen Imkerei am 12. September', '2020-08-28T00:00:00.000Z'],
    ],
  },
};

describe('page sources', () => {
  for (const [list, { posts }] of Object.entries(LISTS)) {
    it(`${list}: refreshed through the API, every post stored with its list title, link and date, and its page's full body`, async (ctx) => {
      const base = `/pages/${list}/`;
      const source = await addPage(upstream(base));
      expect(source.kind).toBe('page');
      expect(source.rules).toBeNull();
      const before = await hits(base);
      const first = await refresh(source.id);
      expect(first.refresh.outcome, first.refresh.error ?? '').toBe('ok');
      expect(first.refresh.items).toMatchObject({ seen: posts.length, changed: posts.length });
      expect(first.refresh.warnings).toEqual([]);
      // The list page, and each post's page once.
      expect((await hits(base)) - before).toBe(1 + posts.length);
      expect(first.source.item_count).toBe(posts.length);

      const items = (await feedJson(source.id)).items;
      const twoDaysAgo = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
      expect(items.map((i) => [i.url, i.title])).toEqual(posts.map(([path, title]) => [upstream(base + path), title]));
      for (const [index, [path, , date]] of posts.entries()) {
        const item = items[index]!;
        if (date === 'two days ago') expect(item.date_published).toBe(`${twoDaysAgo}T00:00:00.000Z`);
        else expect(item.date_published).toBe(date);
        const fullText = ARTICLE_FIXTURE[base + path];
        const paragraphs = fullText ? expectedLines(fullText) : generated(base + path);
        const content = squash(item.content_html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;|&rsquo;/g, '’'));
        for (const p of paragraphs) expect(content).toContain(squash(p).replace(/'/g, '’').slice(0, 60));
        expect(item.content_html).not.toMatch(/Advertisement|Sidebar post|Popular posts|All rights reserved|<script|<nav/);
      }

      const xml = await (await get(`/sources/${source.id}/feed.xml`)).text();
      for (const [, title] of posts) expect(xml).toContain(title.replace(/&/g, '&amp;'));
      const lint = await check(ctx, 'xmllint', xml);
      expect(lint.ok, lint.output).toBe(true);

      // The second refresh fetches the list page only: every post is stored already.
      const again = await refresh(source.id);
      expect(again.refresh.outcome).toBe('ok');
      expect(again.refresh.items).toMatchObject({ seen: posts.length, changed: 0 });
      expect((await hits(base)) - before).toBe(2 + posts.length);
      expect((await feedJson(source.id)).items).toEqual(items);
    });
  }
});

/** A list page of `n` posts (newest first, dated a day apart) linking to generated pages under /pages/<site>/. */
function listPage(site: string, n: number, extra = ''): string {
  const posts = Array.from(
    { length: n },
    (_, i) =>
      `<article class="post"><h2><a href="${upstream(`/pages/${site}/post-${i + 1}/`)}">Post number ${i + 1}</a></h2><time datetime="${new Date(Date.UTC(2024, 5, 30) - i * 86400_000).toISOString()}">date</time><p>Summary of post ${i + 1}.</p></article>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><title>${site}</title></head><body><main>${posts}${extra}</main></body></html>`;
}

describe('page sources: limits and failures', () => {
  it(`fetches at most ${MAX_ARTICLE_FETCHES} post pages per refresh; when the queue refuses the rest, the next refresh fetches them`, async () => {
    const url = await putDoc('many-posts.html', listPage('many', MAX_ARTICLE_FETCHES + 5));
    const source = await addPage(url);
    const before = await hits('/pages/many/');
    const refusing = {
      ...env,
      REFRESH_QUEUE: { sendBatch: () => Promise.reject(new Error('queue unavailable')) },
    } as unknown as Env;
    const first = await refresh(source.id, refusing);
    expect(first.refresh.outcome).toBe('ok');
    expect(first.refresh.items).toMatchObject({ seen: MAX_ARTICLE_FETCHES + 5, changed: MAX_ARTICLE_FETCHES });
    expect(first.refresh.warnings).toEqual([
      `5 article pages left for the queue (more than the ${MAX_ARTICLE_FETCHES} article pages fetched at once)`,
      '5 article pages could not be queued (queue unavailable); the next refresh fetches them',
    ]);
    expect((await hits('/pages/many/')) - before).toBe(MAX_ARTICLE_FETCHES);
    const second = await refresh(source.id, refusing);
    expect(second.refresh.items).toMatchObject({ seen: MAX_ARTICLE_FETCHES + 5, changed: 5 });
    expect(second.refresh.warnings).toEqual([]);
    expect((await hits('/pages/many/')) - before).toBe(MAX_ARTICLE_FETCHES + 5);
    const titles = (await feedJson(source.id)).items.map((i) => i.title);
    expect(titles).toEqual(Array.from({ length: MAX_ARTICLE_FETCHES + 5 }, (_, i) => `Post number ${i + 1}`));
  });

  it('a post whose page fails is a warning (tried again by the next refresh); the others are stored', async () => {
    const broken = upstream('/status/500');
    const html = listPage('partly', 2).replace(
      '</main>',
      `<article class="post"><h2><a href="${broken}">A broken post</a></h2><time datetime="2024-01-01T00:00:00Z">d</time></article></main>`,
    );
    const source = await addPage(await putDoc('partly.html', html));
    const result = await refresh(source.id);
    expect(result.refresh.outcome).toBe('ok');
    expect(result.refresh.items).toMatchObject({ seen: 3, changed: 2 });
    expect(result.refresh.warnings).toHaveLength(1);
    expect(result.refresh.warnings[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/status\/500: not fetched \(http_status: .*\); tried again next refresh$/,
    );
    expect(result.source.item_count).toBe(2);
  });

  it('a list page where nothing is found is a recorded nothing_found error that keeps the stored items', async () => {
    const url = await putDoc('vanishing.html', listPage('vanishing', 3));
    const source = await addPage(url);
    expect((await refresh(source.id)).refresh.items).toMatchObject({ changed: 3 });
    const stored = (await feedJson(source.id)).items;
    expect(stored).toHaveLength(3);
    await putDoc('vanishing.html', '<html><body><main><p>We are moving house. Back soon!</p></main></body></html>');
    const failed = await refresh(source.id);
    expect(failed.refresh).toMatchObject({ outcome: 'error', errorKind: 'nothing_found' });
    expect(failed.source).toMatchObject({ last_outcome: 'error', last_error_kind: 'nothing_found', item_count: 3 });
    expect(failed.source.last_error).toMatch(/^The list page: /);
    expect((await feedJson(source.id)).items).toEqual(stored);
  });

  it('hostile list pages are recorded errors: too deep, too large', async () => {
    const deep = await addPage(
      await putDoc('deep-list.html', `<html><body>${'<div>'.repeat(300)}${listPage('deep', 2)}${'</div>'.repeat(300)}</body></html>`),
    );
    expect((await refresh(deep.id)).source).toMatchObject({ last_outcome: 'error', last_error_kind: 'too_deep', item_count: 0 });
    const big = listPage('big', 2, `<div>${'<p>filler text of a very long page</p>'.repeat(300_000)}</div>`);
    expect(big.length).toBeGreaterThan(10_000_000);
    const large = await addPage(await putDoc('big-list.html', big));
    expect((await refresh(large.id)).source).toMatchObject({ last_outcome: 'error', last_error_kind: 'too_large', item_count: 0 });
    expect(await hits('/pages/big/')).toBe(0);
  });
});

describe('page sources: rules, kind and the preview', () => {
  it('rules are validated by the library schema: a bad one is a 400 naming rules.<field>', async () => {
    const url = upstream('/pages/hfeed/?bad-rules');
    const cases: [unknown, string][] = [
      [{ item: 'div[[' }, 'rules.item'],
      [{ item: '.post', date: ':::' }, 'rules.date'],
      [{ item: '.post', dateLocale: 'German!' }, 'rules.dateLocale'],
      [{ item: '.post', colour: 'red' }, 'rules'],
      [{}, 'rules.item'],
    ];
    for (const [rules, field] of cases) {
      const res = await api('/api/sources', { url, kind: 'page', rules });
      expect(res.status, JSON.stringify(rules)).toBe(400);
      expect(((await res.json()) as Problem).errors!.map((e) => e.field)).toContain(field);
    }
    const feedWithRules = await api('/api/sources', { url, kind: 'feed', rules: { item: '.post' } });
    expect(feedWithRules.status).toBe(400);
    expect(((await feedWithRules.json()) as Problem).errors).toEqual([
      { field: 'rules', message: 'only page sources (kind "page") take rules' },
    ]);
    const badKind = await api('/api/sources', { url, kind: 'html' });
    expect(((await badKind.json()) as Problem).errors!.map((e) => e.field)).toEqual(['kind']);
    const { results } = await env.DB.prepare('SELECT id FROM sources WHERE url = ?1').bind(url).all();
    expect(results).toEqual([]);
  });

  it('rules pick the items; GET and PATCH show and change kind and rules', async () => {
    const html = `<html><body><ul class="news">${[1, 2, 3]
      .map(
        (i) =>
          `<li class="n"><span class="when">2024-03-0${i}</span> <a class="go" href="${upstream(`/pages/ruled/n-${i}/`)}">Notice ${i}</a></li>`,
      )
      .join('')}</ul><ul class="other"><li><a href="${upstream('/pages/ruled/other/')}">Other</a></li></ul></body></html>`;
    const url = await putDoc('ruled.html', html);
    const rules = { item: 'li.n', link: 'a.go', title: 'a.go', date: '.when' };
    const created = await api('/api/sources', { url, rules });
    expect(created.status).toBe(201);
    const source = (await created.json()) as SourceJson;
    expect(source).toMatchObject({ kind: 'page', rules });
    expect(await (await api(`/api/sources/${source.id}`, undefined, 'GET')).json()).toMatchObject({ kind: 'page', rules });
    const result = await refresh(source.id);
    expect(result.refresh.items).toMatchObject({ seen: 3, changed: 3 });
    const items = (await feedJson(source.id)).items;
    expect(items.map((i) => [i.title, i.date_published])).toEqual([
      ['Notice 3', '2024-03-03T00:00:00.000Z'],
      ['Notice 2', '2024-03-02T00:00:00.000Z'],
      ['Notice 1', '2024-03-01T00:00:00.000Z'],
    ]);

    const patched = await api(`/api/sources/${source.id}`, { rules: { item: 'ul.other li' } }, 'PATCH');
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ kind: 'page', rules: { item: 'ul.other li' } });
    const bad = await api(`/api/sources/${source.id}`, { rules: { item: '((' } }, 'PATCH');
    expect(((await bad.json()) as Problem).errors!.map((e) => e.field)).toEqual(['rules.item']);
    const toFeed = await api(`/api/sources/${source.id}`, { kind: 'feed' }, 'PATCH');
    expect(await toFeed.json()).toMatchObject({ kind: 'feed', rules: null });
    const feedRules = await api(`/api/sources/${source.id}`, { rules: { item: 'li' } }, 'PATCH');
    expect(feedRules.status).toBe(400);
  });

  describe('a source added without kind: one look at the URL decides, and the answer says so', () => {
    type Detected = SourceJson & { detected: { kind: string; from: string | null; reason: string } };
    const add = async (url: string) => {
      const res = await api('/api/sources', { url });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as Detected;
    };

    it('a feed URL is a feed source', async () => {
      const url = upstream('/corpus/34-jsonfeed-valid.json?detect-feed');
      const source = await add(url);
      expect(source).toMatchObject({
        url,
        kind: 'feed',
        rules: null,
        detected: { kind: 'feed', from: null, reason: 'The URL is a feed.' },
      });
    });

    it('an HTML page that advertises a feed gives that feed, and names the page it was found on', async () => {
      const feed = upstream('/corpus/22-rss-relative-links.xml?detect-advertised');
      const page = await putDoc(
        'detect-advertising.html',
        `<!doctype html><html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" href="${feed}"></head><body><p>Hi</p></body></html>`,
      );
      const source = await add(page);
      expect(source).toMatchObject({ url: feed, kind: 'feed', detected: { kind: 'feed', from: page } });
      expect(source.detected.reason).toContain(feed);
      // The feed is what it refreshes.
      expect((await refresh(source.id)).refresh).toMatchObject({ outcome: 'ok', errorKind: null });
    });

    it('an HTML page without a feed is a page source, and refreshes as one', async () => {
      const url = upstream('/pages/jsonld-blog/?detect');
      const source = await add(url);
      expect(source).toMatchObject({ url, kind: 'page', detected: { kind: 'page', from: null } });
      expect(source.detected.reason).toMatch(/HTML page that advertises no feed/);
      const done = await refresh(source.id);
      expect(done.refresh.outcome).toBe('ok');
      expect(done.source.item_count).toBeGreaterThan(0);
    });

    it('a page whose advertised feed is not a feed is a page source, and the reason says why', async () => {
      const broken = await putDoc('detect-not-a-feed.html', '<!doctype html><html><body>also a page</body></html>');
      const page = await putDoc(
        'detect-bad-alternate.html',
        `<!doctype html><html><head><link rel="alternate" type="application/atom+xml" href="${broken}"></head><body><p>Hi</p></body></html>`,
      );
      const source = await add(page);
      expect(source).toMatchObject({ url: page, kind: 'page', detected: { kind: 'page', from: null } });
      expect(source.detected.reason).toContain(broken);
    });

    it('a URL that cannot be fetched now is added as a feed, saying why', async () => {
      const url = upstream('/status/404?detect');
      const source = await add(url);
      expect(source).toMatchObject({ url, kind: 'feed', detected: { kind: 'feed', from: null } });
      expect(source.detected.reason).toMatch(/could not be fetched now \(http_status/);
    });

    it('the feed a page advertises is a 409 when it is a source already', async () => {
      const feed = upstream('/corpus/22-rss-relative-links.xml?detect-taken');
      expect((await api('/api/sources', { url: feed, kind: 'feed' })).status).toBe(201);
      const page = await putDoc(
        'detect-taken.html',
        `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="${feed}"></head><body></body></html>`,
      );
      expect((await api('/api/sources', { url: page })).status).toBe(409);
    });
  });

  it('links and the next page on another port of the list page’s host are not the same site: neither items nor the next page', async () => {
    const stub = new URL(upstream('/'));
    const otherPort = `http://${stub.hostname}:${Number(stub.port) + 1}`;
    const entry = (href: string, name: string) =>
      `<div class="h-entry"><a class="p-name u-url" href="${href}">${name}</a> <time class="dt-published" datetime="2024-03-01T10:00:00Z">1 March</time></div>`;
    const url = await putDoc(
      'other-port-list.html',
      `<html><head><link rel="next" href="${otherPort}/pages/other-port/page/2/"></head><body><main class="h-feed">
      ${entry(upstream('/pages/other-port/first/'), 'First post')}
      ${entry(`${otherPort}/pages/other-port/admin/`, 'Another service')}
      ${entry(upstream('/pages/other-port/second/'), 'Second post')}
      ${entry(`${otherPort}/pages/other-port/metrics/`, 'Another service again')}
      </main></body></html>`,
    );
    const res = await api('/api/sources/preview', { url });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as { items: { url: string }[]; next_page: string | null };
    expect(preview.items.map((i) => i.url)).toEqual([upstream('/pages/other-port/first/'), upstream('/pages/other-port/second/')]);
    expect(preview.next_page).toBeNull();
  });

  it('the preview shows the items and the first article, and stores nothing', async () => {
    const count = async () =>
      env.DB.prepare(
        'SELECT (SELECT count(*) FROM sources) AS s, (SELECT count(*) FROM entries) AS e, (SELECT count(*) FROM view_versions) AS v',
      ).first();
    const before = await count();
    const res = await api('/api/sources/preview', { url: upstream('/pages/hfeed/') });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as {
      method: string;
      items: { url: string; title: string; published: string | null }[];
      first_article: { url: string; title: string; content_html: string; text: string };
      next_page: string | null;
    };
    expect(preview.method).toBe('h-feed');
    expect(preview.items.map((i) => [i.url, i.title, i.published])).toEqual([
      [upstream('/pages/hfeed/2021/06/no-comment-box/'), 'Why my website has no comment box', '2021-06-03T17:12:00.000Z'],
      [upstream('/pages/hfeed/2021/05/static-site-five-years/'), 'Five years of a static site', '2021-05-14T06:00:00.000Z'],
      [
        upstream('/pages/hfeed/2021/05/tomatoes/'),
        'Just planted the tomatoes. Fingers crossed for a warm June.',
        '2021-05-09T16:30:00.000Z',
      ],
    ]);
    expect(preview.first_article.url).toBe(upstream('/pages/hfeed/2021/06/no-comment-box/'));
    for (const p of generated('/pages/hfeed/2021/06/no-comment-box/')) expect(preview.first_article.text).toContain(p);
    expect(preview.first_article.content_html).not.toContain('Advertisement');
    expect(await count()).toEqual(before);

    const bad = await api('/api/sources/preview', { url: upstream('/pages/hfeed/'), rules: { item: '[[' } });
    expect(((await bad.json()) as Problem).errors!.map((e) => e.field)).toEqual(['rules.item']);
    const nothing = await api('/api/sources/preview', {
      url: await putDoc('nothing.html', '<html><body><p>Nothing here.</p></body></html>'),
    });
    expect(nothing.status).toBe(422);
    expect(((await nothing.json()) as Problem).detail).toMatch(/^nothing_found: /);
    const unauthorized = await app.request(
      '/api/sources/preview',
      { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
      env,
    );
    expect(unauthorized.status).toBe(401);
  });
});

describe('page sources: titles the list cuts short', () => {
  it('a list that cuts long titles short ("…") stores each post under its article page’s whole title', async () => {
    const titles = [
      'Restoring the tide mill, wheel by wheel, over three long winters',
      'Counting oysters on the old beds at the lowest tide of the year',
    ];
    const posts = await Promise.all(
      titles.map((title, i) =>
        putDoc(
          `cut-title-post-${i + 1}`,
          `<!doctype html><html lang="en"><head><title>${title} | Estuary notes</title></head><body><main><article><h1>${title}</h1>${'<p>The estuary in winter, the mill and the oyster beds, written up at length for the archive of the village society. </p>'.repeat(6)}</article></main></body></html>`,
        ),
      ),
    );
    const list = await putDoc(
      'cut-title-list',
      `<!doctype html><html lang="en"><head><title>Estuary notes</title></head><body><main>${posts
        .map(
          (url, i) =>
            `<article class="card"><h2><a href="${url}">${titles[i]!.slice(0, 30).trimEnd()} …</a></h2><time datetime="2025-0${i + 1}-10">10 Jan</time></article>`,
        )
        .join('')}</main></body></html>`,
    );
    const source = await addPage(list);
    const refreshed = await refresh(source.id);
    expect(refreshed.refresh.outcome, refreshed.refresh.error ?? '').toBe('ok');
    const items = (await feedJson(source.id)).items;
    expect(items.map((i) => i.title).sort()).toEqual([...titles].sort());
  });
});

describe('page sources: from a feed source', () => {
  it('a feed source on an HTML page without a feed says it can be a page source, and works once made one', async () => {
    const url = upstream('/pages/jsonld-blog/?as-feed');
    const created = (await (await api('/api/sources', { url, kind: 'feed' })).json()) as SourceJson;
    expect(created.kind).toBe('feed');
    const failed = await refresh(created.id);
    expect(failed.refresh).toMatchObject({ outcome: 'error', errorKind: 'not_a_feed', alternate: null });
    expect(failed.refresh.error).toBe(
      'The upstream sent an HTML page, not a feed. It offers no feed; it can be followed as a page source: PATCH {"kind": "page"}.',
    );
    const patched = await api(`/api/sources/${created.id}`, { kind: 'page' }, 'PATCH');
    expect(await patched.json()).toMatchObject({ kind: 'page', rules: null });
    const ok = await refresh(created.id);
    expect(ok.refresh).toMatchObject({ outcome: 'ok', errorKind: null, items: { seen: 3, changed: 3 } });
    expect(ok.source).toMatchObject({ last_outcome: 'ok', item_count: 3 });
  });
});

describe('OPML export and import keep how a source is followed', () => {
  it('kind, rules, site and full_text go out as syndicate: attributes and come back the same', async (ctx) => {
    const rules = { item: 'li.post', link: 'a', date: '.when', dateLocale: 'en-GB' };
    const page = await addPage(upstream('/pages/plain-table/?opml-roundtrip'), { rules, site: true });
    const feedRes = await api('/api/sources', {
      url: upstream('/corpus/34-jsonfeed-valid.json?opml-roundtrip'),
      kind: 'feed',
      full_text: true,
    });
    expect(feedRes.status).toBe(201);
    const feed = (await feedRes.json()) as SourceJson;

    const exported = await app.request('/api/sources/export', { headers: AUTH }, env);
    const opml = await exported.text();
    expect(opml).toContain('xmlns:syndicate="urn:syndicate:opml:1"');
    expect(opml).toContain('syndicate:kind="page"');
    expect(opml).toContain('syndicate:site="true"');
    expect(opml).toContain('syndicate:fullText="true"');
    // A reader subscribes to our feed of a page source (absolute); its page is the htmlUrl.
    const pageOutline = opml.split('\n').find((line) => line.includes(`syndicate:page="${page.url.replace(/&/g, '&amp;')}"`))!;
    const attribute = (name: string) => new RegExp(` ${name}="([^"]*)"`).exec(pageOutline)?.[1]?.replace(/&amp;/g, '&');
    expect(attribute('xmlUrl')).toBe(`${SITE}/sources/${page.id}/feed.xml`);
    expect(attribute('htmlUrl')).toBe(page.url);
    expect((await get(attribute('xmlUrl')!)).status).toBe(200);
    // A feed source is its upstream feed.
    expect(opml).toContain(`xmlUrl="${feed.url.replace(/&/g, '&amp;')}"`);
    const wellFormed = await check(ctx, 'xmllint', opml);
    expect(wellFormed.ok, wellFormed.output).toBe(true);

    for (const id of [page.id, feed.id]) expect((await api(`/api/sources/${id}`, undefined, 'DELETE')).status).toBe(204);
    const imported = await app.request(
      '/api/sources/import',
      { method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml },
      env,
    );
    expect(imported.status).toBe(200);
    const { added } = (await imported.json()) as { added: (SourceJson & { site: boolean; full_text: boolean })[] };
    const byUrl = new Map(added.map((s) => [s.url, s]));
    expect(byUrl.get(page.url)).toMatchObject({ kind: 'page', rules, site: true, full_text: false });
    expect(byUrl.get(feed.url)).toMatchObject({ kind: 'feed', rules: null, site: false, full_text: true });
  });

  it('bad syndicate: attributes are warnings, never a lost outline', async () => {
    const url = upstream('/pages/hfeed/?opml-bad-rules');
    const opml = `<?xml version="1.0"?><opml version="2.0" xmlns:syndicate="urn:syndicate:opml:1"><head><title>x</title></head><body>
      <outline text="A" type="rss" xmlUrl="${url}" syndicate:kind="page" syndicate:rules="{&quot;item&quot;:&quot;[[[&quot;}"/></body></opml>`;
    const res = await app.request(
      '/api/sources/import',
      { method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml },
      env,
    );
    const body = (await res.json()) as { added: SourceJson[]; warnings: string[] };
    expect(body.added.map((s) => [s.url, s.kind, s.rules])).toEqual([[url, 'page', null]]);
    expect(body.warnings).toEqual([`${url}: syndicate:rules are not valid page-source rules; the heuristics are used`]);
  });
});

describe('page sources: lists a script renders', () => {
  it('reads the posts a Next.js page embeds in __NEXT_DATA__, and stores each with its page’s body', async () => {
    const posts = [1, 2, 3].map((i) => ({
      url: upstream(`/pages/scripted/post-${i}/`),
      title: `Scripted post number ${i}`,
      publishedAt: new Date(Date.UTC(2024, 5, 30) - i * 86400_000).toISOString(),
    }));
    const html = `<!doctype html><html lang="en"><head><title>Blog</title></head><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">${JSON.stringify({ props: { pageProps: { posts } } })}</script><script src="/_next/main.js"></script></body></html>`;
    const source = await addPage(await putDoc('scripted.html', html));
    const result = await refresh(source.id);
    expect(result.refresh).toMatchObject({ outcome: 'ok', items: { seen: 3, changed: 3 } });
    const items = (await feedJson(source.id)).items;
    expect(items.map((i) => [i.url, i.title, i.date_published])).toEqual(posts.map((p) => [p.url, p.title, p.publishedAt]));
    expect(squash(items[0]!.content_html)).toContain(squash(generated('/pages/scripted/post-1/')[0]!));
  });

  it('an application shell with no data is a recorded nothing_found error saying the page needs a browser', async () => {
    const html =
      '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>';
    const source = await addPage(await putDoc('shell.html', html));
    const failed = await refresh(source.id);
    expect(failed.refresh).toMatchObject({ outcome: 'error', errorKind: 'nothing_found' });
    expect(failed.source.last_error).toContain('needs a browser (it renders its list with JavaScript)');
  });
});
