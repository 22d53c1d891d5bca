import { escapeHtml, xmlSafe } from '../html/text';

/** One line of an OPML subscription list: a feed (`xmlUrl`) or a folder (`children`). */
export type OpmlOutline = {
  text: string;
  /** Feed URL; omitted on folders. */
  xmlUrl?: string;
  /** The page the feed stands for. */
  htmlUrl?: string;
  description?: string;
  /** Comma-separated categories (OPML 2.0 `category`). */
  category?: string;
  /** How Syndicate follows it, beyond a plain feed (SYNDICATE_OPML_NS): read back by the import. */
  syndicate?: { kind?: 'page'; page?: string; rules?: Record<string, unknown>; site?: true; fullText?: true };
  children?: OpmlOutline[];
};

/**
 * The namespace of the outline attributes that say how Syndicate follows a source, so that an
 * export imports back the same: `syndicate:kind="page"`, `syndicate:page` (the page a page source
 * follows; its `xmlUrl` is our feed of it), `syndicate:rules` (the page source's rules as JSON),
 * `syndicate:site="true"`, `syndicate:fullText="true"`. Other readers ignore them.
 */
export const SYNDICATE_OPML_NS = 'urn:syndicate:opml:1';

type OpmlDocument = { title: string; dateModified: Date | null; ownerId?: string; outlines: OpmlOutline[] };

// OPML is small and flat; a template with escaped attributes is clearer than a serializer, and
// every output is checked by xmllint and parsed back by the import in the tests.
const attr = (value: string): string => escapeHtml(xmlSafe(value));

/** OPML 2.0 (http://opml.org/spec2.opml): feeds as `type="rss"` outlines, folders nested. */
export function renderOpml(doc: OpmlDocument): string {
  const ours = (outlines: OpmlOutline[]): boolean => outlines.some((o) => o.syndicate || ours(o.children ?? []));
  const root = ours(doc.outlines) ? `<opml version="2.0" xmlns:syndicate="${SYNDICATE_OPML_NS}">` : '<opml version="2.0">';
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', root, '  <head>'];
  lines.push(`    <title>${attr(doc.title)}</title>`);
  if (doc.dateModified) lines.push(`    <dateModified>${doc.dateModified.toUTCString()}</dateModified>`);
  if (doc.ownerId) lines.push(`    <ownerId>${attr(doc.ownerId)}</ownerId>`);
  lines.push('  </head>', '  <body>');
  const write = (outline: OpmlOutline, depth: number) => {
    const pad = '  '.repeat(depth);
    // Folders carry `text` only: an outline with more must say its `type`.
    const attrs = [`text="${attr(outline.text)}"`];
    if (outline.xmlUrl) attrs.push(`title="${attr(outline.text)}"`, 'type="rss"', `xmlUrl="${attr(outline.xmlUrl)}"`);
    if (outline.htmlUrl) attrs.push(`htmlUrl="${attr(outline.htmlUrl)}"`);
    if (outline.description) attrs.push(`description="${attr(outline.description)}"`);
    if (outline.category) attrs.push(`category="${attr(outline.category)}"`);
    const ours = outline.syndicate;
    if (ours?.kind) attrs.push(`syndicate:kind="${ours.kind}"`);
    if (ours?.page) attrs.push(`syndicate:page="${attr(ours.page)}"`);
    if (ours?.rules) attrs.push(`syndicate:rules="${attr(JSON.stringify(ours.rules))}"`);
    if (ours?.site) attrs.push('syndicate:site="true"');
    if (ours?.fullText) attrs.push('syndicate:fullText="true"');
    if (!outline.children?.length) {
      lines.push(`${pad}<outline ${attrs.join(' ')}/>`);
      return;
    }
    lines.push(`${pad}<outline ${attrs.join(' ')}>`);
    for (const child of outline.children) write(child, depth + 1);
    lines.push(`${pad}</outline>`);
  };
  for (const outline of doc.outlines) write(outline, 2);
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
