// A post page as a shared link previews it: its image and enclosures on the page, OpenGraph and
// Twitter card tags and schema.org JSON-LD in the head, read the way a browser parses the page
// (parse5, the HTML standard's algorithm), and a hostile title that stays text everywhere.
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, get, insertPost, SITE } from '../support/worker';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'content' in node && node.content ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child, out);
  return out;
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value ?? null;
const text = (el: Element) => el.childNodes.map((n) => ('value' in n ? n.value : '')).join('');

async function parsedPage(path: string) {
  const response = await get(path);
  expect(response.status).toBe(200);
  const html = await response.text();
  const all = elements(parse(html));
  const meta = (key: string) =>
    all
      .filter((el) => el.tagName === 'meta' && (attr(el, 'property') === key || attr(el, 'name') === key))
      .map((el) => attr(el, 'content'));
  const scripts = all.filter((el) => el.tagName === 'script');
  return { response, html, all, meta, scripts };
}

const RICH = 'a-post-with-media';
const HOSTILE = 'a-hostile-title';
const PHOTOS = 'photos-only';
const HOSTILE_TITLE = '</script><script>alert(1)</script><!-- & "quotes"';

beforeAll(async () => {
  await insertPost({
    id: 'urn:uuid:00000000-0000-4000-8000-00000000a701',
    slug: RICH,
    title: 'A post with media',
    summary: '<p>What the <em>preview</em> says.</p>',
    content: '<p>The body.</p>',
    publishedAt: Date.UTC(2024, 4, 1, 9),
    updatedAt: Date.UTC(2024, 4, 2, 10),
    image: '/images/cover.jpg',
    authors: [
      ['ada', 'Ada Lovelace'],
      ['news-desk', 'News Desk'],
    ],
    tags: [['science', 'Science']],
    enclosures: [
      { url: '/media/photo.png', type: 'image/png', length: 2000 },
      { url: '/media/episode.mp3', type: 'audio/mpeg', length: 12_345_678 },
      { url: '/media/clip.mp4', type: 'video/mp4', length: 0 },
    ],
  });
  await insertPost({
    id: 'urn:uuid:00000000-0000-4000-8000-00000000a702',
    slug: HOSTILE,
    title: HOSTILE_TITLE,
    summary: '<p>Also &lt;/script&gt;&lt;!-- in the summary</p>',
    content: '<p>Body.</p>',
    publishedAt: Date.UTC(2024, 4, 3),
    authors: [['mallory', '</script><!--Mallory']],
  });
  await insertPost({
    id: 'urn:uuid:00000000-0000-4000-8000-00000000a703',
    slug: PHOTOS,
    title: 'Photos only',
    publishedAt: Date.UTC(2024, 4, 4),
    enclosures: [
      { url: '/media/first.jpg', type: 'image/jpeg', length: 0 },
      { url: '/media/second.jpg', type: 'image/jpeg', length: 0 },
    ],
  });
});

describe('a post page previews richly', () => {
  it('shows its image, image enclosures, and audio and video players', async (ctx) => {
    const { html, all } = await parsedPage(`/posts/${RICH}`);
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    const article = all.filter((el) => el.tagName === 'img');
    expect(article.map((img) => [attr(img, 'src'), attr(img, 'alt')])).toEqual([
      [`${SITE}/images/cover.jpg`, 'A post with media'],
      [`${SITE}/media/photo.png`, 'A post with media: attachment 1'],
    ]);
    const audio = all.filter((el) => el.tagName === 'audio');
    expect(audio.map((a) => [attr(a, 'src'), attr(a, 'controls')])).toEqual([[`${SITE}/media/episode.mp3`, '']]);
    const video = all.filter((el) => el.tagName === 'video');
    expect(video.map((v) => [attr(v, 'src'), attr(v, 'controls')])).toEqual([[`${SITE}/media/clip.mp4`, '']]);
    // Each file is also a link, with its type and size.
    expect(html).toContain(`<a href="${SITE}/media/episode.mp3" type="audio/mpeg">episode.mp3</a> (audio/mpeg, 12.3 MB)`);
  });

  it('carries OpenGraph, Twitter card and description tags', async () => {
    const { meta } = await parsedPage(`/posts/${RICH}`);
    expect(meta('og:type')).toEqual(['article']);
    expect(meta('og:title')).toEqual(['A post with media']);
    expect(meta('og:description')).toEqual(['What the preview says.']);
    expect(meta('description')).toEqual(['What the preview says.']);
    expect(meta('og:url')).toEqual([`${SITE}/posts/${RICH}`]);
    expect(meta('og:image')).toEqual([`${SITE}/images/cover.jpg`]);
    expect(meta('article:published_time')).toEqual(['2024-05-01T09:00:00.000Z']);
    expect(meta('article:modified_time')).toEqual(['2024-05-02T10:00:00.000Z']);
    expect(meta('article:author')).toEqual([`${SITE}/authors/ada/`, `${SITE}/authors/news-desk/`]);
    expect(meta('article:tag')).toEqual(['Science']);
    expect(meta('twitter:card')).toEqual(['summary_large_image']);
  });

  it('describes itself as a schema.org BlogPosting in JSON-LD', async () => {
    const { scripts } = await parsedPage(`/posts/${RICH}`);
    expect(scripts.map((s) => attr(s, 'type'))).toEqual(['application/ld+json']);
    expect(JSON.parse(text(scripts[0]!))).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'A post with media',
      description: 'What the preview says.',
      datePublished: '2024-05-01T09:00:00.000Z',
      dateModified: '2024-05-02T10:00:00.000Z',
      author: [
        { '@type': 'Person', name: 'Ada Lovelace', url: `${SITE}/authors/ada/` },
        { '@type': 'Person', name: 'News Desk', url: `${SITE}/authors/news-desk/` },
      ],
      image: [`${SITE}/images/cover.jpg`, `${SITE}/media/photo.png`],
      url: `${SITE}/posts/${RICH}`,
      associatedMedia: [
        { '@type': 'AudioObject', contentUrl: `${SITE}/media/episode.mp3`, encodingFormat: 'audio/mpeg' },
        { '@type': 'VideoObject', contentUrl: `${SITE}/media/clip.mp4`, encodingFormat: 'video/mp4' },
      ],
    });
  });

  it('without an image: a summary card and no og:image', async () => {
    const { meta, scripts } = await parsedPage(`/posts/${HOSTILE}`);
    expect(meta('twitter:card')).toEqual(['summary']);
    expect(meta('og:image')).toEqual([]);
    expect(JSON.parse(text(scripts[0]!))).not.toHaveProperty('image');
  });

  it('with image enclosures only: the first one is the preview image', async () => {
    const { meta } = await parsedPage(`/posts/${PHOTOS}`);
    expect(meta('og:image')).toEqual([`${SITE}/media/first.jpg`]);
    expect(meta('twitter:card')).toEqual(['summary_large_image']);
  });

  it('keeps a hostile title inert: one data block, no script, the title intact as text', async (ctx) => {
    const { html, all, meta, scripts, response } = await parsedPage(`/posts/${HOSTILE}`);
    expect(JSON.parse((await check(ctx, 'html5', html)).output)).toEqual([]);
    // The policy still allows no script on a post page; the data block is not one.
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    expect(scripts.map((s) => attr(s, 'type'))).toEqual(['application/ld+json']);
    const block = text(scripts[0]!);
    expect(block).not.toMatch(/<|>/);
    const data = JSON.parse(block) as { headline: string; description: string; author: { name: string }[] };
    expect(data.headline).toBe(HOSTILE_TITLE);
    expect(data.description).toBe('Also </script><!-- in the summary');
    expect(data.author[0]!.name).toBe('</script><!--Mallory');
    expect(meta('og:title')).toEqual([HOSTILE_TITLE]);
    expect(text(all.find((el) => el.tagName === 'h1')!)).toBe(HOSTILE_TITLE);
    // The page ends where it should: the footer is still there after the head's data block.
    expect(all.some((el) => el.tagName === 'footer')).toBe(true);
  });
});
