import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { siteConfig } from '../../config';
import { searchEntries } from '../../db/search';
import { findSources, latestSourceItems, listSourceFetches, type SourceFilter, sourceItemsByIds } from '../../db/source-fetches';
import { getSource, SourceExistsError } from '../../db/sources';
import { InvalidFieldError } from '../../domain/invalid-field-error';
import { isQueryError, parseSearchQuery } from '../../domain/search-query';
import type { Source } from '../../domain/source';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/problem';
import { fieldErrors, plainWords } from '../../http/validation';
import { findSource } from '../../ingest/find-source';
import { previewSourceFilters } from '../../ingest/filtering';
import { refreshAndRead } from '../../ingest/refresh';
import type { FilterEditor } from '../../render/console/filter-rules';
import type { FieldError } from '../../render/console/parts';
import {
  type AddForm,
  type EditForm,
  type FoundSource,
  type RefreshShown,
  type SourceSearch,
  renderNewSource,
  renderSourceDelete,
  renderSourceEdit,
  renderSourceList,
  renderSourcePage,
} from '../../render/console/sources';
import { addSource, changeSource, fetchableUrl, removeSource } from '../../sources/write';
import { sourcePatch } from '../source-schema';
import { editorOf, postedRules, previewShown, rulesOf } from './filter-form';
import { field, type PostedForm, postedForm, tokenFor } from './forms';

/**
 * The sources in the console: the list, adding (Find feed, then Add source), a source's page with
 * Refresh now, Pause and Resume, editing and deleting. The same functions as /api/sources:
 * src/sources/write.ts for every write, src/ingest/refresh.ts for Refresh now.
 */
export const sourcePages = new Hono<AppEnv>();

/** Sources a list page shows. */
const PER_PAGE = 50;

const STATES = new Set(['active', 'paused', 'gone', 'failing']);

sourcePages.get('/', async (c) => {
  const q = c.req.query();
  const filter: SourceFilter = {
    ...(STATES.has(q.state ?? '') ? { state: q.state as SourceFilter['state'] } : {}),
    ...(q.kind === 'feed' || q.kind === 'page' ? { kind: q.kind } : {}),
    ...(q.tag?.trim() ? { tag: q.tag.trim() } : {}),
    ...(q.q?.trim() ? { text: q.q.trim() } : {}),
  };
  const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
  const [{ sources, total }, signOutToken] = await Promise.all([
    findSources(c.env.DB, filter, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE }),
    tokenFor(c, 'sign-out'),
  ]);
  const url = (n: number) => {
    const params = new URLSearchParams();
    if (filter.state) params.set('state', filter.state);
    if (filter.kind) params.set('kind', filter.kind);
    if (filter.tag) params.set('tag', filter.tag);
    if (filter.text) params.set('q', filter.text);
    if (n > 1) params.set('page', String(n));
    const query = params.toString();
    return `/admin/sources${query ? `?${query}` : ''}`;
  };
  const notice = q.deleted ? `${q.deleted} is no longer followed: its feeds answer 410 Gone.` : null;
  return c.html(
    renderSourceList(siteConfig(c.env), {
      sources,
      total,
      filter,
      page,
      pages: Math.max(1, Math.ceil(total / PER_PAGE)),
      url,
      notice,
      signOutToken,
    }),
  );
});

const EMPTY_ADD: AddForm = { tags: '', title: '', fullText: false, site: false };

async function newSourcePage(
  c: Context<AppEnv>,
  page: { address: string; found: FoundSource | null; addressError: string | null; form: AddForm; errors: FieldError[] },
) {
  const [token, signOutToken] = await Promise.all([tokenFor(c, 'source'), tokenFor(c, 'sign-out')]);
  return renderNewSource(siteConfig(c.env), { ...page, token, signOutToken });
}

sourcePages.get('/new', async (c) =>
  c.html(await newSourcePage(c, { address: c.req.query('address') ?? '', found: null, addressError: null, form: EMPTY_ADD, errors: [] })),
);

/** What an address gives, or why it gives nothing (a 400 naming the address). Stores nothing. */
async function find(c: Context<AppEnv>, address: string): Promise<{ found: FoundSource } | { error: string }> {
  if (address === '') return { error: 'Give the address of a feed or a web page.' };
  let url: string;
  try {
    url = fetchableUrl(c.env, URL.canParse(address) ? address : `https://${address}`, 'address');
  } catch (error) {
    if (error instanceof InvalidFieldError) return { error: `This address cannot be followed: ${error.reason}` };
    throw error;
  }
  const found = await findSource(c.env, url, Date.now());
  return found.ok ? { found } : { error: found.message };
}

sourcePages.post('/find', async (c) => {
  const posted = await postedForm(c, 'source');
  const address = field(posted, 'address').trim();
  const result = await find(c, address);
  if ('error' in result) {
    const errors = [{ field: 'address', message: result.error }];
    return c.html(await newSourcePage(c, { address, found: null, addressError: result.error, form: EMPTY_ADD, errors }), 400);
  }
  return c.html(await newSourcePage(c, { address, found: result.found, addressError: null, form: EMPTY_ADD, errors: [] }));
});

/** Comma-separated tags as a list (empty names left out). */
const tagList = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** A form's fields read by the API's schema of a source: its value, or each bad field (`rules.item` is named `rules`). */
function readFields(
  body: Record<string, unknown>,
): { ok: true; value: z.output<typeof sourcePatch> } | { ok: false; errors: FieldError[] } {
  const result = sourcePatch.safeParse(body, { error: plainWords(sourcePatch) });
  if (result.success) return { ok: true, value: result.data };
  const errors = new Map<string, string>();
  for (const e of fieldErrors(result.error, 'rules')) {
    const name = e.field.split('.')[0]!;
    const message = e.field.includes('.') && name === 'rules' ? `${e.field.slice(6)}: ${e.message}` : e.message;
    errors.set(name, errors.has(name) ? `${errors.get(name)} ${message}` : message);
  }
  return { ok: false, errors: [...errors].map(([f, message]) => ({ field: f, message })) };
}

/** A refusal of the domain (src/sources/write.ts) as a field error, or null for anything else. */
function refusal(error: unknown, urlField: string): FieldError | null {
  if (error instanceof InvalidFieldError) return { field: error.field === 'url' ? urlField : error.field, message: error.reason };
  if (error instanceof SourceExistsError) return { field: urlField, message: error.reason };
  return null;
}

/**
 * Add source: the second form of the add page, carrying what Find feed detected (address, kind).
 * Through addSource, as POST /api/sources with a kind; then to the new source's page.
 */
sourcePages.post('/new', async (c) => {
  const posted = await postedForm(c, 'source');
  const address = field(posted, 'address').trim();
  const form: AddForm = {
    tags: field(posted, 'tags'),
    title: field(posted, 'title'),
    fullText: field(posted, 'full_text') === '1',
    site: field(posted, 'site') === '1',
  };
  const kind = field(posted, 'kind') === 'page' ? 'page' : 'feed';
  const url = field(posted, 'url').trim();
  const read = readFields({
    url,
    kind,
    tags: tagList(form.tags),
    title: form.title.trim() === '' ? null : form.title,
    site: form.site,
    full_text: form.fullText,
  });
  let errors: FieldError[];
  if (read.ok) {
    const { title, full_text, ...body } = read.value;
    try {
      const { source } = await addSource(c.env, { ...body, url, kind, titleOverride: title, fullText: full_text }, Date.now());
      return c.redirect(`/admin/sources/${source.id}?added=1`, 303);
    } catch (error) {
      const refused = refusal(error, 'address');
      if (!refused) throw error;
      errors = [refused];
    }
  } else errors = read.errors.map((e) => (e.field === 'url' || e.field === 'kind' ? { ...e, field: 'address' } : e));
  // The form comes back as typed, with the preview found again (nothing was stored).
  const again = await find(c, address || url);
  const found = 'found' in again ? again.found : null;
  const addressError = errors.find((e) => e.field === 'address')?.message ?? ('error' in again ? again.error : null);
  return c.html(await newSourcePage(c, { address: address || url, found, addressError, form, errors }), 400);
});

/** The source of the path, or a 404. */
async function sourceOf(c: Context<AppEnv>): Promise<Source> {
  const id = Number(c.req.param('id'));
  const source = Number.isSafeInteger(id) && id > 0 ? await getSource(c.env.DB, id) : null;
  if (!source) throw notFound('There is no such source: it may have been deleted.');
  return source;
}

/** Matches a page of a source's search lists, and the last page a search reaches. */
const SEARCH_PAGE_SIZE = 20;
const SEARCH_MAX_PAGE = 50;

/**
 * A search of the source's items (`?q=`, `?page=`): the one search (src/db/search.ts) over this
 * source's items, whatever their state. Null without `q`; a query or page that cannot run comes
 * back as the field's error (the page answers 400).
 */
async function searchOf(c: Context<AppEnv>, source: Source): Promise<SourceSearch | null> {
  const q = c.req.query('q');
  if (q === undefined) return null;
  const empty: SourceSearch = { q, error: null, page: 1, results: [], prev: null, next: null };
  const query = parseSearchQuery(q);
  if (isQueryError(query)) return { ...empty, error: query.error };
  const pageParam = c.req.query('page');
  const page = pageParam === undefined ? 1 : /^[1-9]\d{0,5}$/.test(pageParam) ? Number(pageParam) : 0;
  if (page < 1 || page > SEARCH_MAX_PAGE) return { ...empty, error: `page: a whole number from 1 to ${SEARCH_MAX_PAGE}.` };
  const { hits, more } = await searchEntries(c.env.DB, query, {
    scope: { kind: 'source', id: source.id },
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  });
  const items = await sourceItemsByIds(
    c.env.DB,
    source.id,
    hits.map((h) => h.id),
  );
  const snippets = new Map(hits.map((h) => [h.id, h.snippet]));
  const url = (n: number) =>
    `/admin/sources/${source.id}?${new URLSearchParams({ q: query.normalized, ...(n > 1 ? { page: String(n) } : {}) })}`;
  return {
    q,
    error: null,
    page,
    results: items.map((item) => ({ item, snippet: snippets.get(item.id) ?? [] })),
    prev: page > 1 ? url(page - 1) : null,
    next: more && page < SEARCH_MAX_PAGE ? url(page + 1) : null,
  };
}

async function sourcePage(
  c: Context<AppEnv>,
  source: Source,
  report: RefreshShown | null,
  notice: string | null,
  search: SourceSearch | null = null,
) {
  const [items, fetches, action, signOut] = await Promise.all([
    // A search lists its matches instead of the latest items; a refused one shows them still.
    search && !search.error ? [] : latestSourceItems(c.env.DB, source.id),
    listSourceFetches(c.env.DB, source.id),
    tokenFor(c, 'source-action'),
    tokenFor(c, 'sign-out'),
  ]);
  const config = siteConfig(c.env);
  return renderSourcePage(config, {
    source,
    items,
    fetches,
    report,
    notice,
    search,
    publicUrl: `${config.url}/sources/${source.id}/`,
    tokens: { action, signOut },
    signOutToken: signOut,
  });
}

const NOTICES: Record<string, string> = {
  added: 'The source is added; its first refresh is on its way (Refresh now runs it at once).',
  saved: 'Saved.',
  paused: 'Paused: it is not refreshed until it is resumed. Its items stay.',
  resumed: 'Resumed: it is refreshed again, the next time at once.',
};

sourcePages.get('/:id{[0-9]+}', async (c) => {
  const source = await sourceOf(c);
  const q = c.req.query();
  const notice = Object.keys(NOTICES).find((k) => q[k] !== undefined);
  const search = await searchOf(c, source);
  return c.html(await sourcePage(c, source, null, notice ? NOTICES[notice]! : null, search), search?.error ? 400 : 200);
});

/** Refresh now: the refresh POST /api/sources/<id>/refresh runs, and the page with what it did. */
sourcePages.post('/:id{[0-9]+}/refresh', async (c) => {
  await postedForm(c, 'source-action');
  const source = await sourceOf(c);
  const { report, source: after } = await refreshAndRead(c.env, source, Date.now());
  return c.html(await sourcePage(c, after ?? (await getSource(c.env.DB, source.id)) ?? source, report, null));
});

for (const [action, paused] of [
  ['pause', true],
  ['resume', false],
] as const) {
  sourcePages.post(`/:id{[0-9]+}/${action}`, async (c) => {
    await postedForm(c, 'source-action');
    const source = await sourceOf(c);
    await changeSource(c.env, source, { paused }, Date.now());
    return c.redirect(`/admin/sources/${source.id}?${paused ? 'paused' : 'resumed'}=1`, 303);
  });
}

const editFormOf = (s: Source): EditForm => ({
  kind: s.kind === 'page' ? 'page' : 'feed',
  rules: s.rules ? JSON.stringify(s.rules, null, 2) : '',
  tags: s.tags.map((t) => t.name).join(', '),
  title: s.titleOverride ?? '',
  site: s.site,
  fullText: s.fullText,
});

/** The filter rules' editor of a source's edit page: its stored rules, or the form as posted. */
async function editPage(
  c: Context<AppEnv>,
  source: Source,
  form: EditForm,
  errors: FieldError[],
  filters: (base: Pick<FilterEditor, 'action' | 'hidden' | 'token'>) => FilterEditor = (base) => editorOf(source.filters, base),
) {
  const [token, signOutToken, filtersToken] = await Promise.all([tokenFor(c, 'source'), tokenFor(c, 'sign-out'), tokenFor(c, 'filters')]);
  const editor = filters({ action: `/admin/sources/${source.id}/filters`, hidden: {}, token: filtersToken });
  return renderSourceEdit(siteConfig(c.env), { source, form, errors, token, signOutToken, filters: editor });
}

sourcePages.get('/:id{[0-9]+}/edit', async (c) => {
  const source = await sourceOf(c);
  const notice = c.req.query('filters') === 'saved' ? 'Filter rules saved: the stored items are judged by them now.' : null;
  return c.html(await editPage(c, source, editFormOf(source), [], (base) => editorOf(source.filters, base, notice)));
});

/**
 * The source's filter rules (the edit page's second form): Add a rule and Remove change the rows,
 * Preview rules judges the stored items as POST /api/sources/<id>/filters/preview does, Save
 * filter rules is changeSource's write (the stored items judged again). A bad rule is a 400 with
 * its error beside the rule's control, nothing changed.
 */
sourcePages.post('/:id{[0-9]+}/filters', async (c) => {
  const { action, rows } = await postedRules(c);
  const source = await sourceOf(c);
  const again = (status: 200 | 400, part: Partial<FilterEditor>) =>
    editPage(c, source, editFormOf(source), [], (base) => ({ ...base, rows, errors: [], preview: null, notice: null, ...part })).then(
      (html) => c.html(html, status),
    );
  if (action === 'add') return again(200, {});
  const read = rulesOf(rows);
  if (!read.ok) return again(400, { errors: read.errors });
  if (action === 'preview') {
    const preview = await previewSourceFilters(c.env.DB, source.id, read.rules, Date.now());
    return again(200, { preview: previewShown(preview, read.at) });
  }
  await changeSource(c.env, source, { filters: read.rules }, Date.now());
  return c.redirect(`/admin/sources/${source.id}/edit?filters=saved`, 303);
});

/** The edit form as the API's PATCH body: kind and rules only when they change (a change reads the upstream again in full). */
function patchOf(source: Source, form: EditForm): { body: Record<string, unknown>; errors: FieldError[] } {
  const body: Record<string, unknown> = {
    tags: tagList(form.tags),
    title: form.title.trim() === '' ? null : form.title,
    site: form.site,
    full_text: form.fullText,
  };
  const errors: FieldError[] = [];
  let rules: unknown = null;
  if (form.rules.trim() !== '') {
    try {
      rules = JSON.parse(form.rules);
    } catch {
      errors.push({ field: 'rules', message: 'is not valid JSON: write an object such as {"item": "article"}, or leave it empty' });
    }
  }
  if (form.kind !== source.kind) body.kind = form.kind;
  if (JSON.stringify(rules) !== JSON.stringify(source.rules ?? null)) body.rules = rules;
  return { body, errors };
}

sourcePages.post('/:id{[0-9]+}/edit', async (c) => {
  const posted: PostedForm = await postedForm(c, 'source');
  const source = await sourceOf(c);
  const form: EditForm = {
    kind: field(posted, 'kind') === 'page' ? 'page' : 'feed',
    rules: field(posted, 'rules'),
    tags: field(posted, 'tags'),
    title: field(posted, 'title'),
    site: field(posted, 'site') === '1',
    fullText: field(posted, 'full_text') === '1',
  };
  const { body, errors } = patchOf(source, form);
  if (errors.length === 0) {
    const read = readFields(body);
    if (!read.ok) errors.push(...read.errors);
    else {
      const { title, full_text, ...rest } = read.value;
      try {
        await changeSource(c.env, source, { ...rest, titleOverride: title, fullText: full_text }, Date.now());
        return c.redirect(`/admin/sources/${source.id}?saved=1`, 303);
      } catch (error) {
        const refused = refusal(error, 'kind');
        if (!refused) throw error;
        errors.push(refused);
      }
    }
  }
  return c.html(await editPage(c, source, form, errors), 400);
});

sourcePages.get('/:id{[0-9]+}/delete', async (c) => {
  const source = await sourceOf(c);
  const [token, signOutToken] = await Promise.all([tokenFor(c, 'source-delete'), tokenFor(c, 'sign-out')]);
  const config = siteConfig(c.env);
  return c.html(renderSourceDelete(config, { source, publicUrl: `${config.url}/sources/${source.id}/`, token, signOutToken }));
});

sourcePages.post('/:id{[0-9]+}/delete', async (c) => {
  await postedForm(c, 'source-delete');
  const source = await sourceOf(c);
  await removeSource(c.env, source, Date.now());
  const name = source.titleOverride ?? source.title ?? source.url;
  return c.redirect(`/admin/sources?deleted=${encodeURIComponent(name)}`, 303);
});
