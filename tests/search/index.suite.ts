import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { refreshStaleSearchDocs, searchEntries } from '../../src/db/search';
import { parseSearchQuery, type SearchQuery } from '../../src/domain/search-query';
import { get, insertPost } from '../support/worker';
import { createPost, deletePost, editPost, found, insertSource, storeItems } from './helpers';

/** Rows of the FTS index itself that match (not only what the join shows). */
const indexed = async (term: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM entry_search WHERE entry_search MATCH ?1').bind(`"${term}"`).first<{ n: number }>())!.n;

it('indexes what was stored before: the demo posts are found by their words', async () => {
  const { results } = await env.DB.prepare('SELECT count(*) AS n FROM entries').all<{ n: number }>();
  const docs = await env.DB.prepare('SELECT count(*) AS n FROM search_docs').first<{ n: number }>();
  expect(docs!.n).toBe(results[0]!.n);
  const title = await env.DB.prepare("SELECT id, title FROM entries WHERE source_id IS NULL AND status = 'published' LIMIT 1").first<{
    id: string;
    title: string;
  }>();
  expect(await found(`"${title!.title}"`)).toContain(title!.id);
});

it('follows a post through write, edit and delete: text of its HTML, its tags and authors', async () => {
  const post = await createPost({
    title: 'Marsupials at dawn',
    content_html: '<p>The <b>quok</b>ka smiles at <a href="https://zebrastripes.example/">a link</a>.</p>',
    tags: ['Wildlife'],
    authors: [{ name: 'Ada Quillfeather' }],
  });
  // Inline markup does not split a word; markup itself (an href) is not text.
  expect(await found('quokka')).toEqual([post.id]);
  expect(await found('zebrastripes')).toEqual([]);
  expect(await found('wildlife')).toContain(post.id);
  expect(await found('Quillfeather')).toEqual([post.id]);
  expect(await found('dawn marsupials')).toEqual([post.id]);

  await editPost(post.id, { content_html: '<p>A wombat now.</p>', title: 'Renamed creature', tags: ['Burrows'] });
  expect(await found('quokka')).toEqual([]);
  expect(await indexed('quokka')).toBe(0);
  expect(await found('wombat')).toEqual([post.id]);
  expect(await found('Renamed creature')).toEqual([post.id]);
  expect(await found('wildlife')).not.toContain(post.id);
  expect(await found('burrows')).toEqual([post.id]);

  // A draft is not for readers; published again it is.
  await editPost(post.id, { status: 'draft' });
  expect(await found('wombat')).toEqual([]);
  await editPost(post.id, { status: 'published' });
  expect(await found('wombat')).toEqual([post.id]);

  await deletePost(post.id);
  expect(await found('wombat')).toEqual([]);
  expect(await indexed('wombat')).toBe(0);
  expect(await env.DB.prepare('SELECT count(*) AS n FROM search_docs WHERE entry_id = ?1').bind(post.id).first('n')).toBe(0);
});

it('follows retention: items trimmed beyond the cap leave the index', async () => {
  const source = await insertSource();
  const day = Date.UTC(2024, 0, 1);
  await storeItems(
    source,
    [1, 2, 3].map((n) => ({ key: `r${n}`, title: `Retained item ${n}`, html: `<p>capybara number${n}</p>`, publishedAt: day + n })),
  );
  expect(await found('capybara')).toHaveLength(3);
  // Two newer items and a cap of 3: the two oldest go.
  await storeItems(
    source,
    [4, 5].map((n) => ({ key: `r${n}`, title: `Retained item ${n}`, html: `<p>capybara number${n}</p>`, publishedAt: day + n })),
    3,
  );
  expect(await found('capybara')).toHaveLength(3);
  // The console's source pages search one source's stored items.
  const query = parseSearchQuery('capybara') as SearchQuery;
  const inSource = await searchEntries(env.DB, query, { scope: { kind: 'source', id: source }, limit: 10, offset: 0 });
  expect(inSource.hits.map((h) => h.id)).toEqual([`${source}:r5`, `${source}:r4`, `${source}:r3`]);
  expect(inSource.hits[0]!.snippet).toContainEqual({ text: 'capybara', mark: true });
  expect(await found('number1')).toEqual([]);
  expect(await indexed('number1')).toBe(0);
  expect(await found('number5')).toHaveLength(1);
  // A removed source takes its items out of the index too.
  await env.DB.prepare('DELETE FROM entries WHERE source_id = ?1').bind(source).run();
  expect(await indexed('capybara')).toBe(0);
});

it('rows written by plain SQL are found at once and rewritten as text by the cron', async () => {
  await insertPost({
    id: 'urn:uuid:search-plain-sql',
    slug: 'plain-sql',
    title: 'Plain insert',
    content: '<p class="kiwiclass">Fresh kiwifruit</p>',
    publishedAt: Date.UTC(2024, 1, 1),
    tags: [['orchard', 'Orchard']],
  });
  expect(await found('kiwifruit')).toEqual(['urn:uuid:search-plain-sql']);
  expect(await found('orchard')).toEqual(['urn:uuid:search-plain-sql']);
  // Until the cron, its HTML is what is indexed.
  expect(await indexed('kiwiclass')).toBe(1);
  expect(await refreshStaleSearchDocs(env.DB, 10_000)).toBeGreaterThan(0);
  const doc = await env.DB.prepare("SELECT body, tags, fresh FROM search_docs WHERE entry_id = 'urn:uuid:search-plain-sql'").first();
  expect(doc).toEqual({ body: 'Fresh kiwifruit', tags: 'Orchard', fresh: 1 });
  expect(await indexed('kiwiclass')).toBe(0);
  expect(await found('kiwifruit')).toEqual(['urn:uuid:search-plain-sql']);
  expect(await refreshStaleSearchDocs(env.DB, 10_000)).toBe(0);
});

it('finds words inside Japanese and Chinese text, short ones too', async () => {
  const ja = await createPost({ title: '東京タワーの夜景', content_html: '<p>日本語の文章でも検索できます。</p>' });
  const zh = await createPost({ title: '北京烤鸭', content_html: '<p>我们今天去吃饭。</p>' });
  expect(await found('京タワ')).toEqual([ja.id]);
  expect(await found('文章でも')).toEqual([ja.id]);
  // Two characters: below the trigram index, matched over the newest documents.
  expect(await found('夜景')).toEqual([ja.id]);
  expect(await found('检索')).toEqual([]);
  expect(await found('烤鸭')).toEqual([zh.id]);
  expect(await found('今天 吃饭')).toEqual([zh.id]);
  expect(await found('タワー 吃饭')).toEqual([]);
});

it('shows readers only what they may see: not drafts, not scheduled posts, not items of paused sources', async () => {
  const draft = await createPost({ title: 'Draft platypus', content_html: '<p>x</p>', status: 'draft' });
  const later = await createPost({ title: 'Future platypus', content_html: '<p>x</p>', published_at: '2099-01-01T00:00:00Z' });
  const live = await createPost({ title: 'Live platypus', content_html: '<p>x</p>' });
  const paused = await insertSource('paused');
  const active = await insertSource('active');
  await storeItems(paused, [{ key: 'p', title: 'Paused platypus', html: '<p>x</p>', publishedAt: Date.UTC(2024, 0, 1) }]);
  await storeItems(active, [{ key: 'a', title: 'Active platypus', html: '<p>x</p>', publishedAt: Date.UTC(2024, 0, 2) }]);
  const ids = await found('platypus');
  expect(ids).toContain(live.id);
  expect(ids).toContain(`${active}:a`);
  expect(ids).not.toContain(draft.id);
  expect(ids).not.toContain(later.id);
  expect(ids).not.toContain(`${paused}:p`);
  expect(ids).toHaveLength(2);
});

it('ignores case and accents in indexed terms', async () => {
  const post = await createPost({ title: 'Crème brûlée at the Café', content_html: '<p>Dessert.</p>' });
  expect(await found('CAFE')).toEqual([post.id]);
  expect(await found('creme brulee')).toEqual([post.id]);
  // The snippet of a match found without its accents comes from the index.
  const html = await (await get('/search?q=brulee')).text();
  expect(html).toMatch(/<p class="snippet"[^>]*>[\s\S]*?<mark>[^<]+<\/mark>[\s\S]*?<\/p>/);
});
