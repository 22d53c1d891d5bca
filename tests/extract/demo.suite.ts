// The demo that `npm run dev` shows: the publication of ../shared/seed/site-page.txt as web pages
// (seed/site/, served here by the stub upstream under /demo-site/, by `npm run dev` on its own
// port), read by a page source that feeds the site (`site: true`). Its posts must come out with
// the list's titles and links, the articles' dates and authors, every paragraph of the news
// article and none of its "Advertisement" lines, in the site's own feeds and in the planet.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from '../../src/app';
import { AUTH, check, get } from '../support/worker';

const api = (path: string, body?: unknown, method = 'POST') =>
  app.request(path, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) }, env);
const SITE_PAGES = `${inject('upstreamUrl')}/demo-site/`;

const expectedNews = (
  Object.values(
    import.meta.glob('../fixtures/pages/demo/news.expected.txt', { query: '?raw', import: 'default', eager: true }),
  )[0] as string
)
  .split('\n')
  .filter((l) => l.trim() !== '');

/** The posts of the demo publication, newest first: path, title, date (the article's), author, categories. */
const POSTS: [string, string, string, string, string[]][] = [
  ['tips-for-becoming-a-good-boxer', 'Tips for becoming a good boxer', '2020-11-06T16:00:00.000Z', 'Blog Team', ['Sport']],
  [
    '7-expert-tips-for-making-your-hens-night-a-memorable-one',
    '7 expert tips for making your hens night a memorable one',
    '2020-11-06T15:00:00.000Z',
    'Blog Team',
    ['Lifestyle'],
  ],
  [
    '5-reasons-to-host-your-christmas-party-on-a-cruise-boat',
    '5 reasons to host your Christmas party on a cruise boat',
    '2020-11-06T14:00:00.000Z',
    'Blog Team',
    ['Lifestyle', 'Travel'],
  ],
  [
    'what-to-do-when-youre-charged-with-a-crime',
    'What to do when you’re charged with a crime',
    '2020-11-06T13:00:00.000Z',
    'Blog Team',
    ['Law'],
  ],
  [
    'should-you-get-one-or-multiple-dogs-heres-all-you-need-to-know',
    'Should you get one or multiple dogs? Here’s all you need to know',
    '2020-11-03T16:00:00.000Z',
    'Blog Team',
    ['Pets', 'Lifestyle'],
  ],
  [
    'a-guide-how-to-build-your-very-own-magic-mirror',
    'A Guide: How to Build Your Very Own Magic Mirror',
    '2019-02-14T16:00:00.000Z',
    'Blog Team',
    ['Tech'],
  ],
  ['our-top-inspirational-baseball-stars', 'Our Top Inspirational Baseball Stars', '2018-11-24T16:00:00.000Z', 'Blog Team', ['Sport']],
  [
    'five-tech-tools-that-will-help-you-turn-your-blog-into-a-business',
    'Five Tech Tools That Will Help You Turn Your Blog into a Business',
    '2018-11-24T15:00:00.000Z',
    'Blog Team',
    ['Tech', 'Business'],
  ],
  [
    'how-to-indulge-on-vacation-without-expanding-your-waist',
    'How to Indulge on Vacation without Expanding Your Waist',
    '2018-11-09T16:00:00.000Z',
    'Blog Team',
    ['Travel', 'Lifestyle'],
  ],
  [
    '5-strategies-for-businesses-to-appeal-to-todays-increasingly-mobile-crazed-customers',
    '5 Strategies for Businesses to Appeal to Today’s Increasingly Mobile-Crazed Customers',
    '2018-11-09T15:00:00.000Z',
    'Blog Team',
    ['Business', 'Tech'],
  ],
  [
    'clarity-achieved-with-russian-federation-on-syria-truce-steps-says-kerry',
    '‘Clarity’ achieved with Russian Federation on Syria truce steps, says Kerry',
    '2016-08-26T18:00:00.000Z',
    'News Desk',
    ['News', 'World'],
  ],
];

type JsonItem = {
  id: string;
  url: string;
  title: string;
  date_published: string;
  content_html: string;
  authors?: { name: string }[];
  tags?: string[];
};
const feedItems = async (path: string) => ((await (await get(path)).json()) as { items: JsonItem[] }).items;
const text = (html: string) =>
  html
    .replace(/<\/(p|h\d|li|figcaption)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"');

describe('the demo publication, through a page source that feeds the site', () => {
  it('gives every post with its title, link, date, author and categories, the news article whole and without its ads', async (ctx) => {
    const created = await api('/api/sources', { url: SITE_PAGES, site: true, title: 'The Daily Blog' });
    expect(created.status, await created.clone().text()).toBe(201);
    const source = (await created.json()) as { id: number; kind: string; site: boolean };
    // Detected: an HTML page with no feed.
    expect(source).toMatchObject({ kind: 'page', site: true });
    const refreshed = (await (await api(`/api/sources/${source.id}/refresh`)).json()) as {
      refresh: { outcome: string; warnings: string[] };
    };
    expect(refreshed.refresh.outcome).toBe('ok');

    const own = await feedItems(`/sources/${source.id}/feed.json?limit=100`);
    expect(own.map((i) => [i.url, i.title, i.date_published, i.authors?.map((a) => a.name), i.tags])).toEqual(
      POSTS.map(([path, title, date, author, tags]) => [`${SITE_PAGES}${path}/`, title, date, [author], tags]),
    );
    // The sidebar's "Recent Posts", the menus, category, archive and footer links are not posts.
    expect(own).toHaveLength(POSTS.length);

    const news = own.find((i) => i.url.endsWith('/clarity-achieved-with-russian-federation-on-syria-truce-steps-says-kerry/'))!;
    const lines = text(news.content_html)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // Every paragraph, in order (the title is the item's, not repeated in the body), and nothing else.
    expect(lines).toEqual(expectedNews.slice(1));
    expect(news.content_html).not.toMatch(/Advertisement|Share this|Related posts|Leave a Reply|Posted in|Subscribe/);
    for (const [path] of POSTS.slice(0, 10)) {
      const post = own.find((i) => i.url === `${SITE_PAGES}${path}/`)!;
      expect(text(post.content_html).trim().split('\n').filter(Boolean)).toHaveLength(3);
      expect(post.content_html).not.toMatch(/Share this|Related posts|Leave a Reply|Blog Team|Posted in/);
    }

    // The site's own feeds show them (beside the posts written through the API), and so does the planet.
    for (const path of ['/feed.json?limit=100', '/planet/feed.json?limit=100']) {
      const urls = (await feedItems(path)).map((i) => i.url);
      for (const [p] of POSTS) expect(urls, path).toContain(`${SITE_PAGES}${p}/`);
    }
    for (const path of ['/feed.xml', '/atom.xml']) {
      const body = await (await get(path)).text();
      expect(body).toContain(`${SITE_PAGES}tips-for-becoming-a-good-boxer/`);
      const result = await check(ctx, 'feedparser', body);
      expect(result.ok, result.output).toBe(true);
    }

    // No longer the site's: gone from the site's feeds, still in its own feed and the planet.
    const patched = await api(`/api/sources/${source.id}`, { site: false }, 'PATCH');
    expect(((await patched.json()) as { site: boolean }).site).toBe(false);
    expect((await feedItems('/feed.json?limit=100')).map((i) => i.url)).not.toContain(`${SITE_PAGES}tips-for-becoming-a-good-boxer/`);
    expect((await feedItems('/planet/feed.json?limit=100')).map((i) => i.url)).toContain(`${SITE_PAGES}tips-for-becoming-a-good-boxer/`);
  });

  it('site must be a boolean: a 400 naming it', async () => {
    const res = await api('/api/sources', { url: `${SITE_PAGES}?bad-site`, kind: 'page', site: 'yes' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['site']);
  });
});
