import { Hono } from 'hono';
import { siteConfig } from '../config';
import { getSource, getSourceForRefresh, listSources } from '../db/sources';
import { checkFilters } from '../domain/filters';
import type { Source } from '../domain/source';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { badRequest, notFound, ProblemError } from '../http/problem';
import { parsedOptions } from '../http/validation';
import { previewSourceFilters } from '../ingest/filtering';
import { previewPageSource } from '../ingest/preview';
import { refreshAndRead } from '../ingest/refresh';
import { sourcesOpml } from '../opml/export';
import { importOpml, MAX_OPML_BYTES } from '../opml/import';
import { addSource, changeSource, fetchableUrl, removeSource } from '../sources/write';
import { feedUrls } from '../views/urls';
import { adoptedSlugs, limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { extractProblem, pageProblem, presentArticle } from './api-extract';
import { sourceIdParam, validate } from './query';
import { filtersBody, previewBody, refreshBody, sourceBody, sourceListQuery, sourcePatch } from './source-schema';

/** The admin API for upstream sources. Every route needs the bearer token. */
export const sourceApi = new Hono<AppEnv>();

sourceApi.use('*', adminAuth());
sourceApi.use('*', adoptedSlugs);
/** An OPML import takes a larger body. */
const importBody = limitBody(MAX_OPML_BYTES);
const jsonBody = limitBody(MAX_BODY);
sourceApi.on(['POST', 'PATCH'], '*', (c, next) =>
  (c.req.method === 'POST' && c.req.path.endsWith('/import') ? importBody : jsonBody)(c, next),
);

async function existing(db: D1Database, id: number): Promise<Source> {
  const source = await getSource(db, id);
  if (!source) throw notFound(`No source has the id ${id}.`);
  return source;
}

sourceApi.get('/', validate('query', sourceListQuery), async (c) => {
  const query = c.req.valid('query');
  const { sources, total } = await listSources(c.env.DB, query);
  return c.json({ total, limit: query.limit, offset: query.offset, sources: sources.map((s) => present(c.env, s)) });
});

sourceApi.post('/', requireJson, validate('json', sourceBody), async (c) => {
  const { title, full_text, ...body } = c.req.valid('json');
  const { source, detected } = await addSource(c.env, { ...body, titleOverride: title, fullText: full_text }, Date.now());
  const answer = detected
    ? { ...present(c.env, source), detected: { kind: detected.kind, from: detected.from ?? null, reason: detected.reason } }
    : present(c.env, source);
  return c.json(answer, 201, { location: `/api/sources/${source.id}` });
});

sourceApi.get('/export', async (c) =>
  c.body(await sourcesOpml(c.env), 200, {
    'content-type': 'text/x-opml; charset=utf-8',
    'content-disposition': 'attachment; filename="sources.opml"',
  }),
);

sourceApi.post('/import', async (c) => {
  const type = c.req.header('content-type') ?? '';
  if (!/^(?:text|application)\/(?:x-opml|xml|opml|[\w.+-]+\+xml)\s*(?:;|$)/i.test(type)) {
    throw new ProblemError(415, 'Unsupported Media Type', 'Send an OPML document as text/x-opml or application/xml.');
  }
  const { added, skipped, warnings } = await importOpml(c.env, await c.req.text(), Date.now());
  return c.json({ added: added.map((s) => present(c.env, s)), skipped, warnings });
});

sourceApi.get('/:id', validate('param', sourceIdParam), async (c) =>
  c.json(present(c.env, await existing(c.env.DB, c.req.valid('param').id))),
);

sourceApi.patch('/:id', requireJson, validate('param', sourceIdParam), validate('json', sourcePatch), async (c) => {
  const before = await existing(c.env.DB, c.req.valid('param').id);
  const { title, full_text, ...body } = c.req.valid('json');
  const source = await changeSource(c.env, before, { ...body, titleOverride: title, fullText: full_text }, Date.now());
  return c.json(present(c.env, source));
});

sourceApi.delete('/:id', validate('param', sourceIdParam), async (c) => {
  await removeSource(c.env, await existing(c.env.DB, c.req.valid('param').id), Date.now());
  return c.body(null, 204);
});

/**
 * What a page source would give, stored nowhere: the posts extractList finds on the list page and
 * the first of them read as an article (or why it could not be).
 */
sourceApi.post('/preview', requireJson, validate('json', previewBody), async (c) => {
  const body = c.req.valid('json');
  const url = fetchableUrl(c.env, body.url);
  const preview = await previewPageSource(c.env, url, body.rules ?? undefined, Date.now(), body.examples);
  if (!preview.ok) {
    if ('missing' in preview) throw examplesProblem(url, preview.missing);
    throw 'fetch' in preview ? pageProblem(url, preview.fetch) : extractProblem(url, preview.extract);
  }
  const { list, first } = preview;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return c.json({
    url: preview.url,
    ...(preview.rules ? { rules: preview.rules } : {}),
    method: list.method,
    items: list.items.map((item) => ({ ...item, published: iso(item.published) })),
    warnings: list.warnings,
    next_page: list.nextPage ?? null,
    first_article: first && ('error' in first ? first : { url: first.url, ...presentArticle(first.article) }),
  });
});

/**
 * Which stored items of the source the candidate rules would keep and which they would block (and
 * by which rule), judged now; nothing is stored.
 */
sourceApi.post('/:id/filters/preview', requireJson, validate('param', sourceIdParam), validate('json', filtersBody), async (c) => {
  const source = await existing(c.env.DB, c.req.valid('param').id);
  const rules = checkFilters(c.req.valid('json').filters);
  return c.json({ filters: rules, ...(await previewSourceFilters(c.env.DB, source.id, rules, Date.now())) });
});

/** A 422 naming each example (`examples.<i>`) the list page does not show. */
function examplesProblem(url: string, missing: number[]): ProblemError {
  const errors = missing.map((i) => ({ field: `examples.${i}`, message: `was not found on the page ${url}` }));
  return new ProblemError(422, 'Unprocessable page', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/**
 * Fetches the source now, whatever its state or due time, and answers with what happened. With
 * `{"refetch": true}` every article (a page source's posts, a full-text source's summary-only
 * items) is fetched again, unconditionally, and the list page or feed in full.
 */
sourceApi.post('/:id/refresh', validate('param', sourceIdParam), async (c) => {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim() !== '') {
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(c.req.header('content-type') ?? ''))
      throw new ProblemError(415, 'Unsupported Media Type', 'Send the refresh options as application/json, or no body.');
    try {
      json = JSON.parse(text);
    } catch {
      throw badRequest([{ field: 'body', message: 'is not valid JSON' }]);
    }
  }
  const options = parsedOptions(refreshBody, json);
  const id = c.req.valid('param').id;
  const found = await getSourceForRefresh(c.env.DB, id);
  if (!found) throw notFound(`No source has the id ${id}.`);
  const { source, lastDocument } = found;
  const refreshed = await refreshAndRead(c.env, source, Date.now(), { refetch: options.refetch ?? false, lastDocument });
  const after = refreshed.source ?? (await getSource(c.env.DB, source.id))!;
  return c.json({ refresh: refreshed.report, source: present(c.env, after) });
});

/** A source as the API shows it: snake_case, dates as ISO strings, its feeds' URLs. */
function present(env: Env, s: Source) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: s.id,
    url: s.url,
    kind: s.kind,
    rules: s.rules,
    site: s.site,
    full_text: s.fullText,
    filters: s.filters,
    title: s.titleOverride ?? s.title ?? s.url,
    title_override: s.titleOverride,
    upstream_title: s.title,
    site_url: s.siteUrl,
    tags: s.tags.map((t) => t.name),
    state: s.state,
    paused_reason: s.pausedReason,
    item_count: s.itemCount,
    last_fetched_at: iso(s.lastFetchedAt),
    last_outcome: s.lastOutcome,
    last_status: s.lastStatus,
    last_error_kind: s.lastErrorKind,
    last_error: s.lastError,
    warnings: s.lastWarnings,
    consecutive_failures: s.consecutiveFailures,
    next_due_at: s.state === 'active' ? iso(s.nextDueAt) : null,
    etag: s.etag,
    last_modified: s.lastModified,
    feeds: feedUrls(siteConfig(env), { kind: 'source', id: s.id }),
    created_at: iso(s.createdAt),
  };
}
