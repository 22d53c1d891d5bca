import type { SiteConfig } from '../config';
import type { Entry } from '../domain/entry';
import type { View } from '../db/views';
import { absolutizeUrls } from '../render/absolute-urls';
import type { FeedDocument, FeedItem } from '../render/document';
import { escapeHtml, htmlToText, xmlSafe } from '../render/text';
import { feedUrls, pageUrl, postUrl, viewPath } from '../urls';

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
): Promise<FeedDocument> {
  const items = await Promise.all(entries.map((entry) => feedItem(config, entry)));
  const newest = items.reduce((max, item) => Math.max(max, item.updated.getTime()), Number.NEGATIVE_INFINITY);
  return {
    ...viewMetadata(config, view, viewName),
    links: feedUrls(config, view),
    homeUrl: pageUrl(config, view),
    hub: config.hub,
    categoryScheme: view.kind === 'source' || view.kind === 'planet' ? null : `${config.url}/tags/`,
    updated: new Date(Number.isFinite(newest) ? newest : fallbackUpdated),
    items,
  };
}

function viewMetadata(config: SiteConfig, view: View, name: string | null): { language: string; title: string; description: string } {
  const base = { language: config.language };
  switch (view.kind) {
    case 'source':
      return {
        ...base,
        title: xmlSafe(name ?? `Source ${view.id}`),
        description: xmlSafe(`${name ?? `Source ${view.id}`}, cleaned and republished by ${config.title}`),
      };
    case 'planet':
      return view.tag === null
        ? { ...base, title: xmlSafe(`${config.title}: Planet`), description: xmlSafe(`Every feed ${config.title} follows, merged`) }
        : {
            ...base,
            title: xmlSafe(`${config.title}: Planet ${name ?? view.tag}`),
            description: xmlSafe(`The feeds ${config.title} follows under “${name ?? view.tag}”, merged`),
          };
    case 'site':
      return { ...base, title: xmlSafe(config.title), description: xmlSafe(config.description) };
    case 'tag':
      return {
        ...base,
        title: xmlSafe(`${config.title}: ${name ?? view.slug}`),
        description: xmlSafe(`Posts tagged “${name ?? view.slug}” on ${config.title}`),
      };
    case 'author':
      return {
        ...base,
        title: xmlSafe(`${config.title}: ${name ?? view.slug}`),
        description: xmlSafe(`Posts by ${name ?? view.slug} on ${config.title}`),
      };
  }
}

async function feedItem(config: SiteConfig, entry: Entry): Promise<FeedItem> {
  const url = entry.url ?? postUrl(config, entry.slug ?? entry.id);
  const origin = entry.origin;
  const [summaryHtml, contentHtml] = await Promise.all([
    absolutizeUrls(xmlSafe(entry.summary) || excerpt(entry.contentHtml), url),
    absolutizeUrls(xmlSafe(entry.contentHtml), url),
  ]);
  return {
    id: xmlSafe(entry.id),
    url,
    title: xmlSafe(entry.title).trim() || '(untitled)',
    summaryHtml,
    contentHtml,
    published: entry.publishedAt,
    updated: entry.updatedAt,
    // Upstream authors and categories have no page here: they link to the upstream instead.
    authors: entry.authors.map((a) => ({
      ...a,
      name: xmlSafe(a.name),
      page: origin ? (a.url ?? origin.siteUrl ?? url) : config.url + viewPath({ kind: 'author', slug: a.slug }),
    })),
    categories: entry.tags.map((t) => ({
      name: xmlSafe(t.name),
      url: origin ? null : config.url + viewPath({ kind: 'tag', slug: t.slug }),
    })),
    origin: origin && { title: xmlSafe(origin.title), feedUrl: origin.feedUrl, homeUrl: origin.siteUrl ?? origin.feedUrl },
    enclosures: entry.enclosures.map((e) => ({ ...e, url: new URL(e.url, url).href })),
    image: entry.image ? new URL(entry.image, url).href : null,
  };
}

/**
 * A summary for posts sent without one: the start of the content as text. RSS readers and the
 * W3C validator expect a description before content:encoded.
 */
function excerpt(contentHtml: string): string {
  const text = xmlSafe(htmlToText(contentHtml));
  if (!text) return '';
  const cut = text.length > 280 ? `${text.slice(0, 280).replace(/\s+\S*$/, '')}…` : text;
  return `<p>${escapeHtml(cut)}</p>`;
}
