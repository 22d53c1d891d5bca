// Extraction quality: token-level F1 of each article's extracted text against its hand-marked body
// (tests/fixtures/pages/articles/NAME.expected.txt). Prints the table; the mean must stay at or
// above 0.95 and no page below 0.9. Run: npm run test:full -- tests/unit/extract/quality.full.test.ts
import { expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/article';
import { tokenF1 } from '../../support/f1';
import { ARTICLE_PAGES, EXPECTED_BODIES } from '../../support/page-fixtures';

it('token F1 against the hand-marked bodies: mean ≥ 0.95, each page ≥ 0.9', () => {
  const rows = Object.keys(ARTICLE_PAGES)
    .sort()
    .map((name) => {
      const { text } = extractArticle(ARTICLE_PAGES[name]!, `https://pages.example/${name}.html`, { now: Date.UTC(2024, 5, 1) });
      return { name, ...tokenF1(text, EXPECTED_BODIES[name] ?? '') };
    });
  const mean = rows.reduce((n, r) => n + r.f1, 0) / rows.length;
  const fmt = (x: number) => x.toFixed(3);
  console.log(
    [
      'page                          precision  recall  F1',
      ...rows.map((r) => `${r.name.padEnd(30)}${fmt(r.precision).padStart(9)}${fmt(r.recall).padStart(8)}${fmt(r.f1).padStart(7)}`),
      `mean F1 over ${rows.length} pages: ${fmt(mean)}`,
    ].join('\n'),
  );
  expect(rows.length).toBeGreaterThanOrEqual(20);
  for (const row of rows) expect(row.f1, row.name).toBeGreaterThanOrEqual(0.9);
  expect(mean).toBeGreaterThanOrEqual(0.95);
});
