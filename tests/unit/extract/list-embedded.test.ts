// extractList on pages that render their list with JavaScript (issue 22, point 5): the posts are
// read from the data the page embeds for its script (Next.js's __NEXT_DATA__, Nuxt 3's
// __NUXT_DATA__, a `window.__NUXT__ = {…}` assignment in JSON form, other inline JSON state), as
// JSON only and within a budget; a page that embeds nothing (or only a script to run) is
// `nothing_found`, saying the page needs a browser. Fixtures: tests/fixtures/pages/lists/scripted/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractError } from '../../../src/extract/extract-error';
import { extractList } from '../../../src/extract/list';
import { MAX_EMBEDDED_JSON } from '../../../src/extract/list-embedded';

const NOW = Date.UTC(2025, 5, 1);
const PAGE = 'https://lumen.example/blog';
const L = 'https://lumen.example';
const page = (name: string) => readFileSync(join(__dirname, '../../fixtures/pages/lists/scripted', `${name}.html`), 'utf8');
const list = (html: string) => extractList(html, PAGE, undefined, NOW);
const failure = (html: string) => {
  try {
    list(html);
  } catch (error) {
    if (error instanceof ExtractError) return `${error.kind}: ${error.message}`;
    throw error;
  }
  return 'found';
};
const BROWSER = 'nothing_found: no list of posts was found on the page: the page needs a browser (it renders its list with JavaScript)';

describe('lists a script renders, read from the data the page embeds', () => {
  it('Next.js: the posts of __NEXT_DATA__ on the page’s site, with excerpt, date and image; not the menu, not another site', () => {
    const result = list(page('next-data'));
    expect(result.method).toBe('embedded');
    expect(result.items).toEqual([
      {
        url: `${L}/blog/zero-downtime-migrations`,
        title: 'Zero-downtime schema migrations, the boring way',
        published: Date.parse('2025-03-04T08:00:00Z'),
        summary: 'Expand, migrate, contract: the three steps we run for every column change.',
        image: `${L}/images/migrations.png`,
      },
      {
        url: `${L}/blog/flaky-tests`,
        title: 'A quarantine for flaky tests',
        published: Date.parse('2025-02-11T08:00:00Z'),
        summary: 'Flaky tests go to a separate job that never blocks a merge, and a bot files them.',
        image: `${L}/images/flaky.png`,
      },
      {
        url: `${L}/blog/on-call-handbook`,
        title: 'Writing our on-call handbook in the open',
        published: Date.parse('2025-01-20T08:00:00Z'),
      },
    ]);
  });

  it('Nuxt 3: __NUXT_DATA__’s flat array, its references followed', () => {
    const result = list(page('nuxt-data'));
    expect(result.items).toEqual([
      { url: `${L}/neuigkeiten/lesesommer-2025`, title: 'Lesesommer 2025: Anmeldung ab Juni', published: Date.UTC(2025, 4, 12) },
      {
        url: `${L}/neuigkeiten/neue-oeffnungszeiten`,
        title: 'Neue Öffnungszeiten ab dem 1. April',
        published: Date.UTC(2025, 2, 20),
        summary: 'Dienstags und donnerstags bis 20 Uhr geöffnet.',
      },
    ]);
  });

  it('window.__NUXT__ in JSON form, and other inline JSON state (WordPress-style rendered titles, dates in seconds)', () => {
    expect(list(page('nuxt-state')).items.map((i) => [i.url, i.title, i.published])).toEqual([
      [`${L}/reports/glacier-retreat-2024`, "Measuring the glacier's retreat, summer 2024", Date.UTC(2024, 8, 2)],
      [`${L}/reports/peat-cores`, 'Reading peat cores from the upper valley', Date.UTC(2024, 5, 17)],
    ]);
    expect(list(page('json-state')).items).toEqual([
      {
        url: `${L}/episodes/42-night-ferries`,
        title: '42: Night ferries & the people who work them',
        published: 1741939200000,
        summary: 'An hour below deck on the last crossing of the day.',
      },
      { url: `${L}/episodes/41-bell-ringers`, title: '41: The bell ringers of Saint Mary', published: 1740729600000 },
    ]);
  });

  it('a page that embeds nothing, or only a script to run (never evaluated): nothing_found, saying it needs a browser', () => {
    expect(failure(page('app-shell'))).toBe(BROWSER);
    expect(failure(page('nuxt-script-state'))).toBe(BROWSER);
    // A page with text and no list is no application shell: the plain message.
    expect(failure(`<html><body><main><h1>About us</h1><p>${'We make small things by hand. '.repeat(30)}</p></main></body></html>`)).toBe(
      'nothing_found: no list of posts was found on the page',
    );
  });

  it('oversized or hostile JSON is skipped without harm', () => {
    const posts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ url: `/p/${i}`, title: `Post number ${i} of the big list`, date: '2025-01-01' }));
    const big = JSON.stringify({ posts: posts(40_000) });
    expect(big.length).toBeGreaterThan(MAX_EMBEDDED_JSON);
    expect(failure(`<html><body><div id="root"></div><script type="application/json">${big}</script></body></html>`)).toBe(BROWSER);
    // Broken JSON is skipped; deep nesting (a stack overflow for a recursive walk) is walked in a loop.
    expect(
      failure(`<html><body><div id="root"></div><script type="application/json">{"posts":[{"url":"/p/1",</script></body></html>`),
    ).toBe(BROWSER);
    const deep = `${'{"a":'.repeat(5000)}{"url":"/p/x","title":"A post deep in the data"}${'}'.repeat(5000)}`;
    expect(
      list(`<html><body><div id="root"></div><script type="application/json">${deep}</script></body></html>`).items.map((i) => i.url),
    ).toEqual([`${L}/p/x`]);
    // Within the limits, the list is read (and cut at the list limit).
    const fine = JSON.stringify({ posts: posts(600) });
    expect(list(`<html><body><div id="root"></div><script type="application/json">${fine}</script></body></html>`).items).toHaveLength(500);
  });
});
