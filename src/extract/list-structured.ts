import { dateOfElement, parseHumanDate } from './dates';
import type { DomDocument, DomElement } from './dom';
import { asList, asText, asUrl, isArticleNode, type LdNode, readJsonLd, typesOf } from './json-ld';
import type { LinkIndex } from './links';
import { type ItemContext, readItem } from './list-item';
import { normalizeSpace, textOf } from './text';
import type { Author, ListItem } from './types';
import { absoluteUrl, imageSource, sameSite, withoutFragment } from './urls';

// Lists the page states explicitly: JSON-LD (an ItemList, or several Article/BlogPosting nodes)
// and microformats2 (h-feed / h-entry).

/** A JSON-LD entry of a list: its URL and whatever the node says about it. */
type LdEntry = { url: string; node: LdNode | null; position: number };

function ldEntries(nodes: LdNode[], base: string, pageUrl: string): LdEntry[] {
  const entries: LdEntry[] = [];
  const add = (url: string | null, node: LdNode | null, position: number) => {
    const abs = absoluteUrl(url, base);
    if (abs && sameSite(abs, pageUrl) && withoutFragment(abs) !== withoutFragment(pageUrl))
      entries.push({ url: withoutFragment(abs), node, position });
  };
  for (const list of nodes.filter((n) => typesOf(n).includes('ItemList'))) {
    for (const [i, element] of asList(list.itemListElement).entries()) {
      if (typeof element === 'string') add(element, null, i);
      if (typeof element !== 'object' || element === null) continue;
      const listItem = element as LdNode;
      const item = typeof listItem.item === 'object' && listItem.item !== null ? (listItem.item as LdNode) : null;
      const position = typeof listItem.position === 'number' ? listItem.position : Number(listItem.position) || i;
      add(asUrl(listItem.url) ?? asUrl(listItem.item), item ?? (isArticleNode(listItem) ? listItem : null), position);
    }
  }
  if (entries.length === 0) {
    for (const [i, node] of nodes.filter(isArticleNode).entries()) {
      add(asUrl(node.url) ?? asUrl(node.mainEntityOfPage) ?? asUrl(node['@id']), node, i);
    }
  }
  return entries.sort((a, b) => a.position - b.position);
}

/**
 * Items from JSON-LD. What the JSON-LD leaves out (often everything but the URL, in ItemLists
 * made for search engines) is read from the page's link to the same URL.
 */
export function jsonLdItems(doc: DomDocument, linkIndex: () => LinkIndex, pageUrl: string, context: ItemContext): ListItem[] {
  const nodes = readJsonLd(doc);
  const entries = ldEntries(nodes, context.base, pageUrl);
  if (new Set(entries.map((e) => e.url)).size < (entries.some((e) => e.node) ? 1 : 2)) return [];
  // The page's links are indexed only when there is JSON-LD to complete.
  const index = linkIndex();
  // One article node and no ItemList mostly describes the page itself (a theme's template, its
  // URL often wrong): a post only where the page links to it.
  const listed = nodes.some((n) => typesOf(n).includes('ItemList'));
  if (!listed && entries.length === 1 && !index.links.some((l) => l.url === entries[0]!.url)) return [];
  return entries.map(({ url, node }) => {
    const links = index.links.filter((l) => l.url === url);
    const fromPage = links[0]
      ? readItem(
          url,
          links.map((l) => l.anchor),
          [index.blockOf(links[0])],
          context,
        )
      : null;
    const item: ListItem = {
      ...fromPage,
      url,
      title: asText(node?.headline) ?? asText(node?.name) ?? fromPage?.title ?? '',
      published:
        (typeof node?.datePublished === 'string' ? parseHumanDate(node.datePublished, context.dates) : null) ?? fromPage?.published ?? null,
    };
    const summary = asText(node?.description);
    if (summary) item.summary = summary;
    const image = absoluteUrl(asUrl(node?.image ?? node?.thumbnailUrl), context.base);
    if (image) item.image = image;
    const authors = asList(node?.author).flatMap((a): Author[] => {
      const name = asText(a);
      const url = typeof a === 'object' ? absoluteUrl(asUrl((a as LdNode).url), context.base) : null;
      return name ? [url ? { name, url } : { name }] : [];
    });
    if (authors.length > 0) item.authors = authors;
    return item;
  });
}

const MF_ROOT = /(?:^|\s)h-[a-z]/;

/** Elements with the class inside `root`, not inside a nested microformat (a comment's h-cite, an author's h-card). */
function property(root: DomElement, className: string): DomElement[] {
  return [...root.querySelectorAll(`.${className}`)].filter((el) => {
    for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
      if (MF_ROOT.test(node.getAttribute('class') ?? '')) return false;
    }
    return true;
  });
}

/**
 * Items from microformats2: every h-entry that is not inside another. Written here rather than
 * with microformats-parser, which parses the whole page again with its own parse5: only five
 * properties are read (p-name, u-url, dt-published, p-summary, p-author, and u-photo), on the
 * DOM already built. Needs an h-feed, or at least two entries (one h-entry is an article page).
 */
export function hFeedItems(doc: DomDocument, pageUrl: string, { base, dates }: ItemContext): ListItem[] {
  const entries = [...doc.querySelectorAll('.h-entry')].filter((e) => !e.parentElement?.closest('.h-entry'));
  if (entries.length === 0 || (entries.length < 2 && !doc.querySelector('.h-feed'))) return [];
  const items: ListItem[] = [];
  for (const entry of entries) {
    const urlEl = property(entry, 'u-url')[0] ?? entry.querySelector('a[href]');
    const url = absoluteUrl(urlEl?.getAttribute('href') ?? urlEl?.getAttribute('src') ?? null, base);
    if (!url || !sameSite(url, pageUrl)) continue;
    const nameEl = property(entry, 'p-name')[0];
    const summaryEl = property(entry, 'p-summary')[0];
    const title = nameEl ? textOf(nameEl) : normalizeSpace(summaryEl?.textContent ?? textOf(property(entry, 'e-content')[0])).slice(0, 120);
    const published = property(entry, 'dt-published')[0];
    const item: ListItem = { url: withoutFragment(url), title, published: published ? dateOfElement(published, dates) : null };
    if (summaryEl) item.summary = textOf(summaryEl);
    const photo = property(entry, 'u-photo')[0] ?? property(entry, 'u-featured')[0];
    const image = photo ? imageSource(photo, base) : null;
    if (image) item.image = image;
    const authors = property(entry, 'p-author').map((el): Author => {
      const name = textOf(el.querySelector('.p-name') ?? el);
      const href = el.matches('a[href]') ? el.getAttribute('href') : el.querySelector('.u-url')?.getAttribute('href');
      const authorUrl = absoluteUrl(href, base);
      return authorUrl ? { name, url: authorUrl } : { name };
    });
    if (authors.length > 0) item.authors = authors;
    items.push(item);
  }
  return items;
}
