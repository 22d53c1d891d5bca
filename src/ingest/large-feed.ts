// The read-and-store step of a refresh for a feed document too large to hold whole (over
// FEED_STREAM_AFTER_BYTES, 1 MiB): its body is read chunk by chunk and decoded as it streams,
// cut into windows of whole items (parse/xml-windows.ts), and each window is parsed, normalized,
// sanitized and written to D1 (in batches of a window's worth of characters, at most 100 items)
// before the next is read. Reading stops once MAX_ITEMS_READ items are read. The source's record (validators, warnings, the document's
// digest) is written last, so a refresh cut short is simply done again by the next one: items
// are keyed as always, so nothing is lost or stored twice. JSON feeds and documents that are
// not XML feeds are read whole, as before.

import type { BodyRest } from './fetch/fetch-upstream';
import { BodyError, joinBytes } from './fetch/fetch-upstream';
import { feedDecoder } from './fetch/decode';
import { largeFeedSettings } from '../config';
import { documentDigestStatement, ingestDigestStatement } from '../db/ingest-digests';
import { type StoredItem, storeUpstreamEntries } from '../db/upstream-entries';
import type { FilterRule } from '../domain/filters';
import type { Source } from '../domain/source';
import { announce } from '../publish/announce';
import { emitItemsAdded } from '../push/webhooks';
import { sourceViews } from '../db/sources';
import { bumpStatements } from '../db/versions';
import { type DatedEntry, dateEntries } from './date-entries';
import { judgeIncoming } from './filtering';
import { ITEMS_PER_SOURCE, MAX_ITEMS_READ } from './limits';
import { cleanLinks, normalizeKeys, trackingParamsOf } from './link-hygiene';
import { itemCapWarning, newWindowCarry, overBudgetWarning } from './normalize';
import { type ModifiedReply, type Move, RefreshFailure, type RefreshReport, refreshReport, succeeded } from './outcome';
import { boundWarnings, findFeed, parseWindow } from './parse/parse-feed';
import { XmlWindows } from './parse/xml-windows';
import { toEntry } from './read-feed';
import type { UpstreamFeed } from './types';
import { documentDigestOf, type ItemReuse } from './unchanged';

/** Characters of text handed to the window cutter at a time. */
const PIECE_CHARS = 16 * 1024;

/** Items written in one D1 batch, at most (a batch also ends once it holds a window's worth of characters). */
const BATCH_ITEMS = 100;

/** What the refresh hands this step: the reply with the rest of its body, and what it read from D1 meanwhile. */
export type LargeFeedStep = {
  reply: ModifiedReply & { rest: BodyRest };
  move: Move;
  stored: Promise<Map<string, StoredItem>>;
  /** The rules of the views the source's items show in, read with `stored` (refreshState). */
  viewRules: Promise<Map<string, FilterRule[]>>;
  /** The stored items' digests, for a source that skips what it read before (unchanged.ts). */
  reuse?: Promise<ItemReuse | undefined>;
  /** The ingest version the document's digest is taken under; null: no digest is kept. */
  digestVersion: string | null;
  /** performance.now() when the refresh began: the history's duration. */
  started: number;
  /** The refresh's step timings (refresh.ts): a lap ends a step; `taken` is what the report carries. */
  lap: (step: string) => void;
  taken: Record<string, number>;
};

/**
 * Reads and stores a large feed window by window, and records the refresh; its report. null when
 * the document is no XML feed (JSON, HTML, anything else): the rest of its body is then read into
 * `reply.bytes` (within the same byte cap) and the refresh goes on as for any document.
 */
export async function refreshLargeFeed(env: Env, source: Source, step: LargeFeedStep, now: number): Promise<RefreshReport | null> {
  const { reply } = step;
  const rest = reply.rest;
  let store: ReturnType<typeof windowStore> | undefined;
  try {
    const decoder = feedDecoder(reply.bytes, reply.contentType);
    const digest = step.digestVersion ? new crypto.DigestStream('SHA-256') : null;
    const hasher = digest?.getWriter();
    const found = findFeed(decoder.decode(reply.bytes, { stream: true }), reply.finalUrl);
    if ('ok' in found || 'json' in found) {
      await readWhole(reply);
      return null;
    }
    await hasher?.write(reply.bytes);
    reply.bytes = new Uint8Array(0);

    const { windowChars } = largeFeedSettings(env);
    const windows = new XmlWindows(found.kind, { windowChars, maxItems: MAX_ITEMS_READ });
    // What was skipped before the feed's XML is said first, as for a document read whole.
    store = windowStore(env, source, step, now, windowChars, found.warnings);
    const read = async (texts: string[]) => {
      for (const text of texts) await store!.window(text, found.kind);
    };
    // Text goes to the windows in small pieces, so that a large piece (the first 64 KiB, or a
    // large chunk) does not become many windows at once: each is stored before the next is cut.
    const feed = async (text: string) => {
      for (let at = 0; at < text.length && !windows.done; at += PIECE_CHARS) await read(windows.push(text.slice(at, at + PIECE_CHARS)));
    };
    await feed(found.text.slice(found.start));
    let complete = true;
    for (;;) {
      if (windows.done) {
        await rest.cancel();
        break;
      }
      const chunk = await rest.next();
      if (chunk === null) {
        await feed(decoder.decode());
        const last = windows.end();
        await read(last.windows);
        complete = last.complete;
        break;
      }
      await hasher?.write(chunk);
      await feed(decoder.decode(chunk, { stream: true }));
    }
    await hasher?.close();
    const document = digest ? await documentDigestOf(await digest.digest, reply, step.digestVersion!) : null;
    return await store.finish({
      truncated: windows.truncated,
      complete,
      document,
      items: windows.items,
    });
  } catch (error) {
    await rest.cancel();
    if (!(error instanceof BodyError)) throw error;
    // The body broke off: the whole items read before are stored; the failure is the record.
    await store?.flush();
    throw new RefreshFailure(error.kind, error.message, reply.status);
  }
}

/** The rest of the body read into `reply.bytes`, after the bytes read already. */
async function readWhole(reply: ModifiedReply & { rest?: BodyRest }): Promise<void> {
  const parts = [reply.bytes];
  for (let chunk = await reply.rest!.next(); chunk !== null; chunk = await reply.rest!.next()) parts.push(chunk);
  reply.bytes = joinBytes(parts);
  delete reply.rest;
}

/**
 * What the windows of one refresh share: the choice of items and their keys (normalize.ts), the
 * feed's own fields from its first window, and the counts the record and the report carry. Only
 * ids outlive a window.
 */
function windowStore(env: Env, source: Source, step: LargeFeedStep, now: number, windowChars: number, first: string[]) {
  const carry = newWindowCarry();
  const tracking = trackingParamsOf(env);
  const warnings = new Set<string>(first);
  const written = new Set<string>();
  const added: { id: string }[] = [];
  const blocked = new Set<string>();
  let feed: Pick<UpstreamFeed, 'title' | 'siteUrl' | 'date' | 'ttlMinutes'> | null = null;
  let position = 0;
  let fresh = 0;
  let changedCount = 0;
  let removed = 0;
  let seen = 0;
  /** Items (and raw-item digests) read but not yet written: written together once there are enough of them. */
  const pending = { entries: [] as DatedEntry[], digests: [] as [string, string][], chars: 0 };

  /** Writes what is pending in one batch: the filter rules judge it first (filtering.ts). */
  const flush = async () => {
    if (!pending.entries.length && !pending.digests.length) return;
    const { entries, digests } = pending;
    pending.entries = [];
    pending.digests = [];
    pending.chars = 0;
    const judged = await judgeIncoming(env.DB, source, entries, now, await step.viewRules);
    for (const e of judged.entries) {
      if (e.blockedBy !== null) blocked.add(e.id);
      else added.push({ id: e.id });
    }
    const extra = [...(digests.length ? [ingestDigestStatement(env.DB, source.id, digests)] : []), ...judged.statements];
    // The trim to the newest 200, the count and the views' versions wait for the last batch.
    await storeUpstreamEntries(env.DB, source, judged.entries, null, ITEMS_PER_SOURCE, now, extra, { part: true });
  };

  return {
    flush,
    /** Parses, normalizes, sanitizes and stores one window; what it held is let go of. */
    async window(text: string, kind: 'rss' | 'feed' | 'rdf') {
      const parsed = await parseWindow(text, kind, {
        url: step.reply.finalUrl,
        maxItems: ITEMS_PER_SOURCE,
        ...(step.reuse ? { reuse: step.reuse } : {}),
        carry,
      });
      step.lap('parse');
      if (!parsed.ok) throw new RefreshFailure(parsed.kind, parsed.message, step.reply.status);
      const { feed: window } = parsed;
      feed ??= window;
      for (const w of window.warnings) warnings.add(w);
      const stored = await step.stored;
      const entries = window.items.map((item) => toEntry(source.id, window, item));
      const digests = new Map<string, string>();
      for (const [n, item] of window.items.entries()) if (item.digest) digests.set(entries[n]!.id, item.digest);
      await cleanLinks(entries, tracking);
      // An item that becomes one of an earlier window's (its link without tracking parameters) is that one.
      const keyed = normalizeKeys(source.id, entries, (id) => stored.has(id), tracking).filter((e) => !written.has(e.id));
      for (const e of keyed) written.add(e.id);
      const dated = await dateEntries(keyed, stored, feed.date, now, position);
      position += keyed.length;
      seen += entries.length;
      const changed = dated.filter((entry) => stored.get(entry.id)?.hash !== entry.hash);
      changedCount += changed.length;
      fresh += changed.filter((entry) => !stored.has(entry.id)).length;
      // What is not written keeps its mark: blocked if the stored copy is.
      const writes = new Set(changed.map((e) => e.id));
      for (const e of dated) {
        if (writes.has(e.id)) continue;
        if (stored.get(e.id)?.blockedBy) blocked.add(e.id);
        else added.push({ id: e.id });
      }
      for (const [id, d] of digests) if (stored.get(id)?.digest !== d) pending.digests.push([id, d]);
      for (const e of changed) {
        pending.entries.push(e);
        pending.chars += e.contentHtml.length + e.summary.length;
      }
      step.lap('compare');
      if (pending.chars >= windowChars || pending.entries.length >= BATCH_ITEMS) await flush();
      step.lap('store');
    },

    /** The source's record, written last with the document's digest; the refresh's report. */
    async finish(end: { truncated: boolean; complete: boolean; document: string | null; items: number }): Promise<RefreshReport> {
      await flush();
      const all = [...warnings];
      if (!end.complete && ![...warnings].some((w) => w.startsWith('the XML was not well-formed'))) {
        all.push(`the document ends before its closing tags (cut off?); the ${end.items} whole items read were kept`);
      }
      if (end.truncated) all.push(`the document lists more than ${MAX_ITEMS_READ} items; only the first ${MAX_ITEMS_READ} were read`);
      if (carry.upstream > ITEMS_PER_SOURCE) all.push(itemCapWarning(carry.upstream, ITEMS_PER_SOURCE));
      if (carry.overBudget > 0) all.push(overBudgetWarning(carry.overBudget));
      const record = succeeded(
        step.reply,
        {
          move: step.move,
          warnings: [...step.move.warnings, ...boundWarnings(all)],
          ttlMinutes: feed?.ttlMinutes ?? null,
          leftover: false,
          title: feed?.title ?? null,
          siteUrl: feed?.siteUrl ?? null,
        },
        now,
      );
      record.items = { new: fresh, updated: changedCount - fresh };
      record.durationMs = performance.now() - step.started;
      const extra = [
        ...(end.document ? [documentDigestStatement(env.DB, source.id, end.document, now)] : []),
        ...(changedCount ? bumpStatements(env.DB, sourceViews(source), now) : []),
      ];
      removed += (await storeUpstreamEntries(env.DB, source, [], record, ITEMS_PER_SOURCE, now, extra)).removed;
      step.lap('store');
      if (changedCount || removed) await announce(env, sourceViews(source));
      const stored = await step.stored;
      await emitItemsAdded(env, source, added, stored);
      const reused = (await step.reuse)?.reused ?? 0;
      return refreshReport(source, record, step.taken, {
        items: { seen: seen + reused, changed: changedCount, removed, blocked: blocked.size, reused },
      });
    },
  };
}
