// Page sources end to end, inside workerd against real D1: POST /api/extract, sources of kind
// "page" created, refreshed through POST /api/sources/:id/refresh and read back from their
// feeds, the preview, and the failures. Every page comes from the stub server on 127.0.0.1
// (tests/setup/upstream.ts): /pages/<list>/ serves a list fixture of tests/fixtures/pages/lists/
// whose posts it also serves (generated article pages, or an article fixture), /pages/articles/
// the article fixtures, /docs/<name> pages a test PUTs there.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from '../src/app';
import { MAX_ARTICLE_FETCHES } from '../src/ingest/limits';
import { expectedLines } from './extract/fixtures';
import { check, get } from './helpers';

const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };
const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;
const api = (path: string, body?: unknown, method = 'POST') =>
  app.request(path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, env);

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

async function refresh(id: number): Promise<RefreshJson> {
  const res = await api(`/api/sources/${id}/refresh`);
  expect(res.status).toBe(200);
  return (await res.json()) as RefreshJson;
}

async function feedJson(id: number): Promise<JsonFeed> {
  const res = await get(`/sources/${id}/feed.json?limit=100`);
  expect(res.status).toBe(200);
  return (await res.json()) as JsonFeed;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The three paragraphs of the stub's generated article at `path`. */
const generated = (path: string) => {
  const words = path.split('/').filter(Boolean).join(' ');
  return [`The first paragraph of ${words}`, `The second paragraph of ${words}`, `The third paragraph of ${words}`];
};

describe('POST /api/extract', () => {
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
