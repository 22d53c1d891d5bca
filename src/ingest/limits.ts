// Every limit of the ingest path, in one place. What is over a limit is cut or dropped with a
// warning; no limit ever fails a refresh. The storage limits are D1's: at most 2,000,000 bytes per
// string, blob or row, 100 bound parameters and 100 KB of SQL per statement
// (https://developers.cloudflare.com/d1/platform/limits/). Items are written as JSON arrays bound
// to one parameter each (src/db/upstream-entries.ts), so the per-value limit is the one that
// matters, and every field below is capped far under it.

// ---------------------------------------------------------------- documents
/** Decoded bytes of one upstream response, counted while streaming (Miniflux's default). */
export const MAX_BODY_BYTES = 15 * 1024 * 1024;
/** Items read from one document, at most: feeds list their newest first, and only 200 are kept. */
export const MAX_ITEMS_READ = 500;
/** Newest items kept per source; older ones go when newer ones arrive. */
export const ITEMS_PER_SOURCE = 200;
/** Elements nested deeper than this are dropped (their text kept) by the lenient second parse. */
export const MAX_LENIENT_DEPTH = 64;

// ---------------------------------------------------------------- per item
/** Content HTML kept per item (after sanitizing); beyond it the content is dropped, the summary kept. */
export const MAX_CONTENT_BYTES = 512 * 1024;
/** Raw content over this is dropped without being sanitized: its sanitized form could not fit either. */
export const MAX_CONTENT_INPUT_CHARS = 4 * MAX_CONTENT_BYTES;
/**
 * Content HTML read per refresh, all items together (characters of upstream HTML), newest items
 * first; items past it keep their summary only, with a warning. Sanitizing, hashing and storing
 * 15 MiB of full content in one refresh takes seconds of CPU and more memory than an isolate's
 * 128 MB; 2 Mi characters is 200 items of 10 KB, more than feeds usually carry.
 */
export const MAX_CONTENT_PER_REFRESH_CHARS = 2 * 1024 * 1024;
/** Summary HTML kept per item; a longer summary becomes the start of its text, escaped. */
export const MAX_SUMMARY_BYTES = 16 * 1024;
/** Raw summary read before sanitizing; the rest is never looked at (the summary is cut anyway). */
export const MAX_SUMMARY_INPUT_CHARS = 4 * MAX_SUMMARY_BYTES;
/** Titles (items and feeds), cut at a grapheme boundary with an ellipsis. */
export const MAX_TITLE_GRAPHEMES = 1000;
/** A bound on a title's UTF-16 code units too: one grapheme can be a letter and 10,000 marks. */
export const MAX_TITLE_CHARS = 4000;
/** Feed descriptions (plain text). */
export const MAX_DESCRIPTION_GRAPHEMES = 2000;
export const MAX_DESCRIPTION_CHARS = 8000;
/** Any URL (item link, image, enclosure, author, site): a longer one is dropped, not cut. */
export const MAX_URL_CHARS = 4096;
/** Item keys (guid, link) longer than this are replaced by their SHA-256. */
export const MAX_KEY_CHARS = 512;
export const MAX_AUTHORS = 10;
export const MAX_AUTHOR_NAME_GRAPHEMES = 200;
export const MAX_AUTHOR_NAME_CHARS = 800;
/** RFC 5321's limit on a forward path; a longer address is dropped. */
export const MAX_EMAIL_CHARS = 254;
export const MAX_CATEGORIES = 20;
/** Raw categories looked at per item (10,000 of them cost 10,000 decodes otherwise). */
export const MAX_CATEGORIES_READ = 200;
export const MAX_CATEGORY_GRAPHEMES = 100;
export const MAX_CATEGORY_CHARS = 400;
export const MAX_ENCLOSURES = 10;
/** MIME types are short; a longer one is replaced by application/octet-stream. */
export const MAX_MIME_CHARS = 100;

// ---------------------------------------------------------------- reports and storage
/** Each warning of a refresh report, in characters (a warning may quote upstream text). */
export const MAX_WARNING_CHARS = 300;
/** Warnings a refresh report carries; the source stores the first 20 of them. */
export const MAX_WARNINGS = 100;

// ---------------------------------------------------------------- page sources
/**
 * Article pages a page source fetches per refresh, at most: one subrequest each, plus the list
 * page, well under the Workers free plan's 50 subrequests per invocation. New posts beyond it
 * are fetched by the next refresh (the report says so).
 */
export const MAX_ARTICLE_FETCHES = 20;
/** Article pages fetched at once by one refresh (each host still gets at most PER_HOST_CONCURRENCY). */
export const ARTICLE_CONCURRENCY = 4;
/** Wall-clock time a refresh spends on article pages; those not started by then go to the queue. */
export const ARTICLE_TIME_BUDGET_MS = 30_000;
/**
 * Fetches (list pages, robots.txt, articles; each redirect hop counts) one Worker invocation
 * starts, at most, for page sources and full-text items: the free plan allows 50 subrequests per
 * invocation. Articles over it go to the queue.
 */
export const SUBREQUESTS_PER_INVOCATION = 40;
/** Articles per queue message (a consumer batch is at most 5 messages: 25 articles). */
export const ARTICLES_PER_MESSAGE = 5;
/** Bytes of one queue message's body, at most (Cloudflare Queues take 128 KB). */
export const MAX_MESSAGE_BYTES = 100_000;
/** How long an article handed to the queue is left to it; after that a refresh fetches it itself. */
export const ARTICLE_QUEUE_LEASE_MS = 60 * 60_000;

// ---------------------------------------------------------------- politeness
/** Requests to one host in flight at once, per isolate (list pages, robots.txt, articles). */
export const PER_HOST_CONCURRENCY = 2;
/** A robots.txt is read again after this long (per isolate). */
export const ROBOTS_TTL_MS = 24 * 3600_000;
/** A robots.txt that could not be fetched (5xx, network) is asked for again after this long. */
export const ROBOTS_RETRY_MS = 10 * 60_000;
/** Bytes of a robots.txt read (RFC 9309 asks for at least 500 KiB); the rest is ignored. */
export const ROBOTS_MAX_BYTES = 512 * 1024;
/** Memory for cached robots.txt files per isolate (least recently used dropped first). */
export const ROBOTS_CACHE_BYTES = 4 * 1024 * 1024;
/** Crawl-delay honoured between requests to one host, at most (a longer one is cut to this). */
export const MAX_CRAWL_DELAY_MS = 30_000;

// ---------------------------------------------------------------- full text (feed sources)
/**
 * A feed item "carries only a summary" when its content, as plain text, is empty, shorter than
 * this many characters, or no longer than its summary's text: a full_text source fetches its page.
 */
export const FULL_TEXT_MIN_CHARS = 500;
