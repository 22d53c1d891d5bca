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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build, startWorker, TOKEN } from './harness.mjs';
import { datasetScore, pageScore } from './token-f1.mjs';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (!dir) {
  console.error('usage: node bench/extract-eval.mjs <dir of NAME.html + NAME.expected.txt> [--worst=N] [--save=file.json]');
  process.exit(2);
}
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.txt'))
  .map((f) => f.slice(0, -'.expected.txt'.length))
  .sort();

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
const rows = [];
try {
  for (const name of names) {
    const expected = readFileSync(join(dir, `${name}.expected.txt`), 'utf8');
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
    rows.push({
      name,
      text,
      error: res.ok ? null : body.detail,
      ours: pageScore(expected, text),
      raw: pageScore(expected, await readability('textContent')),
      rawLines: pageScore(expected, await readability(null)),
    });
    if (rows.length % 50 === 0) console.error(`[extract-eval] ${rows.length} of ${names.length} pages…`);
  }
} finally {
  await w.mf.dispose();
  server.close();
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
const summary = (label, key) => {
  const s = datasetScore(rows.map((r) => r[key]));
  return `${label.padEnd(44)} F1 ${f(s.f1)}  precision ${f(s.precision)}  recall ${f(s.recall)}  mean page F1 ${f(s.meanPageF1)}`;
};
console.log(`\n${rows.length} pages in ${dir} (F1 of mean precision and mean recall, as evaluate.py reports it)`);
console.log(summary('ours (POST /api/extract text)', 'ours'));
console.log(summary('Readability alone (textContent)', 'raw'));
console.log(summary('Readability alone (our plainText, no cleaning)', 'rawLines'));
const errors = rows.filter((r) => r.error);
if (errors.length) console.log(`${errors.length} pages refused: ${errors.map((r) => r.name.slice(0, 12)).join(', ')}`);
const save = option('save');
if (save) writeFileSync(save, `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, { articleBody: r.text }])), null, 1)}\n`);
