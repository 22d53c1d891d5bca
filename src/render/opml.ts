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
  children?: OpmlOutline[];
};

type OpmlDocument = { title: string; dateModified: Date | null; ownerId?: string; outlines: OpmlOutline[] };

// OPML is small and flat; a template with escaped attributes is clearer than a serializer, and
// every output is checked by xmllint and parsed back by the import in the tests.
const attr = (value: string): string => escapeHtml(xmlSafe(value));

/** OPML 2.0 (http://opml.org/spec2.opml): feeds as `type="rss"` outlines, folders nested. */
export function renderOpml(doc: OpmlDocument): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', '  <head>'];
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
