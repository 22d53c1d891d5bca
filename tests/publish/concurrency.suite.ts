// Concurrent writes through the real API against real D1: every request gets an answer that says
// what happened (never a 500), and what is stored is what the answers say.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { asDbError, ConstraintError, guarded } from '../../src/db/constraint-error';
import { AUTH, get } from '../support/worker';

const post = (body: unknown) => get('/api/posts', { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
const ten = <T>(make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: 10 }, (_, i) => make(i)));

describe('concurrent posts', () => {
  it('ten creates with one title get ten distinct numbered slugs', async () => {
    const responses = await ten(() => post({ title: 'Race for the title', authors: [{ name: 'Ada' }] }));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const slugs = await Promise.all(responses.map(async (r) => ((await r.json()) as { slug: string }).slug));
    const expected = ['race-for-the-title', ...Array.from({ length: 9 }, (_, i) => `race-for-the-title-${i + 2}`)];
    expect([...slugs].sort()).toEqual([...expected].sort());
    const stored = await env.DB.prepare(
      `SELECT slug FROM entries WHERE source_id IS NULL AND title = 'Race for the title' ORDER BY slug`,
    ).all<{ slug: string }>();
    expect(stored.results.map((r) => r.slug)).toEqual([...expected].sort());
  });

  it('ten creates with one explicit slug: one 201, nine 409 problems naming slug, one post stored', async () => {
    const responses = await ten((i) => post({ title: `Contender ${i}`, slug: 'one-slug-only', authors: [{ name: 'Ada' }] }));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['slug']);
    }
    const winner = (await responses.find((r) => r.status === 201)!.json()) as { id: string; title: string };
    const stored = await env.DB.prepare(`SELECT id, title FROM entries WHERE slug = 'one-slug-only'`).all<{ id: string; title: string }>();
    expect(stored.results).toEqual([{ id: winner.id, title: winner.title }]);
    expect((await env.DB.prepare(`SELECT count(*) AS n FROM entries WHERE title LIKE 'Contender %'`).first<{ n: number }>())!.n).toBe(1);
  });

  it('ten renames of different posts to one slug: one 200, nine 409s, the others keep their slugs', async () => {
    const created = await Promise.all(
      Array.from(
        { length: 10 },
        async (_, i) => (await (await post({ title: `Renamed ${i}`, authors: [{ name: 'Ada' }] })).json()) as { id: string; slug: string },
      ),
    );
    const responses = await Promise.all(
      created.map((p) => get(`/api/posts/${p.id}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ slug: 'wanted-by-all' }) })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const stored = await env.DB.prepare(`SELECT slug FROM entries WHERE title LIKE 'Renamed %' ORDER BY title`).all<{ slug: string }>();
    const winner = created[responses.findIndex((r) => r.status === 200)]!;
    expect(stored.results.map((r) => r.slug)).toEqual(created.map((p) => (p === winner ? 'wanted-by-all' : p.slug)));
  });
});

describe('concurrent sources', () => {
  const sources = (path: string, init: RequestInit) =>
    get(`/api/sources${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string>) } });

  it('ten sources moved to one URL at once: one 200, nine 409 problems naming url', async () => {
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const res = await sources('', { method: 'POST', body: JSON.stringify({ url: `https://move.example/${i}.xml`, kind: 'feed' }) });
        return ((await res.json()) as { id: number }).id;
      }),
    );
    const responses = await Promise.all(
      ids.map((id) => sources(`/${id}`, { method: 'PATCH', body: JSON.stringify({ url: 'https://move.example/same.xml' }) })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['url']);
    }
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM sources WHERE url = 'https://move.example/same.xml'`).first<{
      n: number;
    }>();
    expect(stored!.n).toBe(1);
  });

  it('ten adds of one URL at once: one 201 with its tags, nine 409s', async () => {
    const responses = await ten(() =>
      sources('', { method: 'POST', body: JSON.stringify({ url: 'https://once.example/feed.xml', kind: 'feed', tags: ['Once', 'Only'] }) }),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const tags = await env.DB.prepare(
      `SELECT t.name FROM source_tags t JOIN sources s ON s.id = t.source_id WHERE s.url = 'https://once.example/feed.xml' ORDER BY t.position`,
    ).all<{ name: string }>();
    expect(tags.results.map((r) => r.name)).toEqual(['Once', 'Only']);
  });

  it('three imports of one OPML file at once add each feed once, with its tags, and every request succeeds', async () => {
    const feeds = Array.from({ length: 40 }, (_, i) => `https://import-race.example/${i}.xml`);
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>race</title></head><body>
      <outline text="Folder A">${feeds
        .slice(0, 20)
        .map((u, i) => `<outline text="Feed ${i}" xmlUrl="${u}" category="Cat${i % 3}"/>`)
        .join('')}</outline>
      <outline text="Folder B">${feeds
        .slice(20)
        .map((u, i) => `<outline text="Feed ${i + 20}" xmlUrl="${u}"/>`)
        .join('')}</outline>
      <outline text="Twice" xmlUrl="${feeds[0]}"/>
    </body></opml>`;
    const responses = await Promise.all(
      [0, 1, 2].map(() => sources('/import', { method: 'POST', body: opml, headers: { 'content-type': 'text/x-opml' } })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = await Promise.all(
      responses.map(
        async (r) => (await r.json()) as { added: { url: string; tags: string[] }[]; skipped: { url: string; reason: string }[] },
      ),
    );

    // Together the three added every feed exactly once; what one added the others skipped.
    const added = bodies.flatMap((b) => b.added.map((s) => s.url));
    expect([...added].sort()).toEqual([...feeds].sort());
    for (const body of bodies) {
      const mine = new Set(body.added.map((s) => s.url));
      expect(
        body.skipped
          .filter((s) => s.reason === 'already a source')
          .map((s) => s.url)
          .sort(),
      ).toEqual(feeds.filter((u) => !mine.has(u)).sort());
      expect(body.skipped.filter((s) => s.reason === 'listed twice in this document').map((s) => s.url)).toEqual([feeds[0]]);
    }

    const stored = await env.DB.prepare(
      `SELECT s.url, s.title_override AS title, (SELECT json_group_array(name) FROM (SELECT name FROM source_tags WHERE source_id = s.id ORDER BY position)) AS tags
       FROM sources s WHERE s.url LIKE 'https://import-race.example/%' ORDER BY s.id`,
    ).all<{ url: string; title: string; tags: string }>();
    expect(stored.results).toHaveLength(40);
    const byUrl = new Map(stored.results.map((r) => [r.url, { title: r.title, tags: JSON.parse(r.tags) as string[] }]));
    feeds.forEach((url, i) => {
      expect(byUrl.get(url)).toEqual({ title: `Feed ${i}`, tags: i < 20 ? ['Folder A', `Cat${i % 3}`] : ['Folder B'] });
    });
    // Each source in the answers shows the tags that were stored.
    for (const source of bodies.flatMap((b) => b.added)) expect(source.tags).toEqual(byUrl.get(source.url)!.tags);
  });
});

describe('OPML import', () => {
  it('names every tag it cannot take in warnings, and stores the others', async () => {
    const long = 'L'.repeat(101);
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
      <outline text="Folder"><outline text="Tagged" xmlUrl="https://tagged.example/feed.xml" category="Good,🎉,a&lt;b,${long},日本語"/></outline>
    </body></opml>`;
    const res = await get('/api/sources/import', { method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { added: { tags: string[] }[]; warnings: string[] };
    expect(body.added.map((s) => s.tags)).toEqual([['Folder', 'Good', '日本語']]);
    expect(body.warnings).toEqual([
      'https://tagged.example/feed.xml: the tag "🎉" has no letters or digits to make a URL from; not added',
      'https://tagged.example/feed.xml: the tag "a<b" contains < or >; not added',
      `https://tagged.example/feed.xml: the tag "${'L'.repeat(100)}" is longer than 100 characters; not added`,
    ]);
    const stored = await env.DB.prepare(
      `SELECT t.slug FROM source_tags t JOIN sources s ON s.id = t.source_id WHERE s.url = 'https://tagged.example/feed.xml' ORDER BY t.position`,
    ).all<{ slug: string }>();
    expect(stored.results.map((r) => r.slug)).toEqual(['folder', 'good', '日本語']);
  });

  it('an outline nested 10,000 deep is imported (tags from the outermost 20 folders), not a 500', async () => {
    const depth = 10_000;
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>deep</title></head><body>${'<outline text="d">'.repeat(depth)}<outline text="Deep feed" xmlUrl="https://deep.example/feed.xml"/>${'</outline>'.repeat(depth)}</body></opml>`;
    const res = await get('/api/sources/import', { method: 'POST', headers: { ...AUTH, 'content-type': 'text/x-opml' }, body: opml });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { added: { url: string; tags: string[] }[]; warnings: string[] };
    expect(body.added.map((s) => [s.url, s.tags])).toEqual([['https://deep.example/feed.xml', ['d']]]);
    expect(body.warnings).toEqual(['folders nested deeper than 20 levels give no further tags']);
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM sources WHERE url = 'https://deep.example/feed.xml'`).first<{
      n: number;
    }>();
    expect(stored!.n).toBe(1);
  });
});

describe('D1 constraint errors are typed in the db layer', () => {
  it.each([
    [
      'unique',
      `INSERT INTO entries (id, slug, title, published_at, updated_at) VALUES ('urn:x:dup', 'tips-for-becoming-a-good-boxer', 't', 0, 0)`,
      ['entries.slug'],
      'slug',
    ],
    ['not_null', `INSERT INTO sources (url, created_at, updated_at) VALUES (NULL, 0, 0)`, ['sources.url'], 'url'],
    ['check', `INSERT INTO sources (url, state, created_at, updated_at) VALUES ('https://check.example/', 'bogus', 0, 0)`, [], 'body'],
    ['foreign_key', `INSERT INTO source_tags (source_id, slug, name, position) VALUES (987654, 'x', 'X', 0)`, [], 'body'],
  ])('%s', async (kind, sql, columns, field) => {
    const error = await guarded(() => env.DB.prepare(sql).run()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ kind, columns, field });
    expect(asDbError(error)).toBe(error);
  });

  it('leaves other errors as they are', async () => {
    const error = await guarded(() => env.DB.prepare('SELECT * FROM no_such_table').all()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConstraintError);
  });
});
