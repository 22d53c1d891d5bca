#!/usr/bin/env node
// Extraction quality on a directory of pages with hand-marked bodies (NAME.html and
// NAME.expected.txt, as in tests/fixtures/pages/articles; bench/extract-datasets.mjs makes such a
// directory from the public datasets). Each page goes through POST /api/extract exactly as a
// client's would: the worker as `wrangler deploy` bundles it, in workerd (Miniflare), fetching the
// page from a local server (so the fetcher's decoding, the extraction and the sanitizer are all
// in the path), and its `text` is scored against the marked body with the measure of
// scrapinghub/article-extraction-benchmark (bench/token-f1.mjs). Mozilla's Readability alone, on
// the same DOM in the same runtime, is scored beside it.
//
//   node bench/extract-eval.mjs <dir>                 per-page table and the dataset's figures
//   node bench/extract-eval.mjs <dir> --worst=20      only the 20 worst pages in the table
//   node bench/extract-eval.mjs <dir> --save=out.json the predictions, as {name: {articleBody}}
//   node bench/extract-eval.mjs <dir> --scores=s.json each page's precision and recall, ours and
//       Readability's (textContent and our plainText), to compare two runs page by page
//   node bench/extract-eval.mjs <dir> --node          the same extraction code in Node (bundled by
//       bench/extract-node.mjs; no fetch, no workerd): minutes instead of an hour for 700 pages
//   A page given as NAME.snippets.json instead of NAME.expected.txt (trafilatura's evaluation data,
//   made by extract-datasets.mjs traf) is scored by its snippets: `with` snippets missing from
//   `text`, `without` snippets present in it (both whitespace-collapsed), ours and Readability's.
//   node bench/extract-eval.mjs <dir> --subsets       the figures again for news and blog-like pages:
//       news when the page's JSON-LD types it NewsArticle (or a subtype, or ReportageNewsArticle…)
//       or NAME.url's address has a news host or a /news/ path, else blog-like
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loadExtract } from './extract-node.mjs';
import { build, startWorker, TOKEN } from './harness.mjs';
import { datasetScore, pageScore } from './token-f1.mjs';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (!dir) {
  console.error('usage: node bench/extract-eval.mjs <dir of NAME.html + NAME.expected.txt> [--worst=N] [--save=file.json]');
  process.exit(2);
}
/** The page's address, when the dataset gives it (NAME.url). */
const urlOf = (name) => {
  const file = join(dir, `${name}.url`);
  const url = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^https?:\/\//.test(url) ? url : null;
};
/** News or blog-like (see --subsets above). */
const isNews = (name) => {
  const html = readFileSync(join(dir, `${name}.html`), 'utf8');
  const types = [...html.matchAll(/"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")/g)].map((m) => m[1]).join(' ');
  if (/(?:NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|ReviewNewsArticle|BackgroundNewsArticle)/.test(types))
    return true;
  const url = urlOf(name);
  return url !== null && /(?:^|[./])news[.-]|\/news\//i.test(url);
};
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.txt') || f.endsWith('.snippets.json'))
  .map((f) => f.replace(/\.(?:expected\.txt|snippets\.json)$/, ''))
  .sort();

const rows = [];
/** Pages marked by snippets (NAME.snippets.json: {with: [...], without: [...]}, trafilatura's evaluation data). */
const snippetRows = [];
const snippetCounts = (snippets, text) => {
  const flat = text.replace(/\s+/g, ' ');
  const has = (s) => flat.includes(s.replace(/\s+/g, ' ').trim());
  return { missing: snippets.with.filter((s) => !has(s)).length, present: snippets.without.filter(has).length };
};
const node = args.includes('--node');
const record = (name, text, error, readabilityRaw, readabilityLines) => {
  const snippetFile = join(dir, `${name}.snippets.json`);
  if (existsSync(snippetFile)) {
    const snippets = JSON.parse(readFileSync(snippetFile, 'utf8'));
    snippetRows.push({ name, error, snippets, ours: snippetCounts(snippets, text), rawLines: snippetCounts(snippets, readabilityLines) });
    if ((rows.length + snippetRows.length) % 50 === 0)
      console.error(`[extract-eval] ${rows.length + snippetRows.length} of ${names.length} pages…`);
    return;
  }
  const expected = readFileSync(join(dir, `${name}.expected.txt`), 'utf8');
  rows.push({
    name,
    text,
    error,
    ours: pageScore(expected, text),
    raw: pageScore(expected, readabilityRaw),
    rawLines: pageScore(expected, readabilityLines),
  });
  if (rows.length % 50 === 0) console.error(`[extract-eval] ${rows.length} of ${names.length} pages…`);
};
if (node) {
  const { extractSanitizedArticle, readabilityText, ExtractError } = await loadExtract();
  const now = Date.UTC(2024, 5, 1);
  for (const name of names) {
    const html = readFileSync(join(dir, `${name}.html`), 'utf8');
    const url = urlOf(name) ?? `http://127.0.0.1/${encodeURIComponent(name)}.html`;
    let text = '';
    let error = null;
    try {
      text = extractSanitizedArticle(html, url, { now }).text;
    } catch (e) {
      if (!(e instanceof ExtractError)) throw e;
      error = `${e.kind}: ${e.message}`;
    }
    const readability = (mode) => {
      try {
        return readabilityText(html, mode);
      } catch {
        return '';
      }
    };
    record(name, text, error, readability('textContent'), readability(null));
  }
} else {
  // The pages, served as a site would serve them (UTF-8, which every dataset page is).
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname.slice(1)).replace(/\.html$/, '');
    if (!names.includes(name)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(dir, `${name}.html`)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;

  console.error('[extract-eval] building the worker…');
  const w = await startWorker(build(), 0);
  try {
    for (const name of names) {
      const res = await fetch(`${w.url}/api/extract`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${base}/${encodeURIComponent(name)}.html` }),
      });
      const body = await res.json();
      // A page the extractor refuses (422 nothing_found…) counts as an empty prediction.
      const text = res.ok ? body.text : '';
      const html = readFileSync(join(dir, `${name}.html`));
      const readability = async (mode) => {
        const r = await fetch(`${w.url}/__bench/extract/readability${mode ? `?text=${mode}` : ''}`, { method: 'POST', body: html });
        return r.ok ? (await r.json()).text : '';
      };
      record(name, text, res.ok ? null : body.detail, await readability('textContent'), await readability(null));
    }
  } finally {
    await w.mf.dispose();
    server.close();
  }
}

const f = (x) => x.toFixed(3);
const worst = Number(option('worst') ?? 0);
const shown = worst ? [...rows].sort((a, b) => a.ours.f1 - b.ours.f1).slice(0, worst) : rows;
const width = Math.min(40, Math.max(...rows.map((r) => r.name.length)) + 2);
console.log(`${'page'.padEnd(width)}precision  recall      F1   Readability F1`);
for (const r of shown) {
  console.log(
    `${r.name.slice(0, width - 2).padEnd(width)}${f(r.ours.precision).padStart(9)}${f(r.ours.recall).padStart(8)}${f(r.ours.f1).padStart(8)}${f(r.raw.f1).padStart(17)}${r.error ? `  ${r.error.slice(0, 80)}` : ''}`,
  );
}
const report = (subset, label) => {
  const s = (key) => datasetScore(subset.map((r) => r[key]));
  const line = (name, key) =>
    `${name.padEnd(44)} F1 ${f(s(key).f1)}  precision ${f(s(key).precision)}  recall ${f(s(key).recall)}  mean page F1 ${f(s(key).meanPageF1)}`;
  console.log(`\n${subset.length} pages ${label} (F1 of mean precision and mean recall, as evaluate.py reports it)`);
  console.log(line(node ? 'ours (extractSanitizedArticle text, Node)' : 'ours (POST /api/extract text)', 'ours'));
  console.log(line('Readability alone (textContent)', 'raw'));
  console.log(line('Readability alone (our plainText, no cleaning)', 'rawLines'));
};
if (snippetRows.length > 0) {
  const sum = (key, field) => snippetRows.reduce((n, r) => n + r[key][field], 0);
  const all = (field) => snippetRows.reduce((n, r) => n + r.snippets[field].length, 0);
  console.log(
    `\n${snippetRows.length} pages marked by snippets in ${dir}: \`with\` snippets missing (of ${all('with')}), \`without\` snippets present (of ${all('without')})`,
  );
  console.log(`${'ours'.padEnd(44)} ${sum('ours', 'missing')} missing, ${sum('ours', 'present')} present`);
  console.log(
    `${'Readability alone (our plainText, no cleaning)'.padEnd(44)} ${sum('rawLines', 'missing')} missing, ${sum('rawLines', 'present')} present`,
  );
}
if (rows.length > 0) report(rows, `in ${dir}`);
if (args.includes('--subsets') && rows.length > 0) {
  const news = new Set(names.filter(isNews));
  report(
    rows.filter((r) => news.has(r.name)),
    'of news (NewsArticle JSON-LD, news host or /news/ path)',
  );
  report(
    rows.filter((r) => !news.has(r.name)),
    'blog-like (the rest)',
  );
}
const errors = rows.filter((r) => r.error);
if (errors.length) console.log(`${errors.length} pages refused: ${errors.map((r) => r.name.slice(0, 12)).join(', ')}`);
const save = option('save');
const scores = option('scores');
if (scores) {
  const pr = (s) => [Number(s.precision.toFixed(4)), Number(s.recall.toFixed(4)), Number(s.f1.toFixed(4))];
  const table = rows.map((r) => [r.name, { ours: pr(r.ours), raw: pr(r.raw), rawLines: pr(r.rawLines) }]);
  writeFileSync(scores, `${JSON.stringify(Object.fromEntries(table))}\n`);
}
if (save) writeFileSync(save, `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, { articleBody: r.text }])), null, 1)}\n`);
