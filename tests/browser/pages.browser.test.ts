// Every kind of page the demo has, as people see it in Chromium: at a desktop and a phone width,
// in light and dark colour schemes, with no accessibility violation axe-core finds, no
// horizontal scrolling on the phone, no console error (a CSP violation is one), and a screenshot
// kept in test-results/. Runs in Node (the `browser` project of vitest.config.ts).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, SCHEMES, VIEWPORTS, watchProblems } from './audit';
import { CHROMIUM, type Demo, startDemo } from './demo-server';

type Opened = { status: number | undefined; contentType: string | undefined };
/** How a test reaches a page: by its address, or by what a person does to get there. */
type Open = (page: Page, origin: string) => Promise<Opened>;

const visit =
  (path: string): Open =>
  async (page, origin) => {
    const response = await page.goto(`${origin}${path}`);
    return { status: response?.status(), contentType: response?.headers()['content-type'] };
  };

/** The sign-in form again, with its error: a wrong admin token submitted. */
const wrongToken: Open = async (page, origin) => {
  await page.goto(`${origin}/stats`);
  await page.locator('#token').fill('not-the-admin-token');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/stats/sign-in')),
    page.click('button[type=submit]'),
  ]);
  await page.waitForLoadState();
  return { status: response.status(), contentType: response.headers()['content-type'] };
};

const PAGES: [kind: string, open: Open, status: number][] = [
  ['home', visit('/'), 200],
  ['post', visit('/posts/tips-for-becoming-a-good-boxer'), 200],
  ['post-with-media', visit('/posts/a-post-with-media'), 200],
  ['tag', visit('/tags/lifestyle/'), 200],
  ['author', visit('/authors/blog-team/'), 200],
  ['source', visit('/sources/1/'), 200],
  ['planet', visit('/planet/'), 200],
  ['search', visit('/search?q=the'), 200],
  ['search-refused', visit('/search?q=a'), 400],
  ['feed-preview', visit('/feed.xml'), 200],
  ['stats-sign-in', visit('/stats'), 200],
  ['stats-sign-in-error', wrongToken, 401],
];

let demo: Demo | null = null;

beforeAll(async () => {
  demo = await startDemo();
}, 300_000);

afterAll(async () => {
  await demo?.stop();
});

describe.each(PAGES)('the %s page', (kind, open, status) => {
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      it(`at ${viewport.width} px, ${colorScheme}: no axe violations, no horizontal scroll, no console error`, async (ctx) => {
        if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
        const context = await demo.browser.newContext({ viewport, colorScheme });
        const page = await context.newPage();
        const problems = watchProblems(page, status);

        const opened = await open(page, demo.origin);
        expect(opened.status).toBe(status);
        expect(opened.contentType).toMatch(/^text\/html; charset=utf-8$/i);

        await audit(page, viewport, `page-${kind}-${viewport.width}-${colorScheme}`, problems);
        await context.close();
      });
    }
  }
});
