#!/usr/bin/env node
// CPU of extractList and extractSanitizedArticle on the bench's cost pages (bench/extract.mjs:
// our fixtures with a real site's weight added), in Node with process.cpuUsage: a quick A/B of two
// versions on one machine, where the `extract:` line of `npm run bench` (workerd) is the figure of
// record. Run it alternately for this checkout and another (EXTRACT_SOURCE=<checkout>):
//
//   node bench/extract-cpu.mjs; EXTRACT_SOURCE=/path/to/other node bench/extract-cpu.mjs
import { loadExtract } from './extract-node.mjs';
import { costPages } from './extract.mjs';

const NOW = Date.UTC(2030, 0, 1);
const { extractList, extractSanitizedArticle } = await loadExtract();
const pages = costPages();

/** Mean CPU milliseconds per page of one kind over `rounds` passes. */
function cpu(kind, rounds) {
  const chosen = pages.filter((p) => p.kind === kind);
  const start = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const p of chosen) {
      if (kind === 'list') extractList(p.html, p.url, undefined, NOW);
      else extractSanitizedArticle(p.html, p.url, { now: NOW });
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / (rounds * chosen.length);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
cpu('list', 3);
cpu('article', 3);
const lists = [];
const articles = [];
for (let i = 0; i < 5; i++) {
  lists.push(cpu('list', 8));
  articles.push(cpu('article', 8));
}
console.log(
  `${process.env.EXTRACT_SOURCE ?? 'this checkout'}: list ${median(lists).toFixed(1)} ms, article ${median(articles).toFixed(1)} ms CPU per page (median of 5 rounds of 8)`,
);
