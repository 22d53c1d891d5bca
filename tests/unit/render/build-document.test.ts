// The summary derived from content for posts sent without one: built from the start of the
// content only (src/render/build-document.ts), it must equal the one built from all of it.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../src/domain/entry';
import { buildFeedDocument } from '../../../src/render/build-document';
import { escapeHtml, htmlToText } from '../../../src/html/text';

const CONFIG = {
  url: 'https://site.example',
  title: 'T',
  description: 'D',
  language: 'en',
  feedMaxAge: 0,
  hub: null,
  author: null,
  icon: null,
  logo: null,
  podcast: { image: null, category: { name: 'Technology', sub: null }, explicit: false, ownerName: null, ownerEmail: null },
};

function entry(contentHtml: string): Entry {
  return {
    id: 'urn:uuid:00000000-0000-4000-a000-000000000001',
    sourceId: null,
    slug: 'a',
    title: 'A',
    summary: '',
    contentHtml,
    url: null,
    image: null,
    enclosures: [],
    language: null,
    status: 'published',
    publishedAt: new Date(0),
    updatedAt: new Date(0),
    authors: [],
    tags: [],
    origin: null,
  };
}

/** The excerpt computed from the whole content: the reference. */
function expected(contentHtml: string): string {
  const text = htmlToText(contentHtml);
  if (!text) return '';
  const cut = text.length > 280 ? `${text.slice(0, 280).replace(/\s+\S*$/, '')}…` : text;
  return `<p>${escapeHtml(cut)}</p>`;
}

async function summaryOf(contentHtml: string): Promise<string> {
  const doc = await buildFeedDocument(CONFIG, { kind: 'site' }, null, [entry(contentHtml)], 0);
  return doc.items[0]!.summaryHtml;
}

describe('derived summary', () => {
  // Markup, entities and whitespace runs at every offset, so that wherever a prefix of the
  // content ends (inside a tag, an attribute, an entity, a run of spaces) some case hits it.
  const unit = 'word &amp; <a href="https://x.example/a?b=1&amp;c=2" title="t>t">link</a>   &lt;tag&gt; &#233;t&eacute;\n<br/>';
  const cases = Array.from({ length: unit.length }, (_, pad) => `<p>${'x'.repeat(pad)} ${unit.repeat(40)}</p>`);

  it('is the same as from the whole content, wherever the content is cut', async () => {
    for (const html of cases) expect(await summaryOf(html)).toBe(expected(html));
  });

  it('is the same when the start of the content is mostly markup', async () => {
    const figure = `<figure><img src="https://cdn.example/${'i'.repeat(3000)}.png" alt=""></figure>`;
    for (const html of [`${figure}<p>${'short words '.repeat(60)}</p>`, `${figure.repeat(3)}<p>tail only</p>`, figure]) {
      expect(await summaryOf(html)).toBe(expected(html));
    }
  });

  it('keeps short content whole', async () => {
    expect(await summaryOf('<p>Only <b>this</b> &amp; that.</p>')).toBe('<p>Only this &amp; that.</p>');
  });
});
