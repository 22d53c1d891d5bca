// Crowds, through the worker's own front door (SELF: each call is a request of its own inside
// workerd): many requests that need one upstream host at once, and public reads while a long
// extraction runs. Nothing one request starts may be left for another to wait on: workerd
// cancels a request that waits only on another request's work as hung (a 500).
import { describe, expect, it } from 'vitest';
import { AUTH, get, upstream } from '../support/worker';

const extract = (url: string) => get('/api/extract', { method: 'POST', headers: AUTH, body: JSON.stringify({ url }) });

async function putDoc(name: string, html: string) {
  const res = await fetch(upstream(`/docs/${name}`), {
    method: 'PUT',
    body: html,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
  expect(res.ok).toBe(true);
  return upstream(`/docs/${name}`);
}

/** A page of one long table of `rows` rows, after a short story. */
function tablePage(rows: number): string {
  const cells = Array.from({ length: rows }, (_, i) => `<tr><td>Row ${i}</td><td>A cell of text</td></tr>`).join('');
  const story = '<p>A paragraph of the story before the table, with enough words to be read as the article text.</p>'.repeat(3);
  return `<html><head><title>Table</title></head><body><article><h1>Table</h1>${story}<table>${cells}</table></article></body></html>`;
}

describe('many requests for one upstream host', () => {
  it('20 extractions of pages of one host at once all answer 200', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => extract(upstream(`/pages/crowd/post-${i}/?slow=50`))));
    const statuses = responses.map((r) => r.status);
    expect(statuses).toEqual(Array(20).fill(200));
    const titles = await Promise.all(responses.map(async (r) => ((await r.json()) as { title: string }).title));
    expect(titles).toEqual(Array.from({ length: 20 }, (_, i) => `Page of pages crowd post-${i}`));
  });

  it('ten refreshes of page sources on one host at once all answer 200', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await get('/api/sources', {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({ url: upstream(`/pages/wordpress-sidebar/?crowd=${i}`), kind: 'page' }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const refreshes = await Promise.all(ids.map((id) => get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH })));
    expect(refreshes.map((r) => r.status)).toEqual(Array(10).fill(200));
    const reports = await Promise.all(
      refreshes.map(async (r) => ((await r.json()) as { refresh: { outcome: string; items: { seen: number } | null } }).refresh),
    );
    expect(reports.map((r) => r.outcome)).toEqual(Array(10).fill('ok'));
    for (const report of reports) expect(report.items!.seen).toBeGreaterThan(0);
  });
});

describe('a hostile page and the readers around it', () => {
  it('a 0.5 MB table page is a clear 422 at once; the largest readable one is read; public reads answer meanwhile', async () => {
    const hostile = tablePage(15_000);
    expect(hostile.length).toBeGreaterThan(500_000);
    const tooLarge = await extract(await putDoc('hostile-table.html', hostile));
    expect(tooLarge.status).toBe(422);
    expect(((await tooLarge.json()) as { detail: string }).detail).toMatch(
      /^too_large: .*hostile-table\.html: the page has more than 20000 elements/,
    );
    // 6,000 rows: 18,000 elements, the most a page may have, read while readers ask for feeds.
    const long = extract(await putDoc('long-table.html', tablePage(6_000)));
    const reads = ['/feed.xml', '/atom.xml', '/feed.json', '/planet/', '/'].flatMap((path) => [get(path), get(path)]);
    const [article, ...answers] = await Promise.all([long, ...reads]);
    expect(article.status).toBe(200);
    expect(((await article.json()) as { text: string }).text).toContain('A paragraph of the story before the table');
    expect(answers.map((r) => r.status)).toEqual(Array(reads.length).fill(200));
  });
});
