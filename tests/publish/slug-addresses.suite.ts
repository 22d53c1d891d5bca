// Every tag and author name gets an address of its own: Latin letters beyond a-z are
// transliterated (Łódź -> lodz) instead of dropped, two names that still meet on one slug are told
// apart by a stable suffix, and the names stored under the old rule move to their new address with
// a 301 from the old one, unless another name keeps it (src/db/slugs.ts).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { adoptSlugs } from '../../src/db/slugs';
import { slugKey } from '../../src/domain/slug';
import { forgetMoves } from '../../src/moves/serve-moves';
import { AUTH, get, SITE } from '../support/worker';

const send = (method: string, path: string, body: unknown) =>
  get(`/api/posts${path}`, { method, headers: AUTH, body: JSON.stringify(body) });
type Post = { id: string; tags: string[] };
async function create(body: Record<string, unknown>): Promise<Post> {
  const res = await send('POST', '', { authors: [{ name: 'Ada' }], ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Post;
}
const tagSlugs = async (id: string) =>
  (await env.DB.prepare('SELECT slug FROM entry_tags WHERE entry_id = ?1 ORDER BY position').bind(id).all<{ slug: string }>()).results.map(
    (r) => r.slug,
  );
const authorSlugs = async (id: string) =>
  (
    await env.DB.prepare('SELECT slug FROM entry_authors WHERE entry_id = ?1 ORDER BY position').bind(id).all<{ slug: string }>()
  ).results.map((r) => r.slug);
const itemIds = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
};

describe('Latin letters beyond a-z', () => {
  it('Łódź and Odz, Øl and L, Straße and Stra e each get their own tag and feed', async () => {
    const pairs = [
      ['Łódź', 'lodz', 'Odz', 'odz'],
      ['Øl', 'ol', 'L', 'l'],
      ['Straße', 'strasse', 'Stra e', 'stra-e'],
    ] as const;
    for (const [a, aSlug, b, bSlug] of pairs) {
      const first = await create({ title: `Post on ${a}`, tags: [a] });
      const second = await create({ title: `Post on ${b}`, tags: [b] });
      expect(await tagSlugs(first.id)).toEqual([aSlug]);
      expect(await tagSlugs(second.id)).toEqual([bSlug]);
      expect(await itemIds(`/tags/${aSlug}/feed.json`)).toEqual([first.id]);
      expect(await itemIds(`/tags/${bSlug}/feed.json`)).toEqual([second.id]);
    }
  });

  it('tags Æ, ı and ß are taken (they were refused) and live at /tags/ae/, /tags/i/, /tags/ss/', async () => {
    const post = await create({ title: 'Single letters', tags: ['Æ', 'ı', 'ß'] });
    expect(post.tags).toEqual(['Æ', 'ı', 'ß']);
    expect(await tagSlugs(post.id)).toEqual(['ae', 'i', 'ss']);
    for (const slug of ['ae', 'i', 'ss']) expect(await itemIds(`/tags/${slug}/feed.json`)).toEqual([post.id]);
    const page = await (await get('/tags/ae/')).text();
    expect(page).toContain('Posts tagged “Æ”');
  });

  it('authors follow the same rule: Łukasz is lukasz, Ukasz keeps ukasz', async () => {
    const a = await create({ title: 'By Łukasz', authors: [{ name: 'Łukasz' }] });
    const b = await create({ title: 'By Ukasz', authors: [{ name: 'Ukasz' }] });
    expect(await authorSlugs(a.id)).toEqual(['lukasz']);
    expect(await authorSlugs(b.id)).toEqual(['ukasz']);
    expect(await itemIds('/authors/lukasz/feed.json')).toEqual([a.id]);
  });

  it('a source tag Øl gets the planet of its own slug', async () => {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: 'https://ol.example/feed.xml', tags: ['Øl', 'ß'], kind: 'feed' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { tags } = (await res.json()) as { tags: { slug: string }[] | string[] };
    const slugs = (
      await env.DB.prepare(`SELECT slug FROM source_tags WHERE source_id = (SELECT id FROM sources WHERE url = ?1) ORDER BY position`)
        .bind('https://ol.example/feed.xml')
        .all<{ slug: string }>()
    ).results.map((r) => r.slug);
    expect(tags).toHaveLength(2);
    expect(slugs).toEqual(['ol', 'ss']);
  });
});

describe('names that still meet on one slug', () => {
  it('Lodz after Łódź gets lodz with a stable suffix; the same name always gets the same slug', async () => {
    const polish = await create({ title: 'Polish spelling', tags: ['Łódź'] });
    const plain = await create({ title: 'Plain spelling', tags: ['Lodz'] });
    expect(await tagSlugs(polish.id)).toEqual(['lodz']);
    const [suffixed] = await tagSlugs(plain.id);
    expect(suffixed).toMatch(/^lodz-[0-9a-f]{6}$/);
    expect(await itemIds('/tags/lodz/feed.json')).not.toContain(plain.id);
    expect(await itemIds(`/tags/${suffixed}/feed.json`)).toEqual([plain.id]);

    // One name in another case, or saved again, keeps its address.
    const again = await create({ title: 'Upper case', tags: ['LODZ'] });
    expect(await tagSlugs(again.id)).toEqual([suffixed]);
    const patched = await send('PATCH', `/${plain.id}`, { tags: ['Lodz', 'ŁÓDŹ'] });
    expect(patched.status).toBe(200);
    expect(await tagSlugs(plain.id)).toEqual([suffixed, 'lodz']);
  });

  it('two names of one post that meet on one slug are both kept, each under its own', async () => {
    const post = await create({ title: 'Both', tags: ['Maße', 'Masse'] });
    expect(post.tags).toEqual(['Maße', 'Masse']);
    const [a, b] = await tagSlugs(post.id);
    expect(a).toBe('masse');
    expect(b).toMatch(/^masse-[0-9a-f]{6}$/);
  });
});

describe('names stored under the old rule', () => {
  /** Puts a post's tags back under the slugs the old rule gave them, as if written before. */
  async function asBefore(rows: { id: string; slug: string; name: string }[], authors: { id: string; slug: string; name: string }[] = []) {
    await env.DB.batch([
      ...rows.map((r) => env.DB.prepare('UPDATE entry_tags SET slug = ?2 WHERE entry_id = ?1 AND name = ?3').bind(r.id, r.slug, r.name)),
      ...authors.map((r) =>
        env.DB.prepare('UPDATE entry_authors SET slug = ?2 WHERE entry_id = ?1 AND name = ?3').bind(r.id, r.slug, r.name),
      ),
      ...[...rows, ...authors].map((r) => env.DB.prepare('DELETE FROM slugs WHERE key = ?1').bind(slugKey(r.name))),
      env.DB.prepare(`DELETE FROM cron_marks WHERE name = 'slugs-adopted'`),
    ]);
  }

  it('move to their new slug; the old address answers 301 unless another name keeps it', async () => {
    const kuchnia = await create({ title: 'Kuchnia', tags: ['Żurek'], authors: [{ name: 'Jędrzej Świętosław' }] });
    const beer = await create({ title: 'Beer', tags: ['Ørsted'] });
    const letter = await create({ title: 'Letter', tags: ['Rsted'] });
    await asBefore(
      [
        { id: kuchnia.id, slug: 'urek', name: 'Żurek' },
        { id: beer.id, slug: 'rsted', name: 'Ørsted' },
      ],
      [{ id: kuchnia.id, slug: 'j-drzej-wi-tos-aw', name: 'Jędrzej Świętosław' }],
    );
    // Before: Ørsted and Rsted share /tags/rsted/.
    expect((await itemIds('/tags/rsted/feed.json')).sort()).toEqual([beer.id, letter.id].sort());

    const moves = await adoptSlugs(env.DB, SITE, Date.now());
    forgetMoves(env.DB);
    expect(moves.map((m) => [m.kind, m.from, m.to])).toEqual([
      ['tag', 'urek', 'zurek'],
      ['author', 'j-drzej-wi-tos-aw', 'jedrzej-swietoslaw'],
    ]);
    expect(await tagSlugs(kuchnia.id)).toEqual(['zurek']);
    expect(await tagSlugs(beer.id)).toEqual(['orsted']);
    expect(await authorSlugs(kuchnia.id)).toEqual(['jedrzej-swietoslaw']);

    // The old address of a name that moved alone: 301, page and every feed.
    for (const [from, to] of [
      ['/tags/urek/', '/tags/zurek/'],
      ['/tags/urek/feed.xml', '/tags/zurek/feed.xml'],
      ['/tags/urek/atom.xml', '/tags/zurek/atom.xml'],
      ['/tags/urek/feed.json', '/tags/zurek/feed.json'],
      ['/authors/j-drzej-wi-tos-aw/feed.json', '/authors/jedrzej-swietoslaw/feed.json'],
    ]) {
      const res = await get(from!, { redirect: 'manual' });
      expect(res.status, from).toBe(301);
      expect(res.headers.get('location')).toBe(`${SITE}${to}`);
    }
    expect(await itemIds('/tags/zurek/feed.json')).toEqual([kuchnia.id]);
    // The moved-to feed is no podcast: no itunes:new-feed-url (podcast feeds only, tests/publish/podcast.suite.ts).
    expect(await (await get('/tags/zurek/feed.xml')).text()).not.toContain('itunes');

    // /tags/rsted/ is Rsted's: no move, it serves Rsted alone; Ørsted lives at /tags/orsted/.
    expect((await get('/tags/rsted/', { redirect: 'manual' })).status).toBe(200);
    expect(await itemIds('/tags/rsted/feed.json')).toEqual([letter.id]);
    expect(await itemIds('/tags/orsted/feed.json')).toEqual([beer.id]);

    // Once is enough: a second run finds the mark and does nothing.
    expect(await adoptSlugs(env.DB, SITE, Date.now())).toEqual([]);

    // A new name never gets a former address: Urek is not /tags/urek/.
    const urek = await create({ title: 'Urek', tags: ['Urek'] });
    const [slug] = await tagSlugs(urek.id);
    expect(slug).toMatch(/^urek-[0-9a-f]{6}$/);
    expect((await get('/tags/urek/feed.json', { redirect: 'manual' })).status).toBe(301);
  });
});
