// extractList on the layouts that list pages commonly use and that a simple "repeated blocks"
// reading gets wrong (issue 22, point 3): a list in a wrapper named after its sidebar, a
// featured post and a card grid marked up as asides, summary cards followed by a list of titles,
// archives grouped by year or month with groups of one post, a link wrapping title and date, a
// heading with a subtitle (or a label) inside the link, and "Read more" links. Each page is a
// fixture written for this test (tests/fixtures/pages/lists/layouts/), no site's or theme's markup.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../../src/extract/dom';
import { extractList } from '../../../src/extract/list';
import { anchorTitle } from '../../../src/extract/list-item';
import type { ListItem } from '../../../src/extract/types';

const NOW = Date.UTC(2025, 5, 1);
const PAGE = 'https://site.example/list/';
const S = 'https://site.example';
const page = (name: string) => readFileSync(join(__dirname, '../../fixtures/pages/lists/layouts', `${name}.html`), 'utf8');
const list = (name: string) => extractList(page(name), PAGE, undefined, NOW);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const brief = (items: ListItem[]) => items.map(({ url, title, published }) => ({ url, title, published }));

describe('list layouts', () => {
  it('a list in a layout wrapper named after its sidebar: the posts, not the recent-posts widget beside them', () => {
    const result = list('sidebar-layout');
    expect(brief(result.items)).toEqual([
      { url: `${S}/posts/reefing-early/`, title: 'Why we reef early, and how to do it without drama', published: day('2024-05-18') },
      { url: `${S}/posts/anchor-watch/`, title: 'Keeping an anchor watch on a crowded night', published: day('2024-04-30') },
      { url: `${S}/posts/varnish-season/`, title: 'Varnish season: eight coats and a lot of patience', published: day('2024-03-12') },
    ]);
  });

  it('a featured post alone and a card grid, each marked up as an aside: all four, not the sidebar’s links', () => {
    const result = list('aside-cards');
    expect(brief(result.items)).toEqual([
      {
        url: `${S}/2024/06/broad-beans-blackfly/`,
        title: 'Broad beans, blackfly and the ants that farm them',
        published: day('2024-06-14'),
      },
      { url: `${S}/2024/05/sowing-leeks/`, title: 'Sowing leeks in modules, a week-by-week record', published: day('2024-05-28') },
      { url: `${S}/2024/05/rhubarb-forcing/`, title: 'Forcing rhubarb under an upturned bin', published: day('2024-05-09') },
      { url: `${S}/2024/04/compost-bays/`, title: 'Building three compost bays from pallets', published: day('2024-04-21') },
    ]);
  });

  it('summary cards with title-only links below them: one list, in page order', () => {
    const result = list('cards-and-titles');
    expect(brief(result.items)).toEqual([
      {
        url: `${S}/2025/02/arena-allocators/`,
        title: 'Arena allocators for a toy compiler',
        published: Date.parse('2025-02-09T09:00:00Z'),
      },
      { url: `${S}/2025/01/pratt-parsing/`, title: 'Pratt parsing without the mystery', published: Date.parse('2025-01-19T09:00:00Z') },
      {
        url: `${S}/2024/11/interning-strings/`,
        title: 'Interning strings in the symbol table',
        published: Date.parse('2024-11-30T09:00:00Z'),
      },
      {
        url: `${S}/2024/10/error-recovery/`,
        title: 'Error recovery that does not lie to the user',
        published: Date.parse('2024-10-05T09:00:00Z'),
      },
      { url: `${S}/2024/08/first-lexer/`, title: 'Writing the first lexer, twice', published: Date.parse('2024-08-17T09:00:00Z') },
    ]);
    expect(result.items[0]!.image).toBe(`${S}/img/arena.png`);
  });

  it('an archive by year and month, where a month holds one post: every post, with its date', () => {
    const result = list('archive-by-month');
    expect(brief(result.items)).toEqual([
      { url: `${S}/posts/sharpening-chisels/`, title: 'Sharpening chisels on a budget', published: day('2024-11-21') },
      { url: `${S}/posts/shaving-horse/`, title: 'A shaving horse from scrap timber', published: day('2024-11-02') },
      { url: `${S}/posts/gappy-dovetails/`, title: 'Why my first dovetails gapped', published: day('2024-08-14') },
      { url: `${S}/posts/garage-bench/`, title: 'Setting up a bench in a one-car garage', published: day('2023-12-30') },
    ]);
  });

  it('an archive by year whose links wrap a date without a year and the title: the title alone, the date in the heading’s year', () => {
    const result = list('archive-by-year');
    expect(brief(result.items)).toEqual([
      { url: `${S}/2023/11/03/tea-terraces/`, title: '茶园梯田的清晨', published: day('2023-11-03') },
      { url: `${S}/2023/07/21/night-train/`, title: '夜车去昆明', published: day('2023-07-21') },
      { url: `${S}/2022/12/30/year-end/`, title: '年终随笔：一年的山路', published: day('2022-12-30') },
      { url: `${S}/2021/05/02/first-hike/`, title: '第一次走完整条古道', published: day('2021-05-02') },
    ]);
  });

  it('one link with the date and the title in its text: the date does not stick to the title', () => {
    const result = list('link-wraps-date');
    expect(brief(result.items)).toEqual([
      { url: `${S}/blog/night-sky-mode/`, title: 'Night sky mode for the chart plotter', published: day('2024-03-03') },
      { url: `${S}/blog/tide-tables-offline/`, title: 'Tide tables that work offline', published: day('2024-01-20') },
      { url: `${S}/blog/hello-harbour/`, title: 'Hello, Harbour Lights', published: day('2023-11-05') },
    ]);
  });

  it('a heading and a subtitle (after a label) inside the link: the heading; a title in the link’s own words stays whole', () => {
    const result = list('heading-in-link');
    expect(brief(result.items)).toEqual([
      { url: `${S}/notes/zone-two/`, title: 'Zone two running, one year in', published: day('2025-02-02') },
      { url: `${S}/notes/first-ultra/`, title: 'My first ultra, mile by mile', published: day('2025-01-11') },
      { url: `${S}/notes/cheap-shoes/`, title: 'The case for cheap running shoes', published: day('2024-12-28') },
      { url: `${S}/notes/hill-repeats/`, title: 'Hill repeats', published: day('2024-11-30') },
      { url: `${S}/notes/rest-days/`, title: 'Rest days are training days', published: day('2024-11-12') },
    ]);
  });

  it('"Read more" links are never a title: the item’s heading is', () => {
    const result = list('read-more');
    expect(brief(result.items)).toEqual([
      { url: `${S}/news/spring-concert-tickets/`, title: 'Spring concert: tickets on sale', published: day('2025-03-02') },
      { url: `${S}/news/new-rehearsal-venue/`, title: 'New rehearsal venue from February', published: day('2025-01-20') },
      { url: `${S}/news/carols-on-the-bridge/`, title: 'Carols on the bridge raised £1,240', published: day('2024-12-23') },
    ]);
  });

  it('a year set in a plain box above each group (not a heading): dates without a year take it', () => {
    const result = list('year-boxes');
    expect(brief(result.items)).toEqual([
      { url: `${S}/notes/kettle-descaling/`, title: 'Descaling a kettle with citric acid', published: day('2024-11-03') },
      { url: `${S}/notes/bike-chain/`, title: 'A bike chain that lasted four years', published: day('2024-05-06') },
      { url: `${S}/notes/window-putty/`, title: 'Re-puttying an old sash window', published: day('2023-12-19') },
    ]);
  });

  it('month headings with post counts beside them, untitled cover links: the entries’ headings, never "March 1"', () => {
    const result = list('month-counts');
    expect(brief(result.items)).toEqual([
      { url: `${S}/posts/sourdough-month/`, title: "Notes on a sourdough starter's first month", published: day('2024-03-09') },
      { url: `${S}/posts/shelf-brackets/`, title: 'Shelf brackets from scrap steel', published: day('2024-01-21') },
      { url: `${S}/posts/first-lathe/`, title: 'Choosing a first lathe', published: day('2024-01-04') },
    ]);
  });

  it('articles whose heading is plain text and whose link is an empty cover: every card, the first one too', () => {
    const result = list('overlay-cards');
    expect(brief(result.items)).toEqual([
      { url: `${S}/log/fog-crossing/`, title: 'Two weeks of fog, one good crossing', published: day('2024-08-30') },
      // Its teaser's last words run into the date line ("…one afternoon. August 2, 2024").
      { url: `${S}/log/splicing/`, title: 'Splicing rope, one afternoon', published: day('2024-08-02') },
      { url: `${S}/log/haul-out/`, title: 'The winter haul-out checklist', published: day('2024-07-14') },
    ]);
  });

  it('a link wrapping a box that holds the heading and the date: the heading alone is the title', () => {
    const result = list('wrapped-card-link');
    expect(brief(result.items)).toEqual([
      { url: `${S}/p/tomato-blight/`, title: 'Tomato blight and what finally stopped it', published: day('2023-09-08') },
      { url: `${S}/p/raised-beds/`, title: 'Raised beds from reclaimed boards', published: day('2023-06-30') },
      { url: `${S}/p/seed-swap/`, title: 'Running a village seed swap', published: day('2023-03-02') },
    ]);
  });

  it('dates written year first ("2024, Feb 11"): that year, not the nearest one', () => {
    const result = list('year-first-dates');
    expect(brief(result.items)).toEqual([
      { url: `${S}/ssh-agent-forwarding/`, title: 'SSH agent forwarding, carefully', published: day('2024-02-11') },
      { url: `${S}/makefiles-for-writing/`, title: 'Makefiles for writing', published: day('2023-11-05') },
    ]);
  });

  it('article cards, then a "More" list of titles: every post, cards first', () => {
    const result = list('cards-then-more');
    expect(result.items.map((i) => [i.url, i.title])).toEqual([
      [`${S}/posts/dovetails/`, 'Hand-cut dovetails, slowly'],
      [`${S}/posts/sharpening/`, 'A sharpening routine that sticks'],
      [`${S}/posts/bench-vise/`, 'Fitting a leg vise to an old bench'],
      [`${S}/posts/oil-finishes/`, 'Oil finishes compared on oak offcuts'],
      [`${S}/posts/shop-dust/`, 'Dust collection on a budget'],
    ]);
  });

  it('the latest post featured in an aside before the content area: first, then the others', () => {
    const result = list('featured-outside-content');
    expect(brief(result.items)).toEqual([
      { url: `${S}/the-long-ridge-in-one-day.html`, title: 'The long ridge in one day', published: Date.parse('2024-09-21T08:00:00Z') },
      { url: `${S}/bog-cotton-in-june.html`, title: 'Bog cotton in June', published: Date.parse('2024-06-15T08:00:00Z') },
      { url: `${S}/gaiters-tested.html`, title: 'Four pairs of gaiters, tested in peat', published: Date.parse('2024-04-02T08:00:00Z') },
    ]);
  });

  it('JSON-LD describing the list page itself as one article (its URL wrong): the page’s own list instead', () => {
    const result = list('page-described-as-article');
    expect(result.method).toBe('article');
    expect(result.items.map((i) => i.url)).toEqual([`${S}/posts/lino-printing/`, `${S}/posts/paper-grain/`, `${S}/posts/bone-folder/`]);
  });

  it('posts laid out as rows (title, then date and a second link): the date of the next row; "May." and "Sept." read', () => {
    const result = list('rows-and-dotted-months');
    expect(brief(result.items)).toEqual([
      { url: `${S}/moth-trap.html`, title: 'Building a moth trap from a bucket', published: day('2024-05-06') },
      { url: `${S}/pond-dipping.html`, title: 'Pond dipping with a kitchen sieve', published: day('2023-09-12') },
      { url: `${S}/bat-detector.html`, title: 'A week with a bat detector', published: day('2023-07-01') },
    ]);
  });

  it('an undated <article> featured above a dated list of older posts (a list named "older", no pager): first, without a date', () => {
    const result = list('featured-undated');
    expect(result.items.map((i) => [i.url, i.title, i.published])).toEqual([
      [`${S}/sashiko-mending.html`, 'Sashiko mending on old jeans', null],
      [`${S}/darning-socks.html`, 'Darning socks on a mushroom', Date.parse('2024-05-06T10:00:00Z')],
      [`${S}/button-holes.html`, 'Buttonholes by hand, the slow way', Date.parse('2023-12-26T10:00:00Z')],
      [`${S}/thread-weights.html`, 'Thread weights, explained with a ruler', Date.parse('2023-09-05T10:00:00Z')],
    ]);
  });

  it('the latest post shown whole in a block named as the list’s ("entry" beside "entry short"), its date empty: first', () => {
    const result = list('featured-same-name');
    expect(result.items.map((i) => [i.url, i.published])).toEqual([
      [`${S}/grafting-apples.html`, null],
      [`${S}/pruning-plums.html`, day('2024-05-06')],
      [`${S}/codling-moth.html`, day('2023-12-26')],
      [`${S}/cider-pressing.html`, day('2023-09-05')],
    ]);
  });

  it('a date right after or before the title in one link, no separator: cut from the title; a year in a title stays', () => {
    const result = list('date-after-title-in-link');
    expect(brief(result.items)).toEqual([
      { url: `${S}/rich-text-editors/`, title: 'Rich text editors, compared', published: day('2019-03-10') },
      { url: `${S}/placeholder-pages/`, title: 'Placeholder pages that help', published: day('2019-03-09') },
      { url: `${S}/ten-years/`, title: 'Ten years of this blog', published: day('2019-03-12') },
      { url: `${S}/tips-2019/`, title: 'Top 10 tips for 2019', published: null },
    ]);
  });

  it('a wall of pictures in an aside, each a link named by its alt text alone: the posts', () => {
    const result = list('picture-wall');
    expect(result.items.map((i) => [i.url, i.title])).toEqual([
      [`${S}/fog-over-the-estuary.html`, 'Fog over the estuary at dawn'],
      [`${S}/contact-sheets.html`, 'Reading contact sheets with a loupe'],
      [`${S}/lith-printing.html`, 'First attempts at lith printing'],
    ]);
  });

  it('stylesheets and scripts written before <head>, and a flat run of card links under year bars: the posts, with their years', () => {
    const result = list('links-before-head');
    expect(brief(result.items)).toEqual([
      { url: `${S}/2024/10/13/spring-tides/`, title: 'Spring tides and the moon', published: day('2024-10-13') },
      { url: `${S}/2024/05/06/slack-water/`, title: 'What slack water means', published: day('2024-05-06') },
      { url: `${S}/2023/12/26/tide-clock/`, title: 'Building a tide clock', published: day('2023-12-26') },
    ]);
  });

  it('year groups shaped alike, one of them holding a single post: that post takes its group’s year', () => {
    const result = list('year-sections-of-one');
    expect(brief(result.items)).toEqual([
      { url: `${S}/2023/12/26/regex-crossword/`, title: 'Solving a regex crossword by hand', published: day('2023-12-26') },
      { url: `${S}/2023/09/05/bash-arrays/`, title: 'Bash arrays, the parts I forget', published: day('2023-09-05') },
      { url: `${S}/2022/06/11/make-targets/`, title: 'Make targets that document themselves', published: day('2022-06-11') },
    ]);
  });

  it('a card link wrapping an <article>, and a machine date followed by other words ("2023-12-26 412 words")', () => {
    const first = extractList(
      page('card-link-article').replace(/<div class="cards">[\s\S]*?<\/div>\s*<\/div>\s*<\/div>\s*<\/div>/, ''),
      PAGE,
      undefined,
      NOW,
    );
    expect(brief(first.items).slice(0, 2)).toEqual([
      { url: `${S}/2024/10/13/wool-dyeing/`, title: 'Dyeing wool with onion skins', published: Date.parse('2024-10-13T10:00:00Z') },
      { url: `${S}/2024/05/06/spindle/`, title: 'A drop spindle from a dowel and a CD', published: Date.parse('2024-05-06T10:00:00Z') },
    ]);
    const cards = extractList(
      page('card-link-article').replace(/<div class="post-list">[\s\S]*?<\/a><\/div>\s*<\/div>/, ''),
      PAGE,
      undefined,
      NOW,
    );
    expect(brief(cards.items)).toEqual([
      { url: `${S}/2023/12/26/felted-slippers/`, title: 'Felted slippers for the whole family', published: day('2023-12-26') },
      { url: `${S}/2023/09/05/natural-dyes/`, title: 'A year of natural dyes, in one table', published: day('2023-09-05') },
    ]);
  });

  it('titles in unlinked headings, each post linked only by a button ("Mehr"): the headings are the titles', () => {
    const result = list('button-links');
    expect(brief(result.items)).toEqual([
      { url: `${S}/hobelbank.html`, title: 'Eine Hobelbank aus alten Balken', published: day('2024-03-12') },
      { url: `${S}/saegen.html`, title: 'Sägen schärfen ohne Feilkluppe', published: day('2024-02-03') },
      { url: `${S}/leim.html`, title: 'Leim, der wirklich hält', published: day('2024-01-20') },
    ]);
  });

  it('the latest post in an aside at the head of the content area, before "Other articles": first', () => {
    const result = list('aside-first-in-content');
    expect(result.items.map((i) => [i.url, i.published])).toEqual([
      [`${S}/antenna-on-a-fishing-pole.html`, Date.parse('2024-10-13T10:00:00Z')],
      [`${S}/logbook-apps.html`, Date.parse('2024-05-06T10:00:00Z')],
      [`${S}/battery-for-the-hills.html`, Date.parse('2023-12-26T10:00:00Z')],
    ]);
  });

  it('a datetime attribute written day first ("05-09-2023"): the date the element shows', () => {
    const result = list('datetime-day-first');
    expect(result.items.map((i) => i.published)).toEqual([day('2023-12-26'), day('2023-09-05'), day('2022-06-11')]);
  });

  it('numeric dates in the order the page’s own dates show: an English page writing day first', () => {
    // 21/12/2024 can only be day first, so 3/4/2025 is the 3rd of April, not March 4th.
    expect(brief(list('numeric-dates-in-sequence').items).map((i) => i.published)).toEqual([
      day('2025-04-03'),
      day('2025-02-09'),
      day('2024-12-21'),
      day('2024-11-06'),
    ]);
  });

  it('a two-digit year first ("25/03/08"), told by the dates running newest first only when read so', () => {
    expect(brief(list('two-digit-year-first').items).map((i) => i.published)).toEqual([
      Date.parse('2025-03-08T21:40:00Z'),
      Date.parse('2025-01-19T09:05:00Z'),
      Date.parse('2024-12-02T18:30:00Z'),
      Date.parse('2024-10-07T07:15:00Z'),
    ]);
  });

  it('days without a year from several years: no date rather than a guessed year', () => {
    // Mar 14, Aug 02, May 21, Nov 30: read as their last occurrence they are out of order, so the years are not this one.
    const result = list('yearless-dates');
    expect(result.items.map((i) => [i.title, i.published])).toEqual([
      ['Following the old tram lines', null],
      ['Rebuilding the allotment shed', null],
      ['Repairing a kite with tape and patience', null],
      ['The first frost on the marsh', null],
    ]);
    expect(result.warnings).toContain('the list page shows no dates: read them from the article pages');
  });

  it('days without a year that run newest first take their last occurrence', () => {
    expect(list('yearless-recent').items.map((i) => i.published)).toEqual([
      day('2025-05-28'),
      day('2025-05-19'),
      day('2025-05-03'),
      day('2025-04-22'),
    ]);
  });

  it('an archive set out as a dated <nav> in the main area: its posts, not the menus', () => {
    expect(brief(list('archive-in-nav').items)).toEqual([
      { url: `${S}/salt-marsh-survey/`, title: 'Counting waders on the salt marsh', published: day('2025-04-02') },
      { url: `${S}/winter-tides/`, title: 'Winter tides and the sea wall', published: day('2025-01-17') },
      { url: `${S}/eelgrass/`, title: 'Eelgrass is coming back', published: day('2024-10-09') },
    ]);
  });

  it('cards whose links are never closed: every card, as a browser builds the page', () => {
    expect(brief(list('unclosed-card-links').items)).toEqual([
      { url: `${S}/posts/first-light/`, title: 'First light through the new telescope', published: day('2025-03-30') },
      { url: `${S}/posts/collimation/`, title: 'Collimating a Newtonian in ten minutes', published: day('2025-02-11') },
      { url: `${S}/posts/dew-heaters/`, title: 'Dew heaters from resistors and a USB bank', published: day('2024-12-05') },
    ]);
  });

  it('a post whose heading lacks the excerpt class the others carry: still one of the list', () => {
    expect(list('heading-without-excerpt').items.map((i) => i.url)).toEqual([
      `${S}/sharpening-chisels/`,
      `${S}/dovetails/`,
      `${S}/bench-vise/`,
      `${S}/shop-tour/`,
    ]);
  });

  it('an item marked as another language than the page has its date read in that language', () => {
    expect(list('item-in-other-language').items.map((i) => i.published)).toEqual([day('2025-03-03'), day('2025-02-02'), day('2025-01-12')]);
  });

  it('dates kept in an attribute named as a date and shown by the stylesheet, in the year of their heading', () => {
    expect(list('date-in-attribute').items.map((i) => i.published)).toEqual([day('2025-04-19'), day('2025-01-08'), day('2024-11-23')]);
  });

  it('an archive of navs under year and month headings: the posts, not the site menu', () => {
    const result = list('archive-navs-by-month');
    expect(result.items.map((i) => [i.url, i.title])).toEqual([
      [`${S}/bell-ringing.html`, 'Learning to ring the tenor bell'],
      [`${S}/tower-clock.html`, 'Winding the tower clock'],
      [`${S}/churchyard-yews.html`, 'How old are the churchyard yews?'],
      [`${S}/lych-gate.html`, 'Repairing the lych gate'],
    ]);
    // Month headings give no day: no date is made up.
    expect(result.items.every((i) => i.published === null)).toBe(true);
  });

  it('a grid in rows whose last row holds one card: that card too', () => {
    expect(brief(list('grid-rows-last-alone').items).map((i) => [i.url, i.published])).toEqual([
      [`${S}/post/wild-garlic/`, day('2025-04-02')],
      [`${S}/post/nettle-soup/`, day('2025-03-18')],
      [`${S}/post/elderflower/`, day('2024-06-09')],
      [`${S}/post/sloe-gin/`, day('2024-11-02')],
      [`${S}/post/rosehip-syrup/`, day('2024-10-12')],
    ]);
  });

  it('year groups headed by links to the year’s archive; a weekday in a title is no date', () => {
    expect(brief(list('year-link-boxes').items).map((i) => [i.title, i.published])).toEqual([
      ['Market day on a Sunday', day('2023-04-18')],
      ['A canal walk on Friday evening', day('2023-01-22')],
      ['Talking to the lock keeper', day('2022-08-24')],
    ]);
  });

  it('a row of links to each year’s archive heads no group: its last year is not the posts’', () => {
    expect(list('years-widget-before-list').items.map((i) => i.published)).toEqual([null, null, null]);
  });

  it('a title the theme cuts short, made whole from the image’s alt text or the link’s title', () => {
    expect(list('title-cut-short').items.map((i) => i.title)).toEqual([
      'Restoring the tide mill, wheel by wheel, over three long winters',
      'The salt pans',
      'Counting oysters on the old beds at the lowest tide of the year',
    ]);
  });

  it('a link holding the title beside a date part: the title alone', () => {
    const title = (html: string) => anchorTitle(parseHtml(`<body>${html}</body>`).querySelector('a')!, { now: NOW, locale: 'en' });
    // The separator left once the <time> is taken out.
    expect(title('<a href="/p/"><time datetime="2025-03-02">Mar 02, 2025</time> - The first kiln firing of the year</a>')).toBe(
      'The first kiln firing of the year',
    );
    // A bare date in a box of no name before the title's box.
    expect(
      title('<a href="/p/"><div class="t"><small><b>2025-02-14</b></small><div class="n">Forty glaze tests on one tile</div></div></a>'),
    ).toBe('Forty glaze tests on one tile');
    // A header line of title and date (no name says which is which), then the excerpt.
    expect(
      title(
        '<a href="/p/"><div class="item"><div class="head"><span class="postTitle">Throwing bowls off the hump</span><span class="postWhen">January 20, 2025</span></div><div class="x"><p>Why a whole lump of clay makes small bowls quicker.</p></div></div></a>',
      ),
    ).toBe('Throwing bowls off the hump');
  });

  it('posts headed by a heading that is their date; a tag index page (/tags.html) is no post', () => {
    expect(brief(list('date-heading-before-article').items)).toEqual([
      { url: `${S}/bee-hotel.html`, title: 'Building a bee hotel from offcuts', published: day('2025-03-09') },
      { url: `${S}/leaf-mould.html`, title: 'Two years of leaf mould', published: day('2025-02-01') },
      { url: `${S}/winter-pruning.html`, title: 'Winter pruning the apple trees', published: day('2024-12-14') },
    ]);
  });

  it('a nav of post titles in the content area (no dates): its posts, not the menus in header and footer', () => {
    expect(list('section-nav-of-titles').items.map((i) => i.url)).toEqual([
      `${S}/blog/parsing-with-combinators/`,
      `${S}/blog/ring-buffers/`,
      `${S}/blog/sqlite-wal/`,
    ]);
  });

  it('a badge set as a box inside the heading is no part of the title', () => {
    expect(list('heading-with-badge').items.map((i) => i.title)).toEqual([
      'Cancelling futures safely',
      'Select loops without surprises',
      'Backpressure with bounded channels',
    ]);
  });

  it('archives set out as disclosures (<summary>2023 (2)</summary>) and as a tree of year, month and day', () => {
    const expected = [day('2023-11-19'), day('2023-03-04'), day('2022-07-30')];
    expect(list('archive-details').items.map((i) => i.published)).toEqual(expected);
    expect(list('archive-tree').items.map((i) => i.published)).toEqual(expected);
  });

  it('a permalink (rel=bookmark) in a long meta line ties the line, and its date, to the post', () => {
    expect(list('permalink-in-meta-line').items.map((i) => i.published)).toEqual([
      Date.parse('2025-03-16T21:00:00Z'),
      Date.parse('2025-02-02T21:00:00Z'),
      Date.parse('2024-11-09T21:00:00Z'),
    ]);
  });

  it('posts grouped by category, one group holding a single post that another group lists too: every post once', () => {
    expect(brief(list('category-groups-shared-post').items).map((i) => [i.url, i.published])).toEqual([
      [`${S}/post/caulking/`, day('2025-04-02')],
      [`${S}/post/oars/`, day('2025-01-09')],
      [`${S}/post/spokeshave/`, day('2024-11-03')],
      [`${S}/post/bench-dogs/`, day('2024-08-20')],
    ]);
  });

  it('cards of plain divs with a <header> and <footer> each: the cards’, not the page’s, so the posts are read', () => {
    expect(brief(list('div-cards-with-headers').items).map((i) => [i.url, i.published])).toEqual([
      [`${S}/posts/slate-splitting/`, day('2025-03-08')],
      [`${S}/posts/incline/`, day('2025-01-27')],
      [`${S}/posts/quarry-pools/`, day('2024-11-30')],
    ]);
  });

  it('a date element’s tooltip ("Last updated: …") is not its date; the list’s "more…" row is no post', () => {
    expect(brief(list('date-tooltip-and-more-row').items).map((i) => [i.url, i.published])).toEqual([
      [`${S}/notes/rope-splices/`, day('2025-04-11')],
      [`${S}/notes/bowline/`, day('2025-02-19')],
      [`${S}/notes/whipping/`, day('2024-12-03')],
    ]);
  });

  it('date headings that name the weekday ("Fri 11 April 2025") date the post after them', () => {
    expect(list('weekday-date-headings').items.map((i) => i.published)).toEqual([day('2025-04-11'), day('2025-02-19'), day('2024-12-03')]);
  });

  it('a heading link followed by a smaller heading that is its date', () => {
    expect(list('heading-then-date-heading').items.map((i) => i.published)).toEqual([
      day('2025-03-15'),
      day('2025-02-02'),
      day('2024-12-06'),
    ]);
  });

  it('a link wrapped around a list item holding heading, excerpt, tags and date: the heading is the title', () => {
    expect(brief(list('link-around-list-item').items).map((i) => [i.title, i.published])).toEqual([
      ['Two days on the Ridgeway', day('2025-03-22')],
      ['A canal towpath in January', day('2025-01-12')],
      ['Across the downs in fog', day('2024-11-30')],
    ]);
  });

  it('a "|" between a card’s date and tags is no title; a one-word link gives way to the box named as the title', () => {
    expect(list('meta-line-pipe-and-title-box').items.map((i) => i.title)).toEqual([
      'Starting a seed library at the allotment',
      'How hot does a compost heap get?',
      'Leaf mould in builder’s bags'.replace('’', "'"),
    ]);
    expect(list('one-word-link-title-box').items.map((i) => i.title)).toEqual([
      'Mending a cast iron pan',
      'Sharpening a bread knife',
      'Re-handling a wooden spoon',
    ]);
  });
});
