import { LruCache } from '../lib/lru';
import type { SiteConfig } from '../config';
import type { Entry } from '../domain/entry';
import { definitionOf, type View } from '../views/registry';
import { absolutizeAll } from '../html/absolute-urls';
import type { FeedDocument, FeedItem } from './document';
import { escapeHtml, htmlToText, xmlSafe } from '../html/text';
import { advertisedHub, DEFAULT_VARIANT, type FeedVariant, feedUrls, SUMMARY_VARIANT, pageUrl, postUrl, viewPath } from '../views/urls';

/**
 * The `updated` of a feed that has never had an entry nor a write (a fresh database's empty
 * planet): a fixed date, since the same data must give the same bytes ("now" would not), and one
 * that readers and the W3C validator find plausible (not 1970).
 */
export const NEVER_UPDATED = Date.UTC(2000, 0, 1);

/**
 * Turns a view's entries into the renderers' input: absolute URLs everywhere (also inside
 * content), text that XML can carry, and the feed's `updated` taken from its newest entry.
 * Every format is rendered from the same document, so RSS, Atom, JSON and HTML agree.
 */
export async function buildFeedDocument(
  config: SiteConfig,
  view: View,
  viewName: string | null,
  entries: Entry[],
  fallbackUpdated: number,
  variant: FeedVariant = DEFAULT_VARIANT,
  /**
   * Whether the view is a podcast: any of its entries, in its whole history, carries audio
   * (src/db/history.ts, viewCarriesAudio), so every document of one feed says the same. Absent:
   * these entries decide (HTML pages, which carry no iTunes tags, and tests).
   */
  viewCarriesAudio?: boolean,
): Promise<FeedDocument> {
  // An own post's page is here; an upstream item links where its upstream does, or nowhere.
  const urls = entries.map((entry) => (entry.sourceId !== null ? entry.url : (entry.url ?? postUrl(config, entry.slug ?? entry.id))));
  const html = await absoluteFragments(entries, urls);
  const language = feedLanguage(config, entries);
  const summaryOnly = variant.content === 'summary';
  const items = entries.map((entry, i) =>
    feedItem(config, entry, urls[i]!, html[i]!.summary, summaryOnly ? '' : html[i]!.content, language),
  );
  distinctUpdated(items);
  const newest = items.reduce((max, item) => Math.max(max, item.updated.getTime()), Number.NEGATIVE_INFINITY);
  const hasAudio = viewCarriesAudio ?? items.some((item) => item.enclosures.some((e) => e.type.startsWith('audio/')));
  return {
    ...viewMetadata(config, view, viewName),
    language,
    id: feedUrls(config, view).atom,
    links: feedUrls(config, view, variant),
    summaryLinks: feedUrls(config, view, SUMMARY_VARIANT),
    summaryOnly,
    homeUrl: pageUrl(config, view),
    hub: advertisedHub(config, variant),
    icon: config.icon,
    logo: config.logo,
    podcast: hasAudio && definitionOf(view).ownPosts ? podcastShow(config) : null,
    categoryScheme: definitionOf(view).ownPosts ? `${config.url}/tags/` : null,
    updated: new Date(Number.isFinite(newest) ? newest : fallbackUpdated || NEVER_UPDATED),
    items,
  };
}

/**
 * The show a podcast feed describes: the site, with every channel tag Apple Podcasts requires
 * (itunes:image, itunes:owner with its email, author, category, explicit), or null when a setting
 * is missing (PODCAST_IMAGE or SITE_ICON, PODCAST_OWNER_EMAIL): then the feed carries no iTunes
 * tags at all rather than an incomplete show. Only own-post feeds are the site's show: a source
 * republishes another show, and the planet merges several, so neither claims the site's.
 */
function podcastShow(config: SiteConfig): FeedDocument['podcast'] {
  const { podcast } = config;
  if (!podcast.image || !podcast.ownerEmail) return null;
  return { ...podcast, author: config.author ?? config.title };
}

function viewMetadata(config: SiteConfig, view: View, name: string | null): { title: string; description: string } {
  const { title, description } = definitionOf(view).describe(config, view, name);
  return { title: xmlSafe(title), description: xmlSafe(description) };
}

/** A feed's language: its entries' when they all have the same one, else the site's (SITE_LANGUAGE). */
function feedLanguage(config: SiteConfig, entries: Entry[]): string {
  const first = entries[0]?.language;
  return first && entries.every((e) => e.language === first) ? first : config.language;
}

/**
 * Makes the entries' `updated` distinct within the document, the later copies of a value one
 * millisecond later each (entries come newest first, so the first keeps its value). Atom readers
 * and the W3C validator (DuplicateUpdated) take equal values as a publisher's imprecision;
 * upstream feeds often date several items to the same second, and a planet merges them. A
 * millisecond is below what any upstream date says, and the same entries always get the same values.
 */
function distinctUpdated(items: FeedItem[]): void {
  const seen = new Set<number>();
  for (const item of items) {
    let time = item.updated.getTime();
    while (seen.has(time)) time += 1;
    if (time !== item.updated.getTime()) item.updated = new Date(time);
    seen.add(time);
  }
}

// An entry's summary and content with absolute URLs, per (entry, version, URL), kept in this
// isolate: after a write only the changed entry is rewritten, not the other 49 of its feeds.
type Fragments = { summary: string; content: string };
const fragments = new LruCache<Fragments>(8 * 1024 * 1024, (key, v) => key.length + v.summary.length + v.content.length);

/** The key holds the HTML itself: whatever changed it (the API, a migration, a hand edit), it is a new key. */
const fragmentKey = (entry: Entry, url: string) => `${url}\u0000${entry.summary}\u0000${entry.contentHtml}`;

async function absoluteFragments(entries: Entry[], urls: (string | null)[]): Promise<Fragments[]> {
  const out: (Fragments | undefined)[] = [];
  const misses: number[] = [];
  for (const [i, entry] of entries.entries()) {
    const summary = xmlSafe(entry.summary) || excerpt(entry.contentHtml);
    // Upstream items were resolved and sanitized when they were stored.
    if (entry.sourceId !== null) out[i] = { summary, content: xmlSafe(entry.contentHtml) };
    else {
      const hit = fragments.get(fragmentKey(entry, urls[i]!));
      if (hit) out[i] = hit;
      else misses.push(i);
    }
  }
  if (misses.length) {
    // Every miss goes through one rewriter pass.
    const html = await absolutizeAll(
      misses.flatMap((i) => [
        { html: xmlSafe(entries[i]!.summary) || excerpt(entries[i]!.contentHtml), base: urls[i]! },
        { html: xmlSafe(entries[i]!.contentHtml), base: urls[i]! },
      ]),
    );
    misses.forEach((i, k) => {
      const value = { summary: html[2 * k]!, content: html[2 * k + 1]! };
      out[i] = value;
      fragments.set(fragmentKey(entries[i]!, urls[i]!), value);
    });
  }
  return out as Fragments[];
}

function feedItem(
  config: SiteConfig,
  entry: Entry,
  url: string | null,
  summaryHtml: string,
  contentHtml: string,
  feedLanguage: string,
): FeedItem {
  const origin = entry.origin;
  // What relative enclosure and image URLs resolve against (stored ones are absolute already).
  const base = url ?? origin?.siteUrl ?? origin?.feedUrl ?? config.url;
  return {
    id: xmlSafe(entry.id),
    url,
    title: xmlSafe(entry.title).trim() || '(untitled)',
    summaryHtml,
    contentHtml,
    published: entry.publishedAt,
    // Never before it went live: a post scheduled for later was last written before its time, and
    // its feeds' `updated` (RSS lastBuildDate, JSON date_modified) must move when it appears.
    updated: new Date(Math.max(entry.updatedAt.getTime(), entry.publishedAt.getTime())),
    // Upstream authors and categories have no page here: they link to the upstream instead.
    authors: entry.authors.map((a) => ({
      ...a,
      name: xmlSafe(a.name),
      page: origin ? (a.url ?? origin.siteUrl ?? url ?? origin.feedUrl) : config.url + viewPath({ kind: 'author', slug: a.slug }),
    })),
    categories: entry.tags.map((t) => ({
      name: xmlSafe(t.name),
      url: origin ? null : config.url + viewPath({ kind: 'tag', slug: t.slug }),
      ...(t.term === undefined ? {} : { term: xmlSafe(t.term) }),
    })),
    origin: origin && { title: xmlSafe(origin.title), feedUrl: origin.feedUrl, homeUrl: origin.siteUrl ?? origin.feedUrl },
    via:
      origin && entry.upstreamSource
        ? {
            title: entry.upstreamSource.title === null ? null : xmlSafe(entry.upstreamSource.title),
            id: entry.upstreamSource.id === null ? null : xmlSafe(entry.upstreamSource.id),
            feedUrl: entry.upstreamSource.feedUrl,
            homeUrl: entry.upstreamSource.siteUrl,
          }
        : null,
    enclosures: entry.enclosures.map((e) => ({ ...e, url: new URL(e.url, base).href })),
    image: entry.image ? new URL(entry.image, base).href : null,
    language: entry.language && entry.language !== feedLanguage ? entry.language : null,
  };
}

/**
 * A summary for posts sent without one: the start of the content as text. RSS readers and the
 * W3C validator expect a description before content:encoded.
 */
function excerpt(contentHtml: string): string {
  const text = xmlSafe(leadingText(contentHtml, EXCERPT_CHARS));
  if (!text) return '';
  const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).replace(/\s+\S*$/, '')}…` : text;
  return `<p>${escapeHtml(cut)}</p>`;
}

const EXCERPT_CHARS = 280;

/**
 * The start of `htmlToText(html)`: at least its first `chars` + 1 characters, or all of it.
 * Converting a whole post costs as much as the rest of its render, and the excerpt needs only
 * the start. A prefix of the HTML, without the tag or entity it may cut in half, converts to a
 * prefix of the whole text; it grows until it holds enough text.
 */
function leadingText(html: string, chars: number): string {
  for (let size = 4 * chars; size < html.length; size *= 2) {
    // A tag or a character reference cut in half at the end goes; a bare `<` is text (htmlToText).
    const text = htmlToText(
      html
        .slice(0, size)
        .replace(/<(?:[A-Za-z/!?][^<>]*)?$/, '')
        .replace(/&[#\w]*$/, ''),
    );
    if (text.length > chars) return text;
  }
  return htmlToText(html);
}
