// The console's rules builder in Chromium: a list page served by this file on 127.0.0.1 (the demo
// may fetch loopback pages here, ALLOW_LOOPBACK_UPSTREAMS), opened as a snapshot in a frame; a
// click on a post's title in the frame fills the list of posts beside it; the keyboard path (a
// list found on the page, a title typed, Save rules) by accessible names; and the page at 1280
// and 390 px, light and dark, with no axe violation, no horizontal scroll and no console error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, SCHEMES, VIEWPORTS, watchProblems } from './audit';
import { submit } from './console-helpers';
import { ADMIN_TOKEN, CHROMIUM, type Demo, startDemo } from './demo-server';

const POSTS = [
  ['alpha', 'Alpha: a first post about gardens', 'March 3, 2024'],
  ['bravo', 'Bravo and the second post', 'February 14, 2024'],
  ['charlie', 'Charlie writes a third one', 'January 2, 2024'],
  ['delta', 'Delta, the fourth and last', 'December 24, 2023'],
] as const;

/** A list page with a menu, a card grid and a sidebar list of other posts; its images and script must not load in the snapshot. */
const LIST = `<!doctype html><html lang="en"><head><title>Cards</title><script src="/app.js"></script></head><body>
<header class="site-header"><nav><ul class="menu"><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<main><h1>Recent posts</h1><div class="grid">${POSTS.map(
  ([slug, title, date]) => `<article class="card"><a class="thumb" href="/posts/${slug}"><img src="/img/${slug}.jpg" alt=""></a>
<h2 class="card-title"><a href="/posts/${slug}">${title}</a></h2><p class="meta">Posted on <span class="posted">${date}</span></p>
<p class="teaser">A short teaser for ${slug}, long enough to be a summary of the post.</p></article>`,
).join('\n')}</div></main>
<aside class="sidebar"><h3>Popular</h3><ul><li><a href="/posts/popular-1">A popular post elsewhere</a></li><li><a href="/posts/popular-2">Another popular one</a></li></ul></aside>
</body></html>`;

let demo: Demo | null = null;
let site: Server | undefined;
let listUrl = '';
/** Requests the list site had for anything but the list page (images, the script): the snapshot must make none. */
const otherRequests: string[] = [];
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/list/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LIST);
    if (req.url !== '/robots.txt') otherRequests.push(req.url ?? '');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
  listUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/list/`;
  demo = await startDemo({ ALLOW_LOOPBACK_UPSTREAMS: 'true' });
  if (!demo) return;
  const context = await demo.browser.newContext({ baseURL: demo.origin });
  const page = await context.newPage();
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  signedIn = await context.storageState();
  await context.close();
}, 300_000);

afterAll(async () => {
  await demo?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

async function open(viewport = { width: 1280, height: 900 }, colorScheme: 'light' | 'dark' = 'light') {
  const context = await demo!.browser.newContext({ viewport, colorScheme, baseURL: demo!.origin, storageState: signedIn });
  const page = await context.newPage();
  const problems = watchProblems(page);
  return { context, page, problems };
}

/** Sends a form the way a person does and answers the status of the page that comes back (after its redirect). */
async function navigate(page: Page, act: () => Promise<unknown>): Promise<number | undefined> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), act()]);
  return response?.status();
}

/** The titles the results list shows. */
const foundTitles = (page: Page) => page.locator('#builder-results ol.found .found-title').allTextContents();

/** Opens the builder for the list page and clicks a post's title in the snapshot; the results follow. */
async function clickATitle(page: Page) {
  const status = (await page.goto(`/admin/sources/builder?address=${encodeURIComponent(listUrl)}`))?.status();
  expect(status).toBe(200);
  const frame = page.frameLocator('iframe[data-builder-frame]');
  await frame.getByText('Bravo and the second post').waitFor();
  // The console's script attaches to the frame once it has loaded.
  await page.waitForFunction(() => {
    const doc = document.querySelector<HTMLIFrameElement>('iframe[data-builder-frame]')?.contentDocument;
    return doc?.readyState === 'complete' && doc.location.href !== 'about:blank';
  });
  const answered = page.waitForResponse((r) => r.url().endsWith('/admin/sources/builder') && r.request().method() === 'POST');
  await frame.getByText('Bravo and the second post').click();
  expect((await answered).status()).toBe(200);
  await page.locator('#builder-results ol.found li').first().waitFor();
}

describe('the rules builder', () => {
  it('a click on a title in the snapshot fills the list of posts beside it', async (ctx) => {
    if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
    const { context, page, problems } = await open();
    await clickATitle(page);
    expect(await foundTitles(page)).toEqual(POSTS.map(([, title]) => title));
    expect(await page.getByRole('status').count()).toBe(0);
    expect(JSON.parse(await page.getByLabel('Rules (JSON)').inputValue()).item).toContain('article.card');
    // The clicked title is marked in the frame; a second click (a date) keeps the examples and fixes the date rule.
    const frame = page.frameLocator('iframe[data-builder-frame]');
    expect(await frame.locator('[data-picked]').textContent()).toBe('Bravo and the second post');
    // Read from the console page (the frame runs no script, not even the test's).
    const marked = await page.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>('iframe[data-builder-frame]')!.contentDocument!;
      return Array.from(doc.querySelectorAll('[data-found]'), (el) => el.textContent);
    });
    expect(marked).toEqual(POSTS.map(([, title]) => title));
    const answered = page.waitForResponse((r) => r.url().endsWith('/admin/sources/builder') && r.request().method() === 'POST');
    await frame.getByText('January 2, 2024').click();
    await answered;
    await page.waitForFunction(() => (document.querySelector('#rules') as HTMLTextAreaElement | null)?.value.includes('span.posted'));
    expect(await foundTitles(page)).toEqual(POSTS.map(([, title]) => title));
    expect(otherRequests, 'the snapshot loads nothing from the page’s site').toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the keyboard path: a list found on the page, a title typed, Save rules', async (ctx) => {
    if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
    const { context, page, problems } = await open();
    await page.goto('/admin/sources/builder');
    await page.getByLabel('Address of the list page').fill(listUrl);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
      page.getByRole('button', { name: 'Open page' }).press('Enter'),
    ]);
    await page.getByRole('radio', { name: /^4 posts: Alpha: a first post about gardens/ }).check();
    expect(await navigate(page, () => page.getByRole('button', { name: 'Use this list' }).press('Enter'))).toBe(200);
    expect(await foundTitles(page)).toEqual(POSTS.map(([, title]) => title));

    await page.getByRole('button', { name: 'Start again' }).focus();
    expect(await navigate(page, () => page.keyboard.press('Enter'))).toBe(200);
    expect(await foundTitles(page)).toEqual([]);
    await page.getByLabel('Title of one post').fill('Delta, the fourth and last');
    expect(await navigate(page, () => page.getByLabel('Title of one post').press('Enter'))).toBe(200);
    expect(await foundTitles(page)).toEqual(POSTS.map(([, title]) => title));

    expect(await navigate(page, () => page.getByRole('button', { name: 'Save rules' }).press('Enter'))).toBe(200);
    expect(await page.getByRole('status').textContent()).toContain('Added as a page source with these rules');
    expect(JSON.parse(await page.getByLabel('Rules (JSON)').inputValue()).item).toContain('article.card');
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      it(`at ${viewport.width} px, ${colorScheme}: no axe violations, no horizontal scroll, no console error`, async (ctx) => {
        if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
        const { context, page, problems } = await open(viewport, colorScheme);
        await clickATitle(page);
        await audit(page, viewport, `console-builder-${viewport.width}-${colorScheme}`, problems);
        await context.close();
      });
    }
  }
});
