import { type Context, Hono } from 'hono';
import { siteConfig } from '../../config';
import { getSource } from '../../db/sources';
import { ConflictError } from '../../domain/conflict-error';
import { InvalidFieldError } from '../../domain/invalid-field-error';
import type { Source } from '../../domain/source';
import { ExtractError, extractList, type ListRules, parseListRules } from '../../extract';
import { candidateLists } from '../../extract/list';
import { annotatePaths, PATH_PATTERN, pathSelector, pathsFound } from '../../extract/paths';
import { MAX_EXAMPLES, pointedAt, rulesFromExamples, withDateAt } from '../../extract/rules-from-examples';
import type { AppEnv } from '../../http/app-env';
import { badRequest, notFound, ProblemError } from '../../http/problem';
import { type FetchedPage, fetchPage } from '../../ingest/page-source';
import { type BuilderState, type OfferedList, renderBuilderPage, renderBuilderResults, renderSnapshot } from '../../render/console/builder';
import type { FieldError } from '../../render/console/parts';
import { addSource, changeSource, fetchableUrl } from '../../sources/write';
import { field, fields, type PostedForm, postedForm, tokenFor } from './forms';

/**
 * The rules builder, /admin/sources/builder?address=<list page> (a new page source) or
 * ?source=<id> (a page source's rules): the page, fetched as page sources fetch it
 * (src/ingest/page-source.ts), shown as a snapshot in a frame; rules derived from the posts the
 * publisher points at (src/extract/rules-from-examples.ts); saved through src/sources/write.ts.
 * Every request fetches the page again: nothing is kept between them but the form's fields.
 */
export const builderPages = new Hono<AppEnv>();

/** The lists offered without examples: the first few found. */
const OFFERED = 5;

/** What the request is about: an existing page source, or an address. @throws ProblemError 404, InvalidFieldError `address`. */
async function target(c: Context<AppEnv>, sourceId: string, address: string): Promise<{ source: Source | null; url: string }> {
  if (sourceId !== '') {
    const id = /^[1-9]\d{0,15}$/.test(sourceId) ? Number(sourceId) : 0;
    const source = id > 0 ? await getSource(c.env.DB, id) : null;
    if (!source) throw notFound(`No source has the id ${sourceId}.`);
    if (source.kind !== 'page') throw new ProblemError(400, 'Bad Request', 'Only page sources take rules: this source reads a feed.');
    return { source, url: source.url };
  }
  if (address.trim() === '') throw new InvalidFieldError('address', 'is missing: give the address of a page that lists posts');
  return { source: null, url: fetchableUrl(c.env, address.trim(), 'address') };
}

const sourceName = (source: Source) => source.titleOverride ?? source.title ?? source.url;

const emptyState = (url: string, source: Source | null): BuilderState => ({
  address: url,
  source: source ? { id: source.id, name: sourceName(source) } : null,
  read: false,
  examples: [],
  datePick: null,
  rulesText: '',
  rules: null,
  items: [],
  offered: [],
  found: [],
  errors: [],
  notice: null,
});

/** Why a page could not be read, in the words the console shows. */
const fetchFailure = (url: string, page: Extract<FetchedPage, { ok: false }>): string =>
  `The page ${url} could not be fetched (${page.errorKind}${page.status ? `, HTTP ${page.status}` : ''}): ${page.message}`;

/** The lists found on the page without examples, offered by their first posts. */
function offeredLists(html: string, url: string, now: number): OfferedList[] {
  return candidateLists(html, url, now)
    .filter((list) => list.items.length >= 2)
    .slice(0, OFFERED)
    .map((list) => ({
      examples: list.items.slice(0, 2).map((item) => item.url),
      count: list.items.length,
      titles: list.items.slice(0, 3).map((item) => item.title || item.url),
    }));
}

/** The rules' posts on the page as a refresh reads it (the page as fetched, not the annotated copy). */
function itemsOf(state: BuilderState, html: string, url: string, now: number): void {
  if (!state.rules) return;
  try {
    state.items = extractList(html, url, state.rules, now).items;
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    state.items = [];
    if (error.kind === 'invalid_rules') state.errors.push({ field: 'rules', message: error.message });
  }
}

/** The rules from the state's examples (and its date), with what went wrong as field errors. */
function derive(state: BuilderState, annotated: string, url: string, now: number): void {
  if (state.examples.length === 0) {
    if (state.datePick) state.notice = 'Click a post’s title first: a date is read within the posts the titles make a list of.';
    return;
  }
  const derived = rulesFromExamples(annotated, url, state.examples, now);
  if (!derived) {
    state.errors.push({ field: 'title', message: 'No repeating list of posts holds all these examples: start again with one.' });
    return;
  }
  if (!derived.ok) {
    const names = derived.missing.map((i) => `“${state.examples[i]}”`).join(', ');
    state.errors.push({ field: 'title', message: `Not found on the page: ${names}.` });
    state.examples = state.examples.filter((_, i) => !derived.missing.includes(i));
    return;
  }
  let rules = derived.rules;
  if (state.datePick) {
    const dated = withDateAt(annotated, rules, pathSelector(state.datePick));
    if (dated) rules = dated;
    else {
      state.notice = 'The date clicked is not inside one of the posts found: the dates are read as before.';
      state.datePick = null;
    }
  }
  state.rules = rules;
  state.rulesText = JSON.stringify(rules, null, 2);
}

/**
 * Reads the page and builds the state: the examples of the form (a list chosen replaces them; a
 * title typed or an element clicked adds one; a date clicked fixes the date rule).
 */
async function build(
  c: Context<AppEnv>,
  posted: PostedForm | null,
  offer: boolean,
): Promise<{ state: BuilderState; status: 200 | 400 | 422 | 502 }> {
  const now = Date.now();
  const { source, url } = await target(
    c,
    posted ? field(posted, 'source') : (c.req.query('source') ?? ''),
    posted ? field(posted, 'address') : (c.req.query('address') ?? ''),
  );
  const state = emptyState(url, source);
  const page = await fetchPage(c.env, url);
  if (!page.ok) {
    state.errors.push({ field: 'address', message: fetchFailure(url, page) });
    return { state, status: 502 };
  }
  try {
    const annotated = annotatePaths(page.html).html;
    state.read = true;
    return { state, status: read(state, { posted, offer, stored: source?.rules ?? null }, page, annotated, now) };
  } catch (error) {
    // Past the limits (the annotated copy, a little longer than the page, may cross one the page did not).
    if (!(error instanceof ExtractError)) throw error;
    state.read = false;
    state.errors.push({ field: 'address', message: `The page cannot be read: ${error.message}` });
    return { state, status: 422 };
  }
}

/**
 * Reads the fetched page into the state (see build): the form's examples, else the source's
 * stored rules; answers the status. @throws ExtractError past the limits.
 */
function read(
  state: BuilderState,
  { posted, offer, stored }: { posted: PostedForm | null; offer: boolean; stored: Record<string, unknown> | null },
  page: Extract<FetchedPage, { ok: true }>,
  annotated: string,
  now: number,
): 200 | 400 {
  if (offer) state.offered = offeredLists(page.html, page.url, now);
  let status: 200 | 400 = 200;
  if (posted) {
    const restart = field(posted, 'restart') === '1';
    state.examples = restart ? [] : fields(posted, 'example').filter((e) => e.trim() !== '');
    const date = field(posted, 'date');
    state.datePick = !restart && PATH_PATTERN.test(date) ? date : null;
    const list = field(posted, 'list').trim();
    const title = field(posted, 'title').trim();
    const pick = field(posted, 'pick');
    if (list !== '') {
      state.examples = list.split(/\s+/);
      state.datePick = null;
    } else if (title !== '' && !restart) state.examples.push(title);
    else if (pick !== '') {
      if (!PATH_PATTERN.test(pick)) throw new ProblemError(400, 'Bad Request', 'pick: is not the path of an element of the page.');
      const pointed = pointedAt(annotated, page.url, pathSelector(pick), now);
      if (pointed?.kind === 'date') state.datePick = pick;
      else if (pointed) state.examples.push(pointed.example);
      else state.notice = 'Nothing to read there: click a post’s title or date.';
    }
    state.examples = [...new Set(state.examples)].slice(-MAX_EXAMPLES);
    derive(state, annotated, page.url, now);
    if (state.errors.length > 0) status = 400;
  } else if (stored) {
    state.rules = parseListRules(stored);
    state.rulesText = JSON.stringify(stored, null, 2);
  }
  itemsOf(state, page.html, page.url, now);
  if (state.rules && state.items.length > 0) state.found = pathsFound(annotated, state.rules);
  return status;
}

async function page(c: Context<AppEnv>, state: BuilderState, status: number) {
  const [token, signOutToken] = await Promise.all([tokenFor(c, 'builder'), tokenFor(c, 'sign-out')]);
  return c.html(renderBuilderPage(siteConfig(c.env), { state, token, signOutToken }), status as 200);
}

/** A refused address or source as the page shows it: the form again, with the error on its field. */
async function refused(c: Context<AppEnv>, error: unknown, address: string) {
  if (!(error instanceof InvalidFieldError)) throw error;
  const state = emptyState(address, null);
  state.errors.push({ field: error.field === 'url' ? 'address' : error.field, message: error.reason });
  return page(c, state, 400);
}

builderPages.get('/', async (c) => {
  if (!c.req.query('source') && !c.req.query('address')) return page(c, emptyState('', null), 200);
  try {
    const { state, status } = await build(c, null, true);
    const saved = c.req.query('saved');
    if (saved === 'added') state.notice = 'Added as a page source with these rules: it is read at once.';
    else if (saved === 'changed') state.notice = 'Rules saved: the source reads its page with them at once.';
    return page(c, state, status);
  } catch (error) {
    return refused(c, error, c.req.query('address') ?? '');
  }
});

/** A click, a list chosen or a title typed: the page again, or with `fragment=1` (the console's script) the results region alone. */
builderPages.post('/', async (c) => {
  const posted = await postedForm(c, 'builder');
  try {
    const fragment = field(posted, 'fragment') === '1';
    const { state, status } = await build(c, posted, !fragment);
    // The header tells the console's script that the answer is the results region, whatever its status.
    if (fragment) return c.html(renderBuilderResults(state, await tokenFor(c, 'builder')), status, { 'x-builder-results': '1' });
    return page(c, state, status);
  } catch (error) {
    return refused(c, error, field(posted, 'address'));
  }
});

/** Save rules: on the page source, or a new page source with them (the admin API's writes). */
builderPages.post('/save', async (c) => {
  const posted = await postedForm(c, 'builder');
  const text = field(posted, 'rules');
  const errors: FieldError[] = [];
  let rules: ListRules | null = null;
  try {
    rules = parseListRules(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) errors.push({ field: 'rules', message: `is not JSON: ${error.message}` });
    else if (error instanceof ExtractError) errors.push({ field: 'rules', message: error.message });
    else throw error;
  }
  try {
    const { source, url } = await target(c, field(posted, 'source'), field(posted, 'address'));
    if (rules) {
      const now = Date.now();
      if (source) {
        await changeSource(c.env, source, { rules }, now);
        return c.redirect(`/admin/sources/builder?source=${source.id}&saved=changed`, 303);
      }
      const added = await addSource(c.env, { url, kind: 'page', rules }, now);
      return c.redirect(`/admin/sources/builder?source=${added.source.id}&saved=added`, 303);
    }
    const state = emptyState(url, source);
    state.rulesText = text;
    state.read = true;
    state.errors = errors;
    return page(c, state, 400);
  } catch (error) {
    if (error instanceof ConflictError) {
      const state = emptyState(field(posted, 'address'), null);
      state.rulesText = text;
      state.read = true;
      state.errors.push({ field: 'address', message: `${field(posted, 'address')} ${error.reason}.` });
      return page(c, state, 409);
    }
    return refused(c, error, field(posted, 'address'));
  }
});

/**
 * The snapshot in the frame: the page's body with a path on each element, sanitized without a
 * URL, under a policy of its own (src/http/security-headers.ts: inline styles and nothing else,
 * framed by the console only).
 */
builderPages.get('/snapshot', async (c) => {
  let url: string;
  try {
    url = (await target(c, c.req.query('source') ?? '', c.req.query('address') ?? '')).url;
  } catch (error) {
    if (error instanceof InvalidFieldError) throw badRequest([{ field: error.field, message: error.reason }]);
    throw error;
  }
  const fetched = await fetchPage(c.env, url);
  if (!fetched.ok)
    return c.html(renderSnapshot(`<p>${escapeText(fetchFailure(url, fetched))}</p>`, 'en', 'The page could not be fetched'), 502);
  try {
    const annotated = annotatePaths(fetched.html);
    return c.html(renderSnapshot(annotated.body, annotated.lang, `Snapshot of ${url}`));
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    return c.html(renderSnapshot(`<p>${escapeText(error.message)}</p>`, 'en', 'The page cannot be read'), 422);
  }
});

const escapeText = (text: string) => text.replace(/[&<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
