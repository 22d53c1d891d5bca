import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { ADMIN_TOKEN, AUTH, get, SITE } from '../support/worker';

const api = (path: string, init: RequestInit = {}) =>
  get(`/api/posts${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });
const send = (method: string, path: string, body: unknown) => api(path, { method, body: JSON.stringify(body) });

type Post = { id: string; slug: string; title: string; tags: string[]; status: string; content_html: string };
const create = async (body: Record<string, unknown>) => {
  const res = await send('POST', '', { authors: [{ name: 'Ada Writer' }], ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as Post;
};
const etag = async (path: string) => (await get(path)).headers.get('etag');
const feedIds = async (path: string) => ((await (await get(path)).json()) as { items: { id: string; title: string }[] }).items;

describe('auth', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-of-some-length' }],
    ['the right token in another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
    ['Bearer and nothing', { authorization: 'Bearer' }],
    ['two tokens', { authorization: `Bearer ${ADMIN_TOKEN} extra` }],
    ['a token with characters a bearer token cannot have', { authorization: `Bearer ${ADMIN_TOKEN}!` }],
    ['the token as a prefix', { authorization: 'Bearer test-admin-tok' }],
  ] as [string, Record<string, string>][])('refuses %s with a 401 problem and a Bearer challenge', async (_name, headers) => {
    const res = await get('/api/posts', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="syndicate"/);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Send Authorization: Bearer <ADMIN_TOKEN>.' });
  });

  it('lets the right token in, also with a lowercase scheme', async () => {
    expect((await get('/api/posts', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    expect((await get('/api/posts', { headers: { authorization: `bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it.each([
    ['x', 'has 1 characters; it needs at least 16'],
    ['fifteen-chars-x', 'has 15 characters; it needs at least 16'],
    ['sixteen chars !!', 'may only contain letters, digits'],
  ])('stays closed with 503 saying why when ADMIN_TOKEN is %j, even to that token', async (token, why) => {
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM entries').first<{ n: number }>())!.n;
    const before = await count();
    const withToken = { ...env, ADMIN_TOKEN: token };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const list = await app.request('/api/posts', { headers }, withToken);
    const create = await app.request(
      '/api/posts',
      { method: 'POST', headers, body: JSON.stringify({ title: 'T', authors: [{ name: 'A' }] }) },
      withToken,
    );
    for (const res of [list, create]) {
      expect(res.status).toBe(503);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toContain(why);
      expect(problem.detail).toContain('wrangler secret put ADMIN_TOKEN');
    }
    expect(await count()).toBe(before);
  });

  it('accepts a token of 16 characters', async () => {
    const res = await app.request(
      '/api/posts',
      { headers: { authorization: 'Bearer sixteen-chars-ok' } },
      { ...env, ADMIN_TOKEN: 'sixteen-chars-ok' },
    );
    expect(res.status).toBe(200);
  });

  it('stays closed with 503 when no token is configured', async () => {
    const res = await app.request('/api/posts', { headers: AUTH }, { ...env, ADMIN_TOKEN: '' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toContain('wrangler secret put ADMIN_TOKEN');
  });
});

describe('publishing workflow', () => {
  it('create, edit, re-tag, change slug, unpublish, delete: feeds follow, ids never change', async () => {
    const lawTag = await etag('/tags/law/feed.xml');
    const post = await create({
      title: 'Fresh & new',
      content_markdown: '# Hi\n\nSome *text*.',
      tags: ['Alpha'],
      published_at: '2030-01-01T00:00:00Z',
    });
    expect(post.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(post.slug).toBe('fresh-new');
    expect(post.content_html).toContain('<em>text</em>');
    // Scheduled in the future: in no feed yet.
    expect((await feedIds('/feed.json')).map((i) => i.id)).not.toContain(post.id);

    const published = (await (await send('PATCH', `/${post.id}`, { published_at: '2024-01-01T00:00:00Z' })).json()) as Post;
    expect(published.id).toBe(post.id);
    expect((await feedIds('/feed.json?limit=100')).map((i) => i.id)).toContain(post.id);
    expect((await feedIds('/tags/alpha/feed.json')).map((i) => i.id)).toEqual([post.id]);

    const alphaBefore = await etag('/tags/alpha/atom.xml');
    await send('PATCH', `/${post.id}`, { title: 'Renamed', slug: 'renamed', tags: ['Beta'] });
    expect((await get('/tags/alpha/feed.xml')).status).toBe(404);
    expect(await etag('/tags/alpha/atom.xml')).not.toBe(alphaBefore);
    expect(await feedIds('/tags/beta/feed.json')).toEqual([
      { ...(await feedIds('/tags/beta/feed.json'))[0], id: post.id, title: 'Renamed' },
    ]);
    expect(await etag('/tags/law/feed.xml')).toBe(lawTag);

    const old = await get('/posts/fresh-new', { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`${SITE}/posts/renamed`);
    expect((await get('/posts/renamed')).status).toBe(200);

    await send('PATCH', `/${post.id}`, { status: 'draft' });
    expect((await feedIds('/feed.json?limit=100')).map((i) => i.id)).not.toContain(post.id);
    expect((await get('/posts/renamed')).status).toBe(404);

    await send('PATCH', `/${post.id}`, { status: 'published' });
    expect((await api(`/${post.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await feedIds('/feed.json?limit=100')).map((i) => i.id)).not.toContain(post.id);
    expect((await get('/posts/renamed')).status).toBe(410);
    // The former slug, which redirected to it, is gone too.
    expect((await get('/posts/fresh-new', { redirect: 'manual' })).status).toBe(410);
    expect((await api(`/${post.id}`)).status).toBe(404);
  });

  it('derives a summary from the content when none is sent', async () => {
    const post = await create({ title: 'No summary', content_html: '<p>First &amp; <b>only</b> paragraph.</p>' });
    const item = (await feedIds('/feed.json?limit=100')).find((i) => i.id === post.id) as unknown as { summary: string };
    expect(item.summary).toBe('First & only paragraph.');
  });

  it('a post sent without authors is by the site author (SITE_AUTHOR); with none set, authors is required', async () => {
    const res = await send('POST', '', { title: 'By the house' });
    expect(res.status).toBe(201);
    const post = (await res.json()) as Post & { authors: { name: string }[] };
    expect(post.authors).toEqual([{ name: env.SITE_AUTHOR }]);
    const stored = await env.DB.prepare('SELECT name FROM entry_authors WHERE entry_id = ?1').bind(post.id).all<{ name: string }>();
    expect(stored.results).toEqual([{ name: 'Syndicate Demo' }]);
    const refused = await app.request(
      `${SITE}/api/posts`,
      { method: 'POST', headers: AUTH, body: JSON.stringify({ title: 'Nobody' }) },
      { ...env, SITE_AUTHOR: '' },
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['authors']);
  });

  it('generates unique slugs from titles', async () => {
    const a = await create({ title: 'Same title' });
    const b = await create({ title: 'Same title' });
    expect([a.slug, b.slug]).toEqual(['same-title', 'same-title-2']);
  });

  it('lists posts with paging and filters', async () => {
    await create({ title: 'Draft one', status: 'draft', tags: ['Listing'] });
    const res = (await (await api('?status=draft&tag=listing&limit=5')).json()) as { total: number; posts: Post[] };
    expect(res.total).toBe(1);
    expect(res.posts[0]!.title).toBe('Draft one');
  });
});

describe('bad input changes nothing', () => {
  const snapshot = async () => ({
    count: (await env.DB.prepare('SELECT count(*) AS n FROM entries').first<{ n: number }>())!.n,
    etag: await etag('/feed.xml'),
  });

  const CASES: [string, () => Promise<Response>, number, string][] = [
    ['missing title', () => send('POST', '', { authors: [{ name: 'A' }] }), 400, 'title'],
    ['unknown field', () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], colour: 'red' }), 400, ''],
    ['wrong type', () => send('POST', '', { title: 42, authors: [{ name: 'A' }] }), 400, 'title'],
    ['invalid date', () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '2024-13-45' }), 400, 'published_at'],
    ['year 0', () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '0000-01-01T00:00:00Z' }), 400, 'published_at'],
    [
      'year 0 once in UTC',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '0001-01-01T00:30:00+01:00' }),
      400,
      'published_at',
    ],
    [
      'year 10000 once in UTC',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '9999-12-31T23:30:00-01:00' }),
      400,
      'published_at',
    ],
    [
      'a six-digit year',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '+010000-01-01T00:00:00Z' }),
      400,
      'published_at',
    ],
    [
      'February 30',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], published_at: '2023-02-30T00:00:00Z' }),
      400,
      'published_at',
    ],
    ['slug with spaces', () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], slug: 'has spaces' }), 400, 'slug'],
    [
      'duplicate slug',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], slug: 'tips-for-becoming-a-good-boxer' }),
      409,
      'slug',
    ],
    [
      'javascript: enclosure',
      () =>
        send('POST', '', {
          title: 'T',
          authors: [{ name: 'A' }],
          enclosures: [{ url: 'javascript:alert(1)', type: 'audio/mpeg', length: 1 }],
        }),
      400,
      'enclosures.0.url',
    ],
    ['ftp: author link', () => send('POST', '', { title: 'T', authors: [{ name: 'A', url: 'ftp://x' }] }), 400, 'authors.0.url'],
    [
      '10,000 tags',
      () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }),
      400,
      'tags',
    ],
    ['invalid JSON', () => api('', { method: 'POST', body: '{"title": ' }), 400, ''],
    [
      'wrong content type',
      () => api('', { method: 'POST', body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      '',
    ],
    ['body over 1 MB', () => send('POST', '', { title: 'T', authors: [{ name: 'A' }], content_html: 'x'.repeat(1_100_000) }), 413, ''],
  ];

  it('a year-0 date by PATCH is refused and the stored date stays', async () => {
    const post = await create({ title: 'Dated', published_at: '2020-01-01T00:00:00Z' });
    const res = await send('PATCH', `/${post.id}`, { published_at: '0000-06-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['published_at']);
    const row = await env.DB.prepare('SELECT published_at FROM entries WHERE id = ?1').bind(post.id).first<{ published_at: number }>();
    expect(row!.published_at).toBe(Date.parse('2020-01-01T00:00:00Z'));
  });

  it('names each refused field once, in plain words, on every admin route', async () => {
    type Problem = { detail: string; errors: { field: string; message: string }[] };
    const refused = async (res: Response) => {
      expect(res.status).toBe(400);
      return (await res.json()) as Problem;
    };
    const post = (path: string, body: unknown) => get(path, { method: 'POST', headers: AUTH, body: JSON.stringify(body) }).then(refused);
    expect(await post('/api/posts', { authors: [{ name: 'A' }] })).toMatchObject({
      detail: 'title: required (a non-empty string)',
      errors: [{ field: 'title', message: 'required (a non-empty string)' }],
    });
    expect((await post('/api/posts', { title: 5 })).errors).toEqual([{ field: 'title', message: 'expected a non-empty string, got 5' }]);
    expect((await post('/api/posts', { title: 'T', published_at: 'tomorrow' })).errors).toEqual([
      { field: 'published_at', message: 'expected a date such as 2026-12-07T09:00:00Z, got "tomorrow"' },
    ]);
    expect((await post('/api/sources', {})).errors).toEqual([{ field: 'url', message: 'required (an absolute URL)' }]);
    expect((await post('/api/moves', { from: 7, to: '/b.xml' })).errors).toEqual([
      { field: 'from', message: 'expected a non-empty string, got 7' },
    ]);
    expect((await post('/api/extract', {})).errors).toEqual([{ field: 'url', message: 'required (an absolute http or https URL)' }]);
  });

  it.each(CASES)('%s', async (_name, request, status, field) => {
    const before = await snapshot();
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; errors?: { field: string }[] };
    expect(problem.status).toBe(status);
    if (field) expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});
