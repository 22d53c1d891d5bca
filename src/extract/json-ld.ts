import type { DomDocument } from './dom';
import { normalizeSpace } from './text';

/** A JSON-LD node: an object with string keys (values unchecked: pages write what they like). */
export type LdNode = Record<string, unknown>;

const isNode = (value: unknown): value is LdNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every JSON-LD node of the page, flattened: top-level arrays and `@graph`s are opened, and
 * nested nodes with a type are listed too (a Blog's `blogPost`, an ItemList's `item`s stay
 * reachable through their parents as well). A block that is not valid JSON is skipped, after one
 * repair of what CMSs commonly emit (HTML comments or CDATA wrappers, trailing commas).
 */
export function readJsonLd(doc: DomDocument): LdNode[] {
  const nodes: LdNode[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    const raw = script.textContent ?? '';
    const parsed = parseLenient(raw);
    if (parsed === undefined) continue;
    // Breadth first, in document order: a Blog's posts come out in the order the page gives them.
    const pending: unknown[] = [parsed];
    for (let i = 0; i < pending.length && i < 10_000; i++) {
      const value = pending[i];
      if (Array.isArray(value)) pending.push(...value);
      else if (isNode(value)) {
        if ('@type' in value) nodes.push(value);
        for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child);
      }
    }
  }
  return nodes;
}

function parseLenient(raw: string): unknown {
  const text = raw.trim();
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(text.replace(/^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$/g, '').replace(/,\s*([}\]])/g, '$1'));
    } catch {
      return undefined;
    }
  }
}

/** The node's types, without a schema.org prefix ("https://schema.org/NewsArticle" is NewsArticle). */
export function typesOf(node: LdNode): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^https?:\/\/schema\.org\//, ''));
}

/** Article-like types: Article and its subtypes (NewsArticle, BlogPosting, TechArticle, Report…). */
export function isArticleNode(node: LdNode): boolean {
  return typesOf(node).some((t) => /(?:Article|BlogPosting|Posting|Report)$/.test(t));
}

/** The value as a list (a single value becomes a list of one; null/undefined an empty list). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A text value: a string, a number, or a node's `name`/`@value`; whitespace collapsed. */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') return normalizeSpace(value) || null;
  if (typeof value === 'number') return String(value);
  if (isNode(value)) return asText(value['@value'] ?? value.name);
  if (Array.isArray(value)) return asText(value[0]);
  return null;
}

/** A URL value: a string, or a node's `url` / `@id` / `contentUrl`. */
export function asUrl(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (isNode(value)) return asUrl(value.url ?? value.contentUrl ?? value['@id']);
  if (Array.isArray(value)) return asUrl(value[0]);
  return null;
}

/** Resolves `{"@id": …}` references against the page's nodes (Yoast and others link authors this way). */
export function resolveRef(value: unknown, nodes: LdNode[]): unknown {
  if (!isNode(value)) return value;
  const id = value['@id'];
  if (typeof id !== 'string' || Object.keys(value).length > 1) return value;
  return nodes.find((n) => n['@id'] === id && Object.keys(n).length > 1) ?? value;
}
