import { v5 as uuidv5 } from 'uuid';
import type { SiteConfig } from '../config';
import { escapeHtml, xmlSafe } from '../html/text';
import type { FeedFormat } from '../domain/format';
import type { FeedDocument } from '../render/document';
import { renderListPage } from '../render/pages/pages';
import { CONTENT_TYPES, renderFeed } from '../render/render';
import { FEED_FILES } from '../views/urls';

/** UUIDv5 namespace of the final items' ids (fixed forever). */
const FAREWELL_NAMESPACE = '0d5b8a52-3f3e-4a86-9f64-5b1f0d7c2e19';

/** What a gone path tells its readers. */
export type Farewell = {
  /** The feed's title, as readers know it. */
  title: string;
  /** Where readers go now (a feed, a page); null: the home page. */
  to: string | null;
  /** Why, as HTML (escaped). */
  reasonHtml: string;
  /** Since when the path is gone: the final item's date. */
  since: number;
};

/**
 * The format a gone path answers in: ours by file name (feed.xml, atom.xml, feed.json), others by
 * extension (.json JSON Feed, .atom Atom, .xml .rss .rdf RSS); anything else is a page.
 */
export function goneFormat(path: string): FeedFormat | 'html' {
  const file = path.slice(path.lastIndexOf('/') + 1);
  const ours = (Object.keys(FEED_FILES) as FeedFormat[]).find((f) => FEED_FILES[f] === file);
  if (ours) return ours;
  const extension = /\.(\w+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'atom') return 'atom';
  return extension === 'xml' || extension === 'rss' || extension === 'rdf' ? 'rss' : 'html';
}

/**
 * Whether a request is a person's browser rather than a feed reader: a top-level navigation (as
 * the feed preview decides, routes/feeds.ts), or an Accept header that asks for HTML first.
 */
export function wantsPage(headers: Headers): boolean {
  if (headers.get('sec-fetch-mode') === 'navigate' && headers.get('sec-fetch-dest') === 'document') return true;
  const first = (headers.get('accept') ?? '').split(',')[0]!.split(';')[0]!.trim().toLowerCase();
  return first === 'text/html' || first === 'application/xhtml+xml';
}

/**
 * A 410 Gone that still reads as a feed (FeedBurner's staged exit): the document in the path's
 * format with one final item, dated when the path went, telling readers that the feed ended and
 * where to go. Readers that show the item before they drop the feed tell their user; the status
 * tells the others to stop polling. A page path gets the same item as a page, and so does a
 * feed path opened in a browser (wantsPage: `page`), still with the 410. `search` is the request's
 * query (`?…` or empty): the self link keeps it.
 */
export function goneResponse(config: SiteConfig, path: string, search: string, farewell: Farewell, page = false): Response {
  // The address it was fetched from, query included, as every feed's self link.
  const self = config.url + path + (search.length > 1 ? search : '');
  const home = `${config.url}/`;
  const to = farewell.to ?? home;
  const since = new Date(farewell.since);
  const message = `<p>${farewell.reasonHtml} Go on at <a href="${escapeHtml(to)}">${escapeHtml(to)}</a>.</p>`;
  const doc: FeedDocument = {
    title: xmlSafe(farewell.title),
    description: 'This feed has ended.',
    language: config.language,
    homeUrl: to,
    // The feed's identity is its address without a query, as for every feed of ours.
    id: config.url + path,
    links: { rss: self, atom: self, json: self },
    summaryLinks: { rss: self, atom: self, json: self },
    summaryOnly: false,
    icon: null,
    logo: null,
    podcast: null,
    hub: null,
    categoryScheme: null,
    updated: since,
    // JSON Feed's own word that the feed will never update again.
    expired: true,
    items: [
      {
        id: `urn:uuid:${uuidv5(`${path}\n${farewell.since}`, FAREWELL_NAMESPACE)}`,
        url: to,
        title: 'This feed has ended',
        summaryHtml: message,
        contentHtml: message,
        published: since,
        updated: since,
        // Atom needs an author (RFC 4287 §4.1.2): the site says it.
        authors: [{ slug: 'site', name: xmlSafe(config.title), page: home }],
        categories: [],
        enclosures: [],
        image: null,
        language: null,
        origin: null,
      },
    ],
  };
  const format = page ? 'html' : goneFormat(path);
  const body = format === 'html' ? renderListPage(config, doc, true) : renderFeed(doc, format);
  const headers: Record<string, string> = {
    'content-type': format === 'html' ? 'text/html; charset=utf-8' : CONTENT_TYPES[format],
    'cache-control': 'public, max-age=3600',
  };
  // A feed path answers browsers and readers differently: caches must key on what decides.
  if (goneFormat(path) !== 'html') headers.vary = 'Accept, Sec-Fetch-Mode, Sec-Fetch-Dest';
  return new Response(body, { status: 410, headers });
}
