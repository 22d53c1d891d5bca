// The checks every page a person uses gets in Chromium, at a desktop and a phone width, light and
// dark: a screenshot kept in test-results/, no horizontal scrolling, no accessibility violation
// axe-core finds, and no console error (a CSP violation is one).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { root } from './demo-server';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;

/**
 * Collects the page's console errors and uncaught exceptions. The browser's own request for
 * /favicon.ico is not the page's, nor is its note that a page it was meant to get came with the
 * error status `expectedStatus`.
 */
export function watchProblems(page: Page, expectedStatus = 200): string[] {
  const problems: string[] = [];
  page.on(
    'console',
    (m) =>
      m.type() === 'error' &&
      !m.location().url.endsWith('/favicon.ico') &&
      !(
        expectedStatus !== 200 && m.text().startsWith(`Failed to load resource: the server responded with a status of ${expectedStatus}`)
      ) &&
      problems.push(m.text()),
  );
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** Screenshots the page as `shot`.png, then expects no horizontal scroll, no axe violation and no problem. */
export async function audit(page: Page, viewport: { width: number }, shot: string, problems: string[]): Promise<void> {
  mkdirSync(join(root, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(root, 'test-results', `${shot}.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no horizontal scroll').toBeLessThanOrEqual(viewport.width);
  // axe runs through the DevTools protocol (page.evaluate), which the page's CSP does not
  // govern: the policy stays in force, so a violation by the page itself still shows.
  await page.evaluate(axeSource);
  const results = (await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run())) as AxeResults;
  const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(results.passes.length).toBeGreaterThan(0);
  expect(violations).toEqual([]);
  expect(problems).toEqual([]);
}
