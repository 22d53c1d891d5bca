// Every kind of page the demo has, as people see it in Chromium: at a desktop and a phone width,
// in light and dark colour schemes, with no accessibility violation axe-core finds, no
// horizontal scrolling on the phone, no console error (a CSP violation is one), and a screenshot
// kept in test-results/. Runs in Node (the `browser` project of vitest.config.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type Demo, root, startDemo } from './demo-server';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGES: [kind: string, path: string][] = [
  ['home', '/'],
  ['post', '/posts/tips-for-becoming-a-good-boxer'],
  ['post-with-media', '/posts/a-post-with-media'],
  ['tag', '/tags/lifestyle/'],
  ['author', '/authors/blog-team/'],
  ['source', '/sources/1/'],
  ['planet', '/planet/'],
  ['feed-preview', '/feed.xml'],
  ['stats-sign-in', '/stats'],
];
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];
const SCHEMES = ['light', 'dark'] as const;

let demo: Demo | null = null;

beforeAll(async () => {
  demo = await startDemo();
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

describe.each(PAGES)('the %s page (%s)', (kind, path) => {
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      it(`at ${viewport.width} px, ${colorScheme}: no axe violations, no horizontal scroll, no console error`, async (ctx) => {
        if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
        const context = await demo.browser.newContext({ viewport, colorScheme });
        const page = await context.newPage();
        const problems: string[] = [];
        // (The browser's own request for /favicon.ico is not the page's.)
        page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));

        const response = await page.goto(`${demo.origin}${path}`);
        expect(response?.status()).toBe(200);
        expect(response?.headers()['content-type']).toMatch(/^text\/html; charset=utf-8$/i);

        mkdirSync(join(root, 'test-results'), { recursive: true });
        await page.screenshot({ path: join(root, 'test-results', `page-${kind}-${viewport.width}-${colorScheme}.png`), fullPage: true });

        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, 'no horizontal scroll').toBeLessThanOrEqual(viewport.width);

        // axe runs through the DevTools protocol (page.evaluate), which the page's CSP does not
        // govern: the policy stays in force, so a violation by the page itself still shows below.
        await page.evaluate(axeSource);
        const results = (await page.evaluate(() =>
          (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run(),
        )) as AxeResults;
        const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        expect(results.passes.length).toBeGreaterThan(0);
        expect(violations).toEqual([]);
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }
});
