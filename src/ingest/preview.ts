import { type Article, ExtractError, extractList, extractSanitizedArticle, type ListResult, type ListRules } from '../extract';
import { rulesFromExamples } from '../extract/rules-from-examples';
import { type FetchedPage, fetchPage } from './page-source';

/** The first post of a preview: its article as the refresh would read it, or why it could not be read. */
export type FirstArticle = { url: string; article: Article } | { url: string; error: string };

/** What a page source would give, stored nowhere; `rules` when they were derived from examples. */
export type PagePreview = { ok: true; url: string; list: ListResult; first: FirstArticle | null; rules?: ListRules };

/**
 * Why the list page gave no preview: it could not be fetched, no posts could be read from it, or
 * examples (their indexes in `missing`) are not on it.
 */
export type PreviewFailure =
  | { ok: false; fetch: Extract<FetchedPage, { ok: false }> }
  | { ok: false; extract: ExtractError }
  | { ok: false; missing: number[] };

/**
 * Reads a list page as a page source with `rules` would (the heuristics without), and the first
 * post it finds as an article. `url` may be fetched (the caller checked it). A first post that
 * cannot be fetched or read is named in `first`, not a failure. With `examples` (posts as a
 * person sees them: titles or URLs) the rules are derived from them (rules-from-examples.ts) and
 * answered in `rules`.
 */
export async function previewPageSource(
  env: Env,
  url: string,
  given: ListRules | undefined,
  now: number,
  examples?: string[],
): Promise<PagePreview | PreviewFailure> {
  const page = await fetchPage(env, url);
  if (!page.ok) return { ok: false, fetch: page };
  let list: ListResult;
  let rules = given;
  try {
    if (examples) {
      const derived = rulesFromExamples(page.html, page.url, examples, now);
      if (!derived) return { ok: false, extract: new ExtractError('nothing_found', 'no repeating list of posts holds the examples') };
      if (!derived.ok) return { ok: false, missing: derived.missing };
      rules = derived.rules;
    }
    list = extractList(page.html, page.url, rules, now);
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, extract: error };
    throw error;
  }
  const head = list.items[0];
  const first = head ? await firstArticle(env, head.url, rules, now) : null;
  return examples ? { ok: true, url: page.url, list, first, rules } : { ok: true, url: page.url, list, first };
}

async function firstArticle(env: Env, url: string, rules: ListRules | undefined, now: number): Promise<FirstArticle> {
  const page = await fetchPage(env, url);
  if (!page.ok) return { url, error: `${page.errorKind}: ${page.message}` };
  try {
    const article = extractSanitizedArticle(page.html, page.url, {
      now,
      dateLocale: rules?.dateLocale,
      contentSelector: rules?.content,
      remove: rules?.remove,
    });
    return { url: page.url, article };
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    return { url, error: `${error.kind}: ${error.message}` };
  }
}
