// The publisher's console (/admin) as a browser and an attacker reach it, inside workerd: signing
// in (and its limit on wrong tokens), what every route answers without a session, forms without
// their token, forged and expired cookies, API tokens beyond their scopes, uploads that lie about
// their type, and headers that keep every answer out of caches and frames. The post flow through
// the console's forms lands in the same feeds as the admin API's (one write path).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { formToken } from '../../src/http/session';
import { csrfOf, form, ORIGIN, request, signIn, tokenOf } from '../support/console';
import { check, SITE } from '../support/worker';

const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) =>
  c.charCodeAt(0),
);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = new TextEncoder().encode('<!doctype html><script>alert(1)</script>');

let cookie = '';
beforeAll(async () => {
  cookie = await signIn();
});

describe('signing in', () => {
  it('asks for the admin token with a labelled field and a Sign in button, never cached or framed', async (ctx) => {
    const res = await request('/admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<label for="token">Admin token</label>');
    expect(html).toMatch(/<button type="submit" class="primary">\s*Sign in\s*<\/button>/);
    expect(html).toContain('action="/admin/sign-in"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  });

  it('says so when the token is wrong, and gives a signed HttpOnly, Secure, SameSite=Strict cookie for the right one', async () => {
    const csrf = csrfOf(await (await request('/admin')).text());
    const wrong = await request('/admin/sign-in', {
      method: 'POST',
      headers: { ...ORIGIN, 'cf-connecting-ip': '192.0.2.50' },
      body: form({ csrf, token: 'not-the-admin-token' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That is not the admin token.');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await request('/admin/sign-in', {
      method: 'POST',
      headers: { ...ORIGIN, 'cf-connecting-ip': '192.0.2.50' },
      body: form({ csrf, token: 'test-admin-token' }),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    expect(ok.headers.get('set-cookie')).toMatch(
      /^__Host-syndicate-session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const dashboard = await request('/admin', { headers: { cookie: ok.headers.get('set-cookie')!.split(';')[0]! } });
    const html = await dashboard.text();
    expect(html).toContain('<h1>Console</h1>');
    expect(html).toMatch(/<button type="submit">Sign out<\/button>/);
  });

  it('returns to the page asked for, and never to another site', async () => {
    const asked = await request('/admin/posts?status=draft');
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/admin?next=%2Fadmin%2Fposts%3Fstatus%3Ddraft');
    const page = await (await request(asked.headers.get('location')!)).text();
    expect(page).toContain('name="next" value="/admin/posts?status=draft"');
    for (const [next, to] of [
      ['/admin/posts?status=draft', '/admin/posts?status=draft'],
      ['//evil.example/admin', '/admin'],
      ['https://evil.example/', '/admin'],
      ['/admin\\@evil.example', '/admin'],
      ['/feed.xml', '/admin'],
      ['/admin/../feed.xml', '/admin'],
    ]) {
      const csrf = csrfOf(await (await request('/admin')).text());
      const res = await request('/admin/sign-in', {
        method: 'POST',
        headers: { ...ORIGIN, 'cf-connecting-ip': '192.0.2.51' },
        body: form({ csrf, token: 'test-admin-token', next: next! }),
      });
      expect(res.headers.get('location'), next).toBe(to);
    }
  });

  it('pauses after 10 wrong tokens from one address in 15 minutes: 429, the right token too; other addresses go on', async () => {
    const attempt = async (ip: string, token: string) => {
      const csrf = csrfOf(await (await request('/admin')).text());
      return request('/admin/sign-in', { method: 'POST', headers: { ...ORIGIN, 'cf-connecting-ip': ip }, body: form({ csrf, token }) });
    };
    for (let i = 0; i < 10; i++) expect((await attempt('203.0.113.7', `wrong-token-${i}`)).status).toBe(401);
    for (const token of ['wrong-token-10', 'test-admin-token']) {
      const limited = await attempt('203.0.113.7', token);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(await limited.text()).toContain('Too many wrong tokens were sent from your address in the last 15 minutes');
      expect(limited.headers.get('set-cookie')).toBeNull();
    }
    // /stats signs in the same way, under the same limit.
    const csrf = csrfOf(await (await request('/stats')).text());
    const viaStats = await request('/stats/sign-in', {
      method: 'POST',
      headers: { ...ORIGIN, 'cf-connecting-ip': '203.0.113.7' },
      body: form({ csrf, token: 'test-admin-token' }),
    });
    expect(viaStats.status).toBe(429);
    expect((await attempt('203.0.113.8', 'test-admin-token')).status).toBe(303);
    // No address is stored, only a keyed hash of it.
    const { results } = await env.DB.prepare('SELECT client FROM sign_in_failures').all<{ client: string }>();
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(results)).not.toContain('203.0.113');
    // Failures age out after the window.
    await env.DB.prepare('UPDATE sign_in_failures SET at = at - 15 * 60000').run();
    expect((await attempt('203.0.113.7', 'test-admin-token')).status).toBe(303);
  });

  it('signs out: the session ends on the server, the cookie replayed is refused', async () => {
    const mine = await signIn('192.0.2.60');
    const csrf = await tokenOf(mine, '/admin', '/admin/sign-out');
    const out = await request('/admin/sign-out', { method: 'POST', headers: { ...ORIGIN, cookie: mine }, body: form({ csrf }) });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-syndicate-session=; Max-Age=0/);
    expect((await request('/admin/posts', { headers: { cookie: mine } })).status).toBe(303);
  });
});

/** Every page of the console, and every action with what it posts. */
const PAGES = [
  '/admin/posts',
  '/admin/posts?status=deleted',
  '/admin/posts/new',
  '/admin/media',
  '/admin/moves',
  '/admin/stats',
  '/admin/sources',
  '/admin/sources?state=failing&kind=feed&tag=x&q=y',
  '/admin/sources/new',
  '/admin/sources/builder',
  '/admin/filters',
  '/admin/filters?view=planet',
  '/admin/tokens',
  '/admin/opml',
  '/admin/webhooks',
  '/admin/settings',
  '/admin/assets/console.js',
  '/admin/no-such-page',
];
const ACTIONS = [
  '/admin/posts/new',
  '/admin/posts/preview',
  '/admin/posts/00000000-0000-4000-8000-000000000001',
  '/admin/posts/00000000-0000-4000-8000-000000000001/unpublish',
  '/admin/posts/00000000-0000-4000-8000-000000000001/delete',
  '/admin/media',
  '/admin/moves',
  '/admin/moves/1/remove',
  '/admin/sources/builder',
  '/admin/sources/builder/save',
  '/admin/tokens',
  '/admin/tokens/1/revoke',
  '/admin/opml',
  '/admin/webhooks',
  '/admin/webhooks/1/enable',
  '/admin/webhooks/1/disable',
  '/admin/webhooks/1/delete',
  '/admin/sources/find',
  '/admin/sources/new',
  '/admin/sources/1/refresh',
  '/admin/sources/1/pause',
  '/admin/sources/1/resume',
  '/admin/sources/1/edit',
  '/admin/sources/1/delete',
  '/admin/sources/1/filters',
  '/admin/filters',
];

describe('without a session', () => {
  it.each(PAGES)('GET %s sends the browser to sign in', async (path) => {
    const res = await request(path);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin?next=${encodeURIComponent(path)}`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it.each(ACTIONS)('POST %s is a 401 that changes nothing', async (path) => {
    const before = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM moves) + (SELECT count(*) FROM api_tokens) AS n',
    ).first<{ n: number }>();
    const res = await request(path, {
      method: 'POST',
      headers: ORIGIN,
      body: form({ title: 'Sneaky', action: 'publish', from: '/x', name: 'x', scopes: 'posts:write' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.text()).toContain('sign in again');
    const after = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM moves) + (SELECT count(*) FROM api_tokens) AS n',
    ).first<{ n: number }>();
    expect(after).toEqual(before);
  });

  it('a forged cookie (signed with another key) is no session', async () => {
    const other = await signIn('192.0.2.70', { ...env, ADMIN_TOKEN: 'another-admin-token-0123456789' });
    expect((await request('/admin/posts', { headers: { cookie: other } })).status).toBe(303);
    const tampered = cookie.replace(/=([0-9a-f])/, (_m, c: string) => `=${c === 'a' ? 'b' : 'a'}`);
    expect((await request('/admin/posts', { headers: { cookie: tampered } })).status).toBe(303);
    expect((await request('/admin/tokens', { method: 'POST', headers: { ...ORIGIN, cookie: tampered }, body: form({}) })).status).toBe(401);
  });

  it('an expired session is no session', async () => {
    const mine = await signIn('192.0.2.71');
    expect((await request('/admin/posts', { headers: { cookie: mine } })).status).toBe(200);
    const id = decodeURIComponent(mine.split('=')[1]!).split('.')[0]!;
    const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    await env.DB.prepare('UPDATE admin_sessions SET expires_at = ?2 WHERE id = ?1')
      .bind(hash, Date.now() - 1)
      .run();
    expect((await request('/admin/posts', { headers: { cookie: mine } })).status).toBe(303);
  });
});

describe('with a session', () => {
  it.for(PAGES.filter((p) => !p.includes('no-such')))('GET %s is private, unframable, never stored, and valid HTML', async (path, ctx) => {
    const res = await request(path, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    if (path.endsWith('.js')) {
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      return;
    }
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    // Scripts only as files from this origin; no inline script, no inline handler.
    expect(html.match(/<script[^>]*>/g) ?? []).toEqual(expect.arrayContaining([]));
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toBe('<script src="/admin/assets/console.js" defer="">');
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    // Every style sheet is one the policy allows by hash.
    for (const [, sheet] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sheet)));
      expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
    }
  });

  it('takes an address with a trailing slash as the same page', async () => {
    for (const path of ['/admin/', '/admin/posts/', '/admin/settings/']) {
      const res = await request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
    }
  });

  it('the settings say which WebSub hub is in use: the own one by default, WEBSUB_HUB when set', async () => {
    const own = await (await request('/admin/settings', { headers: { cookie } })).text();
    expect(own).toContain(`own hub, <code>${SITE}/hub</code>`);
    const outside = await (
      await request('/admin/settings', { headers: { cookie } }, { ...env, WEBSUB_HUB: 'https://hub.example/' })
    ).text();
    expect(outside).toContain('<code>https://hub.example/</code> (WEBSUB_HUB)');
    // The admin token's value is never shown, only that it is set.
    expect(own).toContain('set (16 characters, never shown)');
    expect(own).not.toContain('test-admin-token');
  });

  it('an unknown console page is a 404 page, still private', async () => {
    const res = await request('/admin/no-such-page', { headers: { cookie } });
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it.each(ACTIONS)('POST %s without its form token is refused (403), and from another site too', async (path) => {
    const bare = await request(path, {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ title: 'No token', action: 'publish' }),
    });
    expect(bare.status).toBe(403);
    expect(bare.headers.get('cache-control')).toBe('private, no-store');
    // Another form's token is not this form's.
    const signOut = await tokenOf(cookie, '/admin/moves', '/admin/sign-out');
    const borrowed = await request(path, {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf: signOut, title: 'Borrowed' }),
    });
    expect(borrowed.status).toBe(403);
    const crossSite = await request(path, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie },
      body: form({ csrf: signOut, title: 'Cross-site' }),
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('API tokens', () => {
  it('are made with scopes, shown once, kept as a hash, refused beyond their scopes with a 403 naming the scope, and revoked', async () => {
    const csrf = await tokenOf(cookie, '/admin/tokens', '/admin/tokens');
    const made = await request('/admin/tokens', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf, name: 'read-only script', scopes: ['posts:read', 'moves:write'] }),
    });
    expect(made.status).toBe(200);
    expect(made.headers.get('cache-control')).toBe('private, no-store');
    const token = /id="new-token" type="text" readonly="" value="(syn_[A-Za-z0-9_-]{43})"/.exec(await made.text())![1]!;
    // Shown once: the list shows its name and scopes, never the token again.
    const list = await (await request('/admin/tokens', { headers: { cookie } })).text();
    expect(list).toContain('read-only script');
    expect(list).not.toContain(token);
    const stored = await env.DB.prepare('SELECT * FROM api_tokens').all();
    expect(JSON.stringify(stored.results)).not.toContain(token.slice(4));

    const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await request('/api/posts', { headers: bearer })).status).toBe(200);
    expect((await request('/api/moves', { headers: bearer })).status).toBe(200);
    const write = await request('/api/posts', { method: 'POST', headers: bearer, body: JSON.stringify({ title: 'Not allowed' }) });
    expect(write.status).toBe(403);
    expect(write.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(write.headers.get('www-authenticate')).toBe('Bearer realm="syndicate", error="insufficient_scope", scope="posts:write"');
    expect(await write.json()).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining('"posts:write"') });
    const stats = await request('/api/stats', { headers: bearer });
    expect(stats.status).toBe(403);
    expect(((await stats.json()) as { detail: string }).detail).toContain('"stats:read"');
    const upload = await request('/api/media', { method: 'POST', headers: { ...bearer, 'content-type': 'image/png' }, body: PNG });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { detail: string }).detail).toContain('"media:write"');
    expect((await request('/api/webhooks', { headers: bearer })).status).toBe(403);
    // ADMIN_TOKEN may still do everything.
    expect((await request('/api/stats', { headers: { authorization: 'Bearer test-admin-token' } })).status).toBe(200);
    // No answer of the admin API is kept by a cache either: allowed, refused, unknown.
    for (const res of [
      await request('/api/posts', { headers: bearer }),
      stats,
      await request('/api/posts'),
      await request('/api/nope', { headers: bearer }),
    ]) {
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }

    // Revoked: the next request with it is a 401.
    const id = (await env.DB.prepare('SELECT id FROM api_tokens WHERE name = ?1').bind('read-only script').first<{ id: number }>())!.id;
    const revokeCsrf = await tokenOf(cookie, '/admin/tokens', `/admin/tokens/${id}/revoke`);
    const revoked = await request(`/admin/tokens/${id}/revoke`, {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf: revokeCsrf }),
    });
    expect(revoked.status).toBe(303);
    expect((await request('/api/posts', { headers: bearer })).status).toBe(401);
  });

  it('refuses a token without a name or a scope, and a scope that does not exist', async () => {
    for (const [fields, message] of [
      [{ name: '', scopes: 'posts:read' }, 'Give the token a name'],
      [{ name: 'nothing' }, 'at least one scope'],
      [{ name: 'bad', scopes: 'everything' }, '“everything” is not a scope'],
    ] as const) {
      const csrf = await tokenOf(cookie, '/admin/tokens', '/admin/tokens');
      const res = await request('/admin/tokens', { method: 'POST', headers: { ...ORIGIN, cookie }, body: form({ csrf, ...fields }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
    }
  });
});

describe('uploads in the console', () => {
  const upload = async (bytes: Uint8Array, type: string, name: string) => {
    const csrf = await tokenOf(cookie, '/admin/media', '/admin/media');
    const body = new FormData();
    body.append('csrf', csrf);
    body.append('file', new File([bytes], name, { type }));
    return request('/admin/media', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
  };

  it('stores an image and lists it with its address (the file itself: tests/media.suite.ts)', async () => {
    const res = await upload(PNG, 'image/png', 'pixel.png');
    expect(res.status).toBe(200);
    const key = /\/media\/([0-9a-f]{64}\.png)/.exec(await res.text())![1]!;
    const list = await (await request('/admin/media', { headers: { cookie } })).text();
    expect(list).toContain(`<img class="media-thumb" src="${SITE}/media/${key}" alt="pixel.png"/>`);
    expect((await request(`/media/${key}`)).status).toBe(200);
  });

  it.each([
    ['JPEG bytes sent as image/png', JPEG, 'image/png', 'photo.png', 'says it is image/png, but its content is image/jpeg'],
    ['HTML sent as an image', HTML, 'image/png', 'page.png', 'not an image or audio file the site accepts'],
    ['an SVG', SVG, 'image/svg+xml', 'drawing.svg', 'SVG files are refused'],
    ['an SVG sent as a PNG', SVG, 'image/png', 'drawing.png', 'not an image or audio file the site accepts'],
    ['a PNG sent as audio', PNG, 'audio/mpeg', 'song.mp3', 'says it is audio/mpeg, but its content is image/png'],
  ])('refuses %s (415), storing nothing', async (_name, bytes, type, name, message) => {
    const before = (await env.MEDIA.list()).objects.length;
    const res = await upload(bytes, type, name);
    expect(res.status).toBe(415);
    expect(await res.text()).toContain(message);
    expect((await env.MEDIA.list()).objects.length).toBe(before);
  });
});

describe('posts through the console', () => {
  /** Posts the editor's form (multipart, as the browser does) for a new post or an existing one. */
  const editor = async (path: string, fields: Record<string, string>, file?: File) => {
    const csrf = await tokenOf(cookie, path, path);
    const body = new FormData();
    body.append('csrf', csrf);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    if (file) body.append('file', file);
    return request(path, { method: 'POST', headers: { ...ORIGIN, cookie }, body });
  };
  const feedTitles = async () => ((await (await request('/feed.json')).json()) as { items: { title: string }[] }).items.map((i) => i.title);

  it('writes a Markdown post with an uploaded image: published in the feeds, its Markdown kept for editing', async () => {
    const res = await editor(
      '/admin/posts/new',
      {
        title: 'Console post',
        format: 'markdown',
        content: 'Hello **world**.',
        tags: 'Console, News',
        authors: 'Ada',
        use: 'content',
        alt: 'A pixel',
        action: 'publish',
      },
      new File([PNG], 'pixel.png', { type: 'image/png' }),
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/posts\/[0-9a-f-]{36}\?saved=published$/);
    expect(await feedTitles()).toContain('Console post');
    const api = await request(`/api/posts/${location.split('/')[3]!.split('?')[0]}`, {
      headers: { authorization: 'Bearer test-admin-token' },
    });
    const post = (await api.json()) as { content_html: string; tags: string[]; authors: { name: string }[]; slug: string };
    expect(post.content_html).toContain('<strong>world</strong>');
    expect(post.content_html).toMatch(/<img src="http:\/\/localhost:8787\/media\/[0-9a-f]{64}\.png" alt="A pixel">/);
    expect(post.tags).toEqual(['Console', 'News']);
    expect(post.authors).toEqual([{ name: 'Ada' }]);
    const page = await (await request(location, { headers: { cookie } })).text();
    expect(page).toContain('Published: <a href="http://localhost:8787/posts/console-post">');
    expect(page).toContain('Hello **world**.');
    expect(page).toContain('<h3>Console post</h3>');
  });

  it('schedules, edits with a new slug (the former one shown and redirecting), unpublishes and deletes (410)', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    const scheduled = await editor('/admin/posts/new', {
      title: 'Later post',
      format: 'html',
      content: '<p>Soon.</p>',
      publish_at: later,
      action: 'schedule',
    });
    expect(scheduled.status).toBe(303);
    const path = scheduled.headers.get('location')!.split('?')[0]!;
    expect(await feedTitles()).not.toContain('Later post');
    const list = await (await request('/admin/posts?status=scheduled', { headers: { cookie } })).text();
    expect(list).toContain('>Later post</a>');

    const past = await editor(path, {
      title: 'Later post',
      slug: 'renamed-post',
      format: 'html',
      content: '<p>Now.</p>',
      action: 'publish',
    });
    expect(past.status).toBe(303);
    expect(await feedTitles()).toContain('Later post');
    const editorPage = await (await request(path, { headers: { cookie } })).text();
    expect(editorPage).toContain('Former slugs, each redirecting here: <code>later-post</code>');
    const old = await request('/posts/later-post');
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`${SITE}/posts/renamed-post`);

    const unpublishCsrf = await tokenOf(cookie, path, `${path}/unpublish`);
    expect(
      (await request(`${path}/unpublish`, { method: 'POST', headers: { ...ORIGIN, cookie }, body: form({ csrf: unpublishCsrf }) })).status,
    ).toBe(303);
    expect(await feedTitles()).not.toContain('Later post');
    expect((await request('/posts/renamed-post')).status).toBe(404);

    const confirm = await request(`${path}/delete`, { headers: { cookie } });
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain('answers <strong>410 Gone</strong>');
    const deleteCsrf = csrfOf(confirmHtml, `${path}/delete`);
    const deleted = await request(`${path}/delete`, { method: 'POST', headers: { ...ORIGIN, cookie }, body: form({ csrf: deleteCsrf }) });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/admin/posts?status=deleted&deleted=renamed-post');
    expect((await request('/posts/renamed-post')).status).toBe(410);
    expect((await request('/posts/later-post')).status).toBe(410);
    const gone = await (await request('/admin/posts?status=deleted', { headers: { cookie } })).text();
    expect(gone).toContain('<td>Later post</td>');
  });

  it('keeps what was typed and names the fields when something is wrong; Schedule needs a date to come', async () => {
    const res = await editor('/admin/posts/new', { title: '', format: 'markdown', content: 'Body', action: 'publish', tags: '<b>' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<a href="#title">Title</a>: must not be empty');
    expect(html).toContain('<a href="#tags">Tags</a>: contains &lt; or &gt; (tag 1)');
    expect(html).toContain('aria-invalid="true"');
    const noDate = await editor('/admin/posts/new', { title: 'When?', format: 'markdown', content: 'Body', action: 'schedule' });
    expect(noDate.status).toBe(400);
    expect(await noDate.text()).toContain('<a href="#publish_at">Publish at</a>: give a date and time to come');
  });

  it('an editor left open past its form token comes back as typed, saving nothing; other forms are refused', async () => {
    const session = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    const old = await formToken(env, 'post', session, Date.now() - 3 * 3_600_000);
    const body = new FormData();
    for (const [name, value] of Object.entries({
      csrf: old,
      title: 'Written slowly',
      format: 'markdown',
      content: 'Hours of *work*.',
      action: 'publish',
    })) {
      body.append(name, value);
    }
    const res = await request('/admin/posts/new', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('This page was open too long');
    expect(html).toContain('value="Written slowly"');
    expect(html).toContain('Hours of *work*.</textarea>');
    expect(await feedTitles()).not.toContain('Written slowly');
    const oldMove = await formToken(env, 'move', session, Date.now() - 3 * 3_600_000);
    const move = await request('/admin/moves', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf: oldMove, from: '/x', to: '/feed.xml' }),
    });
    expect(move.status).toBe(403);
  });

  it('previews with the renderer of the feeds, sanitized for the console, storing nothing', async () => {
    const csrf = await tokenOf(cookie, '/admin/posts/new', '/admin/posts/new');
    const body = new FormData();
    for (const [name, value] of Object.entries({
      csrf,
      title: 'Preview only',
      format: 'markdown',
      content: '# Big\n\n<script>alert(1)</script>\n\n[link](/about)',
    })) {
      body.append(name, value);
    }
    const res = await request('/admin/posts/preview', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<h3>Preview only</h3>');
    expect(html).toContain('<h1>Big</h1>');
    // Absolute, as in the feeds; and through the sanitizer, which marks links to other pages.
    expect(html).toContain(`<a href="${SITE}/about" rel="noopener noreferrer">link</a>`);
    expect(html).not.toContain('<script');
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM entries WHERE title = ?1').bind('Preview only').first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });
});

describe('moves through the console', () => {
  it('adds a move that answers 301, and removes it', async () => {
    const csrf = await tokenOf(cookie, '/admin/moves', '/admin/moves');
    const added = await request('/admin/moves', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf, from: '/old/feed.xml', to: '/feed.xml' }),
    });
    expect(added.status).toBe(303);
    const moved = await request('/old/feed.xml');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`${SITE}/feed.xml`);
    const again = await request('/admin/moves', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf, from: '/old/feed.xml', to: '/atom.xml' }),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('is moved already');
    const admin = await request('/admin/moves', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf, from: '/admin/posts', to: '/feed.xml' }),
    });
    expect(admin.status).toBe(400);
    const id = (await env.DB.prepare('SELECT id FROM moves WHERE from_path = ?1').bind('/old/feed.xml').first<{ id: number }>())!.id;
    const removed = await request(`/admin/moves/${id}/remove`, { method: 'POST', headers: { ...ORIGIN, cookie }, body: form({ csrf }) });
    expect(removed.status).toBe(303);
    expect((await request('/old/feed.xml')).status).toBe(404);
  });
});

// The sources' pages (Find feed, Add source, a source's page, edit, delete), with the same D1.
describe('sources', async () => {
  await import('./sources.suite');
});

describe('builder', async () => {
  await import('./builder.suite');
});

describe('filters', async () => {
  await import('./filters.suite');
});

describe('media', async () => {
  await import('./media.suite');
});

describe('extras', async () => {
  await import('./extras.suite');
});
