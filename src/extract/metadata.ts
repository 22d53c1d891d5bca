import { authorOfElement, splitByline, uniqueAuthors } from './authors';
import { dateOfElement, type HumanDateOptions, parseHumanDate, readDate } from './dates';
import type { DomDocument, DomElement } from './dom';
import { hintWords } from './hints';
import { asList, asText, asUrl, isArticleNode, type LdNode, readJsonLd, resolveRef } from './json-ld';
import { BYLINE_PREFIX } from './patterns';
import { isThread } from './secondary';
import { normalizeSpace, textOf } from './text';
import type { Author } from './types';
import { absoluteUrl, withoutFragment } from './urls';

/** What a page says about itself, apart from its body. Every field is optional. */
export type PageMetadata = {
  title: string | null;
  authors: Author[];
  published: number | null;
  modified: number | null;
  lang: string | null;
  image: string | null;
  excerpt: string | null;
  categories: string[];
};

/** Words of the text around a date that make it the date of an update, not of publication. */
const UPDATED =
  /\b(?:updated|modified|edited|revised|aktualisiert|geändert|mis à jour|modifié|actualizado|aggiornato|bijgewerkt|atualizado)\b/iu;

/** Comment threads found on the page (see isThread), per page: isElsewhere asks for each element's ancestors. */
let threads = new Map<DomElement, boolean>();

/** Comments, sidebars and menus: their links and dates are not the article's. */
function isElsewhere(el: DomElement): boolean {
  if (el.closest('aside, nav, [role="complementary"], [role="navigation"]')) return true;
  for (let node: DomElement | null = el; node; node = node.parentElement) {
    if (hintWords(node).some((w) => ELSEWHERE_WORDS.has(w) || w.startsWith('related'))) return true;
    // A comment in a thread (items with "Reply" links), however the site names it.
    if ((node.localName === 'li' || node.localName === 'article') && node.parentElement && isThread(node.parentElement, threads))
      return true;
  }
  return false;
}
// Not "widget": Blogger's main column is a widget too.
const ELSEWHERE_WORDS = new Set(['comment', 'comments', 'commentlist', 'respond', 'sidebar', 'recommended']);

/**
 * Reads the article's metadata, most reliable source first: JSON-LD (the Article, NewsArticle,
 * BlogPosting… node for this page), then OpenGraph and other meta tags, then markup (`<html lang>`,
 * rel=author and rel=tag links, `itemprop`, `<time datetime>`, byline elements). Must run before
 * anything changes the document.
 */
export function readMetadata(doc: DomDocument, base: string, dates: HumanDateOptions): PageMetadata {
  threads = new Map();
  try {
    return readMetadataOnce(doc, base, dates);
  } finally {
    threads = new Map();
  }
}

function readMetadataOnce(doc: DomDocument, base: string, dates: HumanDateOptions): PageMetadata {
  const ld = articleNode(readJsonLd(doc), base);
  const meta = metaTags(doc);
  const first = (...names: string[]) => names.map((n) => meta.get(n)?.[0]).find((v) => v !== undefined && v !== '') ?? null;
  const date = (value: unknown) => (typeof value === 'string' ? parseHumanDate(value, dates) : null);
  // A <time> next to "Updated" or "Last updated on <b><time>" dates the update. Each ancestor's
  // text is read once: a page of thousands of <time>s in one container would read it per <time>.
  const texts = new Map<DomElement, string>();
  const textOnce = (node: DomElement) => {
    const known = texts.get(node);
    if (known !== undefined) return known;
    const text = textOf(node);
    texts.set(node, text);
    return text;
  };
  const isUpdate = (el: DomElement) => {
    for (let node = el.parentElement, level = 0; node && level < 3; node = node.parentElement, level++) {
      const text = textOnce(node);
      if (text.length > 120) return false;
      if (UPDATED.test(text)) return true;
    }
    return false;
  };
  const markupDate = (selector: string, keep: (el: DomElement) => boolean) => {
    const el = [...doc.querySelectorAll(selector)].find((e) => !isElsewhere(e) && keep(e));
    return el ? dateOfElement(el, dates) : null;
  };

  const published =
    date(ld?.node.datePublished) ??
    date(ld?.node.dateCreated) ??
    date(
      first(
        'article:published_time',
        'og:published_time',
        'datepublished',
        'pubdate',
        'publishdate',
        'date',
        'dc.date',
        'dc.date.issued',
        'dcterms.created',
        'dcterms.date',
        'dcterms.issued',
        'parsely-pub-date',
        'sailthru.date',
      ),
    ) ??
    markupDate(
      '[itemprop~="datePublished"], time[pubdate], .published, time.entry-date, .published time, article time, main time, time[datetime]',
      (el) => !isUpdate(el),
    ) ??
    writtenDate(doc, dates);
  const modified =
    date(ld?.node.dateModified) ??
    date(first('article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified', 'last-modified')) ??
    markupDate('[itemprop~="dateModified"], time.updated', () => true) ??
    markupDate('time', isUpdate);

  const ldLanguage = asText(ld?.node.inLanguage);
  const ogLocale = first('og:locale')?.replace('_', '-') ?? null;
  const lang = ldLanguage ?? (doc.documentElement.getAttribute('lang')?.trim() || null) ?? ogLocale ?? first('content-language');

  const image =
    absoluteUrl(asUrl(ld?.node.image ?? ld?.node.thumbnailUrl), base) ??
    absoluteUrl(first('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'), base) ??
    absoluteUrl(doc.querySelector('link[rel~="image_src"]')?.getAttribute('href'), base);

  return {
    title: withoutSiteName(asText(ld?.node.headline) ?? asText(ld?.node.name) ?? first('og:title', 'twitter:title', 'dc.title'), doc),
    authors: readAuthors(doc, ld, meta, base),
    published,
    modified,
    lang,
    image,
    excerpt: asText(ld?.node.description) ?? first('og:description', 'description', 'twitter:description', 'dc.description'),
    categories: readCategories(doc, ld?.node, meta),
  };
}

/** Elements near the title searched for a date written in a line of text. */
const WRITTEN_DATE_LINES = 40;
/** A label before a date ("Date of notice:", "Published:", "Veröffentlicht am"). */
const DATE_LABEL =
  /^[\p{L}][\p{L} ]{1,40}:\s*|^(?:published|posted|updated|veröffentlicht|publié|publicado|pubblicato|gepubliceerd)(?: (?:on|am|le|el|il|op))?\s+/iu;

/**
 * A date written in a line of text after the title, where no markup gives one: a byline with its
 * date ("By Priya Nair, 5 December 2026"), a labelled date ("Date of notice: 05/12/2026"), in the
 * source's language and order of numeric dates. The first short lines after the page's h1 (in
 * its article, else the page) are read, never comments, sidebars or menus.
 */
function writtenDate(doc: DomDocument, dates: HumanDateOptions): number | null {
  const h1 = doc.querySelector('h1');
  const root = h1?.closest('article, main, [role="main"]') ?? doc.body;
  if (!root) return null;
  let lines = 0;
  let after = !h1;
  for (const el of root.querySelectorAll('h1, p, div, span, small, em, li, dd, address')) {
    if (el === h1) {
      after = true;
      continue;
    }
    if (!after || el.querySelector('p, div, li')) continue;
    const text = textOf(el);
    if (text.length < 6 || text.length > 150) continue;
    if (++lines > WRITTEN_DATE_LINES) break;
    if (!/\d/.test(text) || !(BYLINE_PREFIX.test(text) || DATE_LABEL.test(text)) || isElsewhere(el)) continue;
    const read = readDate(text.replace(BYLINE_PREFIX, '').replace(DATE_LABEL, ''), dates, { wordsAlone: false });
    if (read) return read.ms;
  }
  return null;
}

/** The page's article node: the one whose URL is the page's, else the first article node with a headline. */
function articleNode(nodes: LdNode[], base: string): { node: LdNode; nodes: LdNode[] } | null {
  const articles = nodes.filter(isArticleNode);
  const page = withoutFragment(base);
  const own = articles.find((n) =>
    [n.url, asUrl(n.mainEntityOfPage), n['@id']].some((u) => typeof u === 'string' && withoutFragment(absoluteUrl(u, base) ?? '') === page),
  );
  const node = own ?? articles.find((n) => n.headline !== undefined) ?? articles[0];
  return node ? { node, nodes } : null;
}

/** Meta tags by lowercased name or property, each with its values in document order. */
function metaTags(doc: DomDocument): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const el of doc.querySelectorAll('meta[content]')) {
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? el.getAttribute('http-equiv'))
      ?.trim()
      .toLowerCase();
    if (!key) continue;
    const content = normalizeSpace(el.getAttribute('content'));
    map.set(key, [...(map.get(key) ?? []), content]);
  }
  return map;
}

function readAuthors(doc: DomDocument, ld: { node: LdNode; nodes: LdNode[] } | null, meta: Map<string, string[]>, base: string): Author[] {
  const fromLd = asList(ld?.node.author).flatMap((value): Author[] => {
    const author = ld ? resolveRef(value, ld.nodes) : value;
    const name = asText(author);
    if (!name) return [];
    const url = typeof author === 'object' ? absoluteUrl(asUrl((author as LdNode).url ?? (author as LdNode).sameAs), base) : null;
    return splitByline(name).length > 1 && typeof author === 'string'
      ? splitByline(name).map((n) => ({ name: n }))
      : [url ? { name, url } : { name }];
  });
  if (fromLd.length > 0) return uniqueAuthors(fromLd);
  const links = [...doc.querySelectorAll('a[rel~="author"], [itemprop~="author"], .h-entry .p-author')].filter((el) => !isElsewhere(el));
  const fromMarkup = uniqueAuthors(
    links.flatMap((el) => {
      const found = authorOfElement(el, base);
      // Microdata may wrap the name with other text ("Jane Doe, Staff Writer"): the name property wins.
      const name = el.querySelector('[itemprop~="name"]');
      return name ? [{ ...found[0], name: textOf(name) }] : found;
    }),
  );
  const named = (values: string[] | undefined) =>
    (values ?? [])
      .filter((v) => !/^https?:/i.test(v))
      .flatMap(splitByline)
      .map((name) => ({ name }));
  const fromMeta = uniqueAuthors([
    ...named(meta.get('article:author')),
    ...named(meta.get('author')),
    ...named(meta.get('parsely-author')),
    ...named(meta.get('dc.creator')),
  ]);
  if (fromMeta.length > 0) {
    // A meta name and a rel=author link for the same person: the link lends its URL.
    return fromMeta.map((a) => fromMarkup.find((m) => m.name.toLowerCase() === a.name.toLowerCase() && m.url) ?? a);
  }
  if (fromMarkup.length > 0) return fromMarkup;
  const byline = [...doc.querySelectorAll('.byline, .author, .post-author, .entry-author, [class*="byline"]')].find(
    (el) => !isElsewhere(el),
  );
  return byline ? uniqueAuthors(authorOfElement(byline, base)) : [];
}

function readCategories(doc: DomDocument, node: LdNode | undefined, meta: Map<string, string[]>): string[] {
  const keywords = (value: unknown) => asList(value).flatMap((k) => (typeof k === 'string' ? k.split(',') : [asText(k) ?? '']));
  const links = [...doc.querySelectorAll('a[rel~="tag"], a[rel~="category"], .h-entry .p-category')]
    .filter((el) => !isElsewhere(el))
    .map(textOf);
  const all = [
    ...asList(node?.articleSection).map(asText),
    ...keywords(node?.keywords),
    ...(meta.get('article:section') ?? []),
    ...(meta.get('article:tag') ?? []),
    ...links,
  ];
  const seen = new Map<string, string>();
  for (const value of all) {
    const name = normalizeSpace(value);
    if (name && name.length <= 100 && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

/**
 * The title without a site name glued to it ("Configuring retries | Courier Docs"), when the
 * page's h1 is the part before or after the separator.
 */
function withoutSiteName(title: string | null, doc: DomDocument): string | null {
  if (!title || !/\s[|\-–—:·»]\s/.test(title)) return title;
  for (const h1 of doc.querySelectorAll('h1')) {
    const heading = textOf(h1);
    if (heading.length < 3) continue;
    const rest = title.startsWith(heading) ? title.slice(heading.length) : title.endsWith(heading) ? title.slice(0, -heading.length) : null;
    if (rest !== null && /^\s*[|\-–—:·»]\s|\s[|\-–—:·»]\s*$/.test(rest)) return heading;
  }
  return title;
}
