// The HTML pages as a person navigates them: a site header with the same navigation on every
// page, exactly one h1, landmarks, every post of a list reachable page by page, no summary that
// only repeats its title.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, get, insertPost, SITE } from '../support/worker';

const NAVIGATE = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

let sourceId = 0;

beforeAll(async () => {
  const now = Date.now();
  await insertPost({
    id: 'urn:uuid:pages-1',
    slug: 'pages-first',
    title: 'Pages first',
    summary: '<p>About the first.</p>',
    publishedAt: now - 60_000,
    tags: [['pages-tag', 'Pages tag']],
    authors: [['pages-author', 'Pages Author']],
  });
  for (const [i, summary] of ['<p>Pages echo</p>', '<p>  pages ECHO…</p>', 'Pages echo.'].entries()) {
    await insertPost({
      id: `urn:uuid:pages-echo-${i}`,
      slug: `pages-echo-${i}`,
      title: 'Pages echo',
      summary,
      publishedAt: now - 120_000 - i,
    });
  }
  await insertPost({
    id: 'urn:uuid:pages-echo-more',
    slug: 'pages-echo-more',
    title: 'Pages echo',
    summary: '<p>Pages echo, and then some.</p>',
    publishedAt: now - 130_000,
  });
  const row = await env.DB.prepare(
    `INSERT INTO sources (url, title, created_at, updated_at) VALUES ('https://upstream.example/pages.xml', 'Pages upstream', ?1, ?1) RETURNING id`,
  )
    .bind(now)
    .first<{ id: number }>();
  sourceId = row!.id;
});

describe('every page', () => {
  const pages = () =>
    [
      ['/', 'Home'],
      ['/tags/pages-tag/', null],
      ['/authors/pages-author/', null],
      [`/sources/${sourceId}/`, null],
      ['/planet/', 'Planet'],
      ['/posts/pages-first', null],
      ['/no-such-page', null],
      ['/stats', null],
    ] as const;

  it('has a banner with the site navigation, a main landmark and exactly one h1', async (ctx) => {
    for (const [path, current] of pages()) {
      const response = await get(path, { headers: { accept: 'text/html' } });
      const html = await response.text();
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(count(html, /<h1[\s>]/), path).toBe(1);
      expect(count(html, /<main[\s>]/), path).toBe(1);
      const header = /<header>([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
      const nav = /<nav class="site" aria-label="Site">([\s\S]*?)<\/nav>/.exec(header)?.[1];
      expect(nav, path).toBeDefined();
      const links: [href: string, name: string][] = [
        [`${SITE}/`, 'Home'],
        [`${SITE}/planet/`, 'Planet'],
        [`${SITE}/feed.xml`, 'Subscribe'],
        [`${SITE}/opml.xml`, 'All feeds (OPML)'],
      ];
      for (const [href, name] of links) {
        expect(nav, path).toMatch(new RegExp(`<a href="${href}"( aria-current="page")?>${name.replace(/[()]/g, '\\$&')}</a>`));
      }
      // The current destination is marked, and only it.
      const marked = /<a href="[^"]*" aria-current="page">([^<]*)<\/a>/.exec(nav!)?.[1] ?? null;
      expect(marked, path).toBe(current);
      const result = await check(ctx, 'html5', html);
      expect(JSON.parse(result.output), path).toEqual([]);
    }
  });

  it('a feed opened in a browser (its preview) has the navigation and one h1 too', async () => {
    const html = await (await get('/feed.xml', { headers: NAVIGATE })).text();
    expect(html).toContain('<nav class="site" aria-label="Site">');
    expect(count(html, /<h1[\s>]/)).toBe(1);
  });

  it('the home page says what the site is once: its h1, not a tagline beside it', async () => {
    const html = await (await get('/')).text();
    const description = env.SITE_DESCRIPTION;
    expect(html).toContain(`<h1>${description}</h1>`);
    expect(html).not.toContain(`<p>${description}</p>`);
  });
});

describe('list pages', () => {
  it('do not show a summary that only repeats its title; one that says more stays', async () => {
    const html = await (await get('/')).text();
    for (const i of [0, 1, 2])
      expect(html).toMatch(new RegExp(`/posts/pages-echo-${i}">Pages echo</a></h2><p class="meta">[^]*?</p></li>`));
    for (const echo of ['<p>Pages echo</p>', 'pages ECHO…', 'Pages echo.']) expect(html).not.toContain(echo);
    expect(html).toContain('<div class="summary"><p>Pages echo, and then some.</p></div>');
  });

  it('the demo shows each title once: its summary does not start by repeating it', async () => {
    const html = await (await get('/')).text();
    for (const title of ['Tips for becoming a good boxer', 'Our Top Inspirational Baseball Stars'])
      expect(count(html, new RegExp(title))).toBe(1);
  });
});

describe('list pagination', () => {
  const POSTS = 120;
  beforeAll(async () => {
    const base = Date.now() - 10 * 86_400_000;
    for (let i = 0; i < POSTS; i++) {
      await insertPost({
        id: `urn:uuid:paged-${i}`,
        slug: `paged-${i}`,
        title: `Paged ${i}`,
        publishedAt: base + i * 60_000,
        tags: [['paged', 'Paged']],
      });
    }
  });

  const linksOf = (html: string) => Array.from(html.matchAll(/<h2><a href="[^"]*\/posts\/(paged-\d+)">/g), (m) => m[1]!);

  it('reaches every post of a list, newest first, page by page, with rel=prev/next in the head and named links', async (ctx) => {
    const seen: string[] = [];
    let url: string | null = `${SITE}/tags/paged/`;
    for (let page = 1; url; page++) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      const html = await response.text();
      seen.push(...linksOf(html));
      const head = /<head>([\s\S]*?)<\/head>/.exec(html)![1]!;
      const prev = /<link rel="prev" href="([^"]+)"\/>/.exec(head)?.[1] ?? null;
      const next = /<link rel="next" href="([^"]+)"\/>/.exec(head)?.[1] ?? null;
      expect(prev, url).toBe(page === 1 ? null : page === 2 ? `${SITE}/tags/paged/` : `${SITE}/tags/paged/?page=${page - 1}`);
      expect(next, url).toBe(page === 3 ? null : `${SITE}/tags/paged/?page=${page + 1}`);
      const nav = /<nav class="pages" aria-label="Pages">([\s\S]*?)<\/nav>/.exec(html)![1]!;
      expect(nav).toContain(`Page ${page} of 3`);
      if (prev) expect(nav).toContain(`<a href="${prev}" rel="prev">Previous page (newer)</a>`);
      if (next) expect(nav).toContain(`<a href="${next}" rel="next">Next page (older)</a>`);
      expect(html).toContain(`<link rel="canonical" href="${url}"/>`);
      expect(JSON.parse((await check(ctx, 'html5', html)).output), url).toEqual([]);
      url = next;
      expect(page).toBeLessThan(4);
    }
    expect(seen).toEqual(Array.from({ length: POSTS }, (_, i) => `paged-${POSTS - 1 - i}`));
  });

  it('the home page pages through every post too, each page with its own ETag', async () => {
    const first = await get('/');
    const second = await get('/?page=2');
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    const older = linksOf(await second.text());
    expect(older.length).toBeGreaterThan(0);
    expect(linksOf(await first.text())).not.toContain(older[0]);
  });

  it('a page past the last is a 404; a bad page number a 400 problem naming the field', async () => {
    for (const path of ['/tags/paged/?page=4', '/?page=99', '/planet/?page=99']) expect((await get(path)).status, path).toBe(404);
    for (const path of ['/tags/paged/?page=0', '/?page=two', '/planet/?page=-1', `/sources/${sourceId}/?page=1.5`]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      const problem = (await response.json()) as { errors: { field: string; message: string }[] };
      expect(
        problem.errors.map((e) => e.field),
        path,
      ).toEqual(['page']);
    }
  });
});

describe('narrow screens', () => {
  it('the planet source table scrolls inside its own container, styled by a sheet the CSP allows', async () => {
    const response = await get('/planet/');
    const html = await response.text();
    expect(html).toMatch(/<div class="scroll"><table class="sources">[\s\S]*?<\/table><\/div>/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).toContain('.scroll{overflow-x:auto');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)));
    expect(response.headers.get('content-security-policy')).toContain(`'sha256-${btoa(String.fromCharCode(...digest))}'`);
  });
});
