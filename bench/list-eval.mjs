#!/usr/bin/env node
// List-page detection quality on a directory of labelled list pages: NAME.html (the page) and
// NAME.json, the items a person expects:
//
//   { "url": "<the page's address>", "split": "dev" | "heldout", "site": "<site or theme name>",
//     "items": [ { "url": "...", "title": "...", "date": "YYYY-MM-DD" | null, "postDate": "YYYY-MM-DD" | null } ] }
//
// `date` is the date the list page shows for the post (null when it shows none); `postDate`, when
// known, is the post's own date, also accepted when the list shows none. Every page goes through
// extractList (src/extract, bundled for Node by bench/extract-node.mjs) with no rules, and is
// compared with its labels:
//
//   item recall     expected items found (by URL; fragment, "www." and a trailing slash ignored)
//   precision       items returned that are expected
//   exact titles    found items whose title is the expected one (whitespace collapsed)
//   dates           found items whose date is right: within the expected day in some time zone
//                   (UTC-12 to UTC+14), or null where the page shows none and the post date is unknown
//   pages perfect   pages with every item found, nothing else returned, every title and date right
//
//   node bench/list-eval.mjs <dir> [--split=dev|heldout] [--show=all|wrong] [--only=substring]
//
// The datasets are kept outside the repository (see docs/extraction.md, "Development figures").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExtract } from './extract-node.mjs';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (!dir) {
  console.error('usage: node bench/list-eval.mjs <dir of NAME.html + NAME.json> [--split=dev|heldout] [--show=all|wrong] [--only=text]');
  process.exit(2);
}
const split = option('split');
const show = option('show') ?? 'wrong';
const only = option('only');
/** The moment relative dates count from: after every labelled date. */
const NOW = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;

const { extractList, ExtractError } = await loadExtract();

const key = (url) => {
  const u = new URL(url);
  u.hash = '';
  return `${u.host.replace(/^www\./, '').toLowerCase()}${u.pathname.replace(/\/index\.html?$/, '/').replace(/\/$/, '')}${u.search}`;
};
const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
/** Whether `ms` falls on the calendar day `day` (YYYY-MM-DD) in some time zone from UTC-12 to UTC+14. */
const onDay = (ms, day) => {
  const start = Date.parse(`${day}T00:00:00Z`);
  return ms >= start - 14 * HOUR && ms < start + 24 * HOUR + 12 * HOUR;
};
const dateRight = (expected, got) => {
  if (expected.date) return got !== null && onDay(got, expected.date);
  if (got === null) return true;
  return expected.postDate ? onDay(got, expected.postDate) : false;
};
const day = (ms) => (ms === null ? 'null' : new Date(ms).toISOString().slice(0, 10));

const names = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .filter((n) => !only || n.includes(only))
  .sort();
const totals = { pages: 0, perfect: 0, expected: 0, returned: 0, found: 0, titles: 0, dates: 0 };
const lines = [];
for (const name of names) {
  const label = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  if (split && label.split !== split) continue;
  const html = readFileSync(join(dir, `${name}.html`), 'utf8');
  let items = [];
  let error = null;
  try {
    items = extractList(html, label.url, undefined, NOW).items;
  } catch (e) {
    if (!(e instanceof ExtractError)) throw e;
    error = `${e.kind}: ${e.message}`;
  }
  const got = new Map(items.map((i) => [key(i.url), i]));
  const expectedKeys = new Set(label.items.map((i) => key(i.url)));
  let found = 0;
  let titles = 0;
  let dates = 0;
  const wrong = [];
  for (const e of label.items) {
    const g = got.get(key(e.url));
    if (!g) {
      wrong.push(`  missed   ${e.url}  "${e.title}"`);
      continue;
    }
    found++;
    const titleOk = norm(g.title) === norm(e.title);
    const dateOk = dateRight(e, g.published);
    if (titleOk) titles++;
    if (dateOk) dates++;
    if (!titleOk) wrong.push(`  title    ${e.url}  "${g.title}"  expected "${e.title}"`);
    if (!dateOk) wrong.push(`  date     ${e.url}  ${day(g.published)}  expected ${e.date ?? `null (post ${e.postDate ?? '?'})`}`);
  }
  const extra = items.filter((i) => !expectedKeys.has(key(i.url)));
  for (const i of extra) wrong.push(`  extra    ${i.url}  "${i.title}"`);
  // Missed and extra items first: they say more about a page than its titles and dates.
  const rank = (line) => (/^ {2}(?:missed|extra)/.test(line) ? 0 : 1);
  wrong.sort((a, b) => rank(a) - rank(b));
  const perfect = wrong.length === 0;
  totals.pages++;
  totals.perfect += perfect ? 1 : 0;
  totals.expected += label.items.length;
  totals.returned += items.length;
  totals.found += found;
  totals.titles += titles;
  totals.dates += dates;
  if (show === 'all' || !perfect) {
    lines.push(
      `${perfect ? 'ok  ' : 'FAIL'} ${name}: ${found}/${label.items.length} found, ${extra.length} extra, ${titles} titles, ${dates} dates${error ? `  (${error})` : ''}`,
    );
    if (!perfect) lines.push(...wrong.slice(0, 30), ...(wrong.length > 30 ? [`  … ${wrong.length - 30} more`] : []));
  }
}
console.log(lines.join('\n'));
const f = (n, d) => (d === 0 ? '-' : (n / d).toFixed(3));
console.log(
  `\n${totals.pages} pages${split ? ` (${split})` : ''} in ${dir}: item recall ${f(totals.found, totals.expected)}, precision ${f(totals.found, totals.returned)}, exact titles ${f(totals.titles, totals.found)}, dates ${f(totals.dates, totals.found)}, pages perfect ${totals.perfect} of ${totals.pages} (${f(totals.perfect, totals.pages)})`,
);
