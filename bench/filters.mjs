// Filter rules' cost (src/domain/filters.ts): CPU per item judged by 20 rules (words and RE2
// regexes over title, content, authors, categories, link and enclosures, and an age rule), against
// a baseline of one words rule on the title, in the same run, alternating rounds. The module runs in
// Node, bundled by esbuild as bench/extract-node.mjs does: the matcher is pure code, the same in
// workerd. `node bench/filters.mjs [--quick]` runs it alone; `npm run bench` prints its line.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function load() {
  const outfile = join(root, 'bench', '.build', 'filters-node.mjs');
  await build({
    stdin: {
      contents: `export * from './src/domain/filters.ts'; export { htmlToText } from './src/html/text.ts';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** Twenty rules of every kind a publisher writes, regexes included (one of them `(a+)+$`). */
export const TWENTY_RULES = [
  { action: 'block', field: 'title', match: 'words', pattern: 'sponsored|advertisement|promoted' },
  { action: 'block', field: 'title', match: 'words', pattern: 'giveaway' },
  { action: 'block', field: 'content', match: 'words', pattern: 'affiliate link|paid partnership' },
  { action: 'block', field: 'content', match: 'words', pattern: 'casino' },
  { action: 'block', field: 'author', match: 'words', pattern: 'guest author' },
  { action: 'block', field: 'category', match: 'words', pattern: 'ads|deals' },
  { action: 'block', field: 'link', match: 'words', pattern: 'promo' },
  { action: 'block', field: 'enclosure_type', match: 'words', pattern: 'video' },
  { action: 'keep', field: 'content', match: 'words', pattern: 'lorem|ipsum|news' },
  { action: 'keep', field: 'title', match: 'words', pattern: 'post' },
  { action: 'block', field: 'title', match: 'regex', pattern: '(?i)^\\s*\\[?ad\\]?\\s*:' },
  { action: 'block', field: 'content', match: 'regex', pattern: '(a+)+$' },
  { action: 'block', field: 'content', match: 'regex', pattern: '(?i)use code [A-Z0-9]{4,}' },
  { action: 'block', field: 'content', match: 'regex', pattern: '\\b\\d{3}-\\d{3}-\\d{4}\\b' },
  { action: 'block', field: 'link', match: 'regex', pattern: '^https?://[^/]+/(ads|sponsored)/' },
  { action: 'block', field: 'link', match: 'regex', pattern: '[?&]ref=aff' },
  { action: 'block', field: 'category', match: 'regex', pattern: '(?i)^sponsor' },
  { action: 'block', field: 'author', match: 'regex', pattern: '(?i)bot$' },
  { action: 'block', field: 'age', max_days: 365 },
  { action: 'keep', field: 'age', max_days: 3650 },
];
const BASELINE = [{ action: 'block', field: 'title', match: 'words', pattern: 'sponsored' }];

/** Items like a refresh stores: 2–5 KB of HTML turned to text, two categories, one author. */
function items(n, htmlToText) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const html = Array.from(
      { length: 4 + (i % 7) },
      (_, p) =>
        `<p>Paragraph ${p} of post ${i}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(4)}<a href="https://example.org/ref/${p}">a reference</a>.</p>`,
    ).join('\n');
    return {
      title: `Post number ${i}: a realistic title of some length`,
      content: htmlToText(html),
      authors: [`Author ${i % 5}`],
      categories: [`Tag ${i % 10}`, `Tag ${(i * 3 + 1) % 10}`],
      link: `https://news.example/${2020 + (i % 5)}/post-${i}/`,
      enclosureTypes: i % 4 === 0 ? ['audio/mpeg'] : [],
      publishedAt: now - i * 3_600_000,
    };
  });
}

/** CPU µs per item of `rules` over `list`, judged `rounds` times (the compile is outside: it is cached per isolate). */
function cpuPerItem(mod, rules, list) {
  const compiled = mod.compileFilters(rules);
  const now = Date.now();
  const t = process.cpuUsage();
  let blocked = 0;
  for (const item of list) if (compiled.judge(item, now) !== null) blocked++;
  const used = process.cpuUsage(t);
  return { us: (used.user + used.system) / list.length, blocked };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function measureFilters({ quick = false } = {}) {
  const mod = await load();
  const list = items(quick ? 200 : 2000, mod.htmlToText);
  const rounds = quick ? 3 : 9;
  const subject = [];
  const baseline = [];
  cpuPerItem(mod, TWENTY_RULES, list);
  cpuPerItem(mod, BASELINE, list);
  let blocked = 0;
  for (let r = 0; r < rounds; r++) {
    const s = cpuPerItem(mod, TWENTY_RULES, list);
    blocked = s.blocked;
    subject.push(s.us);
    baseline.push(cpuPerItem(mod, BASELINE, list).us);
  }
  const us = median(subject);
  const base = median(baseline);
  return {
    items: list.length,
    rules: TWENTY_RULES.length,
    usPerItem: Number(us.toFixed(2)),
    baselineUsPerItem: Number(base.toFixed(2)),
    ratio: us / base,
    blocked,
  };
}

export const filtersReport = (f) =>
  `filter rules: ${f.rules} rules (8 RE2 regexes) ${f.usPerItem} µs CPU per item of ~3 KB text (Node, ${f.items} items, median of rounds); one words rule: ${f.baselineUsPerItem} µs (ratio ${f.ratio.toFixed(1)})`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(filtersReport(await measureFilters({ quick: process.argv.includes('--quick') })));
}
