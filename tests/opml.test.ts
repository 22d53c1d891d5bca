import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { check, get, SITE } from './helpers';

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

  it('revalidates with 304 and changes after a write', async () => {
    const first = await get('/opml.xml');
    const etag = first.headers.get('etag')!;
    expect((await get('/opml.xml', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const created = await get('/api/posts', {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
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
