import type { Enclosure } from '../domain/entry';
import { escapeHtml, htmlToText } from '../render/text';
import { parseDate } from './dates';
import { plainTitle, resolve } from './values';
import { safeUrl, sanitizeAll } from './sanitize';
import type { UpstreamItem } from './types';

/** Upstream content kept per item; beyond it the content is dropped (the summary stays). D1 rows stop at 2 MB. */
export const MAX_CONTENT_BYTES = 512 * 1024;

type Attrs = Record<string, string>;
type Node = string | { _?: string; $?: Attrs; [key: string]: unknown };

/** An item as rss-parser returns it, with the raw elements asked for in its customFields. */
export type RawItem = {
  title?: string; link?: string; guid?: string; id?: string; pubDate?: string; content?: string; summary?: string;
  'content:encoded'?: string; creator?: string; author?: string; categories?: Node[];
  enclosure?: { url?: string; type?: string; length?: string };
  attrs?: Attrs; authorsRaw?: Node[]; linksRaw?: Node[]; contentRaw?: Node[]; creatorsRaw?: Node[];
  dcDate?: string; updatedRaw?: string; publishedRaw?: string;
  mediaThumbnail?: Node[]; mediaContent?: Node[]; itunesImage?: Node[];
};

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
  categories: string[];
  enclosures: { url: string; type?: string; length?: unknown }[];
  image: string | null;
};

const text = (node: Node | undefined): string => (typeof node === 'string' ? node : typeof node?._ === 'string' ? node._ : '');
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const httpUrl = (value: string | null | undefined, base: string): string | null => {
  const url = resolve(value ?? undefined, base);
  return url && /^https?:/.test(url) ? url : null;
};

function fromRss(item: RawItem, base: string): ShapedItem {
  const link = httpUrl(str(item.link), base);
  const description = typeof item.content === 'string' ? item.content : '';
  const encoded = typeof item['content:encoded'] === 'string' ? item['content:encoded'] : '';
  const creators = (item.creatorsRaw ?? []).map(text).map((n) => n.trim()).filter(Boolean);
  const author = str(item.author);
  // RSS <author> is "email (Name)" or just an email.
  const rssAuthor = author ? (/\(([^)]+)\)/.exec(author)?.[1] ?? author) : null;
  const enclosure = item.enclosure?.url ? [{ url: item.enclosure.url, type: item.enclosure.type, length: item.enclosure.length }] : [];
  return {
    guid: str(typeof item.guid === 'string' ? item.guid : text(item.guid as unknown as Node)),
    title: plainTitle(item.title),
    link,
    contentHtml: encoded || description,
    summaryHtml: encoded ? description : '',
    contentBase: link ?? base,
    published: parseDate(item.pubDate) ?? parseDate(item.dcDate),
    updated: null,
    authors: (creators.length ? creators : rssAuthor ? [rssAuthor] : []).map((name) => ({ name })),
    categories: (item.categories ?? []).map(text),
    enclosures: enclosure,
    image: firstImage(item, base),
  };
}

function fromAtom(item: RawItem, base: string): ShapedItem {
  const links = (item.linksRaw ?? []).map((l) => (typeof l === 'object' ? (l.$ ?? {}) : { href: l }));
  const alternate = links.find((l) => !l.rel || l.rel === 'alternate') ?? null;
  const link = httpUrl(alternate?.href, base);
  const content = item.contentRaw?.[0];
  const contentAttrs = (typeof content === 'object' ? content.$ : undefined) ?? {};
  const asHtml = (value: string | undefined, type: string | undefined) =>
    !value ? '' : type === 'text' ? `<p>${escapeHtml(value)}</p>` : value;
  const summaryNode = (item as { summaryRaw?: Node[] }).summaryRaw?.[0];
  const summaryType = typeof summaryNode === 'object' ? summaryNode.$?.type : undefined;
  return {
    guid: str(item.id),
    title: plainTitle(item.title),
    link,
    // rss-parser serializes type="xhtml" content back to markup; it goes through the same sanitizer.
    contentHtml: asHtml(item.content, contentAttrs.type),
    summaryHtml: asHtml(item.summary, summaryType),
    contentBase: resolve(contentAttrs['xml:base'], base) ?? base,
    published: parseDate(item.publishedRaw),
    updated: parseDate(item.updatedRaw),
    authors: (item.authorsRaw ?? []).flatMap((a) => {
      if (typeof a !== 'object') return [];
      const field = (name: string) => str(text((a[name] as Node[] | undefined)?.[0]));
      const name = field('name');
      if (!name) return [];
      const email = field('email');
      const uri = httpUrl(field('uri'), base);
      return [{ name, ...(email ? { email } : {}), ...(uri ? { url: uri } : {}) }];
    }),
    categories: ((item as { categoriesRaw?: Node[] }).categoriesRaw ?? []).map((c) => (typeof c === 'object' ? (c.$?.label ?? c.$?.term ?? '') : c)),
    enclosures: links.filter((l) => l.rel === 'enclosure' && l.href).map((l) => ({ url: l.href!, type: l.type, length: l.length })),
    image: firstImage(item, base),
  };
}

function firstImage(item: RawItem, base: string): string | null {
  const candidates = [
    ...(item.itunesImage ?? []).map((n) => (typeof n === 'object' ? n.$?.href : undefined)),
    ...(item.mediaThumbnail ?? []).map((n) => (typeof n === 'object' ? n.$?.url : undefined)),
    ...(item.mediaContent ?? []).filter((n) => typeof n === 'object' && (n.$?.medium === 'image' || n.$?.type?.startsWith('image/'))).map((n) => (typeof n === 'object' ? n.$?.url : undefined)),
  ];
  for (const candidate of candidates) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  return null;
}

async function shortHash(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  return [...digest.subarray(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** At most `max` user-perceived characters (a flag or a family emoji is one), with an ellipsis. */
export function truncateGraphemes(value: string, max: number): string {
  const graphemes = [...segmenter.segment(value)].map((s) => s.segment);
  return graphemes.length <= max ? value : `${graphemes.slice(0, max).join('').trimEnd()}…`;
}

/** One shaped item made final: sanitized, absolute, identified. null when it has nothing at all. */
async function finish(
  shaped: ShapedItem,
  index: number,
  warnings: string[],
  sanitized: [PromiseSettledResult<string>, PromiseSettledResult<string>],
): Promise<UpstreamItem | null> {
  // Markup the sanitizer cannot read (lol-html refuses absurd nesting) is dropped, not the item.
  const clean = (result: PromiseSettledResult<string>, what: string) => {
    if (result.status === 'fulfilled') return result.value;
    warnings.push(`item ${index + 1}: ${what} dropped (${result.reason instanceof Error ? result.reason.message : String(result.reason)})`);
    return '';
  };
  const contentHtml = clean(sanitized[0], 'content');
  const summaryHtml = clean(sanitized[1], 'summary');
  let content = contentHtml.trim();
  if (new TextEncoder().encode(content).byteLength > MAX_CONTENT_BYTES) {
    warnings.push(`item ${index + 1}: content over ${MAX_CONTENT_BYTES} bytes; dropped, summary kept`);
    content = '';
  }
  const summary = summaryHtml.trim();
  if (!shaped.guid && !shaped.link && !shaped.title && !content && !summary) {
    warnings.push(`item ${index + 1}: no id, link, title or content; dropped`);
    return null;
  }
  // Only the start of the text can become a title.
  const bodyText = htmlToText((content || summary).slice(0, 4000));
  const title = shaped.title ?? (bodyText ? truncateGraphemes(bodyText, 80) : null) ?? shaped.link ?? 'Untitled';
  const key = shaped.guid ?? shaped.link ?? `hash:${await shortHash(`${title}\n${content || summary}`)}`;
  const enclosures: Enclosure[] = [];
  for (const e of shaped.enclosures) {
    const url = safeUrl(e.url, shaped.contentBase);
    if (!url || !/^https?:/.test(url)) continue;
    const length = Number(e.length);
    const type = typeof e.type === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(e.type.trim()) ? e.type.trim() : 'application/octet-stream';
    enclosures.push({ url, type, length: Number.isSafeInteger(length) && length >= 0 ? length : 0 });
  }
  const seen = new Set<string>();
  return {
    key,
    guid: shaped.guid,
    title,
    url: shaped.link,
    summaryHtml: summary,
    contentHtml: content,
    publishedAt: shaped.published ?? shaped.updated,
    updatedAt: shaped.updated,
    authors: shaped.authors.map((a) => ({ ...a, name: a.name.slice(0, 200) })).slice(0, 10),
    categories: shaped.categories
      .map((c) => plainTitle(c) ?? '')
      .filter((c) => c !== '' && !seen.has(c.toLowerCase()) && seen.add(c.toLowerCase()))
      .slice(0, 20),
    enclosures: enclosures.slice(0, 10),
    image: shaped.image,
  };
}

/**
 * Turns shaped items into final ones, each on its own (one item's failure is a warning, never
 * the feed's), keeping the newest `maxItems`, with keys unique within the feed.
 */
export async function finishItems(shapedItems: ShapedItem[], maxItems: number, warnings: string[]): Promise<UpstreamItem[]> {
  let chosen = shapedItems.map((item, index) => ({ item, index }));
  if (chosen.length > maxItems) {
    const date = (s: ShapedItem) => s.published ?? s.updated ?? Number.NEGATIVE_INFINITY;
    chosen = chosen.sort((a, b) => date(b.item) - date(a.item) || a.index - b.index).slice(0, maxItems);
    warnings.push(`${shapedItems.length} items upstream; the newest ${maxItems} kept`);
  }
  // All the items' HTML goes through the sanitizer in one pass.
  const sanitized = await sanitizeAll(
    chosen.flatMap(({ item }) => [
      { html: item.contentHtml, base: item.contentBase },
      { html: item.summaryHtml, base: item.contentBase },
    ]),
  );
  const items: UpstreamItem[] = [];
  const keys = new Set<string>();
  for (const [n, { item, index }] of chosen.entries()) {
    try {
      const done = await finish(item, index, warnings, [sanitized[2 * n]!, sanitized[2 * n + 1]!]);
      if (!done) continue;
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

/** rss-parser items of an RSS or Atom feed to final items. */
export async function normalizeItems(
  raw: RawItem[],
  context: { format: 'rss' | 'atom'; feedUrl: string; feedBase: string; siteUrl: string | undefined; maxItems: number },
): Promise<{ items: UpstreamItem[]; warnings: string[] }> {
  const warnings: string[] = [];
  const shaped: ShapedItem[] = [];
  raw.forEach((item, index) => {
    try {
      if (context.format === 'atom') {
        const base = resolve(item.attrs?.['xml:base'], context.feedBase) ?? context.feedBase;
        shaped.push(fromAtom(item, base));
      } else {
        // A relative RSS <link> is relative to the channel's link, then to the feed's URL.
        shaped.push(fromRss(item, context.siteUrl ?? context.feedBase));
      }
    } catch (error) {
      warnings.push(`item ${index + 1}: ${error instanceof Error ? error.message : String(error)}; skipped`);
    }
  });
  return { items: await finishItems(shaped, context.maxItems, warnings), warnings };
}
