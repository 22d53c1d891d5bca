// extractList on hand-written list pages of real-world shape (tests/fixtures/pages/lists/), run in
// workerd: the exact items (URL, title, date, and summary/image/authors where the page has them),
// the method that found them, the next page, and no item from menus, sidebars or footers.
import { describe, expect, it } from 'vitest';
import { ExtractError } from '../../../src/extract/extract-error';
import { extractList } from '../../../src/extract/list';
import { postUrl } from '../../../src/extract/links';
import { listRulesSchema, parseListRules } from '../../../src/extract/list-rules';
import type { ListItem, ListResult } from '../../../src/extract/types';
import { LIST_PAGES } from '../../support/page-fixtures';

const NOW = Date.UTC(2024, 2, 10, 12, 0);
const list = (name: string, url: string, rules?: Parameters<typeof extractList>[2]): ListResult =>
  extractList(LIST_PAGES[name]!, url, rules, NOW);
const brief = (items: ListItem[]) => items.map(({ url, title, published }) => ({ url, title, published }));

describe('extractList on the list fixtures', () => {
  it('a WordPress-like page: the main list, not the recent-posts widget that repeats it, nor menus and archives', () => {
    const result = list('wordpress-sidebar', 'https://everydayliving.example/');
    expect(result.method).toBe('repeated');
    expect(result.nextPage).toBe('https://everydayliving.example/page/2/');
    const E = 'https://everydayliving.example';
    expect(brief(result.items)).toEqual([
      {
        url: `${E}/tips-for-becoming-a-good-boxer/`,
        title: 'Tips for becoming a good boxer',
        published: Date.parse('2020-11-06T08:41:12Z'),
      },
      {
        url: `${E}/7-expert-tips-hens-night/`,
        title: '7 expert tips for making your hens night a memorable one',
        published: Date.parse('2020-11-06T08:20:00Z'),
      },
      {
        url: `${E}/christmas-party-cruise-boat/`,
        title: '5 reasons to host your Christmas party on a cruise boat',
        published: Date.parse('2020-11-06T07:55:00Z'),
      },
      {
        url: `${E}/what-to-do-when-charged-with-a-crime/`,
        title: 'What to do when you’re charged with a crime',
        published: Date.parse('2020-11-06T07:30:00Z'),
      },
      {
        url: `${E}/should-you-get-one-or-multiple-dogs/`,
        title: 'Should you get one or multiple dogs? Here’s all you need to know',
        published: Date.parse('2020-11-03T15:00:00Z'),
      },
      {
        url: `${E}/magic-mirror/`,
        title: 'A Guide: How to Build Your Very Own Magic Mirror',
        published: Date.parse('2019-02-14T10:00:00Z'),
      },
      {
        url: `${E}/inspirational-baseball-stars/`,
        title: 'Our Top Inspirational Baseball Stars',
        published: Date.parse('2018-11-24T12:00:00Z'),
      },
      {
        url: `${E}/tech-tools-blog-into-business/`,
        title: 'Five Tech Tools That Will Help You Turn Your Blog into a Business',
        published: Date.parse('2018-11-24T09:00:00Z'),
      },
      {
        url: `${E}/indulge-on-vacation/`,
        title: 'How to Indulge on Vacation without Expanding Your Waist',
        published: Date.parse('2018-11-09T16:00:00Z'),
      },
      {
        url: `${E}/mobile-crazed-customers/`,
        title: '5 Strategies for Businesses to Appeal to Today’s Increasingly Mobile-Crazed Customers',
        published: Date.parse('2018-11-09T11:00:00Z'),
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('a news front page: <article> blocks in <main>, not the ticker, the most-read box or the footer', () => {
    const result = list('news-front', 'https://northerncourier.example/');
    expect(result.method).toBe('article');
    const N = 'https://northerncourier.example';
    expect(brief(result.items)).toEqual([
      {
        url: `${N}/news/2024/03/05/council-budget-approved/`,
        title: 'Council approves budget with 4.99% tax rise after five-hour meeting',
        published: Date.parse('2024-03-05T21:40:00Z'),
      },
      {
        url: `${N}/sport/2024/03/05/united-cup-replay/`,
        title: 'United earn cup replay with late equaliser',
        published: Date.parse('2024-03-05T22:05:00Z'),
      },
      {
        url: `${N}/business/2024/03/05/shipyard-orders/`,
        title: 'Shipyard wins orders for six ferries',
        published: Date.parse('2024-03-05T16:30:00Z'),
      },
      {
        url: `${N}/news/2024/03/04/hospital-parking-charges/`,
        title: 'Hospital parking charges to rise in April',
        published: Date.parse('2024-03-04T11:15:00Z'),
      },
      { url: `${N}/news/2024/03/04/school-roof-repairs/`, title: 'Primary school closed for roof repairs', published: null },
      {
        url: `${N}/opinion/2024/03/04/why-the-metro-matters/`,
        title: 'Opinion: Why the Metro matters more than ever',
        published: Date.parse('2024-03-04T07:00:00Z'),
      },
    ]);
    expect(result.items[0]).toMatchObject({
      summary: 'Opposition councillors walked out before the final vote on the city’s £1.2bn spending plan.',
      image: `${N}/img/2024/03/council.jpg`,
      authors: [{ name: 'Hannah Reid' }],
    });
    expect(result.items[5]!.authors).toEqual([{ name: 'Tom Ashworth' }]);
    expect(result.warnings).toEqual(['1 of 6 items have no date on the list page']);
  });

  it('a blog whose JSON-LD lists its posts (relative URLs resolved, several authors)', () => {
    const result = list('jsonld-blog', 'https://fieldstone.example/blog/');
    expect(result.method).toBe('json-ld');
    expect(result.items).toEqual([
      {
        url: 'https://fieldstone.example/blog/how-we-choose-farms',
        title: 'How we choose which farms to buy from',
        published: Date.parse('2024-02-12T09:00:00Z'),
        summary: 'Three visits, two harvests and one long conversation about price.',
        image: 'https://fieldstone.example/images/blog/farm-visit.jpg',
        authors: [{ name: 'Maya Lind' }],
      },
      {
        url: 'https://fieldstone.example/blog/pour-over-guide',
        title: 'A beginner’s guide to pour-over',
        published: Date.parse('2024-01-20T09:00:00Z'),
        summary: 'All you need is a kettle, a filter and a little patience.',
        authors: [{ name: 'Sam Ortiz' }],
      },
      {
        url: 'https://fieldstone.example/blog/espresso-blend-change',
        title: 'Why our espresso blend changed in January',
        published: Date.UTC(2024, 0, 3),
        authors: [{ name: 'Maya Lind' }, { name: 'Sam Ortiz' }],
      },
    ]);
  });

  it('an h-feed: entries with names, URLs, dates, summaries and authors; a note without a name is titled by its text', () => {
    const result = list('hfeed', 'https://adaquinn.example/notes/');
    expect(result.method).toBe('h-feed');
    expect(result.items).toEqual([
      {
        url: 'https://adaquinn.example/2021/06/no-comment-box/',
        title: 'Why my website has no comment box',
        published: Date.parse('2021-06-03T17:12:00Z'),
        summary: 'Comment boxes attracted more spam than conversation, so I use webmentions instead.',
        authors: [{ name: 'Ada Quinn', url: 'https://adaquinn.example/' }],
      },
      {
        url: 'https://adaquinn.example/2021/05/static-site-five-years/',
        title: 'Five years of a static site',
        published: Date.parse('2021-05-14T06:00:00Z'),
        summary: 'What I would change, and what I would keep, after five years of plain HTML files.',
        authors: [{ name: 'Ada Quinn', url: 'https://adaquinn.example/' }],
      },
      {
        url: 'https://adaquinn.example/2021/05/tomatoes/',
        title: 'Just planted the tomatoes. Fingers crossed for a warm June.',
        published: Date.parse('2021-05-09T16:30:00Z'),
      },
    ]);
  });

  it('a plain table of links with day-first numeric dates (en-GB)', () => {
    const result = list('plain-table', 'https://littlewittering.example/notices/');
    expect(result.method).toBe('repeated');
    const P = 'https://littlewittering.example/notices/notices';
    expect(brief(result.items)).toEqual([
      { url: `${P}/2024-03-road-closure.html`, title: 'Road closure: Church Lane resurfacing', published: Date.UTC(2024, 2, 5) },
      { url: `${P}/2024-02-precept.html`, title: 'Precept for 2024/25 agreed', published: Date.UTC(2024, 1, 12) },
      { url: `${P}/2024-01-allotments.html`, title: 'Allotment plots available for the new season', published: Date.UTC(2024, 0, 30) },
      { url: `${P}/2023-12-carol-service.html`, title: 'Carol service on the green', published: Date.UTC(2023, 11, 4) },
    ]);
  });

  it('a paginated list with bare headings followed by their date and excerpt (flat markup)', () => {
    const result = list('paginated-flat', 'https://workshop.example/page/2/');
    expect(result.method).toBe('repeated');
    expect(result.nextPage).toBe('https://workshop.example/page/3/');
    expect(result.items).toEqual([
      {
        url: 'https://workshop.example/2023/10/dovetails-by-hand/',
        title: 'Cutting dovetails by hand, badly at first',
        published: Date.UTC(2023, 9, 14),
        summary: 'My first twenty dovetails were terrible. Here is what changed between the first and the twenty-first.',
      },
      {
        url: 'https://workshop.example/2023/09/restoring-a-no-4-plane/',
        title: 'Restoring a No. 4 plane',
        published: Date.UTC(2023, 8, 30),
        summary: 'A rusty car boot find, a weekend of work, and a plane that now takes whisper-thin shavings.',
      },
      {
        url: 'https://workshop.example/2023/09/shop-made-marking-gauge/',
        title: 'A shop-made marking gauge',
        published: Date.UTC(2023, 8, 2),
        summary: 'Two offcuts of beech, a screw and a sharpened nail: the most used tool on my bench.',
      },
    ]);
  });

  it('a list without dates: published is null, images and summaries are kept, and a warning says so', () => {
    const result = list('no-dates', 'https://harbourside-museum.example/stories/');
    const M = 'https://harbourside-museum.example';
    expect(result.items).toEqual([
      {
        url: `${M}/stories/the-lighthouse-keepers-log/`,
        title: 'The lighthouse keeper’s log',
        published: null,
        summary: 'Forty years of weather, ships and loneliness, one line a day.',
        image: `${M}/media/tiles/log.jpg`,
      },
      {
        url: `${M}/stories/a-figurehead-comes-home/`,
        title: 'A figurehead comes home',
        published: null,
        summary: 'How a carved lion travelled from a Norwegian barn back to the harbour.',
        image: `${M}/media/tiles/figurehead.jpg`,
      },
      {
        url: `${M}/stories/women-of-the-net-lofts/`,
        title: 'Women of the net lofts',
        published: null,
        summary: 'The skilled work that kept the fishing fleet at sea, told by those who did it.',
        image: `${M}/media/tiles/nets.jpg`,
      },
      {
        url: `${M}/stories/the-great-storm-of-1953/`,
        title: 'The great storm of 1953',
        published: null,
        summary: 'Photographs and memories of the night the sea came into town.',
        image: `${M}/media/tiles/storm.jpg`,
      },
    ]);
    expect(result.warnings).toEqual(['the list page shows no dates: read them from the article pages']);
  });

  it('a German list: relative and written German dates, an untranslated sidebar outweighed, "Ältere Beiträge" as next page', () => {
    const result = list('german-list', 'https://imkerei-waldrand.example/blog/');
    const I = 'https://imkerei-waldrand.example/blog';
    expect(result.nextPage).toBe(`${I}/seite/2/`);
    expect(brief(result.items)).toEqual([
      { url: `${I}/auswinterung-2024/`, title: 'Auswinterung: Alle zwölf Völker sind gesund', published: Date.UTC(2024, 2, 8) },
      { url: `${I}/honigernte-herbst/`, title: 'Die Herbsternte ist im Glas', published: Date.UTC(2020, 10, 6) },
      { url: `${I}/tag-der-offenen-imkerei/`, title: 'Tag der offenen Imkerei am 12. September', published: Date.UTC(2020, 7, 28) },
    ]);
  });
});

describe('ListRules', () => {
  it('selectors pick items, titles, links, dates, summaries and images; dateLocale reads the dates', () => {
    const result = list('german-list', 'https://imkerei-waldrand.example/blog/', {
      item: '.beitrag',
      title: 'h2',
      link: 'h2 a',
      date: '.datum',
      summary: 'p',
      dateLocale: 'de',
    });
    expect(result.method).toBe('rules');
    expect(result.items.map((i) => [i.title, i.published])).toEqual([
      ['Auswinterung: Alle zwölf Völker sind gesund', Date.UTC(2024, 2, 8)],
      ['Die Herbsternte ist im Glas', Date.UTC(2020, 10, 6)],
      ['Tag der offenen Imkerei am 12. September', Date.UTC(2020, 7, 28)],
    ]);
    expect(result.items[1]!.summary).toBe('Waldhonig, dunkel und kräftig: Die letzte Ernte des Jahres ist abgefüllt.');
  });

  it('dateLocale decides the order of numeric dates', () => {
    const rules = { item: 'tr', date: 'td', link: 'a' };
    const gb = list('plain-table', 'https://littlewittering.example/notices/', { ...rules, dateLocale: 'en-GB' });
    const us = list('plain-table', 'https://littlewittering.example/notices/', { ...rules, dateLocale: 'en-US' });
    expect(gb.items[3]!.published).toBe(Date.UTC(2023, 11, 4));
    expect(us.items[3]!.published).toBe(Date.UTC(2023, 3, 12));
    expect(gb.items[0]!.published).toBe(Date.UTC(2024, 2, 5));
    // Read month first, 05/03/2024 is in May: after `now`, so not a publication date.
    expect(us.items[0]!.published).toBeNull();
    // The header row has no link: skipped, and said so.
    expect(gb.warnings[0]).toBe('item 1 has no link: skipped');
  });

  it('a bad selector is an invalid_rules error naming the field', () => {
    expect(() => parseListRules({ item: 'li', date: 'span[' })).toThrow(/^date: is not a valid CSS selector/);
    expect(() => parseListRules({ item: 'li', title: 'a:unknown-pseudo' })).toThrow(/title: is not a valid CSS selector/);
    expect(() => parseListRules({ title: 'h2' })).toThrow(/item: /);
    expect(() => parseListRules({ item: 'li', colour: 'red' })).toThrow(/colour|Unrecognized/i);
    expect(() => parseListRules({ item: 'li', dateLocale: 'German' })).toThrow(/dateLocale: is not a language tag/);
    try {
      extractList('<ul><li>x</li></ul>', 'https://x.example/', { item: '>>>' }, NOW);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExtractError);
      expect((error as ExtractError).kind).toBe('invalid_rules');
      expect((error as ExtractError).message).toMatch(/^item: /);
    }
    expect(listRulesSchema.safeParse({ item: 'article.post', link: 'h2 > a', content: '.entry-content' }).success).toBe(true);
  });

  it('rules that match nothing are nothing_found', () => {
    expect(() => list('news-front', 'https://northerncourier.example/', { item: '.no-such-thing' })).toThrow(
      expect.objectContaining({ kind: 'nothing_found' }),
    );
  });
});

describe('structured and link details', () => {
  it('an ItemList of bare URLs (as made for search engines) takes titles and dates from the page’s links', () => {
    const html = `<html lang="en"><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList",
      "itemListElement":[{"@type":"ListItem","position":2,"url":"https://shop.example/journal/b"},{"@type":"ListItem","position":1,"url":"https://shop.example/journal/a"},
      {"@type":"ListItem","position":3,"url":"https://elsewhere.example/c"}]}</script></head><body>
      <ul><li><a href="/journal/a">Spring opening hours</a> <span class="date">March 1, 2024</span></li>
      <li><a href="/journal/b">New roastery in the old mill</a> <span class="date">February 20, 2024</span></li></ul></body></html>`;
    const result = extractList(html, 'https://shop.example/journal/', undefined, NOW);
    expect(result.method).toBe('json-ld');
    expect(brief(result.items)).toEqual([
      { url: 'https://shop.example/journal/a', title: 'Spring opening hours', published: Date.UTC(2024, 2, 1) },
      { url: 'https://shop.example/journal/b', title: 'New roastery in the old mill', published: Date.UTC(2024, 1, 20) },
    ]);
  });

  it('same site means the same port: a list page cannot point Syndicate at another service on its host', () => {
    const page = 'https://blog.example/';
    const ok = (href: string, at = page) => postUrl(href, at, at);
    expect(ok('https://blog.example:443/a-post/')).toBe('https://blog.example/a-post/');
    // The scheme's default port either way: a page on http may link its https copy, and back.
    expect(ok('http://blog.example/a-post/')).toBe('http://blog.example/a-post/');
    expect(ok('https://blog.example/a-post/', 'http://blog.example/')).toBe('https://blog.example/a-post/');
    expect(ok('http://blog.example:8080/b-post/', 'http://blog.example:8080/')).toBe('http://blog.example:8080/b-post/');
    for (const [href, at] of [
      ['https://blog.example:8443/a-post/', page],
      ['http://blog.example:6379/a-post/', page],
      ['http://news.blog.example:8080/a-post/', page],
      ['http://blog.example:443/a-post/', page],
      ['https://blog.example/a-post/', 'http://blog.example:8080/'],
      ['http://blog.example:8081/a-post/', 'http://blog.example:8080/'],
    ]) {
      expect(ok(href!, at), `${href} from ${at}`).toBeNull();
    }
    // Every way a list names its posts or its next page goes through the same check.
    const html = `<html><head><link rel="next" href="https://shop.example:8080/journal/page/2/">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":[
      {"@type":"ListItem","position":1,"url":"https://shop.example/journal/a"},
      {"@type":"ListItem","position":2,"url":"https://shop.example:8080/journal/b"},
      {"@type":"ListItem","position":3,"url":"https://shop.example/journal/c"}]}</script></head><body>
      <ul><li><a href="/journal/a">Spring opening hours</a></li><li><a href="https://shop.example:8080/journal/b">Internal</a></li>
      <li><a href="/journal/c">New roastery in the old mill</a></li></ul></body></html>`;
    const result = extractList(html, 'https://shop.example/journal/', undefined, NOW);
    expect(result.items.map((i) => i.url)).toEqual(['https://shop.example/journal/a', 'https://shop.example/journal/c']);
    expect(result.nextPage).toBeUndefined();
    const hfeed = `<html><body><div class="h-feed">
      <div class="h-entry"><a class="p-name u-url" href="/notes/1">One</a></div>
      <div class="h-entry"><a class="p-name u-url" href="https://shop.example:9000/notes/2">Two</a></div>
      <div class="h-entry"><a class="p-name u-url" href="/notes/3">Three</a></div></div></body></html>`;
    expect(extractList(hfeed, 'https://shop.example/notes/', undefined, NOW).items.map((i) => i.url)).toEqual([
      'https://shop.example/notes/1',
      'https://shop.example/notes/3',
    ]);
  });

  it('links that cannot be posts are not candidates', () => {
    const page = 'https://blog.example/';
    const ok = (href: string) => postUrl(href, page, page);
    expect(ok('/2024/03/a-post/')).toBe('https://blog.example/2024/03/a-post/');
    expect(ok('/a-post/#comments')).toBe('https://blog.example/a-post/');
    expect(ok('https://news.blog.example/story')).toBe('https://news.blog.example/story');
    for (const href of [
      '/',
      '#respond',
      '/tag/x/',
      '/category/news/',
      '/tags.html#garden',
      '/categories.html',
      '/author/admin/',
      '/page/2/',
      '/feed/',
      '/comments/feed/',
      '/2024/03/',
      '/wp-login.php',
      '/?s=term',
      '/?replytocom=5',
      '/search/label/x',
      '/@someone',
      '/image.jpg',
      'https://other.example/post',
      'mailto:a@b',
      'javascript:void(0)',
    ]) {
      expect(ok(href), href).toBeNull();
    }
  });
});
