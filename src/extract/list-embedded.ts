import { decodeHTML } from 'entities';
import { readDate } from './dates';
import type { DomDocument, DomElement } from './dom';
import type { ItemContext } from './list-item';
import { postUrl } from './links';
import { normalizeSpace, visibleTextLength } from './text';
import type { ListItem } from './types';
import { absoluteUrl, withoutFragment } from './urls';

// Pages that render their list with JavaScript ship it as data for the script: Next.js in
// `<script id="__NEXT_DATA__" type="application/json">`, Nuxt 3 in `__NUXT_DATA__` (a flat array
// whose values point at each other by index), Nuxt 2 and others in `window.__NUXT__ = {…}` or
// `window.__INITIAL_STATE__ = {…}`, many in other `<script type="application/json">` blocks. That
// data is read as JSON only (a script that is not plain JSON is skipped, never run), walked with
// a bounded budget, and its objects that carry a URL on the page's site and a title (a date,
// excerpt and image where present) are the candidates; the largest set of such objects at the
// same place in the data is the list.

/** Most characters of one script read as JSON. */
export const MAX_EMBEDDED_JSON = 2_000_000;
/** Most JSON values visited over the whole page. */
export const MAX_EMBEDDED_NODES = 100_000;

const URL_KEYS = ['url', 'href', 'link', 'permalink', 'uri', 'path', 'canonicalUrl', 'canonical_url', 'fullUrl', 'full_url', 'slug'];
const TITLE_KEYS = ['title', 'headline', 'name', 'heading'];
const DATE_KEYS = [
  'datePublished',
  'publishedAt',
  'published_at',
  'publishDate',
  'publish_date',
  'published',
  'pubDate',
  'date',
  'date_gmt',
  'firstPublishedAt',
  'createdAt',
  'created_at',
];
const SUMMARY_KEYS = ['excerpt', 'description', 'summary', 'subtitle', 'dek', 'teaser'];
const IMAGE_KEYS = ['image', 'thumbnail', 'thumbnailUrl', 'coverImage', 'cover', 'featuredImage', 'featured_image', 'heroImage'];
/** `window.__SOMETHING__ = {…};` with nothing else in the script. */
const ASSIGNED_STATE = /^\s*(?:window|self|globalThis)\.__[A-Za-z0-9_]+__\s*=\s*([[{][\s\S]*[\]}])\s*;?\s*$/;

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Items from the JSON a script-rendered page embeds (see above); none when it embeds none. */
export function embeddedItems(doc: DomDocument, pageUrl: string, context: ItemContext): ListItem[] {
  const budget = { nodes: MAX_EMBEDDED_NODES };
  const groups = new Map<string, ListItem[]>();
  for (const script of doc.querySelectorAll('script')) {
    const data = scriptData(script);
    if (data === undefined) continue;
    collect(data, pageUrl, context, budget, groups);
    if (budget.nodes <= 0) break;
  }
  let best: ListItem[] = [];
  let bestScore = 0;
  for (const items of groups.values()) {
    const unique = [...new Map(items.map((i) => [i.url, i])).values()];
    const dated = unique.filter((i) => i.published !== null).length / unique.length;
    const meanTitle = unique.reduce((n, i) => n + i.title.length, 0) / unique.length;
    // Menus in the data (labels and paths) have short titles and no dates.
    if (dated === 0 && meanTitle < 15) continue;
    const score = unique.length * (1 + dated);
    if (score > bestScore) [best, bestScore] = [unique, score];
  }
  return best;
}

/** The JSON of a script, when it is data: a JSON type, Nuxt's payload, or a bare state assignment. */
function scriptData(script: DomElement): unknown {
  const type = (script.getAttribute('type') ?? '').trim().toLowerCase();
  const text = script.textContent ?? '';
  if (text.length === 0 || text.length > MAX_EMBEDDED_JSON) return undefined;
  if (type === 'application/ld+json') return undefined;
  let json: string | undefined;
  if (type === 'application/json') json = text;
  else if (type === '' || type === 'text/javascript' || type === 'module') json = ASSIGNED_STATE.exec(text)?.[1];
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return script.getAttribute('id') === '__NUXT_DATA__' || script.hasAttribute('data-nuxt-data') ? revive(value) : value;
}

/**
 * Nuxt 3's payload (devalue): an array whose first entry is the root, and where an object's or
 * array's values are indexes of other entries. Rebuilt lazily, each entry once, within the node
 * budget; wrappers such as ["Reactive", i] and ["ShallowRef", i] stand for entry i.
 */
function revive(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0) return value;
  const table = value;
  const built = new Map<number, unknown>();
  let left = MAX_EMBEDDED_NODES;
  const at = (i: unknown): unknown => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= table.length) return undefined;
    if (built.has(i)) return built.get(i);
    if (--left < 0) return undefined;
    const raw = table[i];
    if (Array.isArray(raw)) {
      if (typeof raw[0] === 'string' && /^(?:Reactive|ShallowReactive|Ref|ShallowRef|EmptyRef|EmptyShallowRef|NuxtError)$/.test(raw[0])) {
        const inner = at(raw[1]);
        built.set(i, inner);
        return inner;
      }
      if (typeof raw[0] === 'string' && (raw[0] === 'Date' || raw[0] === 'Set' || raw[0] === 'Map')) {
        built.set(i, raw[0] === 'Date' ? raw[1] : undefined);
        return built.get(i);
      }
      const list: unknown[] = [];
      built.set(i, list);
      for (const j of raw) list.push(at(j));
      return list;
    }
    if (isObject(raw)) {
      const object: JsonObject = {};
      built.set(i, object);
      for (const [key, j] of Object.entries(raw)) object[key] = at(j);
      return object;
    }
    built.set(i, raw);
    return raw;
  };
  return at(0);
}

/**
 * Walks the data breadth first (within the budget) and files each object that reads as a post
 * under its place in the data: the path of keys to it, array positions left out, so that the
 * posts of one list share it.
 */
function collect(data: unknown, pageUrl: string, context: ItemContext, budget: { nodes: number }, groups: Map<string, ListItem[]>): void {
  const pending: [unknown, string][] = [[data, '']];
  for (let i = 0; i < pending.length && budget.nodes > 0; i++, budget.nodes--) {
    const [value, path] = pending[i]!;
    if (Array.isArray(value)) {
      for (const child of value) if (typeof child === 'object' && child !== null) pending.push([child, `${path}[]`]);
      continue;
    }
    if (!isObject(value)) continue;
    const item = postOf(value, pageUrl, context);
    if (item) {
      const group = groups.get(path);
      if (group) group.push(item);
      else groups.set(path, [item]);
    }
    for (const [key, child] of Object.entries(value))
      if (typeof child === 'object' && child !== null) pending.push([child, `${path}.${key}`]);
  }
}

/** The object as a post: a URL on the page's site (a post's, see postUrl) and a title. */
function postOf(object: JsonObject, pageUrl: string, { base, dates }: ItemContext): ListItem | null {
  const rawUrl = firstString(object, URL_KEYS);
  if (!rawUrl || (!/^(?:https?:)?\//.test(rawUrl) && !rawUrl.includes('/'))) return null;
  const url = postUrl(rawUrl, base, pageUrl);
  const title = text(firstValue(object, TITLE_KEYS));
  if (!url || !title || title.length > 300) return null;
  const item: ListItem = { url: withoutFragment(url), title, published: dateOf(firstValue(object, DATE_KEYS), dates) };
  const summary = text(firstValue(object, SUMMARY_KEYS));
  if (summary && summary !== title) item.summary = summary.length > 500 ? `${summary.slice(0, 499)}…` : summary;
  const image = imageOf(firstValue(object, IMAGE_KEYS), base);
  if (image) item.image = image;
  return item;
}

function firstValue(object: JsonObject, keys: string[]): unknown {
  for (const key of keys) if (object[key] !== undefined && object[key] !== null && object[key] !== '') return object[key];
  return undefined;
}

function firstString(object: JsonObject, keys: string[]): string | null {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** A text value: a string (HTML tags and entities taken out), or WordPress's `{rendered: "…"}`. */
function text(value: unknown): string {
  if (isObject(value) && typeof value.rendered === 'string') return text(value.rendered);
  if (typeof value !== 'string') return '';
  return normalizeSpace(decodeHTML(value.replace(/<[^>]*>/g, ' ')));
}

/** A date value: a date string, or a number of ms (or of seconds) since the epoch. */
function dateOf(value: unknown, dates: ItemContext['dates']): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value > 1e11 ? value : value > 1e8 ? value * 1000 : null;
    return ms === null ? null : (readDate(new Date(ms).toISOString(), dates)?.ms ?? null);
  }
  return typeof value === 'string' ? (readDate(value, dates)?.ms ?? null) : null;
}

function imageOf(value: unknown, base: string): string | null {
  if (typeof value === 'string') return absoluteUrl(value, base);
  if (isObject(value)) return imageOf(value.url ?? value.src ?? value.sourceUrl ?? value.source_url, base);
  if (Array.isArray(value)) return imageOf(value[0], base);
  return null;
}

/**
 * Whether the page is an application shell that draws its content with JavaScript: next to no
 * visible text, scripts, and an empty mount point (or next to no links).
 */
export function looksLikeAppShell(doc: DomDocument): boolean {
  const body = doc.body;
  if (!body || !doc.querySelector('script')) return false;
  if (visibleTextLength(body) > 400) return false;
  const mount = body.querySelector('#root, #app, #__next, #__nuxt, #svelte, [data-reactroot], [ng-version], app-root');
  return mount !== null || body.querySelectorAll('a[href]').length < 5;
}
