// What a feed request's User-Agent says about who reads the feed. Hosted readers fetch a feed
// once for all their users and many say how many in the User-Agent, each in its own shape (no
// standard exists), for example:
//   Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; feed-id=…)
//   Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)
//   NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/… ("Mozilla/5.0 …")
//   Feedbin feed-id:1697787 - 102 subscribers
//   Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a…)
//   Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)
//   Dreamwidth Studios (webmaster@dreamwidth.org; for https://…/; 2 readers)
//   Mozilla/5.0 (…; Rojo 1.0; Aggregating on behalf of 3 subscriber(s) online at …)
//   YahooFeedSeeker/2.0 (compatible; …; users 1; views 1)
// So the count is read generally ("N subscribers", "N readers", "N subscriber(s)", "subscribers N",
// "users N"), and the reader is named from a table of known fetchers, else from the User-Agent's
// product token. What a count may claim is bounded (AGGREGATOR_MAX below). Written by hand: user-agent libraries classify browsers and bots, none reads counts.

/** Known readers, by a token of their User-Agent. First match wins. */
const KNOWN: [RegExp, string][] = [
  [/feedly/i, 'Feedly'],
  [/inoreader/i, 'Inoreader'],
  [/newsblur/i, 'NewsBlur'],
  [/feedbin/i, 'Feedbin'],
  [/theoldreader/i, 'The Old Reader'],
  [/bazqux/i, 'BazQux'],
  [/feedspot/i, 'Feedspot'],
  [/newsify/i, 'Newsify'],
  [/feedfetcher-google/i, 'Google Feedfetcher'],
  [/netvibes/i, 'Netvibes'],
  [/feedhq/i, 'FeedHQ'],
  [/feed ?wrangler/i, 'Feed Wrangler'],
  [/superfeedr/i, 'Superfeedr'],
  [/bloglovin/i, 'Bloglovin'],
  [/feeder\.co|feeder\/\d/i, 'Feeder'],
  [/newsgator/i, 'NewsGator'],
  [/bloglines/i, 'Bloglines'],
  [/dreamwidth/i, 'Dreamwidth'],
  [/livejournal/i, 'LiveJournal'],
  [/rojo/i, 'Rojo'],
  [/yahoofeedseeker/i, 'Yahoo'],
  [/newshutch/i, 'NewsHutch'],
  [/g2reader/i, 'G2Reader'],
  [/miniflux/i, 'Miniflux'],
  [/freshrss/i, 'FreshRSS'],
  [/tiny ?tiny ?rss|tt-rss/i, 'Tiny Tiny RSS'],
  [/netnewswire/i, 'NetNewsWire'],
  [/reeder/i, 'Reeder'],
  [/readkit/i, 'ReadKit'],
  [/thunderbird/i, 'Thunderbird'],
  [/newsboat/i, 'Newsboat'],
  [/feedreader/i, 'FeedReader'],
  [/akregator/i, 'Akregator'],
  [/liferea/i, 'Liferea'],
  [/quiterss/i, 'QuiteRSS'],
  [/rssowl/i, 'RSSOwl'],
  [/podcasts?\b|itunes|applecoremedia/i, 'Podcast app'],
];

const COUNT = /(\d[\d,]*)\s+(?:subscribers?|readers?|subscriber\(s\))(?![\w])|\b(?:subscribers|readers|users)[\s:=_]+(\d[\d,]*)/i;
/** Readers that fetch one URL under several ids (http and https, say) count per id: read it so they add up. */
const FEED_ID = /feed-?id[=:\s]\s*([\w-]{1,64})|\/site\/(\d{1,20})\//i;
/**
 * What a count read from a User-Agent may claim. Anyone can send any User-Agent, so a count is a
 * claim nobody can check; it is believed only up to what the reader could plausibly have for one
 * feed: the aggregators named here up to their figure (the largest feeds on Feedly have a few
 * million followers; the others are far smaller services), every other reader (an unknown
 * product token, a desktop or phone app) up to OTHER_MAX. A count above the reader's maximum is a
 * lie and not believed at all: the request counts as one direct client. The recorder and the
 * summary bound the rest (at most MAX_IDS_PER_READER ids per aggregator, MAX_OTHER_ROWS other
 * readers, MAX_REPORTED_PER_FEED in all; src/db/stats.ts, src/stats/summary.ts).
 */
const AGGREGATOR_MAX = new Map<string, number>([
  ['Feedly', 5_000_000],
  ['Inoreader', 1_000_000],
  ['Google Feedfetcher', 1_000_000],
  ['Netvibes', 1_000_000],
  ...[
    'NewsBlur',
    'Feedbin',
    'The Old Reader',
    'BazQux',
    'Feedspot',
    'Newsify',
    'FeedHQ',
    'Feed Wrangler',
    'Superfeedr',
    'Bloglovin',
    'Feeder',
    'NewsGator',
    'Bloglines',
    'Dreamwidth',
    'LiveJournal',
    'Rojo',
    'Yahoo',
    'NewsHutch',
    'G2Reader',
  ].map((name): [string, number] => [name, 100_000]),
]);
/** The most a reader not in AGGREGATOR_MAX may report. */
export const OTHER_MAX = 1_000;
/** Rows (feed-ids) kept per aggregator, feed and day: a reader fetching one feed under a few URLs. */
export const MAX_IDS_PER_READER = 3;
/** Rows kept per feed and day for the reported counts of all other readers together. */
export const MAX_OTHER_ROWS = 5;
/** The most reported subscribers a feed is credited with on one day, whoever reports them. */
export const MAX_REPORTED_PER_FEED = 10_000_000;

/** Whether the reader is an aggregator of AGGREGATOR_MAX (else its reports count among the others). */
export const isListedAggregator = (reader: string): boolean => AGGREGATOR_MAX.has(reader);
/** The largest count the reader may report for one feed. */
export const plausibleMax = (reader: string): number => AGGREGATOR_MAX.get(reader) ?? OTHER_MAX;

export type ReaderInfo = {
  /** The reader's name: from the known table, else the product token; "unknown" when empty. */
  reader: string;
  /** The subscribers it says it fetches for; null when it says nothing, or more than plausibleMax (one direct client). */
  subscribers: number | null;
  /** Its id for the feed, when it gives one. */
  feedId: string | null;
};

/** The product token: "curl" of "curl/8.5", X of "Mozilla/5.0 (compatible; X/1.0; …)". */
function productName(ua: string): string {
  const compatible = /\(compatible;\s*([^;/)]+?)(?:[/;)]|\s+\d)/i.exec(ua)?.[1]?.trim();
  if (compatible && !/^msie\b/i.test(compatible)) return compatible.slice(0, 40);
  if (/^Mozilla\//.test(ua)) return 'Browser';
  const token = /^[^\s/;(]+/.exec(ua)?.[0];
  return token ? token.slice(0, 40) : 'unknown';
}

export function readerInfo(userAgent: string | undefined | null): ReaderInfo {
  const ua = (userAgent ?? '').trim().slice(0, 512);
  if (!ua) return { reader: 'unknown', subscribers: null, feedId: null };
  const reader = KNOWN.find(([pattern]) => pattern.test(ua))?.[1] ?? productName(ua);
  const match = COUNT.exec(ua);
  const raw = match ? Number((match[1] ?? match[2]!).replace(/,/g, '')) : null;
  const subscribers = raw !== null && Number.isSafeInteger(raw) && raw <= plausibleMax(reader) ? raw : null;
  const id = FEED_ID.exec(ua);
  return { reader, subscribers, feedId: subscribers === null ? null : (id?.[1] ?? id?.[2] ?? null) };
}
