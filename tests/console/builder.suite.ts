// The rules builder (/admin/sources/builder), inside workerd against a list page this file PUTs on
// the stub server on 127.0.0.1 (tests/setup/upstream.ts): its snapshot carries nothing live and
// loads nothing, under its own policy; examples by a clicked element's path and by a title typed
// give rules and the posts they find; a clicked date fixes the date rule; the lists detection
// finds are offered; Save rules stores the rules on a source, or adds one, and refuses bad JSON.
import { env } from 'cloudflare:workers';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/app';
import { AUTH, check, SITE } from '../support/worker';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['document'];

const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;

function request(path: string, init: RequestInit = {}) {
  const ctx = { waitUntil: () => {}, passThroughOnException() {}, props: {} };
  return app.request(new URL(path, SITE).href, init, env, ctx as unknown as ExecutionContext);
}

const ORIGIN = { origin: SITE };
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('action="/admin/sources/builder'))!)![1]!;
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body;
};
const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The rules shown in the Rules (JSON) field. */
const rulesOf = (html: string) =>
  JSON.parse(decode(/<textarea[^>]*name="rules"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)![1]!)) as Record<string, string>;
/** The posts the results list: title and date. */
const itemsOf = (html: string) =>
  [...html.matchAll(/<span class="found-title">([^<]*)<\/span> (?:<time datetime="([^"]+)">|<span class="hint">no date)/g)].map((m) => ({
    title: decode(m[1]!),
    date: m[2]?.slice(0, 10) ?? null,
  }));

const POSTS = [
  ['alpha', 'Alpha: a first post about gardens', 'March 3, 2024', '2024-03-03'],
  ['bravo', 'Bravo and the second post', 'February 14, 2024', '2024-02-14'],
  ['charlie', 'Charlie writes a third one', 'January 2, 2024', '2024-01-02'],
  ['delta', 'Delta, the fourth and last', 'December 24, 2023', '2023-12-24'],
] as const;

/** A card list with everything a snapshot must not keep, and two dates a card: posted (a span) and updated (a <time>). */
function hostilePage(): string {
  const cards = POSTS.map(
    ([slug, title, date]) => `<article class="card" onclick="alert(1)" style="background:url(https://tracker.example/${slug}.png)">
  <a class="thumb" href="/docs/builder-${slug}.html"><img src="https://cdn.example/${slug}.jpg" srcset="https://cdn.example/${slug}@2x.jpg 2x" alt="" onerror="alert(2)"></a>
  <h2 class="card-title"><a href="/docs/builder-${slug}.html" data-sp="0">${title}</a></h2>
  <p class="meta">Posted on <span class="posted">${date}</span> by Ann</p>
  <p class="updated">Updated <time datetime="2024-06-01">June 1, 2024</time></p>
  <p class="teaser" style="color:red">A short teaser for ${slug}, long enough to be a summary of the post.</p></article>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><title>Cards</title><link rel="stylesheet" href="https://cdn.example/site.css">
<script src="https://cdn.example/app.js"></script><style>body{background:url(https://tracker.example/bg.png)}</style></head>
<body><base target="_top"><header class="site-header"><nav><ul class="menu"><li><a href="/about">About us</a></li><li><a href="javascript:alert(3)">Contact</a></li></ul></nav></header>
<main><div class="grid">${cards}</div>
<form action="https://evil.example/"><input name="q" formaction="https://evil.example/2"><button>Search</button></form>
<iframe src="https://www.youtube.com/embed/x"></iframe><video poster="https://cdn.example/p.jpg" src="https://cdn.example/v.mp4"></video>
<svg><image href="https://cdn.example/i.svg"/><script>alert(4)</script></svg><object data="https://cdn.example/o.swf"></object>
<img src="https://cdn.example/pixel.gif" alt="A picture with words"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<script>alert(5)</script><noscript><img src="https://cdn.example/ns.gif" alt="x"></noscript></main>
<aside class="sidebar"><h3>Popular</h3><ul><li><a href="/docs/popular-1.html">A popular post elsewhere</a></li><li><a href="/docs/popular-2.html">Another popular one</a></li></ul></aside></body></html>`;
}

let cookie = '';
let address = '';

beforeAll(async () => {
  const put = await fetch(upstream('/docs/builder.html'), {
    method: 'PUT',
    body: hostilePage(),
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
  expect(put.ok).toBe(true);
  address = upstream('/docs/builder.html');
  const signInPage = await (await request('/admin')).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(signInPage)![1]!;
  const ok = await request('/admin/sign-in', {
    method: 'POST',
    headers: { ...ORIGIN, 'cf-connecting-ip': '192.0.2.77' },
    body: form({ csrf, token: env.ADMIN_TOKEN }),
  });
  expect(ok.status).toBe(303);
  cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
});

const builderPath = (query: string) => `/admin/sources/builder?${query}`;

async function openBuilder(query = `address=${encodeURIComponent(address)}`): Promise<string> {
  const res = await request(builderPath(query), { headers: { cookie } });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  return html;
}

/** Posts the builder's form (the click, list and title forms all post here). */
async function post(fields: Record<string, string | string[]>, path = '/admin/sources/builder') {
  const csrf = csrfOf(await openBuilder());
  return request(path, { method: 'POST', headers: { ...ORIGIN, cookie }, body: form({ csrf, address, ...fields }) });
}

async function snapshot(): Promise<{ res: Response; doc: DefaultTreeAdapterMap['document'] }> {
  const res = await request(`/admin/sources/builder/snapshot?address=${encodeURIComponent(address)}`, { headers: { cookie } });
  return { res, doc: parse(await res.clone().text()) };
}

function* elements(node: Node): Generator<Element> {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if ('tagName' in at) yield at;
    if ('childNodes' in at) stack.push(...(at.childNodes as Node[]));
  }
}

const textOf = (el: Element): string =>
  el.childNodes
    .map((n) => (n.nodeName === '#text' ? (n as DefaultTreeAdapterMap['textNode']).value : 'tagName' in n ? textOf(n) : ''))
    .join('');

/** The path of the element holding exactly `text` (the deepest). */
function pathOf(doc: DefaultTreeAdapterMap['document'], text: string, tag?: string): string {
  const hits = [...elements(doc)].filter((el) => textOf(el).trim() === text && (!tag || el.tagName === tag));
  const deepest = hits.find((el) => !hits.some((other) => other !== el && [...elements(el)].includes(other)));
  const path = deepest?.attrs.find((a) => a.name === 'data-sp')?.value;
  expect(path, `no element reads "${text}"`).toBeTruthy();
  return path!;
}

describe('the snapshot', () => {
  it('has no script, no handler, no URL, nothing that loads, and a policy of its own', async () => {
    const { res, doc } = await snapshot();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    );
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const all = [...elements(doc)];
    const tags = new Set(all.map((el) => el.tagName));
    for (const live of [
      'script',
      'iframe',
      'object',
      'embed',
      'link',
      'base',
      'form',
      'input',
      'button',
      'video',
      'svg',
      'image',
      'noscript',
    ])
      expect(tags.has(live), live).toBe(false);
    expect(all.filter((el) => el.tagName === 'style')).toHaveLength(1);
    expect(all.filter((el) => el.tagName === 'meta').map((el) => el.attrs.map((a) => a.name))).toEqual([['charset']]);
    const allowed = new Set(['data-sp', 'title', 'lang', 'dir', 'alt', 'width', 'height', 'datetime', 'charset']);
    for (const el of all) {
      for (const attr of el.attrs) {
        expect(allowed.has(attr.name), `${el.tagName} ${attr.name}="${attr.value}"`).toBe(true);
        expect(attr.value).not.toMatch(/https?:|javascript:|url\(/i);
      }
    }
    // The image with words stays as its words; the one without goes.
    const images = all.filter((el) => el.tagName === 'img');
    expect(images.map((el) => el.attrs.find((a) => a.name === 'alt')?.value)).toEqual(['A picture with words']);
    // Every element of the page's body carries its own path; the path the page wrote itself is replaced.
    const paths = all.filter((el) => el.tagName === 'a').map((el) => el.attrs.find((a) => a.name === 'data-sp')?.value);
    expect(paths.every((p) => p && /^\d+(?:\.\d+)+$/.test(p))).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('is refused for an address the worker may not fetch, naming the field', async () => {
    const res = await request('/admin/sources/builder/snapshot?address=file%3A%2F%2F%2Fetc%2Fpasswd', { headers: { cookie } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('address');
  });
});

describe('the builder page', () => {
  it('frames the snapshot sandboxed without scripts, offers the lists found and is valid HTML', async (ctx) => {
    const res = await request(builderPath(`address=${encodeURIComponent(address)}`), { headers: { cookie } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const frame = /<iframe[^>]*>/.exec(html)![0];
    expect(frame).toContain('sandbox="allow-same-origin"');
    expect(frame).toContain(`src="/admin/sources/builder/snapshot?address=${encodeURIComponent(address)}"`);
    expect(html).toContain('aria-live="polite"');
    expect(html).toMatch(/<legend>Lists found on the page<\/legend>/);
    expect(decode(html)).toContain('4 posts: Alpha: a first post about gardens · Bravo and the second post · Charlie writes a third one');
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  });
});

describe('examples', () => {
  it('a clicked title (its path) gives rules and the posts they find, without the sidebar', async () => {
    const { doc } = await snapshot();
    const res = await post({ pick: pathOf(doc, 'Bravo and the second post', 'a'), fragment: '1' });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).not.toContain('<html');
    expect(res.headers.get('x-builder-results')).toBe('1');
    expect(itemsOf(html).map((i) => i.title)).toEqual(POSTS.map(([, title]) => title));
    const rules = rulesOf(html);
    expect(rules.item).toContain('article.card');
    expect(rules.title).toBeTruthy();
    // The posts found are named by their titles' paths, for the script to mark in the snapshot.
    const found = /id="builder-found" data-paths="([^"]*)"/.exec(html)![1]!.split(' ');
    expect(found).toEqual(POSTS.map(([, title]) => pathOf(doc, title, 'a')));
    // The example travels on with the next click.
    expect(decode(html)).toContain(`name="example" value="${upstream('/docs/builder-bravo.html')}"`);
  });

  it('a title typed gives the same rules (the page, without script), as valid HTML', async (ctx) => {
    const res = await post({ title: 'Charlie writes a third one' });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('<iframe');
    expect(itemsOf(html).map((i) => i.title)).toEqual(POSTS.map(([, title]) => title));
    expect(rulesOf(html).item).toContain('article.card');
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  });

  it('a clicked date fixes the date rule: the posted dates instead of the updated ones', async () => {
    const { doc } = await snapshot();
    const example = upstream('/docs/builder-alpha.html');
    const before = await (await post({ example, fragment: '1' })).text();
    expect(itemsOf(before).map((i) => i.date)).toEqual(POSTS.map(() => '2024-06-01'));
    const res = await post({ example, pick: pathOf(doc, 'February 14, 2024', 'span'), fragment: '1' });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(rulesOf(html).date).toContain('span.posted');
    expect(itemsOf(html).map((i) => i.date)).toEqual(POSTS.map(([, , , iso]) => iso));
  });

  it('a list found on the page fills the rules', async () => {
    const page = await openBuilder();
    const value = decode(/<input type="radio" name="list" value="([^"]+)"/.exec(page)![1]!);
    const html = await (await post({ list: value })).text();
    expect(itemsOf(html).map((i) => i.title)).toEqual(POSTS.map(([, title]) => title));
  });

  it('a title not on the page is a 400 naming it, and nothing else is lost', async () => {
    const example = upstream('/docs/builder-alpha.html');
    const res = await post({ example, title: 'A post that is not there' });
    const html = decode(await res.text());
    expect(res.status).toBe(400);
    expect(html).toContain('Not found on the page: “A post that is not there”');
    expect(html).toContain(`name="example" value="${example}"`);
  });
  it('a page that cannot be fetched is said in the results, with its status', async () => {
    const missing = upstream('/docs/builder-missing.html');
    const res = await post({ address: missing, title: 'Anything', fragment: '1' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-builder-results')).toBe('1');
    expect(await res.text()).toContain(`The page ${missing} could not be fetched`);
  });
  it('a page past the extraction limits is a 422 saying why, in the page and the snapshot', async () => {
    const deep = `<!doctype html><html><body>${'<div>'.repeat(200)}words${'</div>'.repeat(200)}</body></html>`;
    const put = await fetch(upstream('/docs/builder-deep.html'), { method: 'PUT', body: deep, headers: { 'content-type': 'text/html' } });
    expect(put.ok).toBe(true);
    const deepAddress = upstream('/docs/builder-deep.html');
    const res = await post({ address: deepAddress, title: 'words' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('The page cannot be read: elements are nested more than 128 levels deep');
    const frame = await request(`/admin/sources/builder/snapshot?address=${encodeURIComponent(deepAddress)}`, { headers: { cookie } });
    expect(frame.status).toBe(422);
    expect(frame.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('Save rules', () => {
  const RULES = { item: 'article.card', title: 'h2 > a', date: 'span.posted' };

  it('stores the rules on a page source (the same write as the API)', async () => {
    const made = await request('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${address}?s=1`, kind: 'page' }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const page = await openBuilder(`source=${id}`);
    expect(page).toContain(`src="/admin/sources/builder/snapshot?source=${id}"`);
    const res = await request('/admin/sources/builder/save', {
      method: 'POST',
      headers: { ...ORIGIN, cookie },
      body: form({ csrf: csrfOf(page), source: String(id), rules: JSON.stringify(RULES) }),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/sources/builder?source=${id}&saved=changed`);
    const stored = (await (await request(`/api/sources/${id}`, { headers: AUTH })).json()) as { rules: unknown };
    expect(stored.rules).toEqual(RULES);
    const after = await openBuilder(`source=${id}&saved=changed`);
    expect(rulesOf(after)).toEqual(RULES);
    expect(itemsOf(after).map((i) => i.date)).toEqual(POSTS.map(([, , , iso]) => iso));
  });

  it('adds the page as a page source with them', async () => {
    const res = await post({ rules: JSON.stringify(RULES) }, '/admin/sources/builder/save');
    expect(res.status, await res.clone().text()).toBe(303);
    const id = Number(/source=(\d+)&saved=added/.exec(res.headers.get('location')!)![1]);
    const stored = (await (await request(`/api/sources/${id}`, { headers: AUTH })).json()) as { url: string; kind: string; rules: unknown };
    expect(stored).toMatchObject({ url: address, kind: 'page', rules: RULES });
  });

  it('refuses rules that are not JSON or not valid, naming the field, and stores nothing', async () => {
    const before = ((await (await request('/api/sources?limit=100', { headers: AUTH })).json()) as { total: number }).total;
    const broken = await post({ address: `${address}?s=2`, rules: '{"item": ' }, '/admin/sources/builder/save');
    expect(broken.status).toBe(400);
    const html = decode(await broken.text());
    expect(html).toMatch(/href="#rules">Rules \(JSON\)<\/a>: is not JSON/);
    expect(html).toContain('{"item": ');
    const bad = await post({ address: `${address}?s=2`, rules: JSON.stringify({ item: 'article[' }) }, '/admin/sources/builder/save');
    expect(bad.status).toBe(400);
    expect(decode(await bad.text())).toMatch(/Rules \(JSON\)<\/a>: item: /);
    const after = ((await (await request('/api/sources?limit=100', { headers: AUTH })).json()) as { total: number }).total;
    expect(after).toBe(before);
  });
});
