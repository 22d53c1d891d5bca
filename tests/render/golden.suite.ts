// Golden files: a fixed publication rendered in every format and compared byte for byte with the
// files committed under tests/golden/, named by RENDER_VERSION. Rendered bytes are cached by an
// ETag that does not see code, so a change to what the renderers write must bump RENDER_VERSION;
// a change without the bump fails here. After a bump, `npx vitest run tests/render -u`
// writes the new version's files (delete the old ones); CI never writes them.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/domain/entry';
import { buildFeedDocument } from '../../src/render/build-document';
import { RENDER_VERSION } from '../../src/render/version';
import { renderListPage, renderPostPage } from '../../src/render/pages/pages';
import { renderFeed } from '../../src/render/render';
import { archivePageFields, currentHistory } from '../../src/serve/archive-page';
import { DEFAULT_VARIANT } from '../../src/views/urls';

const CONFIG = {
  url: 'https://news.example',
  title: 'Golden & Co',
  description: 'A fixed publication for the golden files',
  language: 'en',
  feedMaxAge: 0,
  hub: 'https://hub.example/',
  author: null,
  icon: 'https://news.example/icon.png',
  logo: 'https://news.example/logo.png',
  podcast: {
    image: 'https://news.example/show.jpg',
    category: { name: 'Society & Culture', sub: 'Documentary' },
    explicit: false,
    ownerName: 'Golden & Co',
    ownerEmail: 'shows@news.example',
  },
};

const base = {
  sourceId: null,
  url: null,
  image: null,
  enclosures: [],
  language: null,
  status: 'published',
  authors: [],
  tags: [],
  origin: null,
  summary: '',
} satisfies Partial<Entry>;

const ENTRIES: Entry[] = [
  {
    ...base,
    id: 'urn:uuid:7d1f5e36-6f55-4c52-8f4e-0d6a3f0a0001',
    slug: 'first-light',
    title: 'First light: <tags> & "quotes" ]]> stay text',
    summary: '<p>A <em>summary</em> with a <a href="/about">relative link</a>.</p>',
    contentHtml:
      '<p>Body with <img src="img/a.png" srcset="img/a.png 1x, img/a@2x.png 2x" alt="A"> and <a href="../x?a=1&amp;b=2">a link</a>.</p><p>עברית and emoji 🎉</p>',
    image: '/images/cover.jpg',
    enclosures: [
      { url: '/audio/ep1.mp3', type: 'audio/mpeg', length: 12345, duration: 754 },
      { url: '/video/ep1.mp4', type: 'video/mp4', length: 0 },
    ],
    publishedAt: new Date(Date.UTC(2024, 2, 5, 9, 30)),
    updatedAt: new Date(Date.UTC(2024, 2, 6, 10, 0)),
    authors: [{ slug: 'ada', name: 'Ada Lovelace', email: 'ada@news.example', url: 'https://ada.example/' }],
    tags: [
      { slug: 'science', name: 'Science' },
      { slug: 'c-plus-plus', name: 'C++' },
    ],
  },
  {
    ...base,
    id: 'urn:uuid:7d1f5e36-6f55-4c52-8f4e-0d6a3f0a0002',
    slug: 'no-summary',
    title: 'A post without a summary',
    contentHtml: `<p>${'Long text that becomes the derived summary. '.repeat(12)}</p>`,
    publishedAt: new Date(Date.UTC(2024, 2, 1, 8, 0)),
    updatedAt: new Date(Date.UTC(2024, 2, 1, 8, 0)),
    authors: [{ slug: 'news-desk', name: 'News Desk' }],
  },
  {
    ...base,
    id: 'urn:uuid:7d1f5e36-6f55-4c52-8f4e-0d6a3f0a0003',
    sourceId: 7,
    slug: null,
    url: 'https://upstream.example/posts/3',
    language: 'de-AT',
    title: 'An upstream item',
    summary: '<p>Upstream summary.</p>',
    contentHtml: '<p>Upstream content, <a href="https://upstream.example/x" rel="noopener noreferrer">linked</a>.</p>',
    publishedAt: new Date(Date.UTC(2024, 1, 20, 12, 0)),
    updatedAt: new Date(Date.UTC(2024, 1, 21, 12, 0)),
    authors: [{ slug: 'someone', name: 'Someone Upstream' }],
    tags: [{ slug: 'elsewhere', name: 'Elsewhere' }],
    origin: { sourceId: 7, title: 'Upstream Blog', feedUrl: 'https://upstream.example/feed.xml', siteUrl: 'https://upstream.example/' },
  },
];

const file = (name: string) => `../golden/v${RENDER_VERSION}/${name}`;

describe(`golden files (RENDER_VERSION ${RENDER_VERSION})`, () => {
  it.each([
    ['rss', 'feed.xml'],
    ['atom', 'atom.xml'],
    ['json', 'feed.json'],
  ] as const)('%s', async (format, name) => {
    const doc = await buildFeedDocument(CONFIG, { kind: 'site' }, null, ENTRIES, 0);
    // The subscription document of a feed this small holds everything: fh:complete.
    doc.history = currentHistory(CONFIG, { kind: 'site' }, DEFAULT_VARIANT, ENTRIES.length);
    await expect(renderFeed(doc, format)).toMatchFileSnapshot(file(name));
  });
  it.each([
    ['rss', 'archive-feed.xml'],
    ['atom', 'archive-atom.xml'],
    ['json', 'archive-feed.json'],
  ] as const)('%s archive page (RFC 5005)', async (format, name) => {
    const doc = Object.assign(
      await buildFeedDocument(CONFIG, { kind: 'site' }, null, ENTRIES, 0),
      archivePageFields(CONFIG, { kind: 'site' }, DEFAULT_VARIANT, 2, 3),
    );
    await expect(renderFeed(doc, format)).toMatchFileSnapshot(file(name));
  });
  it.each([
    ['rss', 'feed-summary.xml'],
    ['atom', 'atom-summary.xml'],
    ['json', 'feed-summary.json'],
  ] as const)('%s, ?limit=2&content=summary', async (format, name) => {
    const doc = await buildFeedDocument(CONFIG, { kind: 'site' }, null, ENTRIES.slice(0, 2), 0, { limit: 2, content: 'summary' });
    await expect(renderFeed(doc, format)).toMatchFileSnapshot(file(name));
  });
  it('html list page', async () => {
    const doc = await buildFeedDocument(CONFIG, { kind: 'site' }, null, ENTRIES, 0);
    await expect(renderListPage(CONFIG, doc, true)).toMatchFileSnapshot(file('index.html'));
  });
  it('html post page (image, audio and video, link-preview metadata)', async () => {
    const doc = await buildFeedDocument(CONFIG, { kind: 'site' }, null, [ENTRIES[0]!], 0);
    await expect(renderPostPage(CONFIG, doc, doc.items[0]!)).toMatchFileSnapshot(file('post.html'));
  });
});
