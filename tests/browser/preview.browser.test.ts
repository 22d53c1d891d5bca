// The feed preview as a person sees it: Syndicate served by `wrangler dev` and opened in Debian's
// headless Chromium (tests/browser/demo-server.ts). DOM checks, the Copy button, no CSP violation, and a
// screenshot kept in test-results/. Runs in Node (the `browser` project of vitest.config.ts).
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type Demo, root, startDemo } from './demo-server';

let demo: Demo | null = null;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  demo = await startDemo();
  browser = demo?.browser;
  origin = demo?.origin ?? '';
}, 300_000);

afterAll(async () => {
  await demo?.stop();
});

describe('a feed URL opened in Chromium', () => {
  for (const path of ['/feed.xml', '/atom.xml', '/feed.json', '/planet/feed.xml']) {
    it(`${path} shows the preview: what a feed is, its address to copy, readers, the raw document, the items`, async (ctx) => {
      if (!browser) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
      const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const page = await context.newPage();
      const problems: string[] = [];
      // (The browser's own request for /favicon.ico is not the page's.)
      page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));

      const response = await page.goto(`${origin}${path}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
      const feedUrl = `${origin}${path}`;
      await expect(page.locator('#about-feed').textContent()).resolves.toContain('This is a web feed');
      expect(await page.locator('#feed-url').inputValue()).toBe(feedUrl);
      const readers = await page.locator('ul.readers a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(readers).toContain(`https://feedly.com/i/subscription/feed/${encodeURIComponent(feedUrl)}`);
      expect(readers).toContain(`feed:${feedUrl}`);

      // The items are the feed's.
      const feed = (await (await fetch(`${origin}${path.replace(/(feed\.xml|atom\.xml)$/, 'feed.json')}`)).json()) as {
        items: { title: string }[];
      };
      const titles = await page.locator('ol.posts h2').allTextContents();
      expect(titles.map((t) => t.trim())).toEqual(feed.items.map((i) => i.title));

      // The Copy button runs (the policy allows its script by hash) and copies the address.
      const copy = page.locator('button[data-copy]');
      await expect(copy.isVisible()).resolves.toBe(true);
      await copy.click();
      await page.waitForFunction(() => document.querySelector('button[data-copy]')?.textContent === 'Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(feedUrl);

      // The raw document is one click away, byte for byte what a feed reader gets.
      const rawHref = await page.locator('a', { hasText: /View the raw/ }).getAttribute('href');
      expect(rawHref).toBe(`${feedUrl}?raw=1`);
      const raw = await page.request.get(rawHref!);
      expect(await raw.text()).toBe(await (await fetch(feedUrl)).text());

      mkdirSync(join(root, 'test-results'), { recursive: true });
      const shot = join(root, 'test-results', `preview${path.replace(/[/.]/g, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});

describe('the pages on a 390 px wide screen', () => {
  for (const path of ['/', '/planet/', '/tags/lifestyle/', '/posts/tips-for-becoming-a-good-boxer', '/feed.xml']) {
    it(`${path} does not scroll sideways and has the site navigation and one h1`, async (ctx) => {
      if (!browser) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      const nav = page.getByRole('navigation', { name: 'Site' });
      await expect(nav.getByRole('link', { name: 'Home' }).count()).resolves.toBe(1);
      await expect(nav.getByRole('link', { name: 'Planet' }).count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { level: 1 }).count()).resolves.toBe(1);
      await expect(page.getByRole('banner').count()).resolves.toBe(1);
      await expect(page.getByRole('main').count()).resolves.toBe(1);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(scroll, path).toBeLessThanOrEqual(client);
      await context.close();
    });
  }
});
