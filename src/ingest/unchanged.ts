// The cost of doing nothing: a refresh whose upstream sends the very document it stored last time
// stops after hashing it (many upstreams ignore conditional GET), and an item whose raw fields
// are unchanged is not normalized or sanitized again. Both are judged by digests that include
// INGEST_VERSION, so a new parser, normalizer or sanitizer reads everything once more.

import type { StoredItem } from '../db/upstream-entries';
import type { Source } from '../domain/source';
import { RENDER_VERSION } from '../render/version';
import { jsonHash } from './entries';
import { notModified, type ModifiedReply, type Move, type RefreshRecord } from './outcome';

/**
 * Bump the first part when parsing, normalizing or sanitizing changes what an item becomes; the
 * renderer's version is part of it, since the sanitizer's policy changes with the output's.
 */
export const INGEST_VERSION = `1/${RENDER_VERSION}`;

/** The sources whose refreshes may skip work: feeds read whole each time (not page sources, not full text). */
export const skipsUnchanged = (source: Pick<Source, 'kind' | 'fullText'>, refetch: boolean): boolean =>
  source.kind !== 'page' && !source.fullText && !refetch;

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The SHA-256 (hex) of the document in `reply` as a refresh under `version` would read it: its
 * bytes, final URL and Content-Type. The body is hashed where it lies (up to 15 MiB: no copy), and
 * its digest's raw bytes follow the rest into the second hash (no hex in between).
 */
export async function documentDigest(reply: ModifiedReply, version: string): Promise<string> {
  return documentDigestOf(await crypto.subtle.digest('SHA-256', reply.bytes), reply, version);
}

/** documentDigest from the SHA-256 of the body, taken elsewhere (a large document's, as it streamed: large-feed.ts). */
export async function documentDigestOf(
  bodyDigest: ArrayBuffer,
  reply: Pick<ModifiedReply, 'finalUrl' | 'contentType'>,
  version: string,
): Promise<string> {
  const body = new Uint8Array(bodyDigest);
  const head = new TextEncoder().encode(`${version}\n${reply.finalUrl}\n${reply.contentType ?? ''}\n`);
  const whole = new Uint8Array(head.length + body.length);
  whole.set(head);
  whole.set(body, head.length);
  return hex(await crypto.subtle.digest('SHA-256', whole));
}

/**
 * What a refresh records when the document is the one stored: like a 304 (the upstream answered
 * 200, so its status is kept), the last refresh's warnings still true of it.
 */
export function unchangedDocument(reply: ModifiedReply, move: Move, lastWarnings: string[], now: number): RefreshRecord {
  const record = notModified({ ...reply, kind: 'not_modified' }, move, now);
  return { ...record, status: reply.status, warnings: [...new Set([...move.warnings, ...lastWarnings])] };
}

/**
 * The items a refresh may take as read: the digest of each stored item's raw fields, with its key
 * (a new item must not take a stored item's key), and the count of items it skipped.
 */
export type ItemReuse = { version: string; known: Map<string, string>; reused: number };

/** The stored items of a source as an ItemReuse under `version`. */
export function itemReuse(stored: Map<string, StoredItem>, version: string): ItemReuse {
  const known = new Map<string, string>();
  for (const item of stored.values()) if (item.digest && item.key) known.set(item.digest, item.key);
  return { version, known, reused: 0 };
}

/** The digest of an item's raw fields (as shaped from the feed, before sanitizing) under `version`. */
export const itemDigest = (shaped: unknown, version: string): Promise<string> => jsonHash([version, shaped]);
