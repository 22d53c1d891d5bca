import type { UpstreamEntry } from '../db/upstream-entries';
import type { ArticleWork } from './articles';

/**
 * What reading a source's upstream gave, before dating and storing: a feed's items
 * (read-feed.ts), or a list page's posts with their articles (page-source.ts).
 */
export type SourceRead = {
  entries: UpstreamEntry[];
  /** Items the upstream listed. */
  seen: number;
  /** Items of them taken as read, stored from the same raw fields before (src/ingest/unchanged.ts). */
  reused?: number;
  /** The digest of each entry's raw fields, by entry id, to store with it. */
  digests?: Map<string, string>;
  title: string | null;
  siteUrl: string | null;
  /** The feed's own date, if it has a usable one: undated items of a first refresh go below it (date-entries.ts). */
  date: number | null;
  ttlMinutes: number | null;
  warnings: string[];
  articles: ArticleWork;
  /** A page source's list: its next page, when it links one. */
  nextPage?: string;
};
