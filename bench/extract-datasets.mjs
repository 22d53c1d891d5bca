#!/usr/bin/env node
// Turns a public article-extraction dataset (a git clone or mirror of its repository) into the
// layout bench/extract-eval.mjs reads, the one tests/fixtures/pages/articles uses:
// NAME.html (the page, UTF-8) and NAME.expected.txt (the body people marked), plus NAME.url.
// The datasets are never committed: write them outside the repository (/tmp, .scratch/).
//
//   node bench/extract-datasets.mjs aeb  <article-extraction-benchmark git dir> <out dir>
//       scrapinghub/article-extraction-benchmark: 181 news pages, ground-truth.json articleBody
//   node bench/extract-datasets.mjs wcxb <web-content-extraction-benchmark git dir> <out dir> [split]
//       Murrough-Foley/web-content-extraction-benchmark (WCXB): the pages of type "article" of a
//       split (dev by default), ground_truth.main_content
//   node bench/extract-datasets.mjs msv  <ir-research-data git dir> <out dir>
//       MSVCode/ir-research-data, Extraction/: 720 news pages (nine news sites in 2005, 2009, 2013
//       and 2017, and 360 pages of about 240 sites), gold/NAME.txt, whose first line (the
//       headline) is left out as the other sets' bodies leave it out
//   node bench/extract-datasets.mjs traf <trafilatura git dir> <out dir>
//       adbar/trafilatura's evaluation data: 990 news and blog pages (tests/eval/, tests/cache/),
//       each marked by snippets that must be in the body and snippets that must not
//       (tests/evaldata.json): NAME.snippets.json instead of NAME.expected.txt
//   node bench/extract-datasets.mjs themes <build dir> <dev out> <held-out out> [set dir]
//       post pages of static sites built here from public themes, with their markdown bodies
//       (bench/themes-dataset.mjs; not a git directory)
//
// Reads through `git show` / `git ls-tree`, so a bare mirror works as well as a checkout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [kind, repo, out, split = 'dev'] = process.argv.slice(2);
if (kind === 'themes') {
  const { buildThemes } = await import('./themes-dataset.mjs');
  const counts = buildThemes(repo, out, split, process.argv[6]);
  console.error(`${counts.themes} themes: ${counts.dev} pages written to ${out}, ${counts.test} to ${split}`);
  process.exit(0);
}
if (!['aeb', 'wcxb', 'msv', 'traf'].includes(kind) || !repo || !out) {
  console.error('usage: node bench/extract-datasets.mjs aeb|wcxb|msv|traf <git dir> <out dir> [split]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir(repo), ...args], { maxBuffer: 1 << 30 });
const show = (path) => git('show', `HEAD:${path}`);
mkdirSync(out, { recursive: true });

/** A checkout has .git inside; a bare mirror is the git directory itself. */
function gitDir(dir) {
  try {
    execFileSync('git', ['--git-dir', join(dir, '.git'), 'rev-parse'], { stdio: 'ignore' });
    return join(dir, '.git');
  } catch {
    return dir;
  }
}

/** HTML files are stored gzipped (and may be Git LFS pointers, which a mirror lacks). */
function html(path) {
  const bytes = show(path);
  if (bytes.subarray(0, 40).toString().startsWith('version https://git-lfs')) return null;
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

let written = 0;
function write(name, page, body, url) {
  if (page === null) return;
  writeFileSync(join(out, `${name}.html`), page);
  writeFileSync(join(out, `${name}.expected.txt`), body);
  writeFileSync(join(out, `${name}.url`), url ?? '');
  written += 1;
}

if (kind === 'aeb') {
  const truth = JSON.parse(show('ground-truth.json').toString('utf8'));
  for (const [id, { articleBody, url }] of Object.entries(truth)) write(id, html(`html/${id}.html.gz`), articleBody ?? '', url);
} else if (kind === 'traf') {
  const marks = JSON.parse(show('tests/evaldata.json').toString('utf8'));
  const files = new Set(git('ls-tree', '-r', '-z', '--name-only', 'HEAD', 'tests/eval', 'tests/cache').toString('utf8').split('\0'));
  for (const [url, { file, with: kept, without }] of Object.entries(marks)) {
    const path = [`tests/eval/${file}`, `tests/cache/${file}`].find((f) => files.has(f));
    if (!path) continue;
    const name = file.replace(/\.html?$/, '').replace(/[^\p{L}\p{N}.-]+/gu, '_');
    writeFileSync(join(out, `${name}.html`), show(path).toString('utf8'));
    writeFileSync(join(out, `${name}.snippets.json`), `${JSON.stringify({ with: kept, without })}\n`);
    writeFileSync(join(out, `${name}.url`), url);
    written += 1;
  }
} else if (kind === 'msv') {
  const files = git('ls-tree', '-r', '--name-only', 'HEAD', 'Extraction').toString('utf8').split('\n');
  const pages = new Map(files.filter((f) => f.includes('/html/')).map((f) => [f.replace(/\/html\/(.*)\.html?$/, '/gold/$1.txt'), f]));
  for (const gold of files.filter((f) => f.includes('/gold/'))) {
    const page = pages.get(gold);
    if (!page) continue;
    const name = gold.replace(/^Extraction\/|\.txt$/g, '').replace(/[^A-Za-z0-9-]+/g, '_');
    const body = show(gold).toString('utf8').split('\n').slice(1).join('\n');
    write(name, show(page).toString('utf8'), body, null);
  }
} else {
  const meta = JSON.parse(show('metadata.json').toString('utf8')).files;
  for (const [id, m] of Object.entries(meta)) {
    if (m.split !== split || m.page_type !== 'article') continue;
    const truth = JSON.parse(show(`${split}/ground-truth/${id}.json`).toString('utf8'));
    write(id, html(`${split}/html/${id}.html.gz`), truth.ground_truth?.main_content ?? '', truth.url);
  }
}
console.error(`${written} pages written to ${out}`);
