// What an address would give as a source, stored nowhere: the console's "Find feed" before
// "Add source". The same look as a source added without a kind (detect.ts): a feed is parsed as a
// refresh parses it; an HTML page that advertises a feed gives that feed; any other HTML page is
// read as a page source would read it (preview.ts, the pipeline of POST /api/sources/preview).
// Unlike the detection of an add, a failure is an answer here: nothing is added on a guess.

import type { SourceKind } from '../domain/source';
import { checkUpstreamUrl } from './fetch/fetch-upstream';
import { upstreamSettings } from '../config';
import { type Looked, look } from './detect';
import { parseFeed } from './parse/parse-feed';
import { previewPageSource } from './preview';

/** Items a preview shows. */
export const FOUND_ITEMS = 20;

/** An item as the preview lists it. */
export type FoundItem = { title: string; url: string | null; published: number | null };

export type Found =
  | {
      ok: true;
      kind: SourceKind;
      /** The address to store: the feed, the feed a page advertises, or the page. */
      url: string;
      /** The page the feed was found on, when it advertised it. */
      from: string | null;
      title: string | null;
      reason: string;
      items: FoundItem[];
      warnings: string[];
    }
  | { ok: false; message: string };

/** Reads `url` (checked by the caller) as a source would, and says what it found; never throws for what the upstream does. */
export async function findSource(env: Env, url: string, now: number): Promise<Found> {
  const first = await look(env, url);
  if (!first.ok) return { ok: false, message: `The address could not be fetched: ${first.why}` };
  const { sniffed } = first;
  if (sniffed.kind === 'feed') return feedFound(first, url, null, 'The address is a feed.');
  if (sniffed.kind === 'other') return { ok: false, message: `This is not a feed or a web page: ${sniffed.message}` };
  const alternate = sniffed.alternate;
  let why = '';
  if (alternate && checkUpstreamUrl(alternate, upstreamSettings(env).allowLoopback) === null) {
    const feed = await look(env, alternate);
    if (feed.ok && feed.sniffed.kind === 'feed') {
      return feedFound(feed, alternate, url, `The address is a web page that advertises a feed: ${alternate}.`);
    }
    why = ` The feed it advertises (${alternate}) is not one (${feed.ok ? 'not a feed' : feed.why}).`;
  }
  const preview = await previewPageSource(env, url, undefined, now);
  if (!preview.ok) {
    if ('fetch' in preview) return { ok: false, message: `The page could not be fetched: ${preview.fetch.message}` };
    if ('extract' in preview)
      return { ok: false, message: `The page advertises no feed, and no list of posts was found on it: ${preview.extract.message}.${why}` };
    return { ok: false, message: 'No list of posts was found on the page.' };
  }
  return {
    ok: true,
    kind: 'page',
    url,
    from: null,
    title: null,
    reason: `The address is a web page that advertises no feed: its posts are read from the page (${preview.list.method}).${why}`,
    items: preview.list.items.slice(0, FOUND_ITEMS).map((item) => ({ title: item.title, url: item.url, published: item.published })),
    warnings: preview.list.warnings,
  };
}

async function feedFound(looked: Extract<Looked, { ok: true }>, url: string, from: string | null, reason: string): Promise<Found> {
  const parsed = await parseFeed({ bytes: looked.bytes, contentType: looked.contentType, url: looked.finalUrl, maxItems: FOUND_ITEMS });
  if (!parsed.ok) return { ok: false, message: `This looks like a feed but cannot be read: ${parsed.message}` };
  const { feed } = parsed;
  return {
    ok: true,
    kind: 'feed',
    url,
    from,
    title: feed.title,
    reason,
    items: feed.items.map((item) => ({ title: item.title, url: item.url, published: item.publishedAt })),
    warnings: feed.warnings,
  };
}
