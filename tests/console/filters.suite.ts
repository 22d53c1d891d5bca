// Filter rules in the console, inside workerd with the real D1: a source's rules on its edit page
// and a view's on /admin/filters. Add a rule and Remove change the rows, Preview rules judges the
// stored items and stores nothing, Save filter rules is the API's write (stored items judged again,
// the feeds change), and a bad rule is a 400 with its error beside that rule's control.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { getSource } from '../../src/db/sources';
import { storeUpstreamEntries, type UpstreamEntry } from '../../src/db/upstream-entries';
import { csrfOf, post, request, signIn } from '../support/console';
import { addSource, BEARER, check, get } from '../support/worker';

let cookie = '';
let source = 0;

/** Two stored items of the source: one a sponsored post. */
beforeAll(async () => {
  cookie = await signIn('192.0.2.93');
  source = (await addSource('https://filters-console.example/feed.xml', { kind: 'feed', tags: ['Filter Desk'], title: 'Filter desk' })).id;
  const now = Date.now();
  const item = (key: string, title: string, at: number): UpstreamEntry & { hash: string } => ({
    id: `fc:${key}`,
    key,
    hash: key,
    url: `https://filters-console.example/${key}`,
    canonicalUrl: `https://filters-console.example/${key}`,
    title,
    summary: '',
    contentHtml: `<p>${title}.</p>`,
    image: null,
    enclosures: [],
    language: null,
    publishedAt: at,
    updatedAt: at,
    authors: [],
    tags: [],
  });
  await storeUpstreamEntries(
    env.DB,
    { id: source, tags: [{ slug: 'filter-desk' }], site: false },
    [item('news', 'Harbour news of the week', now - 3_600_000), item('ad', 'Sponsored: the best kayak', now - 7_200_000)],
    null,
    100,
    now,
  );
});

async function page(path: string, ctx?: TestContext): Promise<string> {
  const res = await request(path, { headers: { cookie } });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  if (ctx) expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
  return html;
}

/** The rows of the form as fields (`filter.<i>.<part>`), with the row count and the button pressed. */
function rows(what: 'save' | 'preview' | 'add', list: Record<string, string>[], extra: Record<string, string> = {}) {
  const fields: Record<string, string> = { 'filter.rows': String(list.length), do: what, ...extra };
  for (const [i, row] of list.entries()) for (const [k, v] of Object.entries(row)) fields[`filter.${i}.${k}`] = v;
  return fields;
}

const SPONSORED = { action: 'block', field: 'title', match: 'words', pattern: 'sponsored' };
const blockedBy = async (id: string) =>
  (await env.DB.prepare('SELECT blocked_by FROM entries WHERE id = ?1').bind(id).first<{ blocked_by: string | null }>())!.blocked_by;
const feed = async (path: string) => (await get(path)).text();

describe("a source's rules on its edit page", () => {
  const edit = () => `/admin/sources/${source}/edit`;
  const action = () => `/admin/sources/${source}/filters`;
  const token = async () => csrfOf(await page(edit()), action());

  it('shows the Filter rules form with no rule, its buttons named, valid HTML', async (ctx) => {
    const html = await page(edit(), ctx);
    expect(html).toContain('<legend>Filter rules</legend>');
    expect(html).toContain('No rules: every item is served.');
    for (const name of ['Save filter rules', 'Preview rules', 'Add a rule']) expect(html).toMatch(new RegExp(`>\\s*${name}\\s*</button>`));
  });

  it('Add a rule adds an empty row with a label per control, and stores nothing', async (ctx) => {
    const res = await post(cookie, action(), { csrf: await token(), ...rows('add', []) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    for (const label of ['Rule 1 action', 'Rule 1 field', 'Rule 1 match', 'Rule 1 pattern', 'Rule 1 max days'])
      expect(html).toContain(`>${label}</label>`);
    expect(html).toContain('Remove rule 1');
    expect(html).not.toContain('Rule 2 action');
    expect((await getSource(env.DB, source))!.filters).toEqual([]);
  });

  it('Preview rules shows what would be blocked and by which rule, and stores nothing', async (ctx) => {
    const keepHarbour = { action: 'keep', field: 'title', match: 'regex', pattern: '(?i)harbour|kayak' };
    // A blank row (Add a rule, never filled) makes no rule but keeps its number: the second rule is Rule 3.
    const blankRow = { ...SPONSORED, pattern: '' };
    const res = await post(cookie, action(), { csrf: await token(), ...rows('preview', [keepHarbour, blankRow, SPONSORED]) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    expect(html).toContain('1 kept and 1 blocked');
    expect(html).toMatch(/Sponsored: the best kayak<\/a>\s*<\/td>\s*<td>Rule 3<\/td>/);
    expect(html).toContain('Harbour news of the week');
    // The rows come back as typed.
    expect(html).toContain('value="(?i)harbour|kayak"');
    expect((await getSource(env.DB, source))!.filters).toEqual([]);
    expect(await blockedBy('fc:ad')).toBeNull();
  });

  it('a bad rule is a 400 with the error beside that rule (filters.2.pattern is Rule 3 pattern), nothing changed', async (ctx) => {
    const bad = { action: 'block', field: 'title', match: 'regex', pattern: '(a)\\1' };
    const res = await post(cookie, action(), { csrf: await token(), ...rows('save', [SPONSORED, SPONSORED, bad]) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    expect(html).toMatch(/<p class="hint error-text" id="filter-2-pattern-error">is not a valid regular expression/);
    expect(html).toContain('<a href="#filter-2-pattern">Rule 3 pattern</a>');
    expect(html).toMatch(/id="filter-2-pattern"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="(a)\\1"');
    // Past a blank row, the rule checkFilters calls filters.1 is the third row's.
    const past = await post(cookie, action(), { csrf: await token(), ...rows('save', [SPONSORED, { ...SPONSORED, pattern: ' ' }, bad]) });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain('<a href="#filter-2-pattern">Rule 3 pattern</a>');
    // An age rule without a whole number of days is named too.
    const age = await post(cookie, action(), {
      csrf: await token(),
      ...rows('save', [{ action: 'block', field: 'age', max_days: 'ten' }]),
    });
    expect(age.status).toBe(400);
    expect(await age.text()).toContain('<a href="#filter-0-max_days">Rule 1 max days</a>');
    expect((await getSource(env.DB, source))!.filters).toEqual([]);
    expect(await blockedBy('fc:ad')).toBeNull();
  });

  it('Save filter rules is the API write: the stored items are judged again and the feed changes; Remove brings them back', async () => {
    expect(await feed(`/sources/${source}/feed.xml`)).toContain('Sponsored: the best kayak');
    // A blank row (Add a rule, never filled) is no rule.
    const res = await post(cookie, action(), { csrf: await token(), ...rows('save', [SPONSORED, { ...SPONSORED, pattern: '' }]) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${edit()}?filters=saved`);
    expect((await getSource(env.DB, source))!.filters).toEqual([SPONSORED]);
    expect(await blockedBy('fc:ad')).toBe('filters.0');
    expect(await feed(`/sources/${source}/feed.xml`)).not.toContain('Sponsored: the best kayak');
    const api = (await (await get(`/api/sources/${source}`, { headers: BEARER })).json()) as { filters: unknown[] };
    expect(api.filters).toEqual([SPONSORED]);
    const shown = await page(`${edit()}?filters=saved`);
    expect(shown).toContain('Filter rules saved');
    expect(shown).toContain('value="sponsored"');

    const removed = await post(cookie, action(), { csrf: await token(), ...rows('save', [{ ...SPONSORED, remove: '1' }]) });
    expect(removed.status).toBe(303);
    expect((await getSource(env.DB, source))!.filters).toEqual([]);
    expect(await blockedBy('fc:ad')).toBeNull();
    expect(await feed(`/sources/${source}/feed.xml`)).toContain('Sponsored: the best kayak');
  });

  it('needs its form token', async () => {
    expect((await post(cookie, action(), rows('save', [SPONSORED]))).status).toBe(403);
    expect((await getSource(env.DB, source))!.filters).toEqual([]);
  });
});

describe('the views’ rules on /admin/filters', () => {
  const token = async (view = 'planet') => csrfOf(await page(`/admin/filters?view=${view}`), '/admin/filters');
  const stored = async (view: string) =>
    (await env.DB.prepare('SELECT filters FROM view_filters WHERE view = ?1').bind(view).first<{ filters: string }>())?.filters ?? null;

  it('offers the site, the planet and each tag’s planet, valid HTML, with a nav entry', async (ctx) => {
    const html = await page('/admin/filters', ctx);
    expect(html).toContain('<a href="/admin/filters" aria-current="page">Filters</a>');
    expect(html).toContain('<label for="view">View</label>');
    for (const option of ['value="site"', 'value="planet"', 'value="planet-tag:filter-desk"']) expect(html).toContain(option);
    await page('/admin/filters?view=planet-tag:filter-desk', ctx);
    expect((await request('/admin/filters?view=planet-tag:Not A Slug', { headers: { cookie } })).status).toBe(400);
  });

  it("Preview judges the view's stored items, Save blocks them in that view only, [] removes the rules", async (ctx) => {
    const view = 'planet-tag:filter-desk';
    const preview = await post(cookie, '/admin/filters', { csrf: await token(view), view, ...rows('preview', [SPONSORED]) });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    expect(html).toMatch(/Sponsored: the best kayak<\/a>\s*<\/td>\s*<td>Rule 1<\/td>/);
    expect(await stored(view)).toBeNull();

    const saved = await post(cookie, '/admin/filters', { csrf: await token(view), view, ...rows('save', [SPONSORED]) });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/filters?view=${encodeURIComponent(view)}&saved=1`);
    expect(JSON.parse((await stored(view))!)).toEqual([SPONSORED]);
    expect(await feed('/planet/feed.xml?tag=filter-desk')).not.toContain('Sponsored: the best kayak');
    expect(await feed('/planet/feed.xml?tag=filter-desk')).toContain('Harbour news of the week');
    // The source's own feed still has it; the API reads the same rules.
    expect(await feed(`/sources/${source}/feed.xml`)).toContain('Sponsored: the best kayak');
    const api = (await (await get(`/api/views/${view}/filters`, { headers: BEARER })).json()) as { filters: unknown[] };
    expect(api.filters).toEqual([SPONSORED]);

    const cleared = await post(cookie, '/admin/filters', {
      csrf: await token(view),
      view,
      ...rows('save', [{ ...SPONSORED, remove: '1' }]),
    });
    expect(cleared.status).toBe(303);
    expect(await stored(view)).toBeNull();
    expect(await feed('/planet/feed.xml?tag=filter-desk')).toContain('Sponsored: the best kayak');
  });

  it('a bad rule is a 400 beside its control; an unknown view a 400; nothing stored', async () => {
    const bad = await post(cookie, '/admin/filters', {
      csrf: await token(),
      view: 'planet',
      ...rows('save', [{ action: 'block', field: 'title', match: 'words', pattern: '!!!' }]),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="filter-0-pattern-error">must hold at least one word/);
    const unknown = await post(cookie, '/admin/filters', { csrf: await token(), view: 'tag:x', ...rows('save', [SPONSORED]) });
    expect(unknown.status).toBe(400);
    expect(await stored('planet')).toBeNull();
  });
});
