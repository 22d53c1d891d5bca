// Rules from examples (POST /api/sources/preview with `examples`), inside workerd against list
// pages this file PUTs on the stub server on 127.0.0.1 (tests/setup/upstream.ts): a card grid, a
// table of posts and a list with dates. The derived rules are stored as they are and the source
// is refreshed through the real refresh path.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from '../../src/app';
import { get } from '../support/worker';

const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;
const api = (path: string, body?: unknown, method = 'POST') =>
  app.request(path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, env);

type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
type Preview = {
  rules: Record<string, string>;
  method: string;
  items: { url: string; title: string; published: string | null; summary?: string; image?: string }[];
  first_article: { url: string; text?: string; content_html?: string; error?: string } | null;
};

async function putDoc(name: string, html: string) {
  const res = await fetch(upstream(`/docs/${name}`), {
    method: 'PUT',
    body: html,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
  expect(res.ok).toBe(true);
  return upstream(`/docs/${name}`);
}

/** An article page for post `slug`, served at /docs/<prefix>-<slug>.html. */
async function putPost(prefix: string, slug: string, title: string) {
  return putDoc(
    `${prefix}-${slug}.html`,
    `<html><head><title>${title}</title></head><body><header><a href="/">Home</a></header><main><article><h1>${title}</h1>
<p>The body of ${title}, written out at some length so that it reads as an article and nothing less.</p>
<p>A second paragraph of ${title} with more words in it, because one paragraph is a thin article.</p>
<div class="editor-note"><p>Editor's note: this paragraph is one a remove rule takes out of the article.</p></div>
<p>The closing paragraph of ${title}, the last words of the post itself.</p></article></main></body></html>`,
  );
}

const POSTS = [
  ['alpha', 'Alpha: a first post about gardens', 'March 3, 2024'],
  ['bravo', 'Bravo and the second post', 'February 14, 2024'],
  ['charlie', 'Charlie writes a third one', 'January 2, 2024'],
  ['delta', 'Delta, the fourth and last', 'December 24, 2023'],
] as const;

const NAV = `<header class="site-header"><nav><ul class="menu"><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/archive">Archive</a></li></ul></nav></header>`;
const ASIDE = `<aside class="sidebar"><h3>Popular</h3><ul><li><a href="/docs/popular-1.html">A popular post elsewhere</a></li><li><a href="/docs/popular-2.html">Another popular one</a></li></ul></aside>`;

function cardGrid(prefix: string): string {
  const cards = POSTS.map(
    ([slug, title, date], i) => `<article class="card card-${i + 1}${i === 0 ? ' is-featured' : ''}">
  <a class="card-thumb" href="/docs/${prefix}-${slug}.html"><img src="/img/${slug}.jpg" alt=""></a>
  <div class="card-body"><h2 class="card-title"><a href="/docs/${prefix}-${slug}.html">${title}</a></h2>
  <p class="card-meta">Posted on <span class="card-date">${date}</span> by Ann</p>
  <p class="card-text">A short teaser for ${slug}, long enough to be a summary of the post.</p></div></article>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><title>Cards</title></head><body>${NAV}<main><div class="grid">${cards}</div></main>${ASIDE}</body></html>`;
}

function table(prefix: string): string {
  const rows = POSTS.map(
    ([slug, title, date]) =>
      `<tr><td class="when">${date}</td><td><a href="/docs/${prefix}-${slug}.html">${title}</a></td><td>Ann</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><body>${NAV}<div id="content"><table class="posts"><thead><tr><th>Date</th><th>Title</th><th>By</th></tr></thead><tbody>${rows}</tbody></table></div>${ASIDE}</body></html>`;
}

function datedList(prefix: string): string {
  const items = POSTS.map(
    ([slug, title, date]) =>
      `<li><time datetime="${new Date(`${date} UTC`).toISOString().slice(0, 10)}">${date}</time> — <a href="/docs/${prefix}-${slug}.html">${title}</a></li>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><body>${NAV}<section class="archive"><h1>Archive</h1><ul>${items}</ul></section>${ASIDE}</body></html>`;
}

async function serve(prefix: string, page: (prefix: string) => string): Promise<string> {
  for (const [slug, title] of POSTS) await putPost(prefix, slug, title);
  return putDoc(`${prefix}.html`, page(prefix));
}

async function preview(body: unknown): Promise<Preview> {
  const res = await api('/api/sources/preview', body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Preview;
}

const iso = (date: string) => new Date(`${date} UTC`).toISOString();
const expectedItems = (prefix: string) =>
  POSTS.map(([slug, title, date]) => ({ url: upstream(`/docs/${prefix}-${slug}.html`), title, published: iso(date) }));

describe('rules from examples', () => {
  it('a card grid: one title gives item, title, link, date, summary and image for every card', async () => {
    const url = await serve('cards', cardGrid);
    const answer = await preview({ url, examples: ['Bravo and the second post'] });
    expect(answer.method).toBe('rules');
    expect(answer.rules).toEqual({
      item: 'article.card',
      title: 'h2.card-title > a',
      link: 'h2.card-title > a',
      date: 'span.card-date',
      summary: 'p.card-text',
      image: 'img',
    });
    expect(answer.items.map(({ url, title, published }) => ({ url, title, published }))).toEqual(expectedItems('cards'));
    expect(answer.items[0]!.summary).toBe('A short teaser for alpha, long enough to be a summary of the post.');
    expect(answer.items[0]!.image).toBe(upstream('/img/alpha.jpg'));
    expect(answer.first_article?.url).toBe(upstream('/docs/cards-alpha.html'));

    // A post's URL points at the same posts.
    const byUrl = await preview({ url, examples: [upstream('/docs/cards-charlie.html')] });
    expect(byUrl.rules).toEqual(answer.rules);
    const byPath = await preview({ url, examples: ['/docs/cards-delta.html'] });
    expect(byPath.rules).toEqual(answer.rules);
  });

  it('a table: the row is the item, the date cell its date, the menu and sidebar are left out', async () => {
    const url = await serve('table', table);
    const answer = await preview({ url, examples: ['Charlie writes a third one'] });
    expect(answer.rules.item).toMatch(/tr$/);
    expect(answer.rules.date).toBe('td.when');
    expect(answer.items.map(({ url, title, published }) => ({ url, title, published }))).toEqual(expectedItems('table'));
  });

  it('a list with dates: several examples, the item covers them all', async () => {
    const url = await serve('dated', datedList);
    const answer = await preview({ url, examples: ['Alpha: a first post about gardens', 'Delta, the fourth and last'] });
    expect(answer.rules).toMatchObject({ item: 'section.archive li', date: 'time' });
    expect(answer.items.map(({ url, title, published }) => ({ url, title, published }))).toEqual(expectedItems('dated'));
  });

  it('a title or URL also shown in a sidebar before the list is read from the list', async () => {
    const sidebarFirst = (prefix: string) =>
      cardGrid(prefix).replace(
        '<main>',
        `<aside class="widget"><ul class="recent"><li><a href="/docs/${prefix}-bravo.html">Bravo and the second post</a></li><li><a href="/docs/${prefix}-alpha.html">Alpha: a first post about gardens</a></li></ul></aside><main>`,
      );
    const url = await serve('sidebar', sidebarFirst);
    for (const example of ['Bravo and the second post', upstream('/docs/sidebar-bravo.html')]) {
      const answer = await preview({ url, examples: [example] });
      expect(answer.rules.item, example).toBe('article.card');
      expect(answer.items.map((i) => i.title)).toEqual(POSTS.map(([, title]) => title));
    }
  });

  it('a list of bare links beside a menu and a sidebar of the same shape: the item is scoped to its list', async () => {
    const url = upstream('/pages/wordpress-sidebar/');
    const heuristic = await preview({ url });
    const answer = await preview({ url, examples: ['7 expert tips for making your hens night a memorable one'] });
    expect(answer.rules.item).toMatch(/^ul\.[\w.-]+ > li$/);
    expect(answer.items.map(({ url, title, published }) => ({ url, title, published }))).toEqual(
      heuristic.items.map(({ url, title, published }) => ({ url, title, published })),
    );
  });

  it('an example not on the page is a 422 naming it; examples with rules are a 400', async () => {
    const url = await serve('missing', cardGrid);
    const res = await api('/api/sources/preview', { url, examples: ['Bravo and the second post', 'A post that is not there'] });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.errors).toEqual([{ field: 'examples.1', message: `was not found on the page ${url}` }]);
    expect(problem.detail).toContain('examples.1: was not found');

    const both = await api('/api/sources/preview', { url, examples: ['Bravo'], rules: { item: 'article' } });
    expect(both.status).toBe(400);
    expect(((await both.json()) as Problem).errors!.map((e) => e.field)).toEqual(['examples']);
    const empty = await api('/api/sources/preview', { url, examples: [] });
    expect(((await empty.json()) as Problem).errors!.map((e) => e.field)).toEqual(['examples']);
  });

  it('the derived rules are stored as they are and the refresh reads every post with them', async () => {
    const url = await serve('stored', cardGrid);
    const { rules } = await preview({ url, examples: ['Alpha: a first post about gardens'] });
    const created = await api('/api/sources', { url, kind: 'page', rules });
    expect(created.status, await created.clone().text()).toBe(201);
    const source = (await created.json()) as { id: number; rules: unknown };
    expect(source.rules).toEqual(rules);
    const refreshed = await api(`/api/sources/${source.id}/refresh`);
    expect(refreshed.status).toBe(200);
    const report = (await refreshed.json()) as { refresh: { outcome: string; items: { seen: number } } };
    expect(report.refresh.outcome).toBe('ok');
    expect(report.refresh.items.seen).toBe(4);
    const feed = (await (await get(`/sources/${source.id}/feed.json?limit=100`)).json()) as {
      items: { url: string; title: string; date_published: string; content_html: string }[];
    };
    expect(feed.items.map((i) => i.url).sort()).toEqual(
      expectedItems('stored')
        .map((i) => i.url)
        .sort(),
    );
    const alpha = feed.items.find((i) => i.url.endsWith('stored-alpha.html'))!;
    expect(alpha.date_published).toBe(iso('March 3, 2024'));
    expect(alpha.content_html).toContain('The body of Alpha');
  });
});

describe('the remove rule', () => {
  it('takes its elements out of each article body, in the preview and through the refresh', async () => {
    const url = await serve('remove', cardGrid);
    const rules = { item: 'article.card', title: 'h2 a', date: '.card-date', remove: ['.editor-note', 'p.nothing-matches'] };
    const without = await preview({ url, rules: { item: 'article.card', title: 'h2 a' } });
    expect(without.first_article?.content_html).toContain("Editor's note");
    const answer = await preview({ url, rules });
    expect(answer.first_article?.url).toBe(upstream('/docs/remove-alpha.html'));
    expect(answer.first_article?.content_html).not.toContain("Editor's note");
    expect(answer.first_article?.content_html).toContain('The closing paragraph of Alpha');

    const created = await api('/api/sources', { url, kind: 'page', rules });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await api(`/api/sources/${id}/refresh`)).status).toBe(200);
    const feed = (await (await get(`/sources/${id}/feed.json?limit=100`)).json()) as { items: { content_html: string }[] };
    expect(feed.items).toHaveLength(4);
    for (const item of feed.items) {
      expect(item.content_html).not.toContain("Editor's note");
      expect(item.content_html).toContain('The closing paragraph');
    }
  });

  it('a bad selector is a 400 naming rules.remove.<i>', async () => {
    const url = await serve('remove-bad', cardGrid);
    for (const [remove, field] of [
      [['.ok', 'p[['], 'rules.remove.1'],
      [[], 'rules.remove'],
      ['.not-a-list', 'rules.remove'],
    ] as const) {
      for (const path of ['/api/sources/preview', '/api/sources']) {
        const res = await api(path, { url, kind: 'page', rules: { item: 'article', remove } });
        expect(res.status, `${path} ${JSON.stringify(remove)}`).toBe(400);
        expect(((await res.json()) as Problem).errors!.map((e) => e.field)).toEqual([field]);
      }
    }
  });
});
