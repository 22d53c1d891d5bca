// Conditional GET per RFC 9110 §13: If-None-Match wins over If-Modified-Since, and the weak
// comparison is used for If-None-Match (a reader that stored W/"x" still gets its 304).
//
// Last-Modified, and why it never lets a reader keep stale content.
//
// HTTP dates have whole seconds, and a reader that revalidates with If-Modified-Since alone gets a
// 304 whenever our Last-Modified is not later than its date. So every new version of a view must
// get a Last-Modified strictly greater than any Last-Modified sent for an earlier version:
//
// - A write to a view (src/db/versions.ts) stores `max(second after the write, previous + 1)`:
//   several writes within one second still count up.
// - A scheduled post goes live with no write at all. Its visible time counts rounded *up* to the
//   second: the view's effective Last-Modified is `max(stored, ceil(newest visible_at))`.
// - A value later than the current second is not sent at all (RFC 9110 §8.8.2.1: never later
//   than the message's own date): capping it would make the header advance, second by second,
//   under one unchanged strong ETag. The comparison always uses the value itself.
//
// Why that suffices: a Last-Modified sent at time t is at most floor(t). A later version comes from
// a write at w >= t, whose value is at least floor(w) + 1 > floor(t) (and at least the previous
// value + 1, which is >= anything sent before, whatever the clocks), or from a post going live at
// p > t (the earlier answer did not show it), whose value is ceil(p) >= p > t >= floor(t).
// The price: for up to a second after a change (longer after a burst of writes) a response has no
// Last-Modified, and a revalidation by date alone gets a full 200 instead of a 304. ETags are
// exact and unaffected.
//
// An If-Modified-Since that is not an HTTP-date (IMF-fixdate, RFC 850 or asctime; `2030` is none),
// or that lies in the future, is ignored (RFC 9110 §13.1.3).

/** ETags computed lately, by their parts: a poll of an unchanged feed hashes nothing. */
const etags = new Map<string, string>();
const MAX_ETAGS = 10_000;

/** The first 128 bits of the SHA-256 of `text`, in URL-safe base64. */
export async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const b64 = btoa(String.fromCharCode(...new Uint8Array(hash).subarray(0, 16)));
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A strong ETag made from the parts that decide a representation's bytes. */
export async function makeEtag(parts: readonly (string | number | null)[]): Promise<string> {
  const joined = parts.join('\u0000');
  const known = etags.get(joined);
  if (known !== undefined) return known;
  const etag = `"${await digest(joined)}"`;
  if (etags.size >= MAX_ETAGS) etags.clear();
  etags.set(joined, etag);
  return etag;
}

/**
 * A view's effective Last-Modified in whole seconds: its stored value (bumped by every write) or
 * the second its newest visible entry appeared, rounded up, whichever is later; null if neither.
 */
export function viewLastModified(storedSeconds: number | null, newestVisibleMs: number | null): number | null {
  const seconds = Math.max(storedSeconds ?? 0, newestVisibleMs === null ? 0 : Math.ceil(newestVisibleMs / 1000));
  return seconds > 0 ? seconds : null;
}

/**
 * The Last-Modified header for an effective value, or null (send none) while that value is later
 * than the current second: capping it would send a date that advances each second under one
 * unchanged ETag, and a reader would take the same bytes for newer ones.
 */
export function lastModifiedHeader(seconds: number, now: number): string | null {
  if (seconds > Math.floor(now / 1000)) return null;
  let header = httpDates.get(seconds);
  if (header === undefined) {
    header = new Date(seconds * 1000).toUTCString();
    if (httpDates.size >= MAX_ETAGS) httpDates.clear();
    httpDates.set(seconds, header);
  }
  return header;
}

/** HTTP dates formatted lately, by their second: a poll of an unchanged feed formats none. */
const httpDates = new Map<number, string>();

const DAYS = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAYS = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
// RFC 9110 §5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms. Case-sensitive.
const HTTP_DATES = [
  new RegExp(`^${DAYS}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  new RegExp(`^${LONG_DAYS}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`),
  new RegExp(`^${DAYS} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`),
];

/** An HTTP-date (RFC 9110 §5.6.7) as ms since the epoch; null for anything else. */
export function parseHttpDate(value: string, now = Date.now()): number | null {
  const parts = HTTP_DATES.map((pattern) => pattern.exec(value)?.groups).find((groups) => groups !== undefined);
  if (!parts) return null;
  const [day, month, hour, minute, second] = [
    Number(parts.day!.trim()),
    MONTHS.indexOf(parts.month!),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  ];
  let year = Number(parts.year);
  if (parts.year!.length === 2) {
    // RFC 850: a two-digit year more than 50 years ahead is the most recent such year in the past.
    const thisYear = new Date(now).getUTCFullYear();
    year += Math.floor(thisYear / 100) * 100;
    if (year > thisYear + 50) year -= 100;
  }
  if (hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  // 31 Feb and the like roll over into the next month: not a date.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month) return null;
  date.setUTCHours(hour, minute, Math.min(second, 59));
  return date.getTime();
}

/** The request's If-Modified-Since in ms, when it counts: an HTTP-date not in the future. */
export function ifModifiedSince(request: Request, now: number): number | null {
  const value = request.headers.get('if-modified-since');
  const since = value === null ? null : parseHttpDate(value, now);
  return since === null || since > now ? null : since;
}

/**
 * True when the client's copy is current, so the answer is 304 with no body. `lastModified` is
 * the effective value in whole seconds (whether sent yet or not); `now` the time the representation was read at.
 */
export function isNotModified(request: Request, etag: string, lastModified: number | null, now: number): boolean {
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true;
    const opaque = etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
  }
  const since = ifModifiedSince(request, now);
  return since !== null && lastModified !== null && lastModified * 1000 <= since;
}
