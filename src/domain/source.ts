// A source: an upstream the site follows, read as a feed or made from a site's own pages. What a
// source is and which settings go together are decided here, once, for every way a source
// arrives: the admin API, an OPML import, the console.

import type { Tag } from './entry';
import type { FilterRule } from './filters';
import { InvalidFieldError } from './invalid-field-error';

/** `feed`: an RSS, Atom or JSON feed. `page`: a list page whose posts are read from their own pages. */
export const SOURCE_KINDS = ['feed', 'page'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const isSourceKind = (value: unknown): value is SourceKind => SOURCE_KINDS.includes(value as SourceKind);

/** Rules (CSS selectors for the list and its posts) belong to page sources. */
export const takesRules = (kind: SourceKind): boolean => kind === 'page';

/** full_text belongs to feed sources: a page source reads every post from its page anyway. */
export const takesFullText = (kind: SourceKind): boolean => kind === 'feed';

export type SourceState = 'active' | 'paused' | 'gone';

/** What a source's last refresh came to. */
export type FetchOutcomeKind = 'ok' | 'not_modified' | 'error' | 'gone';

/** Tags a source takes (from the API, or from its folders and categories in OPML; deeper folders add none). */
export const MAX_SOURCE_TAGS = 20;

/** An upstream feed and its refresh state, as the API shows it. */
export type Source = {
  id: number;
  url: string;
  kind: SourceKind;
  /** The publisher's ListRules of a page source (src/extract/list-rules.ts), as given (validated on the way in), or null. */
  rules: Record<string, unknown> | null;
  /** Its posts are the site's own too: they show in the site's main feeds and home page. */
  site: boolean;
  /** A feed source that fetches the page of each item carrying only a summary (migration 0008). */
  fullText: boolean;
  /** Its filter rules (src/domain/filters.ts): which of its items are served. */
  filters: FilterRule[];
  titleOverride: string | null;
  title: string | null;
  siteUrl: string | null;
  tags: Tag[];
  state: SourceState;
  pausedReason: string | null;
  /** Paused by the publisher (PATCH {"paused": true}), not after failures: only the publisher resumes it. */
  pausedByPublisher: boolean;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: number | null;
  lastOutcome: FetchOutcomeKind | null;
  lastStatus: number | null;
  lastErrorKind: string | null;
  lastError: string | null;
  lastWarnings: string[];
  consecutiveFailures: number;
  nextDueAt: number;
  itemCount: number;
  createdAt: number;
  updatedAt: number;
};

/** How a source is read: the settings that only make sense together. */
export type SourceReading = { kind: SourceKind; rules: Record<string, unknown> | null; fullText: boolean };

const RULES_ON_FEED = 'only page sources (kind "page") take rules';
const FULL_TEXT_ON_PAGE = 'only feed sources take full_text (a page source reads every post from its page)';

/**
 * Judges kind, rules and full text together, as they will be stored (`before`: the stored
 * source, or null for a new one). A new source given rules without a kind is a page source.
 * Rules asked of a feed, or full text of a page source, are refused; a source that changes kind
 * drops the setting its new kind does not take.
 * @throws InvalidFieldError naming `rules` or `full_text`.
 */
export function sourceReading(
  before: Readonly<SourceReading> | null,
  change: { kind?: SourceKind; rules?: Record<string, unknown> | null; fullText?: boolean },
): SourceReading {
  const kind = change.kind ?? before?.kind ?? (change.rules ? 'page' : 'feed');
  if (change.rules && !takesRules(kind)) throw new InvalidFieldError('rules', RULES_ON_FEED);
  if (change.fullText && !takesFullText(kind)) throw new InvalidFieldError('full_text', FULL_TEXT_ON_PAGE);
  return {
    kind,
    rules: takesRules(kind) ? (change.rules !== undefined ? change.rules : (before?.rules ?? null)) : null,
    fullText: takesFullText(kind) ? (change.fullText ?? before?.fullText ?? false) : false,
  };
}
