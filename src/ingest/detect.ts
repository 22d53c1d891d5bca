// What kind of source a URL makes, when the publisher adds it without saying: one fetch (two
// when a page advertises a feed) through the safe fetcher, and a sniff of what came back. A feed
// is followed as a feed; an HTML page that advertises a feed gives that feed (the answer says so);
// an HTML page with none gives a page source. Nothing is parsed beyond the document's root.

import { upstreamSettings } from '../config';
import type { SourceKind } from '../domain/source';
import { checkUpstreamUrl, fetchUpstream } from './fetch/fetch-upstream';
import { sniffDocument, type Sniffed } from './parse/parse-feed';

/** A detection has to answer inside the admin request: shorter than a refresh's timeout. */
const DETECT_TIMEOUT_MS = 8_000;

/** What was decided, and why: the API returns it as `detected`. */
export type Detection = {
  kind: SourceKind;
  /** The URL to store: the feed a page advertises, or the URL given. */
  url: string;
  /** The page the feed was found on, when the stored URL is that feed. */
  from?: string;
  reason: string;
};

/** One fetch of a URL and what its body is (kept, for a preview to parse), or why it could not be fetched. */
export type Looked =
  | { ok: true; sniffed: Sniffed; finalUrl: string; bytes: Uint8Array; contentType: string | null }
  | { ok: false; why: string };

export async function look(env: Env, url: string): Promise<Looked> {
  const fetched = await fetchUpstream(url, {
    etag: null,
    lastModified: null,
    ...upstreamSettings(env),
    timeoutMs: DETECT_TIMEOUT_MS,
  });
  if (fetched.kind === 'error') return { ok: false, why: `${fetched.errorKind}: ${fetched.message}` };
  if (fetched.kind !== 'ok') return { ok: false, why: fetched.kind === 'gone' ? 'it answered 410 Gone' : 'it answered 304' };
  return {
    ok: true,
    sniffed: sniffDocument(fetched.bytes, fetched.contentType, fetched.finalUrl),
    finalUrl: fetched.finalUrl,
    bytes: fetched.bytes,
    contentType: fetched.contentType,
  };
}

/**
 * Decides the kind of a source added without one. Never throws for what the upstream does: a URL
 * that cannot be fetched now is added as a feed (its refreshes say what is wrong, and it can be
 * made a page source later with PATCH {"kind": "page"}).
 */
export async function detectSourceKind(env: Env, url: string): Promise<Detection> {
  const first = await look(env, url);
  if (!first.ok) {
    return { kind: 'feed', url, reason: `The URL could not be fetched now (${first.why}); added as a feed, the default.` };
  }
  const { sniffed } = first;
  if (sniffed.kind === 'feed') return { kind: 'feed', url, reason: 'The URL is a feed.' };
  if (sniffed.kind === 'other') {
    return { kind: 'feed', url, reason: `${sniffed.message} Added as a feed; its refreshes will say what is wrong.` };
  }
  const alternate = sniffed.alternate;
  if (alternate && checkUpstreamUrl(alternate, upstreamSettings(env).allowLoopback) === null) {
    const feed = await look(env, alternate);
    if (feed.ok && feed.sniffed.kind === 'feed') {
      return { kind: 'feed', url: alternate, from: url, reason: `The URL is an HTML page that advertises a feed: following ${alternate}.` };
    }
    return {
      kind: 'page',
      url,
      reason: `The URL is an HTML page; the feed it advertises (${alternate}) is not one (${feed.ok ? 'not a feed' : feed.why}), so its posts are read from the page.`,
    };
  }
  return { kind: 'page', url, reason: 'The URL is an HTML page that advertises no feed: its posts are read from the page.' };
}
