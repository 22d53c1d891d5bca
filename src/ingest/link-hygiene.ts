// Link hygiene at ingest (docs/filters.md): tracking parameters leave items' links and the links
// in their content, and items whose links differ only by them are one item. Ids never change: an
// item already stored under a key with tracking parameters keeps that key.

import type { UpstreamEntry } from '../db/upstream-entries';
import { stripTracking, stripTrackingInHtml, type TrackingParams, trackingParams } from '../html/tracking';
import { canonicalLink, upstreamEntryId } from './entries';

const byEnv = new WeakMap<object, TrackingParams>();

/** The tracking parameters of this deployment: the defaults and TRACKING_PARAMS. */
export function trackingParamsOf(env: Env): TrackingParams {
  let params = byEnv.get(env);
  if (params === undefined) {
    params = trackingParams(env.TRACKING_PARAMS ?? '');
    byEnv.set(env, params);
  }
  return params;
}

/** Removes tracking parameters from each entry's link and from the links in its content and summary (in place). */
export async function cleanLinks(entries: UpstreamEntry[], params: TrackingParams): Promise<void> {
  for (const entry of entries) {
    if (entry.url !== null) {
      const url = stripTracking(entry.url, params);
      if (url !== entry.url) {
        entry.url = url;
        entry.canonicalUrl = canonicalLink(url);
      }
    }
    entry.contentHtml = await stripTrackingInHtml(entry.contentHtml, params);
    entry.summary = await stripTrackingInHtml(entry.summary, params);
  }
}

/**
 * Item keys that are links lose their tracking parameters, so that the same link reached with
 * other parameters is the same item; but an item already stored (`isStored`, by id) under its
 * key as it came keeps it, so no stored id changes. Of entries that become one, the first stays.
 */
export function normalizeKeys<E extends UpstreamEntry>(
  sourceId: number,
  entries: E[],
  isStored: (id: string) => boolean,
  params: TrackingParams,
): E[] {
  const seen = new Set<string>();
  const out: E[] = [];
  for (const entry of entries) {
    if (/^https?:/i.test(entry.key) && !isStored(entry.id)) {
      const key = stripTracking(entry.key, params);
      if (key !== entry.key) {
        entry.key = key;
        entry.id = upstreamEntryId(sourceId, key);
      }
    }
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    out.push(entry);
  }
  return out;
}
