import { upstreamSettings } from '../config';
import { importSources } from '../db/source-import';
import type { SourceInput } from '../db/sources';
import { InvalidFieldError } from '../domain/invalid-field-error';
import { MAX_SOURCE_TAGS, type Source } from '../domain/source';
import { MAX_TAG_CHARS, tagNameProblem } from '../domain/tag';
import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';
import { refreshSoon } from '../ingest/refresh-queue';
import { readOpml } from './parse';

/** Feeds one import may list. */
export const MAX_IMPORT = 10_000;

/** The largest OPML document taken (the API's body, the console's file): MAX_IMPORT outlines with long titles, URLs and folders. */
export const MAX_OPML_BYTES = 8 * 1024 * 1024;

/** The reason a skipped feed gives when it is a source already (the console lists those apart from the refused). */
export const ALREADY_A_SOURCE = 'already a source';

/** What an import did: the sources it added, the feeds it left out and why, and what it could not take of the others. */
export type OpmlImport = { added: Source[]; skipped: { url: string; reason: string }[]; warnings: string[] };

/**
 * Adds the feeds of an OPML document as sources, in one transaction, and asks the queue to refresh
 * them at once (refreshSoon). A feed whose URL may not be fetched, is listed twice or is a source
 * already is skipped; a tag or syndicate: attribute it cannot take is named in `warnings`, never
 * dropped silently.
 * @throws InvalidFieldError naming `body` for a document that is not OPML or lists too many feeds.
 */
export async function importOpml(env: Env, xml: string, now: number): Promise<OpmlImport> {
  const { feeds, warnings } = await readOpml(xml);
  if (feeds.length > MAX_IMPORT) throw new InvalidFieldError('body', `lists ${feeds.length} feeds; at most ${MAX_IMPORT} per import`);
  const { allowLoopback } = upstreamSettings(env);
  const skipped: { url: string; reason: string }[] = [];
  const wanted = new Map<string, SourceInput>();
  for (const feed of feeds) {
    const problem = checkUpstreamUrl(feed.url, allowLoopback);
    if (problem) {
      skipped.push({ url: feed.url, reason: problem });
      continue;
    }
    const url = new URL(feed.url).href;
    if (wanted.has(url)) {
      skipped.push({ url, reason: 'listed twice in this document' });
      continue;
    }
    const tags: string[] = [];
    for (const tag of feed.tags) {
      const problem = tagNameProblem(tag) ?? (tags.length === MAX_SOURCE_TAGS ? `is one more than ${MAX_SOURCE_TAGS}` : null);
      if (problem) warnings.push(`${url}: the tag "${tag.slice(0, MAX_TAG_CHARS)}" ${problem}; not added`);
      else tags.push(tag);
    }
    if (feed.problem) warnings.push(`${url}: ${feed.problem}`);
    wanted.set(url, {
      url,
      titleOverride: feed.title,
      tags,
      kind: feed.kind,
      rules: feed.rules,
      site: feed.site,
      fullText: feed.fullText,
    });
  }
  // A URL that is a source already (also one a concurrent import just added) is skipped.
  const added = await importSources(env.DB, [...wanted.values()], now);
  await refreshSoon(env, added);
  const addedUrls = new Set(added.map((s) => s.url));
  for (const url of wanted.keys()) if (!addedUrls.has(url)) skipped.push({ url, reason: ALREADY_A_SOURCE });
  return { added, skipped, warnings };
}
