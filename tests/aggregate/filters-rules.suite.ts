// Filter rules end to end (docs/filters.md): rules checked when saved (a 400 naming the rule),
// applied at ingest for feed and page sources with the blocking rule stored, blocked items kept in
// D1 but never served, re-applied to stored items without a refetch when the rules change (the
// ETag moves), previews that store nothing, and a tag planet's own rules.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addSource, AUTH, get, upstream } from '../support/worker';

const DAY = 86_400_000;
const rfc822 = (ms: number) => new Date(ms).toUTCString();

type Item = { title: string; link: string; date: number; category?: string; content?: string };
function rss(items: Item[]): string {
  const body = items
    .map(
      (i) => `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.link}</guid><pubDate>${rfc822(i.date)}</pubDate>
${i.category ? `<category>${i.category}</category>` : ''}<description>${i.content ?? 'Plain text.'}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Filtered</title><link>https://news.example/</link><description>d</description>${body}</channel></rss>`;
}

async function putDoc(name: string, body: string, type = 'application/rss+xml'): Promise<string> {
  const url = upstream(`/docs/${name}`);
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': type }, body });
  expect(res.status).toBe(204);
  return url;
}
const docHits = async (name: string) => ((await (await fetch(upstream(`/docs-hits?name=${name}`))).json()) as { hits: number }).hits;

const api = (path: string, method: string, body?: unknown) =>
  get(path, { method, headers: AUTH, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

type Report = { refresh: { outcome: string; items: { seen: number; changed: number; blocked: number } } };
async function refresh(id: number, body?: { refetch: boolean }): Promise<Report> {
  const res = await api(`/api/sources/${id}/refresh`, 'POST', body);
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
}
async function titles(path: string): Promise<string[]> {
  const res = await get(path);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
}
const marks = async (sourceId: number) =>
  Object.fromEntries(
    (
      await env.DB.prepare('SELECT title, blocked_by FROM entries WHERE source_id = ?1')
        .bind(sourceId)
        .all<{ title: string; blocked_by: string | null }>()
    ).results.map((r) => [r.title, r.blocked_by]),
  );

const now = Date.now();
const ITEMS: Item[] = [
  { title: 'Good news for everyone', link: 'https://news.example/good', date: now - DAY },
  { title: 'SPONSORED: buy this', link: 'https://news.example/ad', date: now - 2 * DAY, category: 'Ads' },
  { title: 'Crypto weekly', link: 'https://news.example/crypto', date: now - 3 * DAY, content: 'All about bitcoin prices.' },
  { title: 'An old story', link: 'https://news.example/old', date: now - 100 * DAY },
];
const SOURCE_RULES = [
  { action: 'block', field: 'title', match: 'words', pattern: 'sponsored' },
  { action: 'block', field: 'age', max_days: 30 },
];

describe('source rules', () => {
  it('refuses a bad rule with a 400 naming it, on POST and PATCH, and stores nothing', async () => {
    const url = await putDoc('filters-bad.xml', rss(ITEMS));
    const bad = [...SOURCE_RULES, { action: 'block', field: 'title', match: 'regex', pattern: '(unclosed' }];
    const posted = await api('/api/sources', 'POST', { url, kind: 'feed', filters: bad });
    expect(posted.status).toBe(400);
    const problem = (await posted.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(['filters.2.pattern']);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM sources WHERE url = ?1').bind(url).first('n')).toBe(0);

    const source = await addSource<{ id: number }>(url, { kind: 'feed', filters: SOURCE_RULES });
    const patched = await api(`/api/sources/${source.id}`, 'PATCH', {
      filters: [{ action: 'block', field: 'colour', match: 'words', pattern: 'x' }],
    });
    expect(patched.status).toBe(400);
    expect(((await patched.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['filters.0.field']);
    const shown = (await (await api(`/api/sources/${source.id}`, 'GET')).json()) as { filters: unknown };
    expect(shown.filters).toEqual(SOURCE_RULES);
  });

  it('blocks at ingest, stores the rule, never serves a blocked item, and counts them in the report', async () => {
    const url = await putDoc('filters-feed.xml', rss(ITEMS));
    const source = await addSource<{ id: number; filters: unknown }>(url, { kind: 'feed', filters: SOURCE_RULES });
    expect(source.filters).toEqual(SOURCE_RULES);
    const report = await refresh(source.id);
    expect(report.refresh.items).toMatchObject({ seen: 4, changed: 4, blocked: 2 });
    expect(await marks(source.id)).toEqual({
      'Good news for everyone': null,
      'SPONSORED: buy this': 'filters.0',
      'Crypto weekly': null,
      'An old story': 'filters.1',
    });
    expect(await titles(`/sources/${source.id}/feed.json`)).toEqual(['Good news for everyone', 'Crypto weekly']);
    const planet = await titles('/planet/feed.json?limit=100');
    expect(planet).toContain('Crypto weekly');
    expect(planet).not.toContain('SPONSORED: buy this');
    // The same document again stops at its digest; read again in full, unchanged items keep their
    // marks and are counted again.
    expect((await refresh(source.id)).refresh).toMatchObject({ outcome: 'unchanged', items: null });
    expect((await refresh(source.id, { refetch: true })).refresh.items).toMatchObject({ seen: 4, changed: 0, blocked: 2 });
  });

  it('previews candidate rules on the stored items, storing nothing', async () => {
    const url = await putDoc('filters-preview.xml', rss(ITEMS));
    const source = await addSource<{ id: number }>(url, { kind: 'feed', filters: SOURCE_RULES });
    await refresh(source.id);
    const before = await marks(source.id);
    const res = await api(`/api/sources/${source.id}/filters/preview`, 'POST', {
      filters: [
        { action: 'keep', field: 'content', match: 'regex', pattern: '(?i)bitcoin' },
        { action: 'block', field: 'category', match: 'words', pattern: 'ads' },
      ],
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as { kept: { title: string }[]; blocked: { title: string; rule: string }[] };
    expect(preview.kept.map((i) => i.title)).toEqual(['Crypto weekly']);
    expect(Object.fromEntries(preview.blocked.map((b) => [b.title, b.rule]))).toEqual({
      'Good news for everyone': 'filters.keep',
      'SPONSORED: buy this': 'filters.1',
      'An old story': 'filters.keep',
    });
    expect(await marks(source.id)).toEqual(before);
    const bad = await api(`/api/sources/${source.id}/filters/preview`, 'POST', {
      filters: [{ action: 'keep', field: 'title', match: 'regex', pattern: '(a)\\1' }],
    });
    expect(bad.status).toBe(400);
  });

  it('re-applies changed rules to stored items without a refetch: the feed and its ETag change', async () => {
    const url = await putDoc('filters-change.xml', rss(ITEMS));
    const source = await addSource<{ id: number }>(url, { kind: 'feed', filters: SOURCE_RULES });
    await refresh(source.id);
    const feed = `/sources/${source.id}/feed.json`;
    const first = await get(feed);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const hits = await docHits('filters-change.xml');

    const patched = await api(`/api/sources/${source.id}`, 'PATCH', {
      filters: [{ action: 'block', field: 'title', match: 'words', pattern: 'crypto' }],
    });
    expect(patched.status).toBe(200);
    expect(await docHits('filters-change.xml')).toBe(hits);
    expect(await marks(source.id)).toEqual({
      'Good news for everyone': null,
      'SPONSORED: buy this': null,
      'Crypto weekly': 'filters.0',
      'An old story': null,
    });
    const again = await get(feed, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).not.toBe(etag);
    expect(((await again.json()) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual([
      'Good news for everyone',
      'SPONSORED: buy this',
      'An old story',
    ]);
    // No rules at all: everything is served again.
    await api(`/api/sources/${source.id}`, 'PATCH', { filters: [] });
    expect(await titles(feed)).toHaveLength(4);
  });

  it('judges the posts of a page source as it stores them', async () => {
    const posts = [1, 2, 3]
      .map(
        (i) =>
          `<article class="post"><h2><a href="${upstream(`/pages/filtered-site/post-${i}/`)}">Post number ${i}</a></h2><time datetime="2024-06-0${i}T00:00:00Z">d</time><p>Summary ${i}.</p></article>`,
      )
      .join('\n');
    const url = await putDoc(
      'filters-list.html',
      `<!doctype html><html lang="en"><head><title>L</title></head><body><main>${posts}</main></body></html>`,
      'text/html',
    );
    const source = await addSource<{ id: number }>(url, {
      kind: 'page',
      filters: [{ action: 'block', field: 'link', match: 'regex', pattern: '/post-2/$' }],
    });
    const report = await refresh(source.id);
    expect(report.refresh.items).toMatchObject({ changed: 3, blocked: 1 });
    const shown = await titles(`/sources/${source.id}/feed.json`);
    expect(shown).toHaveLength(2);
    expect(shown.filter((t) => /post.2\b|number 2\b/.test(t))).toEqual([]);
    expect(shown.filter((t) => /post.1\b|number 1\b/.test(t))).toHaveLength(1);
  });
});

describe('hostile patterns', () => {
  it('runs catastrophic-backtracking regexes over 100 KB items in a refresh to the right verdicts', async () => {
    const item = (n: number, text: string) =>
      `<item><title>Long ${n}</title><link>https://long.example/${n}</link><guid>https://long.example/${n}</guid><pubDate>${rfc822(now - n * 60_000)}</pubDate><content:encoded>&lt;p&gt;${text}&lt;/p&gt;</content:encoded></item>`;
    const body = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Long</title><link>https://long.example/</link><description>d</description>${item(1, `${'a'.repeat(100_000)}!`)}${item(2, `${'a'.repeat(100_000)}b`)}</channel></rss>`;
    const url = await putDoc('filters-hostile.xml', body);
    const source = await addSource<{ id: number }>(url, {
      kind: 'feed',
      filters: [
        { action: 'block', field: 'content', match: 'regex', pattern: '(a+)+$' },
        { action: 'block', field: 'content', match: 'regex', pattern: '(a|aa)+b' },
        { action: 'block', field: 'content', match: 'regex', pattern: '(.*a){25}!' },
      ],
    });
    const report = await refresh(source.id);
    expect(report.refresh.items).toMatchObject({ seen: 2, blocked: 2 });
    expect(await marks(source.id)).toEqual({ 'Long 1': 'filters.2', 'Long 2': 'filters.1' });
  });
});

describe('view rules', () => {
  it('blocks in a tag planet only, re-applied at once, and at ingest for items stored later', async () => {
    const url = await putDoc('filters-tagged.xml', rss(ITEMS.slice(0, 3)));
    const source = await addSource<{ id: number }>(url, { kind: 'feed', tags: ['Filtered Tech'] });
    await refresh(source.id);
    const tagged = '/planet/feed.json?tag=filtered-tech';
    expect(await titles(tagged)).toHaveLength(3);
    const etag = (await get(tagged)).headers.get('etag');

    const bad = await api('/api/views/planet-tag:filtered-tech/filters', 'PUT', { filters: [{ action: 'drop' }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('filters.0.action');

    const rules = [{ action: 'block', field: 'title', match: 'words', pattern: 'good news' }];
    // A preview judges the view's stored items and stores nothing: the feed keeps its ETag.
    const preview = await api('/api/views/planet-tag:filtered-tech/filters/preview', 'POST', { filters: rules });
    expect(((await preview.json()) as { blocked: { title: string }[] }).blocked.map((b) => b.title)).toEqual(['Good news for everyone']);
    expect((await get(tagged)).headers.get('etag')).toBe(etag);
    const put = await api('/api/views/planet-tag:filtered-tech/filters', 'PUT', { filters: rules });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { blocked: { title: string; rule: string }[] }).blocked).toEqual([
      expect.objectContaining({ title: 'Good news for everyone', rule: 'filters.0' }),
    ]);
    const res = await get(tagged);
    expect(res.headers.get('etag')).not.toBe(etag);
    expect(((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title)).toEqual([
      'SPONSORED: buy this',
      'Crypto weekly',
    ]);
    // The source's own feed and the whole planet still show it.
    expect(await titles(`/sources/${source.id}/feed.json`)).toContain('Good news for everyone');
    expect(((await (await api('/api/views/planet-tag:filtered-tech/filters', 'GET')).json()) as { filters: unknown }).filters).toEqual(
      rules,
    );

    // A new item is judged by the view's rules as it is stored.
    await putDoc(
      'filters-tagged.xml',
      rss([{ title: 'More good news', link: 'https://news.example/more', date: now }, ...ITEMS.slice(0, 3)]),
    );
    await refresh(source.id);
    expect(await titles(tagged)).toEqual(['SPONSORED: buy this', 'Crypto weekly']);
    expect(await titles(`/sources/${source.id}/feed.json`)).toContain('More good news');
    expect((await api('/api/views/tag:x/filters', 'GET')).status).toBe(400);
  });

  it("judges a source's stored items by a planet's rules when it is tagged into it", async () => {
    const url = await putDoc(
      'filters-retagged.xml',
      rss([{ title: 'Good news from elsewhere', link: 'https://news.example/elsewhere', date: now }]),
    );
    const source = await addSource<{ id: number }>(url, { kind: 'feed' });
    await refresh(source.id);
    const tagged = '/planet/feed.json?tag=filtered-tech';
    const etag = (await get(tagged)).headers.get('etag');
    expect((await api(`/api/sources/${source.id}`, 'PATCH', { tags: ['Filtered Tech'] })).status).toBe(200);
    const res = await get(tagged);
    expect(res.headers.get('etag')).not.toBe(etag);
    expect(((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title)).not.toContain('Good news from elsewhere');
    const reason = await env.DB.prepare(
      `SELECT reason FROM entry_view_blocks WHERE view = 'planet-tag:filtered-tech' AND entry_id IN (SELECT id FROM entries WHERE source_id = ?1)`,
    )
      .bind(source.id)
      .first('reason');
    expect(reason).toBe('filters.0');
  });
});
