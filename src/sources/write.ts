// Every write to a source, whichever way it arrives (the admin API, the console): one function
// each, so that a source is added, changed or removed the same way everywhere. OPML imports go
// through src/opml/import.ts.

import { upstreamSettings } from '../config';
import { createSource, deleteSource, findSourceByUrl, SourceExistsError, updateSource } from '../db/sources';
import { checkFilters } from '../domain/filters';
import { InvalidFieldError } from '../domain/invalid-field-error';
import { type Source, type SourceKind, sourceReading } from '../domain/source';
import type { ListRules } from '../extract';
import { type Detection, detectSourceKind } from '../ingest/detect';
import { rejudgeInViews, sourceRefilterStatement } from '../ingest/filtering';
import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';
import { refreshSoon } from '../ingest/refresh-queue';
import { forgetMoves } from '../moves/serve-moves';

/**
 * The URL as stored (parsed and serialized again).
 * @throws InvalidFieldError naming `field` when the URL may not be fetched (checkUpstreamUrl).
 */
export function fetchableUrl(env: Env, url: string, field = 'url'): string {
  const problem = checkUpstreamUrl(url, upstreamSettings(env).allowLoopback);
  if (problem) throw new InvalidFieldError(field, problem);
  return new URL(url).href;
}

/** What the publisher sets on a source; what is left out keeps its default (or, on a change, its value). */
export type SourceSettings = {
  url: string;
  titleOverride: string | null;
  tags: string[];
  kind: SourceKind;
  rules: ListRules | null;
  site: boolean;
  fullText: boolean;
  paused: boolean;
  /** Filter rules as received: checked here (checkFilters), a bad one a 400 naming it. */
  filters: unknown[];
};

/**
 * Adds a source and asks the queue to refresh it at once (refreshSoon; the cron takes it if the
 * queue cannot). Given neither kind nor rules, one look at the URL decides (src/ingest/detect.ts),
 * and `detected` says what it found; a URL that is a source already is a SourceExistsError before
 * anything is fetched.
 */
export async function addSource(
  env: Env,
  wanted: Pick<SourceSettings, 'url'> & Partial<Omit<SourceSettings, 'url' | 'paused'>>,
  now: number,
): Promise<{ source: Source; detected: Detection | null }> {
  const given = fetchableUrl(env, wanted.url);
  const detect = wanted.kind === undefined && !wanted.rules;
  if (detect && (await findSourceByUrl(env.DB, given))) throw new SourceExistsError(given);
  const detected = detect ? await detectSourceKind(env, given) : null;
  const filters = wanted.filters === undefined ? [] : checkFilters(wanted.filters);
  const reading = sourceReading(null, { kind: detected?.kind ?? wanted.kind, rules: wanted.rules, fullText: wanted.fullText });
  const source = await createSource(
    env.DB,
    {
      url: detected?.url ?? given,
      titleOverride: wanted.titleOverride ?? null,
      tags: wanted.tags ?? [],
      ...reading,
      site: wanted.site ?? false,
      filters,
    },
    now,
  );
  await refreshSoon(env, [source]);
  return { source, detected };
}

/**
 * Changes what the publisher controls. Kind and rules are judged together, as they will be
 * stored (sourceReading); a new kind, new rules or a new URL make the source read its upstream
 * in full, at once.
 */
export async function changeSource(env: Env, before: Source, change: Partial<SourceSettings>, now: number): Promise<Source> {
  const url = change.url === undefined ? undefined : fetchableUrl(env, change.url);
  const reading = sourceReading(before, change);
  const reshaped = change.kind !== undefined || change.rules !== undefined;
  // New rules judge the stored items at once, in the same batch (no refetch); the views are bumped there.
  const filters = change.filters === undefined ? undefined : checkFilters(change.filters);
  const refilter = filters === undefined ? null : await sourceRefilterStatement(env.DB, before.id, filters, now);
  const after = await updateSource(
    env.DB,
    before,
    {
      url,
      titleOverride: change.titleOverride,
      tags: change.tags,
      paused: change.paused,
      ...(reshaped ? { kind: reading.kind, rules: reading.rules } : {}),
      site: change.site,
      fullText: reading.fullText,
      filters,
    },
    now,
    refilter ? [refilter] : [],
  );
  // In other planets (or in the site, or no longer) now: their rules judge its items.
  const moved =
    (change.tags !== undefined && change.tags.join('\n') !== before.tags.map((t) => t.name).join('\n')) ||
    (change.site !== undefined && change.site !== before.site);
  if (moved) await rejudgeInViews(env.DB, after, now);
  return after;
}

/** Removes a source: its feeds and page answer 410 from now on, at once in this isolate, in the others within MOVES_MEMO_MS. */
export async function removeSource(env: Env, source: Source, now: number): Promise<void> {
  await deleteSource(env.DB, source, now);
  forgetMoves(env.DB);
}
