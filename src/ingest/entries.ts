// Upstream items as entries: their permanent ids, the link merged views deduplicate on, tags from
// categories, and the content hash that decides whether a stored item is rewritten. Shared by the
// refresh (refresh.ts) and the article fetches it hands to the queue (articles.ts).

import { v5 as uuidv5 } from 'uuid';
import type { UpstreamEntry } from '../db/upstream-entries';
import type { Tag } from '../domain/entry';
import { slugify } from '../domain/slug';
import { MAX_CATEGORIES } from './limits';
import type { UpstreamCategory } from './types';

/** UUIDv5 namespace of upstream entry ids (fixed forever: ids derive from it). */
const ENTRY_NAMESPACE = '5b0c6f1e-8d1a-4c4e-9a57-2f0f3c7d9e41';

/** The permanent id of an upstream item: the same source and key always give the same urn:uuid. */
export function upstreamEntryId(sourceId: number, key: string): string {
  return `urn:uuid:${uuidv5(`${sourceId}\n${key}`, ENTRY_NAMESPACE)}`;
}

/**
 * The link merged views deduplicate on: the same story under http and https, with a fragment or
 * with tracking parameters is one story.
 */
export function canonicalLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.hash = '';
    for (const name of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_)/i.test(name)) u.searchParams.delete(name);
    return `//${u.host}${u.pathname.replace(/\/+$/, '') || '/'}${u.search}`;
  } catch {
    return null;
  }
}

/** An upstream item's categories as tags: slugged by name, each slug once, at most MAX_CATEGORIES; an Atom term kept. */
export function tagsOf(categories: UpstreamCategory[]): Tag[] {
  const seen = new Set<string>();
  return categories
    .map((c): Tag => (typeof c === 'string' ? { slug: slugify(c), name: c } : { slug: slugify(c.name) || slugify(c.term), ...c }))
    .filter((t) => t.slug !== '' && !seen.has(t.slug) && seen.add(t.slug))
    .slice(0, MAX_CATEGORIES);
}

/** A short SHA-256 (hex, 128 bits) of a value's JSON. */
export async function jsonHash(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hash of everything stored of an item: an unchanged item is not rewritten. */
export const contentHash = (entry: UpstreamEntry): Promise<string> => jsonHash(entry);
