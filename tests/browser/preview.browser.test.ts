// The feed preview as a person sees it: Syndicate served by `wrangler dev` (workerd, a local D1
// migrated and loaded with seed/demo.sql in a temporary directory), opened in Debian's headless
// Chromium driven by playwright-core. DOM checks, the Copy button, no CSP violation, and a
// screenshot kept in test-results/. Runs in Node (the `browser` project of vitest.config.ts).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let origin = '';
let state = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: run \`npm run checkers:install\` (Debian: chromium)`);
    return;
  }
  state = mkdtempSync(join(tmpdir(), 'syndicate-browser-'));
  const d1 = (...args: string[]) =>
    execFileSync(wrangler, ['d1', ...args, 'DB', '--local', '--persist-to', state], { cwd: root, env, stdio: 'ignore' });
  d1('migrations', 'apply');
  d1('execute', '--file', join('seed', 'demo.sql'));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(
    wrangler,
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      state,
      '--var',
      `SITE_URL:${origin}`,
      '--show-interactive-dev-session=false',
    ],
    { cwd: root, env, stdio: 'ignore', detached: true },
  );
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/feed.xml`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 120) throw new Error('wrangler dev did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  if (state) rmSync(state, { recursive: true, force: true });
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
