import { Readability } from '@mozilla/readability';
import { Hono } from 'hono';
import { extractList, extractSanitizedArticle } from '../src/extract';
import { type DomNode, MAX_ELEMENTS, parseHtml } from '../src/extract/dom';
import { plainText } from '../src/extract/text';
import type { DomElement } from '../src/extract/dom';
import type { AppEnv } from '../src/http/app-env';

/**
 * Extraction routes for the bench (bench/extract.mjs) and the quality harness
 * (bench/extract-eval.mjs), mounted under /__bench/extract by bench/worker.ts only: the CPU time of
 * one extraction in this runtime, and Mozilla's Readability alone, the baseline of the quality
 * figures. The body of each request is the page's HTML.
 */
export const extractBenchRoutes = new Hono<AppEnv>();

const NOW = Date.UTC(2024, 5, 1);

/**
 * Times one extraction (`?kind=article`: extractSanitizedArticle, what POST /api/extract runs;
 * `?kind=list`: extractList) of the posted page, `?runs=N` times in a row; answers each run's ms.
 */
extractBenchRoutes.post('/cost', async (c) => {
  const html = await c.req.text();
  const url = c.req.query('url') ?? 'https://site.example/page';
  const runs = Math.max(1, Math.min(Number(c.req.query('runs') ?? 1) || 1, 50));
  const list = c.req.query('kind') === 'list';
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    found = list ? extractList(html, url, undefined, NOW).items.length : extractSanitizedArticle(html, url, { now: NOW }).text.length;
    ms.push(performance.now() - t);
  }
  return c.json({ ms, found });
});

/**
 * Mozilla's Readability alone on the same DOM (linkedom, the same element limit), none of our
 * cleaning: `?text=textContent` answers the library's own `textContent` (what other benchmarks
 * score it by), otherwise the content through our plainText (one line per block), which isolates
 * what the cleaning passes add or lose.
 */
extractBenchRoutes.post('/readability', async (c) => {
  const html = await c.req.text();
  const doc = parseHtml(html);
  const parsed = new Readability<DomNode>(doc as never, {
    serializer: (node) => node as unknown as DomNode,
    maxElemsToParse: MAX_ELEMENTS,
  }).parse();
  const content = (parsed?.content as DomElement | null | undefined) ?? null;
  const text = !content ? '' : c.req.query('text') === 'textContent' ? (content.textContent ?? '') : plainText(content);
  return c.json({ text });
});
