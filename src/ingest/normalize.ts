import type { Enclosure, UpstreamSource } from '../domain/entry';
import { escapeHtml, htmlToText, truncateText, xmlSafe } from '../html/text';
import {
  MAX_AUTHOR_NAME_CHARS,
  MAX_AUTHOR_NAME_GRAPHEMES,
  MAX_AUTHORS,
  MAX_CATEGORIES,
  MAX_CATEGORY_CHARS,
  MAX_CATEGORY_GRAPHEMES,
  MAX_CONTENT_BYTES,
  MAX_CONTENT_INPUT_CHARS,
  MAX_CONTENT_PER_REFRESH_CHARS,
  MAX_EMAIL_CHARS,
  MAX_ENCLOSURES,
  MAX_KEY_CHARS,
  MAX_MIME_CHARS,
  MAX_SUMMARY_BYTES,
  MAX_SUMMARY_INPUT_CHARS,
  MAX_TITLE_CHARS,
  MAX_TITLE_GRAPHEMES,
  MAX_URL_CHARS,
} from './limits';
import { safeUrl, sanitizeAll } from '../html/sanitize';
import { type ItemReuse, itemDigest } from './unchanged';
import type { UpstreamCategory, UpstreamItem } from './types';
import { plainTitle } from './values';
import { canonicalLanguage } from '../domain/language';

/** JSON Feed items arrive already shaped; XML items go through `fromRss`/`fromAtom` first. */
export type ShapedItem = {
  guid: string | null;
  title: string | null;
  link: string | null;
  contentHtml: string;
  summaryHtml: string;
  contentBase: string;
  published: number | null;
  updated: number | null;
  authors: { name: string; email?: string; url?: string }[];
  /** Text, or an Atom category's term with its label. */
  categories: (string | { term: string; label: string })[];
  /** `duration`: seconds, or an iTunes duration (`H:MM:SS`, `MM:SS`, seconds) as the upstream wrote it. */
  enclosures: { url: string; type?: string; length?: unknown; duration?: unknown }[];
  image: string | null;
  /** The item's language as the upstream wrote it (RSS dc:language, Atom xml:lang, JSON Feed language). */
  language?: string | null;
  /** What was dropped while shaping (an over-long URL), for the item's warnings. */
  notes?: string[];
  /** RSS `<source url>` / Atom `<source>`, URLs resolved, not cut yet. */
  source?: UpstreamSource | null;
};

/**
 * A playing time in whole seconds from a number of seconds or an iTunes duration (`H:MM:SS`,
 * `MM:SS`, or seconds as text); null for anything else, or for more than a year.
 */
export function durationSeconds(value: unknown): number | null {
  let seconds: number | null = null;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*\d{1,9}(?::\d{1,2}){0,2}(?:\.\d+)?\s*$/.test(value)) {
    seconds = value
      .trim()
      .split(':')
      .reduce((total, part) => total * 60 + Number(part), 0);
  }
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0 || seconds > 366 * 24 * 3600) return null;
  return Math.round(seconds);
}

/** A title as shaped items carry it: plain text, not cut yet (`finish` cuts it, with a warning). */
export const uncutTitle = (value: unknown) => plainTitle(value, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);

async function sha256Hex(value: string, bytes = 32): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  return [...digest.subarray(0, bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
const shortHash = (value: string) => sha256Hex(value, 12);

/** Whether a string is over `limit` bytes of UTF-8; encoded only when its length cannot tell. */
function overBytes(value: string, limit: number): boolean {
  if (value.length * 3 <= limit) return false;
  if (value.length > limit) return true;
  return new TextEncoder().encode(value).byteLength > limit;
}

/** Plain text of a name-like value: characters XML forbids removed, ASCII whitespace collapsed, cut. */
const cleanText = (value: string, maxGraphemes: number, maxChars: number) =>
  truncateText(
    xmlSafe(value)
      .replace(/[\t\n\r\f ]+/g, ' ')
      .trim(),
    maxGraphemes,
    maxChars,
  );

/**
 * A summary over MAX_SUMMARY_BYTES: the start of its text, escaped, in a paragraph. Cutting the
 * HTML itself could leave an element open in every page that shows it; text cannot. Six bytes per
 * code unit is the most escaping can make of one (`"` is `&quot;`), so the result always fits.
 */
function summaryExcerpt(html: string): string {
  const text = truncateText(htmlToText(html), Number.POSITIVE_INFINITY, Math.floor((MAX_SUMMARY_BYTES - 7) / 6));
  return text ? `<p>${escapeHtml(text)}</p>` : '';
}

/** One shaped item made final: sanitized, absolute, identified, every field within its limit. null when it has nothing at all. */
async function finish(
  shaped: ShapedItem,
  index: number,
  warnings: string[],
  sanitized: [PromiseSettledResult<string>, PromiseSettledResult<string>],
): Promise<UpstreamItem | null> {
  const warn = (message: string) => warnings.push(`item ${index + 1}: ${message}`);
  for (const note of shaped.notes ?? []) warn(note);
  // Markup the sanitizer cannot read (lol-html refuses absurd nesting) is dropped, not the item.
  const clean = (result: PromiseSettledResult<string>, what: string) => {
    if (result.status === 'fulfilled') return result.value;
    warn(`${what} dropped (${result.reason instanceof Error ? result.reason.message : String(result.reason)})`);
    return '';
  };
  const contentHtml = clean(sanitized[0], 'content');
  const summaryHtml = clean(sanitized[1], 'summary');
  let content = contentHtml.trim();
  if (shaped.contentHtml.length > MAX_CONTENT_INPUT_CHARS || overBytes(content, MAX_CONTENT_BYTES)) {
    warn(`content over ${MAX_CONTENT_BYTES} bytes; dropped, summary kept`);
    content = '';
  }
  let summary = summaryHtml.trim();
  if (shaped.summaryHtml.length > MAX_SUMMARY_INPUT_CHARS || overBytes(summary, MAX_SUMMARY_BYTES)) {
    warn(`summary over ${MAX_SUMMARY_BYTES} bytes; cut to the start of its text`);
    summary = summaryExcerpt(summary);
  }
  if (!shaped.guid && !shaped.link && !shaped.title && !content && !summary) {
    warn('no id, link, title or content; dropped');
    return null;
  }
  let title = shaped.title;
  if (title !== null) {
    const cut = truncateText(title, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS);
    if (cut !== title) warn(`title over ${MAX_TITLE_GRAPHEMES} characters; cut`);
    title = cut;
  } else {
    // Only the start of the text can become a title.
    const bodyText = htmlToText((content || summary).slice(0, 4000));
    title = bodyText ? truncateText(bodyText, 80) : truncateText(shaped.link ?? 'Untitled', MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS);
  }
  let key = shaped.guid ?? shaped.link ?? `hash:${await shortHash(`${title}\n${content || summary}`)}`;
  // Keys are stored and compared on every refresh: a long one is replaced by its hash (stable too).
  if (key.length > MAX_KEY_CHARS) key = `sha256:${await sha256Hex(key)}`;
  const enclosures: Enclosure[] = [];
  for (const e of shaped.enclosures) {
    if (enclosures.length === MAX_ENCLOSURES) {
      warn(`more than ${MAX_ENCLOSURES} enclosures; the first ${MAX_ENCLOSURES} kept`);
      break;
    }
    if (typeof e.url !== 'string' || e.url.length > MAX_URL_CHARS) {
      if (typeof e.url === 'string') warn(`an enclosure URL over ${MAX_URL_CHARS} characters dropped`);
      continue;
    }
    const url = safeUrl(e.url, shaped.contentBase);
    if (!url || !/^https?:/.test(url) || url.length > MAX_URL_CHARS) continue;
    const length = Number(e.length);
    const mime = typeof e.type === 'string' ? e.type.trim() : '';
    const type = mime.length <= MAX_MIME_CHARS && /^[\w.+-]+\/[\w.+-]+$/.test(mime) ? mime : 'application/octet-stream';
    const duration = durationSeconds(e.duration);
    enclosures.push({
      url,
      type,
      length: Number.isSafeInteger(length) && length >= 0 ? length : 0,
      ...(duration === null ? {} : { duration }),
    });
  }
  const authors: UpstreamItem['authors'] = [];
  for (const a of shaped.authors) {
    if (authors.length === MAX_AUTHORS) {
      warn(`more than ${MAX_AUTHORS} authors; the first ${MAX_AUTHORS} kept`);
      break;
    }
    const name = cleanText(a.name, MAX_AUTHOR_NAME_GRAPHEMES, MAX_AUTHOR_NAME_CHARS);
    if (!name) continue;
    const email = a.email === undefined ? '' : cleanText(a.email, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    const url = a.url !== undefined && a.url.length <= MAX_URL_CHARS ? a.url : undefined;
    if (email.length > MAX_EMAIL_CHARS || (a.url !== undefined && url === undefined))
      warn("an author's email or URL over its limit dropped");
    authors.push({ name, ...(email && email.length <= MAX_EMAIL_CHARS ? { email } : {}), ...(url ? { url } : {}) });
  }
  const seen = new Set<string>();
  const categories: UpstreamCategory[] = [];
  for (const raw of shaped.categories) {
    const term = plainTitle(typeof raw === 'string' ? raw : raw.term, MAX_CATEGORY_GRAPHEMES, MAX_CATEGORY_CHARS);
    const label = typeof raw === 'string' ? null : plainTitle(raw.label, MAX_CATEGORY_GRAPHEMES, MAX_CATEGORY_CHARS);
    const name = label ?? term;
    if (name === null || seen.has(name.toLowerCase())) continue;
    if (categories.length === MAX_CATEGORIES) {
      warn(`more than ${MAX_CATEGORIES} categories; the first ${MAX_CATEGORIES} kept`);
      break;
    }
    seen.add(name.toLowerCase());
    categories.push(term !== null && term !== name ? { name, term } : name);
  }
  return {
    key,
    guid: shaped.guid && shaped.guid.length <= MAX_KEY_CHARS ? shaped.guid : null,
    title,
    url: shaped.link,
    summaryHtml: summary,
    contentHtml: content,
    publishedAt: shaped.published ?? shaped.updated,
    updatedAt: shaped.updated,
    authors,
    categories,
    enclosures,
    image: shaped.image,
    language: canonicalLanguage(shaped.language),
    source: cleanSource(shaped.source),
  };
}

/** An item's own source within limits: a plain-text title, URLs that fit; null when nothing is left. */
function cleanSource(source: UpstreamSource | null | undefined): UpstreamSource | null {
  if (!source) return null;
  const url = (value: string | null) => (value && value.length <= MAX_URL_CHARS && /^https?:/.test(value) ? value : null);
  const title = source.title === null ? null : plainTitle(source.title, MAX_TITLE_GRAPHEMES, MAX_TITLE_CHARS);
  const id = source.id === null ? null : cleanText(source.id, Number.POSITIVE_INFINITY, MAX_URL_CHARS) || null;
  const clean = { title, feedUrl: url(source.feedUrl), siteUrl: url(source.siteUrl), id };
  return clean.title || clean.feedUrl ? clean : null;
}

/**
 * What a document read window by window (src/ingest/large-feed.ts) carries from one window's
 * items to the next: the items so far, the dates of the newest `maxItems` of them (ascending),
 * the keys taken and the content read. newWindowCarry() makes one; its warnings are the caller's.
 */
export type WindowCarry = { upstream: number; newest: number[]; keys: Set<string>; contentChars: number; overBudget: number };

export const newWindowCarry = (): WindowCarry => ({ upstream: 0, newest: [], keys: new Set(), contentChars: 0, overBudget: 0 });

/** The warnings of a document with more items than are kept, and of content past the refresh's budget. */
export const itemCapWarning = (upstream: number, maxItems: number) => `${upstream} items upstream; the newest ${maxItems} kept`;
export const overBudgetWarning = (items: number) =>
  `the content of ${items} item${items === 1 ? '' : 's'} not kept: a refresh reads at most ${MAX_CONTENT_PER_REFRESH_CHARS / 1048576} Mi characters of content, newest items first; their summaries are kept`;

const itemDate = (s: ShapedItem) => s.published ?? s.updated ?? Number.NEGATIVE_INFINITY;

/**
 * The items of a window that may be among the newest `maxItems` of the whole document: those
 * newer than the `maxItems`-th newest item before them (on a tie the earlier item wins, as in the
 * sort of a whole document). An item chosen here and passed by newer ones later is trimmed by the
 * store, which keeps a source's newest items.
 */
function chooseInWindow<T extends { item: ShapedItem }>(items: T[], maxItems: number, carry: WindowCarry): T[] {
  carry.upstream += items.length;
  const { newest } = carry;
  return items.filter(({ item }) => {
    const date = itemDate(item);
    if (newest.length >= maxItems && date <= newest[0]!) return false;
    if (newest.length >= maxItems) newest.shift();
    let at = 0;
    while (at < newest.length && newest[at]! < date) at++;
    newest.splice(at, 0, date);
    return true;
  });
}

/**
 * Turns shaped items into final ones, each on its own (one item's failure is a warning, never
 * the feed's), keeping the newest `maxItems`, with keys unique within the feed. With `carry`, the
 * items are one window of a document and the choice and the keys go on from the windows before.
 */
export async function finishItems(
  shapedItems: ShapedItem[],
  maxItems: number,
  warnings: string[],
  reuse?: ItemReuse,
  carry?: WindowCarry,
): Promise<UpstreamItem[]> {
  // A window's items are numbered in the whole document, as its warnings name them.
  const offset = carry?.upstream ?? 0;
  let chosen = shapedItems.map((item, index) => ({ item, index: offset + index, digest: undefined as string | undefined }));
  if (carry) chosen = chooseInWindow(chosen, maxItems, carry);
  else if (chosen.length > maxItems) {
    chosen = chosen.sort((a, b) => itemDate(b.item) - itemDate(a.item) || a.index - b.index).slice(0, maxItems);
    warnings.push(itemCapWarning(shapedItems.length, maxItems));
  }
  const keys = carry?.keys ?? new Set<string>();
  if (reuse) {
    // An item stored from the same raw fields is taken as read (src/ingest/unchanged.ts); its key
    // stays taken, so that a new item with a reused guid does not overwrite it.
    const fresh: typeof chosen = [];
    for (const c of chosen) {
      c.digest = await itemDigest(c.item, reuse.version);
      const key = reuse.known.get(c.digest);
      if (key === undefined) fresh.push(c);
      else {
        keys.add(key);
        reuse.reused++;
      }
    }
    chosen = fresh;
  }
  // Each fragment is parsed and sanitized on its own (src/html/sanitize.ts). Content too long to
  // fit even after sanitizing, or past the refresh's content budget, is not sanitized; a long
  // summary is read only as far as it can be kept (see finish).
  let contentChars = carry?.contentChars ?? 0;
  let overBudget = 0;
  const fragments = chosen.flatMap(({ item }) => {
    let content = item.contentHtml.length > MAX_CONTENT_INPUT_CHARS ? '' : item.contentHtml;
    if (content !== '' && contentChars + content.length > MAX_CONTENT_PER_REFRESH_CHARS) {
      content = '';
      overBudget++;
    }
    contentChars += content.length;
    return [
      { html: content, base: item.contentBase },
      { html: item.summaryHtml.slice(0, MAX_SUMMARY_INPUT_CHARS), base: item.contentBase },
    ];
  });
  if (carry) {
    carry.contentChars = contentChars;
    carry.overBudget += overBudget;
  } else if (overBudget > 0) warnings.push(overBudgetWarning(overBudget));
  const sanitized = await sanitizeAll(fragments);
  const items: UpstreamItem[] = [];
  for (const [n, { item, index, digest }] of chosen.entries()) {
    try {
      const done = await finish(item, index, warnings, [sanitized[2 * n]!, sanitized[2 * n + 1]!]);
      if (!done) continue;
      if (digest) done.digest = digest;
      if (keys.has(done.key)) {
        // A reused guid: the same id for different items. Tell them apart by what they carry.
        done.key = `${done.key}#${await shortHash(`${done.url}\n${done.title}\n${done.contentHtml}`)}`;
        if (keys.has(done.key)) continue; // an exact duplicate
      }
      keys.add(done.key);
      items.push(done);
    } catch (error) {
      warnings.push(`item ${index + 1}: ${error instanceof Error ? error.message : String(error)}; skipped`);
    }
  }
  return items;
}
