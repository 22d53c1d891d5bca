import { Hono } from 'hono';
import { siteConfig, upstreamSettings } from '../config';
import { createSource, deleteSource, findSourceByUrl, getSource, listSources, SourceExistsError, updateSource } from '../db/sources';
import { type Source, sourceReading } from '../domain/source';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { badRequest, notFound, ProblemError } from '../http/problem';
import { parsedOptions } from '../http/validation';
import { ExtractError, extractList, extractSanitizedArticle, type ListResult } from '../extract';
import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';
import { detectSourceKind } from '../ingest/detect';
import { fetchPage } from '../ingest/page-source';
import { extractProblem, pageProblem, presentArticle } from './api-extract';
import { refreshSource } from '../ingest/refresh';
import { refreshSoon } from '../ingest/refresh-queue';
import { forgetMoves } from '../moves/serve-moves';
import { sourcesOpml } from '../opml/export';
import { importOpml } from '../opml/import';
import { feedUrls } from '../views/urls';
import { adoptedSlugs, limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { previewBody, refreshBody, sourceBody, sourceListQuery, sourcePatch } from './source-schema';
import { sourceIdParam, validate } from './query';

/** The admin API for upstream sources. Every route needs the bearer token. */
export const sourceApi = new Hono<AppEnv>();

sourceApi.use('*', adminAuth());
sourceApi.use('*', adoptedSlugs);
/** An OPML import may list MAX_IMPORT outlines with long titles, URLs and folders: a larger body. */
const MAX_IMPORT_BODY = 8 * 1024 * 1024;
const importBody = limitBody(MAX_IMPORT_BODY);
const jsonBody = limitBody(MAX_BODY);
sourceApi.on(['POST', 'PATCH'], '*', (c, next) =>
  (c.req.method === 'POST' && c.req.path.endsWith('/import') ? importBody : jsonBody)(c, next),
);

/** The URL as stored, or a 400 naming `field` when it may not be fetched. */
function checkedUrl(env: Env, url: string, field = 'url'): string {
  const problem = checkUpstreamUrl(url, upstreamSettings(env).allowLoopback);
  if (problem) throw badRequest([{ field, message: problem }]);
  return new URL(url).href;
}

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
  const body = c.req.valid('json');
  const given = checkedUrl(c.env, body.url);
  // Neither kind nor rules: one look at the URL decides (src/ingest/detect.ts), and the answer says what it found.
  // A URL that is a source already is a 409 before anything is fetched.
  const detect = body.kind === undefined && !body.rules;
  if (detect && (await findSourceByUrl(c.env.DB, given))) throw new SourceExistsError(given);
  const detected = detect ? await detectSourceKind(c.env, given) : null;
  const url = detected?.url ?? given;
  const reading = sourceReading(null, { kind: detected?.kind ?? body.kind, rules: body.rules, fullText: body.full_text });
  const source = await createSource(
    c.env.DB,
    { url, titleOverride: body.title ?? null, tags: body.tags ?? [], ...reading, site: body.site ?? false },
    Date.now(),
  );
  await refreshSoon(c.env, [source]);
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
  const body = c.req.valid('json');
  const url = body.url === undefined ? undefined : checkedUrl(c.env, body.url);
  // Kind, rules and full text are judged together, as they will be stored.
  const reading = sourceReading(before, { kind: body.kind, rules: body.rules, fullText: body.full_text });
  const reshaped = body.kind !== undefined || body.rules !== undefined;
  const source = await updateSource(
    c.env.DB,
    before,
    {
      url,
      titleOverride: body.title,
      tags: body.tags,
      paused: body.paused,
      ...(reshaped ? { kind: reading.kind, rules: reading.rules } : {}),
      site: body.site,
      fullText: reading.fullText,
    },
    Date.now(),
  );
  return c.json(present(c.env, source));
});

sourceApi.delete('/:id', validate('param', sourceIdParam), async (c) => {
  await deleteSource(c.env.DB, await existing(c.env.DB, c.req.valid('param').id), Date.now());
  // Its feeds and page answer 410 from now on: at once in this isolate, in the others within MOVES_MEMO_MS.
  forgetMoves(c.env.DB);
  return c.body(null, 204);
});

/**
 * What a page source would give, stored nowhere: the posts extractList finds on the list page and
 * the first of them read as an article (or why it could not be).
 */
sourceApi.post('/preview', requireJson, validate('json', previewBody), async (c) => {
  const body = c.req.valid('json');
  const url = checkedUrl(c.env, body.url);
  const rules = body.rules ?? undefined;
  const now = Date.now();
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const list = await fetchPage(c.env, url);
  if (!list.ok) throw pageProblem(url, list);
  let found: ListResult;
  try {
    found = extractList(list.html, list.url, rules, now);
  } catch (error) {
    if (error instanceof ExtractError) throw extractProblem(url, error);
    throw error;
  }
  let first: Record<string, unknown> | null = null;
  const head = found.items[0];
  if (head) {
    const page = await fetchPage(c.env, head.url);
    if (!page.ok) first = { url: head.url, error: `${page.errorKind}: ${page.message}` };
    else {
      try {
        first = {
          url: page.url,
          ...presentArticle(
            extractSanitizedArticle(page.html, page.url, { now, dateLocale: rules?.dateLocale, contentSelector: rules?.content }),
          ),
        };
      } catch (error) {
        if (!(error instanceof ExtractError)) throw error;
        first = { url: head.url, error: `${error.kind}: ${error.message}` };
      }
    }
  }
  return c.json({
    url: list.url,
    method: found.method,
    items: found.items.map((item) => ({ ...item, published: iso(item.published) })),
    warnings: found.warnings,
    next_page: found.nextPage ?? null,
    first_article: first,
  });
});

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
  const source = await existing(c.env.DB, c.req.valid('param').id);
  const report = await refreshSource(c.env, source, Date.now(), { refetch: options.refetch ?? false });
  return c.json({ refresh: report, source: present(c.env, (await getSource(c.env.DB, source.id))!) });
});

function present(env: Env, s: Source) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: s.id,
    url: s.url,
    kind: s.kind,
    rules: s.rules,
    site: s.site,
    full_text: s.fullText,
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
