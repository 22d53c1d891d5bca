// Link hygiene through the real refresh path (docs/filters.md): tracking parameters leave item
// links and the links in content, the same link with other tracking parameters is one item, and
// an item stored under a key with tracking parameters keeps its id.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { upstreamEntryId } from '../../src/ingest/entries';
import { addSource, AUTH, get, upstream } from '../support/worker';

const now = Date.now();
function rss(items: { link: string; title: string; content?: string }[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link><description>d</description>${items
    .map(
      (item, i) =>
        `<item><title>${item.title}</title><link>${item.link.replace(/&/g, '&amp;')}</link><pubDate>${new Date(now - (i + 1) * 60_000).toUTCString()}</pubDate><description>${(item.content ?? 'text').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</description></item>`,
    )
    .join('')}</channel></rss>`;
}
async function feedSource(name: string, body: string): Promise<number> {
  const url = upstream(`/docs/${name}`);
  expect((await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/rss+xml' }, body })).status).toBe(204);
  return (await addSource(url, { kind: 'feed' })).id;
}
async function refresh(id: number) {
  const res = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
  expect(res.status).toBe(200);
  return ((await res.json()) as { refresh: { items: { seen: number } } }).refresh;
}
const rows = async (id: number) =>
  (
    await env.DB.prepare('SELECT id, item_key, url, content_html FROM entries WHERE source_id = ?1 ORDER BY published_at DESC')
      .bind(id)
      .all<{ id: string; item_key: string; url: string; content_html: string }>()
  ).results;

describe('tracking parameters', () => {
  it('leave item links and links in content; links that differ only by them are one item', async () => {
    const id = await feedSource(
      'tracking.xml',
      rss([
        {
          title: 'Story',
          link: 'https://t.example/story?utm_source=rss&id=3#top',
          content:
            '<p><a href="https://t.example/x?fbclid=1&b=2">x</a> <a href="https://t.example/y?_hsenc=zz&utm_campaign=c">y</a> <a href="https://t.example/z?id=1&utm_term=t&w=2">z</a></p>',
        },
        { title: 'Story again', link: 'https://t.example/story?utm_medium=email&id=3#top' },
      ]),
    );
    await refresh(id);
    const stored = await rows(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.url).toBe('https://t.example/story?id=3#top');
    expect(stored[0]!.item_key).toBe('https://t.example/story?id=3#top');
    expect(stored[0]!.id).toBe(upstreamEntryId(id, 'https://t.example/story?id=3#top'));
    // The default names and TRACKING_PARAMS's (_hsenc) go; other parameters stay.
    expect([...stored[0]!.content_html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'https://t.example/x?b=2',
      'https://t.example/y',
      'https://t.example/z?id=1&amp;w=2',
    ]);
    const feed = (await (await get(`/sources/${id}/feed.json`)).json()) as { items: { url: string }[] };
    expect(feed.items.map((i) => i.url)).toEqual(['https://t.example/story?id=3#top']);
  });

  it('keeps the id of an item stored under a key with tracking parameters', async () => {
    const link = 'https://t.example/legacy?utm_source=rss';
    const id = await feedSource('tracking-legacy.xml', rss([{ title: 'Legacy', link }]));
    // Stored before link hygiene: its key is its link as it came.
    const legacyId = upstreamEntryId(id, link);
    await env.DB.prepare(
      `INSERT INTO entries (id, source_id, item_key, title, url, published_at, updated_at) VALUES (?1, ?2, ?3, 'Legacy', ?3, ?4, ?4)`,
    )
      .bind(legacyId, id, link, now - 60_000)
      .run();
    await refresh(id);
    const stored = await rows(id);
    expect(stored.map((r) => r.id)).toEqual([legacyId]);
    expect(stored[0]!.url).toBe('https://t.example/legacy');
  });
});
