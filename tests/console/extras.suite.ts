// The console's OPML import and export, its webhooks page, and signing in with Cloudflare Access,
// inside workerd with the real D1: an import through the form is the API's import (same rows,
// same export), a file that is not OPML, an XML bomb or one too large is a 4xx page that stores
// nothing; webhooks are added (secret shown once), disabled, enabled and deleted as the API sees
// them; an Access token signed by a key made here gets a session only when every check passes.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ORIGIN, request, signIn, tokenOf as tokenOfPage } from '../support/console';
import { BEARER, check, SITE, upstream } from '../support/worker';

let cookie = '';
beforeAll(async () => {
  cookie = await signIn('192.0.2.90');
});

const tokenOf = (page: string, action: string) => tokenOfPage(cookie, page, action);

const sourceCount = async () => (await env.DB.prepare('SELECT count(*) AS n FROM sources').first<number>('n'))!;

describe('OPML in the console', () => {
  const opml = (...urls: string[]) =>
    `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body><outline text="Friends">${urls
      .map((u, i) => `<outline type="rss" text="Feed ${i}" xmlUrl="${u}"/>`)
      .join('')}</outline></body></opml>`;

  async function importFile(content: string, name = 'subscriptions.opml', type = 'text/x-opml') {
    const body = new FormData();
    body.set('csrf', await tokenOf('/admin/opml', '/admin/opml'));
    body.set('file', new File([content], name, { type }));
    return request('/admin/opml', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
  }

  it('has a labelled OPML file field, an Import button and an Export OPML link', async (ctx) => {
    const html = await (await request('/admin/opml', { headers: { cookie } })).text();
    expect(html).toContain('<label for="file">OPML file</label>');
    expect(html).toMatch(/<input id="file" name="file" type="file" required=""/);
    expect(html).toMatch(/<button type="submit" class="primary">\s*Import\s*<\/button>/);
    expect(html).toMatch(/<a href="\/admin\/opml\/export" download="sources.opml">\s*Export OPML\s*<\/a>/);
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  });

  it('imports a file as the API does: lists what was added, what existed and what was refused, and why', async (ctx) => {
    const first = upstream('/corpus/34-jsonfeed-valid.json?console-opml=1');
    const second = upstream('/corpus/01-rss2-minimal.xml?console-opml=2');
    const before = await sourceCount();
    const once = await importFile(opml(first));
    expect(once.status).toBe(200);
    expect(await sourceCount()).toBe(before + 1);

    const res = await importFile(opml(first, second, 'http://10.0.0.1/feed.xml', 'ftp://example.com/feed'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    expect(html).toContain('1 added, 1 already followed, 2 refused.');
    const section = (heading: string) => html.slice(html.indexOf(`<h3>${heading}`)).split('</ul>')[0]!;
    expect(section('Added (1)')).toContain(`<code>${second.replace(/&/g, '&amp;')}</code>: Feed 1`);
    expect(section('Already sources (1)')).toContain(`<code>${first}</code>`);
    const refused = section('Refused (2)');
    expect(refused).toContain('<code>http://10.0.0.1/feed.xml</code>: ');
    expect(refused).toContain('<code>ftp://example.com/feed</code>: ');
    // The same rows the API's import writes: the folder became the new source's tag.
    const row = await env.DB.prepare(
      `SELECT s.title_override AS title, group_concat(st.name) AS tags FROM sources s
       JOIN source_tags st ON st.source_id = s.id WHERE s.url = ?1 GROUP BY s.id`,
    )
      .bind(second)
      .first<{ title: string; tags: string }>();
    expect(row).toEqual({ title: 'Feed 1', tags: 'Friends' });
    expect(await sourceCount()).toBe(before + 2);
  });

  it.each([
    ['a web page', '<!doctype html><html><body><p>Hello</p></body></html>', 'is not'],
    ['an empty XML document', '<?xml version="1.0"?><rss version="2.0"><channel/></rss>', 'is not an OPML document'],
    [
      'an XML bomb',
      `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<opml version="2.0"><head><title>&d;</title></head><body><outline text="&d;" xmlUrl="${upstream('/bomb?&d;')}"/></body></opml>`,
      'is not well-formed XML',
    ],
  ])('refuses %s plainly (400, the field named) and stores nothing', async (_name, content, reason) => {
    const before = await sourceCount();
    const res = await importFile(content);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<a href="#file">OPML file</a>: subscriptions.opml ');
    expect(html).toContain(reason);
    expect(html).not.toMatch(/(?:aaaaaaaaaa){2}/);
    expect(await sourceCount()).toBe(before);
  });

  it('refuses a file over the limit (413) and stores nothing', async () => {
    const before = await sourceCount();
    const big = `${opml(upstream('/corpus/01-rss2-minimal.xml?too-big=1')).slice(0, -30)}<!--${'x'.repeat(8 * 1024 * 1024)}-->`;
    const res = await importFile(big);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain(`at most ${8 * 1024 * 1024} bytes are taken`);
    expect(await sourceCount()).toBe(before);
  });

  it('asks for a file when none was chosen (400)', async () => {
    const body = new FormData();
    body.set('csrf', await tokenOf('/admin/opml', '/admin/opml'));
    const res = await request('/admin/opml', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('choose an OPML file to import');
  });

  it('exports the sources as a download, the same document as the API export', async () => {
    const res = await request('/admin/opml/export', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sources.opml"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const api = await request('/api/sources/export', { headers: BEARER });
    const body = await res.text();
    expect(body).toBe(await api.text());
    expect(body).toContain('<outline text="Feed 1" title="Feed 1" type="rss"');
  });
});

type ApiWebhook = { id: number; url: string; events: string[]; state: string; disabled_reason: string | null };
const apiWebhooks = async () =>
  ((await (await request('/api/webhooks', { headers: BEARER })).json()) as { webhooks: ApiWebhook[] }).webhooks;

describe('webhooks in the console', () => {
  async function add(fields: [string, string][]) {
    const body = new URLSearchParams([['csrf', await tokenOf('/admin/webhooks', '/admin/webhooks')], ...fields]);
    return request('/admin/webhooks', { method: 'POST', headers: { ...ORIGIN, cookie }, body });
  }
  /** Presses a webhook's button (its form on the page; `listed: false`: with another webhook form's token, for one gone). */
  async function act(id: number, action: string, listed = true) {
    const csrf = await tokenOf('/admin/webhooks', listed ? `/admin/webhooks/${id}/${action}` : '/admin/webhooks');
    return request(`/admin/webhooks/${id}/${action}`, {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: new URLSearchParams({ csrf }),
    });
  }

  it('adds one with its secret shown once, disables, enables and deletes it, as the API sees it', async (ctx) => {
    const url = upstream('/hooks/console-1');
    const made = await add([
      ['url', url],
      ['events', 'post.published'],
      ['events', 'source.item_added'],
      ['format', 'jsonfeed'],
    ]);
    expect(made.status).toBe(200);
    const html = await made.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    const secret = /id="new-secret" type="text" readonly="" value="(whsec_[A-Za-z0-9+/=]+)"/.exec(html)![1]!;
    const stored = await env.DB.prepare('SELECT id, secret FROM webhooks WHERE url = ?1').bind(url).first<{ id: number; secret: string }>();
    expect(stored!.secret).toBe(secret);
    const id = stored!.id;
    expect((await apiWebhooks()).find((w) => w.id === id)).toMatchObject({
      events: ['post.published', 'source.item_added'],
      state: 'active',
    });

    // Listed, never with the secret again.
    const list = await (await request('/admin/webhooks', { headers: { cookie } })).text();
    expect(list).toContain(`<code>${url}</code> (jsonfeed)`);
    expect(list).not.toContain(secret);
    expect(list).toContain(`aria-label="Disable the webhook to ${url}"`);

    const disabled = await act(id, 'disable');
    expect(disabled.status).toBe(303);
    expect((await apiWebhooks()).find((w) => w.id === id)).toMatchObject({
      state: 'disabled',
      disabled_reason: 'disabled by the publisher',
    });
    const after = await (await request(disabled.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toContain('The webhook is disabled');
    expect(after).toContain(`aria-label="Enable the webhook to ${url}"`);

    expect((await act(id, 'enable')).status).toBe(303);
    expect((await apiWebhooks()).find((w) => w.id === id)).toMatchObject({ state: 'active', disabled_reason: null });

    expect((await act(id, 'delete')).status).toBe(303);
    expect((await apiWebhooks()).find((w) => w.id === id)).toBeUndefined();
    const gone = await act(id, 'delete', false);
    expect(gone.status).toBe(404);
  });

  it("lists each webhook's recent deliveries, newest first, with what the endpoint answered", async (ctx) => {
    const url = upstream('/hooks/console-deliveries');
    expect(
      (
        await add([
          ['url', url],
          ['events', 'post.published'],
          ['format', 'json'],
        ])
      ).status,
    ).toBe(200);
    const { id } = (await env.DB.prepare('SELECT id FROM webhooks WHERE url = ?1').bind(url).first<{ id: number }>())!;
    const at = Date.UTC(2026, 0, 2, 3, 4);
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO webhook_deliveries (webhook_id, message_id, event, payload, created_at, state, attempts, last_attempt_at, last_status)
         VALUES (?1, 'msg_old', 'post.published', '{}', ?2, 'delivered', 1, ?2, 204)`,
      ).bind(id, at),
      env.DB.prepare(
        `INSERT INTO webhook_deliveries (webhook_id, message_id, event, payload, created_at, state, attempts, last_attempt_at, last_status, last_error)
         VALUES (?1, 'msg_new', 'post.updated', '{}', ?2, 'pending', 3, ?2, NULL, 'timed out after 10 s')`,
      ).bind(id, at + 60_000),
    ]);
    const html = await (await request('/admin/webhooks', { headers: { cookie } })).text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    const table = html.slice(html.indexOf(`To <code>${url}</code>, newest first`));
    const rows = [
      ...table
        .slice(0, table.indexOf('</table>'))
        .matchAll(/<tr><td><code>([^<]+)<\/code><\/td><td>(\w+)<\/td><td>(\d+)<\/td><td>([^<]+)<\/td>/g),
    ].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['post.updated', 'pending', '3', 'timed out after 10 s'],
      ['post.published', 'delivered', '1', 'HTTP 204'],
    ]);
  });

  it.each([
    ['no event', [['url', 'https://hooks.example/a']], 'events', 'Events'],
    [
      'an unknown event',
      [
        ['url', 'https://hooks.example/a'],
        ['events', 'post.exploded'],
      ],
      'events',
      'Events',
    ],
    [
      'a private address',
      [
        ['url', 'http://10.1.2.3/hook'],
        ['events', 'post.published'],
      ],
      'url',
      'Endpoint URL',
    ],
    [
      'no URL at all',
      [
        ['url', 'not a url'],
        ['events', 'post.published'],
      ],
      'url',
      'Endpoint URL',
    ],
  ] as [string, [string, string][], string, string][])(
    'refuses %s with a 400 naming the field, storing nothing',
    async (_n, fields, id, label) => {
      const before = (await apiWebhooks()).length;
      const res = await add(fields);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`<a href="#${id}">${label}</a>: `);
      // The form comes back as typed.
      expect(html).toContain(`value="${fields[0]![1]}"`);
      expect((await apiWebhooks()).length).toBe(before);
    },
  );

  it("lists the own hub's live subscriptions read-only: topic, callback, lease end", async () => {
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO hub_subscriptions (topic, callback, callback_host, lease_seconds, verified_at, expires_at)
       VALUES (?1, 'https://reader.example/push/42', 'reader.example', 86400, ?2, ?3)`,
    )
      .bind(`${SITE}/feed.xml`, now, Date.UTC(2099, 0, 2, 3, 4))
      .run();
    const html = await (await request('/admin/webhooks', { headers: { cookie } })).text();
    const hub = html.slice(html.indexOf('WebSub hub subscriptions'));
    expect(hub).toContain(`<code>${SITE}/feed.xml</code>`);
    expect(hub).toContain('<code>https://reader.example/push/42</code>');
    expect(hub).toContain('<time datetime="2099-01-02T03:04:00.000Z">');
    expect(hub).not.toContain('<form');
  });

  it('the dashboard links to the webhooks and to OPML', async () => {
    const html = await (await request('/admin', { headers: { cookie } })).text();
    expect(html).toMatch(/<a href="\/admin\/webhooks">(?:No|\d+) webhooks?<\/a>/);
    expect(html).toContain('<a href="/admin/opml">');
  });
});

describe('signing in with Cloudflare Access', () => {
  const TEAM = 'syndicate-test.cloudflareaccess.com';
  const AUD = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
  const CERTS = `https://${TEAM}/cdn-cgi/access/certs`;
  const withAccess = { ...env, ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD };
  const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

  let key: CryptoKeyPair;
  let other: CryptoKeyPair;
  let fetched: string[] = [];
  beforeAll(async () => {
    key = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
    other = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A strict stub: the team's keys (the one public key made here), and nothing else. */
  async function stubCerts(published: [CryptoKeyPair, string][] = [[key, 'test-kid']]) {
    fetched = [];
    const keys = await Promise.all(
      published.map(async ([pair, kid]) => ({ ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid, alg: 'RS256', use: 'sig' })),
    );
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      fetched.push(url);
      if (url !== CERTS) throw new Error(`unexpected fetch in the test: ${url}`);
      return Response.json({ keys });
    });
  }

  const b64url = (data: Uint8Array | string) =>
    btoa(typeof data === 'string' ? data : String.fromCharCode(...data))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');

  /** A JWT signed with WebCrypto directly (not with the code under test). */
  async function jwt(claims: Record<string, unknown>, opts: { signer?: CryptoKey; header?: Record<string, unknown> } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify(opts.header ?? { alg: 'RS256', kid: 'test-kid', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({
        aud: [AUD],
        iss: `https://${TEAM}`,
        email: 'ada@example.com',
        sub: 'u-1',
        iat: now - 5,
        nbf: now - 5,
        exp: now + 600,
        ...claims,
      }),
    );
    const signature = new Uint8Array(
      await crypto.subtle.sign(RSA.name, opts.signer ?? key.privateKey, new TextEncoder().encode(`${header}.${payload}`)),
    );
    return `${header}.${payload}.${b64url(signature)}`;
  }

  const visit = (token: string, bindings: Env = withAccess) =>
    request('/admin', { headers: { 'cf-access-jwt-assertion': token } }, bindings);

  it('a valid assertion gets a session like the token sign-in: the dashboard, and the cookie works after', async () => {
    await stubCerts();
    const res = await visit(await jwt({}));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Console</h1>');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^__Host-syndicate-session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(fetched).toEqual([CERTS]);
    const next = await request('/admin/posts', { headers: { cookie: set.split(';')[0]! } }, withAccess);
    expect(next.status).toBe(200);
    // The keys are cached: a second sign-in reads none.
    expect((await visit(await jwt({}))).status).toBe(200);
    expect(fetched).toEqual([CERTS]);
  });

  it.each([
    ['another audience', () => jwt({ aud: ['someone-elses-app'] })],
    ['another issuer', () => jwt({ iss: 'https://evil.cloudflareaccess.com' })],
    ['an expired token', () => jwt({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a token not valid yet', () => jwt({ nbf: Math.floor(Date.now() / 1000) + 600 })],
    ['a token without expiry', () => jwt({ exp: undefined })],
    ['a token signed with another key', () => jwt({}, { signer: other.privateKey })],
    ['a token with an unknown key id', () => jwt({}, { header: { alg: 'RS256', kid: 'no-such-kid', typ: 'JWT' } })],
    [
      'alg none',
      async () => {
        const token = await jwt({});
        const [, payload] = token.split('.');
        return `${b64url(JSON.stringify({ alg: 'none', kid: 'test-kid', typ: 'JWT' }))}.${payload}.`;
      },
    ],
    ['a token that says HS256', () => jwt({}, { header: { alg: 'HS256', kid: 'test-kid', typ: 'JWT' } })],
    ['garbage', async () => 'not.a.jwt'],
  ])('%s gets no session: the sign-in form', async (_name, make) => {
    await stubCerts();
    const res = await visit(await make());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<label for="token">Admin token</label>');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('keeps the keys an hour; a rotated key is read again once they are a minute old, not for every unknown key id', async () => {
    // The clock, moved by hand: two hours on, the cached keys are too old and read again.
    const clock = vi.spyOn(Date, 'now');
    const base = Date.now() + 2 * 3_600_000;
    clock.mockReturnValue(base);
    await stubCerts();
    expect((await visit(await jwt({}))).headers.get('set-cookie')).not.toBeNull();
    expect(fetched).toEqual([CERTS]);
    // Access publishes a new key: a token naming it within the minute is refused without a read.
    await stubCerts([
      [key, 'test-kid'],
      [other, 'next-kid'],
    ]);
    const rotated = () => jwt({}, { signer: other.privateKey, header: { alg: 'RS256', kid: 'next-kid', typ: 'JWT' } });
    clock.mockReturnValue(base + 1_000);
    expect((await visit(await rotated())).headers.get('set-cookie')).toBeNull();
    expect(fetched).toEqual([]);
    // A minute on, the keys are read again and the new key signs in.
    clock.mockReturnValue(base + 61_000);
    expect((await visit(await rotated())).headers.get('set-cookie')).not.toBeNull();
    expect(fetched).toEqual([CERTS]);
  });

  it('without ACCESS_TEAM_DOMAIN and ACCESS_AUD nothing changes: no keys read, no session', async () => {
    await stubCerts();
    const res = await visit(await jwt({}), env);
    expect(await res.text()).toContain('<label for="token">Admin token</label>');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(fetched).toEqual([]);
  });

  it('an action is never signed in by an assertion alone (401)', async () => {
    await stubCerts();
    const res = await request(
      '/admin/webhooks',
      { method: 'POST', headers: { ...ORIGIN, 'cf-access-jwt-assertion': await jwt({}) }, body: new URLSearchParams({ url: 'x' }) },
      withAccess,
    );
    expect(res.status).toBe(401);
    expect(fetched).toEqual([]);
  });
});
