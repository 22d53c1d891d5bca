// Page sources: a feed made from a site's own web pages. The list page is read by extractList
// (with the publisher's rules, if any); each post not stored yet is fetched once and read by
// extractSanitizedArticle. What this module answers goes through the same compare-and-store
// steps as a feed's items (refresh.ts).

import { canonicalLanguage } from '../domain/language';
import { siteConfig } from '../config';
import type { Source } from '../db/sources';
import { slugify } from '../domain/slug';
import {
  type Article,
  ExtractError,
  extractList,
  extractSanitizedArticle,
  type ListItem,
  type ListResult,
  type ListRules,
  parseListRules,
} from '../extract';
import { escapeHtml, truncateText } from '../html/text';
import { decodeHtmlBytes } from './fetch/decode';
import { fetchUpstream } from './fetch/fetch-upstream';
import {
  ITEMS_PER_SOURCE,
  MAX_ARTICLE_FETCHES,
  MAX_AUTHORS,
  MAX_CATEGORIES,
  MAX_CONTENT_BYTES,
  MAX_SUMMARY_BYTES,
  MAX_TITLE_CHARS,
  MAX_TITLE_GRAPHEMES,
  MAX_URL_CHARS,
} from './limits';

/** A page fetched and decoded, or why not (a fetch error kind, with the HTTP status if any). */
export type FetchedPage =
  | { ok: true; html: string; url: string; status: number }
  | { ok: false; errorKind: string; message: string; status: number | null; retryAfterMs: number | null };

/** Fetches one web page with the safe fetcher (address checks, caps, timeout, redirects) and decodes it. */
export async function fetchPage(env: Env, url: string): Promise<FetchedPage> {
  const fetched = await fetchUpstream(url, {
    etag: null,
    lastModified: null,
    userAgent: `Syndicate/0.1 (feed aggregator; +${siteConfig(env).url}/)`,
    allowLoopback: env.ALLOW_LOOPBACK_UPSTREAMS === 'true',
  });
  if (fetched.kind === 'error') {
    return {
      ok: false,
      errorKind: fetched.errorKind,
      message: fetched.message,
      status: fetched.status ?? null,
      retryAfterMs: fetched.retryAfterMs ?? null,
    };
  }
  if (fetched.kind === 'gone')
    return { ok: false, errorKind: 'http_status', message: 'The page answered 410 Gone.', status: 410, retryAfterMs: null };
  if (fetched.kind === 'not_modified') {
    return {
      ok: false,
      errorKind: 'http_status',
      message: 'The page answered 304 to an unconditional request.',
      status: 304,
      retryAfterMs: null,
    };
  }
  return { ok: true, html: decodeHtmlBytes(fetched.bytes, fetched.contentType).text, url: fetched.finalUrl, status: fetched.status };
}

/** A source's stored rules as ListRules (they were validated when stored). */
export function sourceRules(source: Pick<Source, 'rules'>): ListRules | undefined {
  return source.rules ? parseListRules(source.rules) : undefined;
}

/** One post of a page source, ready for the compare-and-store steps (an UpstreamEntry without its id). */
export type PageItem = {
  key: string;
  title: string;
  summary: string;
  contentHtml: string;
  url: string;
  image: string | null;
  publishedAt: number | null;
  authors: { name: string; slug: string; url?: string }[];
  categories: string[];
  /** The article page's language (`<html lang>`, metadata), canonical; null: unknown. */
  language: string | null;
};

export type PageRead =
  | { ok: true; items: PageItem[]; seen: number; warnings: string[]; title: string | null; siteUrl: string }
  | { ok: false; errorKind: string; message: string };

/**
 * Reads a list page and the new posts it links to. `isStored(url)` says whether a post is
 * stored already: those are never fetched again. At most MAX_ARTICLE_FETCHES articles are
 * fetched; the rest wait for the next refresh. A post whose page cannot be fetched or read is a
 * warning (it is tried again next time), never a failed refresh; a list page with no post, too
 * large or too deep is an error (ExtractError's kind).
 */
export async function readPageSource(
  env: Env,
  listHtml: string,
  listUrl: string,
  rules: ListRules | undefined,
  isStored: (url: string) => boolean,
  now: number,
): Promise<PageRead> {
  let list: ListResult;
  try {
    list = extractList(listHtml, listUrl, rules, now);
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, errorKind: error.kind, message: `The list page: ${error.message}` };
    throw error;
  }
  const warnings = list.warnings.map((w) => `list page: ${w}`);
  const fresh = list.items.slice(0, ITEMS_PER_SOURCE).filter((item) => item.url.length <= MAX_URL_CHARS && !isStored(item.url));
  const batch = fresh.slice(0, MAX_ARTICLE_FETCHES);
  if (fresh.length > batch.length) {
    warnings.push(
      `${fresh.length - batch.length} more new posts than the ${MAX_ARTICLE_FETCHES} article pages fetched per refresh; the next refresh fetches them`,
    );
  }
  const items: PageItem[] = [];
  for (const entry of batch) {
    const page = await fetchPage(env, entry.url);
    if (!page.ok) {
      warnings.push(`${entry.url}: not fetched (${page.errorKind}: ${page.message}); tried again next refresh`);
      continue;
    }
    let article: Article;
    try {
      article = extractSanitizedArticle(page.html, page.url, { now, dateLocale: rules?.dateLocale, contentSelector: rules?.content });
    } catch (error) {
      if (!(error instanceof ExtractError)) throw error;
      warnings.push(`${entry.url}: not read (${error.kind}: ${error.message}); tried again next refresh`);
      continue;
    }
    items.push(pageItem(entry, article));
  }
  return { ok: true, items, seen: list.items.length, warnings, title: pageTitle(listHtml), siteUrl: new URL('/', listUrl).href };
}

/** A post from its list entry and its article page: the list's title, authors, date and image first. */
function pageItem(entry: ListItem, article: Article): PageItem {
  const title = truncateText(entry.title || article.title, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS);
  const authors = (entry.authors?.length ? entry.authors : article.authors)
    .slice(0, MAX_AUTHORS)
    .map((a) => ({ name: a.name, slug: slugify(a.name) || 'author', ...(a.url ? { url: a.url } : {}) }));
  const excerpt = entry.summary || article.excerpt;
  const summary = excerpt ? `<p>${escapeHtml(truncateText(excerpt, 2000, MAX_SUMMARY_BYTES / 4))}</p>` : '';
  const content = new TextEncoder().encode(article.contentHtml).length <= MAX_CONTENT_BYTES ? article.contentHtml : '';
  return {
    key: entry.url,
    title,
    summary,
    contentHtml: content,
    url: entry.url,
    image: entry.image ?? article.image,
    publishedAt: entry.published ?? article.published,
    authors,
    categories: article.categories.slice(0, MAX_CATEGORIES),
    language: canonicalLanguage(article.lang),
  };
}

/** The list page's own title (og:site_name, else <title>), as plain text. */
function pageTitle(html: string): string | null {
  const head = html.slice(0, 64 * 1024);
  const og = /<meta[^>]+property=["']og:site_name["'][^>]+content=["']([^"']+)["']/i.exec(head);
  const title = og?.[1] ?? /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1];
  if (!title) return null;
  const text = title
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
  return text ? truncateText(text, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS) : null;
}
