// Tags, authors and posts in every script get slugs, feeds and pages of their own; Latin text keeps
// the slugs it always had; a name that can make no slug is refused, never dropped.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { isSlug, slugify, slugKey } from '../../src/domain/slug';
import { AUTH, get, SITE } from '../support/worker';

const send = (method: string, path: string, body: unknown) =>
  get(`/api/posts${path}`, { method, headers: AUTH, body: JSON.stringify(body) });
type Post = { id: string; slug: string; tags: string[]; authors: { name: string }[] };
async function create(body: Record<string, unknown>): Promise<Post> {
  const res = await send('POST', '', { authors: [{ name: 'Ada' }], ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Post;
}
const storedTags = async (id: string) =>
  (
    await env.DB.prepare('SELECT slug, name FROM entry_tags WHERE entry_id = ?1 ORDER BY position')
      .bind(id)
      .all<{ slug: string; name: string }>()
  ).results;
const storedAuthors = async (id: string) =>
  (
    await env.DB.prepare('SELECT slug, name FROM entry_authors WHERE entry_id = ?1 ORDER BY position')
      .bind(id)
      .all<{ slug: string; name: string }>()
  ).results;
const itemIds = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
};
const enc = (slug: string) => encodeURIComponent(slug);

/** The slug function as it was before Unicode slugs: Latin text must keep getting exactly this. */
function previousSlugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`"“”]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

describe('slugify', () => {
  it.each([
    ['日本語', '日本語'],
    ['Ελληνικά', 'ελληνικά'],
    ['עברית', 'עברית'],
    ['Русский язык', 'русский-язык'],
    ['한국어', '한국어'],
    ['हिन्दी', 'हिन्दी'],
    ['ラーメン', 'ラーメン'],
    ['Tokyo 東京', 'tokyo-東京'],
    ['ＡＢＣ１２', 'abc12'],
    ['Crème brûlée', 'creme-brulee'],
    ['Straße', 'strasse'],
    ['Łódź', 'lodz'],
    ['Øl', 'ol'],
    ['Æ', 'ae'],
    ['ı', 'i'],
    ['ß', 'ss'],
    ['Þór', 'thor'],
    ['Œuvre', 'oeuvre'],
    ['İstanbul', 'istanbul'],
    ['Kraków 2025', 'krakow-2025'],
    ["Don't stop", 'dont-stop'],
    ['🎉', ''],
    ['!!! ---', ''],
  ])('%s -> %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
    if (slug) expect(isSlug(slug)).toBe(true);
  });

  it('gives Latin text without letters beyond a-z byte for byte the slug it had before, for every character of the BMP', () => {
    const letterOrDigit = /[\p{L}\p{N}]/u;
    const latinOrCommon = /[\p{Script_Extensions=Latin}\p{Script_Extensions=Common}]/u;
    const latinText = (s: string) => [...s.normalize('NFKD')].every((ch) => !letterOrDigit.test(ch) || latinOrCommon.test(ch));
    // Letters beyond a-z (after accents are removed) are the ones that used to vanish.
    const beyondAz = (s: string) =>
      /(?=\p{L})[^a-z]/u.test(
        s
          .normalize('NFKD')
          .toLowerCase()
          .replace(/[\u0300-\u036f]/g, ''),
      );
    let compared = 0;
    const differences: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      for (const text of [`Ab${c}cd ${c}x`, `e${c}\u0301 ${c}`]) {
        if (!latinText(text) || beyondAz(text)) continue;
        compared++;
        if (slugify(text) !== previousSlugify(text)) differences.push(cp.toString(16));
      }
    }
    expect(compared).toBeGreaterThan(25_000);
    expect(differences).toEqual([]);
    expect(slugify('x'.repeat(100))).toBe(previousSlugify('x'.repeat(100)));
  });

  it('transliterates every Latin letter beyond a-z the library knows, and never leaves one in a slug', () => {
    const latinLetter = /^(?=\p{L})\p{Script_Extensions=Latin}$/u;
    const left: string[] = [];
    let letters = 0;
    for (let cp = 0; cp <= 0xffff; cp++) {
      const c = String.fromCodePoint(cp);
      if (!latinLetter.test(c)) continue;
      letters++;
      const slug = slugify(`a${c}b`);
      if (!/^[a-z0-9-]+$/.test(slug)) left.push(cp.toString(16));
    }
    expect(letters).toBeGreaterThan(1000);
    expect(left).toEqual([]);
  });

  it.each([
    ['Łódź', 'Odz'],
    ['Łódź', 'Lodz'],
    ['Øl', 'L'],
    ['Straße', 'Stra e'],
    ['Straße', 'Strasse'],
    ['ı', 'I'],
  ])('%s and %s are different names (keys)', (a, b) => {
    expect(slugKey(a)).not.toBe(slugKey(b));
  });

  it.each([
    ['News', 'news'],
    ['Crème brûlée', 'Creme Brulee'],
    ['İstanbul', 'istanbul'],
    ["Don't stop", 'dont stop'],
    ['ŁÓDŹ', 'łódź'],
  ])('%s and %s are one name (key)', (a, b) => {
    expect(slugKey(a)).toBe(slugKey(b));
  });

  it('the slug of a key is the slug of the name', () => {
    for (const name of ['Łódź', 'Straße 12', 'Tokyo 東京', 'Ελληνικά', "Don't stop", 'Æ', 'x'.repeat(90)]) {
      expect(slugify(slugKey(name))).toBe(slugify(name));
    }
  });

  it('cuts long slugs at 80 characters, never inside a character', () => {
    expect([...slugify('語'.repeat(100))]).toHaveLength(80);
    expect(slugify('が'.repeat(100))).toBe('が'.repeat(80));
  });
});

describe('tags and authors in every script', () => {
  it('日本語 and Ελληνικά get their own slug, feed and page; so do non-Latin authors', async () => {
    const ja = await create({ title: 'Japanese post', tags: ['日本語'], authors: [{ name: '山田太郎' }] });
    const el = await create({ title: 'Greek post', tags: ['Ελληνικά'], authors: [{ name: 'Γιώργος Παπαδόπουλος' }] });
    expect(await storedTags(ja.id)).toEqual([{ slug: '日本語', name: '日本語' }]);
    expect(await storedTags(el.id)).toEqual([{ slug: 'ελληνικά', name: 'Ελληνικά' }]);
    expect(await storedAuthors(ja.id)).toEqual([{ slug: '山田太郎', name: '山田太郎' }]);
    expect(await storedAuthors(el.id)).toEqual([{ slug: 'γιώργος-παπαδόπουλος', name: 'Γιώργος Παπαδόπουλος' }]);

    expect(await itemIds(`/tags/${enc('日本語')}/feed.json`)).toEqual([ja.id]);
    expect(await itemIds(`/tags/${enc('ελληνικά')}/feed.json`)).toEqual([el.id]);
    expect(await itemIds(`/authors/${enc('山田太郎')}/feed.json`)).toEqual([ja.id]);
    expect(await itemIds(`/authors/${enc('γιώργος-παπαδόπουλος')}/feed.json`)).toEqual([el.id]);
    // Nothing shares a fallback slug any more.
    expect((await get('/tags/tag/feed.json')).status).toBe(404);
    expect((await get('/authors/author/feed.json')).status).toBe(404);

    const page = await get(`/tags/${enc('日本語')}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Japanese post');
    expect(html).not.toContain('Greek post');
    expect(html).toContain(`href="${SITE}/tags/${enc('日本語')}/atom.xml"`);
  });

  it('self links are percent-encoded URIs in RSS, Atom, JSON Feed and the Link header', async () => {
    await create({ title: 'Self link post', tags: ['自己'] });
    const base = `${SITE}/tags/${enc('自己')}/`;
    const rss = await get(`/tags/${enc('自己')}/feed.xml`);
    expect(rss.headers.get('link')).toBe(`<${SITE}/hub>; rel="hub", <${base}feed.xml>; rel="self"`);
    expect(await rss.text()).toContain(`<atom:link href="${base}feed.xml" rel="self" type="application/rss+xml"/>`);
    const atom = await (await get(`/tags/${enc('自己')}/atom.xml`)).text();
    expect(atom).toContain(`<link rel="self" type="application/atom+xml" href="${base}atom.xml"/>`);
    const json = (await (await get(`/tags/${enc('自己')}/feed.json`)).json()) as { feed_url: string; home_page_url: string };
    expect(json).toMatchObject({ feed_url: `${base}feed.json`, home_page_url: base });
    for (const url of [`${base}feed.xml`, json.feed_url]) expect(url).toMatch(/^[\x21-\x7e]+$/);
  });

  it('a Hebrew tag on create and a Russian one on PATCH are kept, beside Latin ones', async () => {
    const post = await create({ title: 'Kept tags', tags: ['עברית', 'News'] });
    expect(post.tags).toEqual(['עברית', 'News']);
    expect(await storedTags(post.id)).toEqual([
      { slug: 'עברית', name: 'עברית' },
      { slug: 'news', name: 'News' },
    ]);
    const patched = await send('PATCH', `/${post.id}`, { tags: ['Русский', 'עברית', 'News'] });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Post).tags).toEqual(['Русский', 'עברית', 'News']);
    expect(await storedTags(post.id)).toEqual([
      { slug: 'русский', name: 'Русский' },
      { slug: 'עברית', name: 'עברית' },
      { slug: 'news', name: 'News' },
    ]);
  });

  it('a post titled in another script gets a slug in that script, and its page answers', async () => {
    const post = await create({ title: 'Привет, мир' });
    expect(post.slug).toBe('привет-мир');
    expect((await get(`/posts/${enc('привет-мир')}`)).status).toBe(200);
    const given = await create({ title: 'Given', slug: '日本語-記事' });
    expect(given.slug).toBe('日本語-記事');
    expect((await get(`/posts/${enc('日本語-記事')}`)).status).toBe(200);
  });
});

describe('names that cannot make a slug, and text that is empty once cleaned', () => {
  const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM entries').first<{ n: number }>())!.n;

  it.each([
    ['an emoji tag', { title: 'T', authors: [{ name: 'A' }], tags: ['ok', '🎉'] }, 'tags.1'],
    ['a punctuation tag', { title: 'T', authors: [{ name: 'A' }], tags: ['!!! ---'] }, 'tags.0'],
    ['a tag of forbidden characters', { title: 'T', authors: [{ name: 'A' }], tags: ['\u0001\u0002'] }, 'tags.0'],
    ['an emoji author', { title: 'T', authors: [{ name: '🙂' }] }, 'authors.0.name'],
    ['a title of forbidden characters', { title: '\u0001\u0008\u000b', authors: [{ name: 'A' }] }, 'title'],
    ['a title of a lone surrogate and spaces', { title: ' \ud800 ', authors: [{ name: 'A' }] }, 'title'],
    ['an upper-case slug', { title: 'T', authors: [{ name: 'A' }], slug: 'Upper' }, 'slug'],
    ['a slug with an emoji', { title: 'T', authors: [{ name: 'A' }], slug: 'a-🎉' }, 'slug'],
  ])('%s is a 400 naming the field; nothing stored', async (_name, body, field) => {
    const before = await count();
    const res = await send('POST', '', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([field]);
    expect(await count()).toBe(before);
  });

  it('PATCH refuses an emoji tag and keeps the post as it was', async () => {
    const post = await create({ title: 'Unchanged', tags: ['Keep'] });
    const res = await send('PATCH', `/${post.id}`, { tags: ['🎉'] });
    expect(res.status).toBe(400);
    expect(await storedTags(post.id)).toEqual([{ slug: 'keep', name: 'Keep' }]);
  });

  it('a source tag with no slug is a 400 naming it, not dropped', async () => {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: 'https://slugless.example/feed.xml', tags: ['News', '🎉'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['tags.1']);
    expect(await env.DB.prepare(`SELECT 1 FROM sources WHERE url = 'https://slugless.example/feed.xml'`).first()).toBeNull();
  });
});

describe('upstream items and planet tags', () => {
  it('categories and authors of upstream items in any script keep distinct slugs', async () => {
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <title>Scripts</title><link>https://scripts.example/</link><description>d</description>
      <item><title>One</title><link>https://scripts.example/1</link><guid>s-1</guid>
        <category>日本語</category><category>Ελληνικά</category><category>עברית</category><category>Русский</category><dc:creator>Иван Петров</dc:creator></item>
      <item><title>Two</title><link>https://scripts.example/2</link><guid>s-2</guid><dc:creator>יוסי כהן</dc:creator></item>
    </channel></rss>`;
    const url = `${inject('upstreamUrl')}/inline?body=${encodeURIComponent(rss)}`;
    const added = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url, tags: ['日本語'] }) });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: number };
    const refreshed = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
    expect(((await refreshed.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');

    const tags = await env.DB.prepare(
      `SELECT t.slug FROM entry_tags t JOIN entries e ON e.id = t.entry_id WHERE e.source_id = ?1 ORDER BY t.position`,
    )
      .bind(id)
      .all<{ slug: string }>();
    expect(tags.results.map((r) => r.slug)).toEqual(['日本語', 'ελληνικά', 'עברית', 'русский']);
    const authors = await env.DB.prepare(
      `SELECT a.slug FROM entry_authors a JOIN entries e ON e.id = a.entry_id WHERE e.source_id = ?1 ORDER BY e.title`,
    )
      .bind(id)
      .all<{ slug: string }>();
    expect(authors.results.map((r) => r.slug)).toEqual(['иван-петров', 'יוסי-כהן']);

    // The source's own tag makes a planet of its own, addressed by its Unicode slug.
    const planet = await get(`/planet/feed.json?tag=${enc('日本語')}`);
    expect(planet.status).toBe(200);
    expect(((await planet.json()) as { items: unknown[] }).items).toHaveLength(2);
    expect((await get(`/planet/feed.json?tag=${enc('Bad!')}`)).status).toBe(400);
  });
});
