import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { AUTH, check, get, SITE } from '../support/worker';

type Outline = { $: Record<string, string>; outline?: Outline[] };

async function outlines(xml: string): Promise<Outline[]> {
  const doc = (await parseStringPromise(xml)) as { opml: { $: { version: string }; body: [{ outline: Outline[] }] } };
  expect(doc.opml.$.version).toBe('2.0');
  return doc.opml.body[0].outline;
}

describe('/opml.xml', () => {
  it('lists the main feed and every tag and author feed with a visible post', async (ctx) => {
    const res = await get('/opml.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const xml = await res.text();
    expect((await check(ctx, 'xmllint', xml)).ok).toBe(true);

    const [site, tags, authors] = await outlines(xml);
    expect(site!.$).toMatchObject({ type: 'rss', xmlUrl: `${SITE}/feed.xml`, htmlUrl: `${SITE}/` });
    const slugs = async (table: string) =>
      (
        await env.DB.prepare(`SELECT DISTINCT slug FROM ${table} WHERE source_id IS NULL AND visible_at <= ?1 ORDER BY slug`)
          .bind(Date.now())
          .all<{ slug: string }>()
      ).results.map((r) => r.slug);
    expect(tags!.$.text).toBe('Tags');
    expect(tags!.outline!.map((o) => o.$.xmlUrl)).toEqual(
      (await slugs('entry_tags')).map((s) => `${SITE}/tags/${encodeURIComponent(s)}/feed.xml`),
    );
    expect(authors!.outline!.map((o) => o.$.xmlUrl)).toEqual(
      (await slugs('entry_authors')).map((s) => `${SITE}/authors/${encodeURIComponent(s)}/feed.xml`),
    );
    // Every listed feed exists.
    for (const outline of [site!, ...tags!.outline!, ...authors!.outline!]) {
      expect((await get(outline.$.xmlUrl!)).status).toBe(200);
    }
  });

  it('never lists a moved or retired feed, and has a new ETag whenever the moves change', async () => {
    const moves = async (method: string, path: string, body?: unknown) =>
      get(`/api/moves${path}`, {
        method,
        headers: AUTH,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const read = async (headers: Record<string, string> = {}) => {
      const res = await get('/opml.xml', { headers });
      const xml = res.status === 200 ? await res.text() : '';
      const urls = (await (xml ? outlines(xml) : [])).flatMap((o) => [o.$.xmlUrl, ...(o.outline ?? []).map((c) => c.$.xmlUrl)]);
      return { status: res.status, etag: res.headers.get('etag')!, urls: urls.filter(Boolean) };
    };
    const before = await read();
    const [tag, author] = [before.urls.find((u) => u!.includes('/tags/'))!, before.urls.find((u) => u!.includes('/authors/'))!];
    expect(before.urls).toContain(`${SITE}/feed.xml`);

    const ids: number[] = [];
    for (const body of [
      { from: new URL(tag).pathname, to: 'https://elsewhere.example/feed.xml' },
      { from: new URL(author).pathname, gone: true },
      { from: '/feed.xml', gone: true, to: '/planet/' },
    ]) {
      const res = await moves('POST', '', body);
      expect(res.status, await res.clone().text()).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
      const now = await read({ 'if-none-match': before.etag });
      expect(now.status).toBe(200);
    }
    const after = await read();
    expect(after.urls).not.toContain(tag);
    expect(after.urls).not.toContain(author);
    // The main feed and its summaries (the same path) are gone together.
    expect(after.urls.filter((u) => u!.startsWith(`${SITE}/feed.xml`))).toEqual([]);
    expect(after.urls.length).toBeGreaterThan(0);

    for (const id of ids) expect((await moves('DELETE', `/${id}`)).status).toBe(204);
    const undone = await read({ 'if-none-match': after.etag });
    expect(undone.status).toBe(200);
    expect((await read()).urls).toEqual(before.urls);
  });

  it('revalidates with 304 and changes after a write', async () => {
    const first = await get('/opml.xml');
    const etag = first.headers.get('etag')!;
    expect((await get('/opml.xml', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const created = await get('/api/posts', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ title: 'New tag', tags: ['Brand & "Shiny"'], authors: [{ name: 'Zed "Quotes"' }] }),
    });
    expect(created.status).toBe(201);
    const second = await get('/opml.xml', { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(200);
    const texts = (await outlines(await second.text())).flatMap((o) => (o.outline ?? []).map((c) => c.$.text));
    expect(texts).toContain('Syndicate Demo: Brand & "Shiny"');
    expect(texts).toContain('Syndicate Demo: Zed "Quotes"');
  });
});
