import { Hono } from 'hono';
import { z } from 'zod';
import { type Article, ExtractError, extractSanitizedArticle } from '../extract';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { ProblemError } from '../http/problem';
import { type FetchedPage, fetchPage } from '../ingest/page-source';
import { limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { validate } from './query';

/** POST /api/extract {"url"}: one web page read as an article, nothing stored. Bearer token needed. */
export const extractApi = new Hono<AppEnv>();

extractApi.use('*', adminAuth());
extractApi.use('*', limitBody(MAX_BODY));

/** An absolute http(s) URL, as a request body field. */
export const pageUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an absolute http or https URL')
  .describe('an absolute http or https URL');

/** Fetch errors that say something about the page the client named (422) rather than the upstream's state (502). */
const CLIENT_KINDS = new Set(['bad_url', 'blocked_address', 'too_large', 'robots_disallowed']);

/** The problem for a page that could not be fetched: 422 when no fetch can succeed, 502 when the upstream failed. */
export function pageProblem(url: string, page: Extract<FetchedPage, { ok: false }>): ProblemError {
  const status = CLIENT_KINDS.has(page.errorKind) ? 422 : 502;
  const upstream = page.status ? ` (HTTP ${page.status})` : '';
  return new ProblemError(
    status,
    status === 422 ? 'Unprocessable page' : 'Upstream failure',
    `${page.errorKind}: ${url}${upstream}: ${page.message}`,
  );
}

/** The problem for a page the extraction could not read (422, naming the ExtractError's kind). */
export function extractProblem(url: string, error: ExtractError): ProblemError {
  return new ProblemError(422, 'Unprocessable page', `${error.kind}: ${url}: ${error.message}`);
}

/** An article as the API shows it: dates as ISO strings or null, the body sanitized. */
export function presentArticle(article: Article) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    title: article.title,
    authors: article.authors,
    published: iso(article.published),
    lang: article.lang,
    image: article.image,
    excerpt: article.excerpt,
    content_html: article.contentHtml,
    text: article.text,
  };
}

extractApi.post('/', requireJson, validate('json', z.strictObject({ url: pageUrl })), async (c) => {
  const { url } = c.req.valid('json');
  const page = await fetchPage(c.env, url);
  if (!page.ok) throw pageProblem(url, page);
  try {
    return c.json({ url: page.url, ...presentArticle(extractSanitizedArticle(page.html, page.url)) });
  } catch (error) {
    if (error instanceof ExtractError) throw extractProblem(url, error);
    throw error;
  }
});
