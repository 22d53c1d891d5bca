import { htmlToText } from '../lib/html-text';

// What the search index holds of an entry (migrations/0023_search.sql): plain text only.

/** Control characters never reach the index: snippets mark matches with two of them (src/db/search.ts). */
const CONTROL = /[\u0000-\u001F\u007F]+/g;

const text = (value: string) => value.replace(CONTROL, ' ');

/** An entry's search document as the writer binds it: title, text of summary and content, author and tag names. */
export function searchDocument(entry: {
  id: string;
  title: string;
  summary: string;
  contentHtml: string;
  authors: readonly { name: string }[];
  tags: readonly { name: string }[];
}): { e: string; t: string; b: string; a: string; g: string } {
  const summary = htmlToText(entry.summary);
  const content = htmlToText(entry.contentHtml);
  // A summary that is the start of the content would only be indexed twice.
  const body = summary === '' || content.startsWith(summary) ? content : content === '' ? summary : `${summary} ${content}`;
  return {
    e: entry.id,
    t: text(entry.title),
    b: text(body),
    a: text(entry.authors.map((a) => a.name).join(' ')),
    g: text(entry.tags.map((t) => t.name).join(' ')),
  };
}
