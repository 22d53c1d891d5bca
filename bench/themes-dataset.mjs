// Article pages of static sites built from public themes, in the layout bench/extract-eval.mjs
// reads (NAME.html, NAME.expected.txt, NAME.url): the blog-like pages that the public datasets
// have too few of. Called by bench/extract-datasets.mjs:
//
//   node bench/extract-datasets.mjs themes <build dir> <dev out> <held-out out> [set dir]
//
// <build dir> holds one directory per theme: public/ (the built site), site/ (its sources, with
// the example site's own markdown posts) and info.txt. Our own 22 posts (the list-page set's
// tools/posts.mjs) all have the same known body; the example sites' posts are rendered from their
// markdown with marked. Per theme: one of our posts and up to two of the example site's longest
// posts, only those whose markdown we can render as the generator did (no shortcodes, template
// tags, MDX imports or footnotes) and whose every expected 4-gram is found on the built page.
// The expected text is the body without the title and figure captions, as WCXB's and the other
// sets' bodies are.
// A theme's split is the one its list pages have in <set dir> (NAME.json, "split"): "heldout"
// and "heldout2" go to <held-out out>, every other split to <dev out>; a theme without one (not
// in the list set, or not yet) is left out.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseHTML } from 'linkedom';
import { marked } from 'marked';
import { tpFpFn } from './token-f1.mjs';

const OUR_TITLES = [
  'Walking the Coastal Path at Dawn',
  'Why I Switched Back to Plain Text Notes',
  'A Week of Sourdough Experiments',
  'Notes on Rust & WebAssembly',
  'Ten Lessons From Running a Small Library',
  'The Case for Boring Technology',
  'Mapping Old Railway Lines',
  'Learning to Sketch in Public',
  'Fixing a 1970s Radio',
  'How We Cut Our Build Time in Half',
  'Reading List: Autumn Edition',
  'On Writing Shorter Emails',
  'Home Networking Without the Headaches',
  'A Field Guide to Urban Moss',
  'What the Tide Tables Taught Me',
  'Deploying on a Tuesday',
  'Bread, Butter and Benchmarks',
  'Three Bridges, One Afternoon',
  'Sorting Photos With a Tiny Script',
  'Quiet Mornings: A Routine',
  'Keyboard Shortcuts I Actually Use',
  'The Museum of Lost Umbrellas',
];
const slugify = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
/** The body tools/posts.mjs gives every one of our posts. */
const ourBody = (title) =>
  `This is a post about ${title.toLowerCase()}. It has a first paragraph long enough to make an excerpt, with a few words about the subject and why it mattered at the time.\n\nA second paragraph follows, with more detail, a [link](https://example.com/) and some *emphasis*.\n\n## A heading\n\nAnd a closing paragraph.\n`;

/** Markdown as text: one line per block, as the marked bodies of the other sets are. */
const BLOCK =
  /<(?:\/?(?:p|h[1-6]|li|pre|blockquote|tr|td|th|div|table|ul|ol|dd|dt|section|article|header|footer|nav|aside|main)|hr|br)\b[^>]*>/gi;
function markdownText(markdown) {
  const html = marked.parse(markdown, { async: false });
  const { document } = parseHTML(`<!doctype html><html><body>${html.replace(BLOCK, '\n$&')}</body></html>`);
  // Figure captions are left out, as the people who marked the other sets' bodies leave them out.
  for (const caption of document.querySelectorAll('figcaption')) caption.remove();
  return document.body.textContent
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The words a page shows (scripts and styles left out), to check an expected body is on it. */
function pageText(html) {
  const { document } = parseHTML(html.replace(BLOCK, '\n$&'));
  for (const el of document.querySelectorAll('script, style, noscript, template')) el.remove();
  return document.documentElement?.textContent ?? '';
}

/** Every file under dir whose name passes keep, skipping dependencies and built output. */
function walk(dir, keep, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!['node_modules', '.git', 'resources', '.cache', '_site', 'public'].includes(e.name)) walk(path, keep, out);
    } else if (keep(e.name)) out.push(path);
  }
  return out;
}

/** Front matter (YAML ---, TOML +++, or Pelican's "Key: value" lines) and body of a markdown file. */
function splitPost(source) {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const fenced = /^(---|\+\+\+)\n([\s\S]*?)\n\1\s*\n/.exec(text);
  if (fenced) return { meta: fenced[2], body: text.slice(fenced[0].length) };
  const pelican = /^(?:[A-Za-z_]+:.*\n)+\n/.exec(text);
  if (pelican && /^title:/im.test(pelican[0])) return { meta: pelican[0], body: text.slice(pelican[0].length) };
  return null;
}
const field = (meta, name) => {
  const m = new RegExp(`^${name}\\s*[:=]\\s*(.*)$`, 'im').exec(meta);
  return m ? m[1].trim().replace(/^(["'])(.*)\1$/, '$2') : null;
};
/** Markdown we cannot render as its generator did. */
const UNRENDERABLE = /\{\{|\{%|<%|\[\^|\$\$|^import\s|^export\s|<[A-Z][A-Za-z]*[\s/>]|^:::|^\{:|\{#|^\s*<script/m;

export function buildThemes(buildDir, devOut, testOut, setDir = join(buildDir, '..', 'set')) {
  const splits = new Map();
  const bases = new Map();
  for (const f of readdirSync(setDir).filter((n) => n.endsWith('.json'))) {
    const { site, split, url } = JSON.parse(readFileSync(join(setDir, f), 'utf8'));
    splits.set(site, split);
    bases.set(site, new URL(url).origin);
  }
  mkdirSync(devOut, { recursive: true });
  mkdirSync(testOut, { recursive: true });
  const written = { dev: 0, test: 0, themes: 0 };
  for (const theme of readdirSync(buildDir).sort()) {
    const publicDir = join(buildDir, theme, 'public');
    try {
      if (!statSync(publicDir).isDirectory()) continue;
    } catch {
      continue;
    }
    // Each HTML page, found by its last path segments (a post is …/slug/index.html or …/slug.html).
    const pages = new Map();
    for (const path of walk(publicDir, (n) => n.endsWith('.html'))) {
      const parts = relative(publicDir, path).split(sep);
      const last = parts.at(-1) === 'index.html' ? parts.at(-2) : parts.at(-1)?.replace(/\.html$/, '');
      if (!last) continue;
      const key = decodeURIComponent(last).toLowerCase();
      if (!pages.has(key)) pages.set(key, []);
      pages.get(key).push(path);
    }
    /** The shortest-pathed page for one of the slugs on which every shingle of expected is found. */
    const pageFor = (slugs, expected) => {
      const found = [...new Set(slugs.filter(Boolean).map((s) => s.toLowerCase()))]
        .flatMap((s) => pages.get(s) ?? [])
        .sort((a, b) => a.length - b.length || a.localeCompare(b));
      for (const path of found) {
        const html = readFileSync(path, 'utf8');
        const [tp, , fn] = tpFpFn(expected, pageText(html));
        if (tp > 0 && fn === 0) return { path, html };
      }
      return null;
    };
    const chosen = [];
    // One of our posts, a different one from theme to theme.
    const start = [...theme].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % OUR_TITLES.length;
    for (let i = 0; i < OUR_TITLES.length && chosen.length === 0; i++) {
      const title = OUR_TITLES[(start + i) % OUR_TITLES.length];
      const expected = markdownText(ourBody(title));
      const page = pageFor([slugify(title)], expected);
      if (page) chosen.push({ name: `${theme}-ours-${slugify(title)}`, expected, ...page });
    }
    // The example site's own posts, longest first.
    const ours = new Set(OUR_TITLES);
    const examples = [];
    for (const file of walk(
      join(buildDir, theme, 'site'),
      (n) => /\.(?:md|markdown|mdx)$/i.test(n) && !/^(?:readme|changelog|license|contributing)/i.test(n),
    )) {
      let post;
      try {
        post = splitPost(readFileSync(file, 'utf8'));
      } catch {
        continue; // a dangling link
      }
      if (!post) continue;
      const title = field(post.meta, 'title');
      if (!title || ours.has(title.replace(/\\"/g, '"')) || /^draft\s*[:=]\s*true/im.test(post.meta)) continue;
      if (UNRENDERABLE.test(post.body)) continue;
      const expected = markdownText(post.body);
      const words = expected.split(/\s+/).length;
      if (words < 150) continue;
      const base = file
        .split(sep)
        .at(-1)
        .replace(/\.(?:md|markdown|mdx)$/i, '');
      const slugs = [field(post.meta, 'slug'), base.replace(/^\d{4}-\d{2}-\d{2}-/, ''), base, slugify(title)];
      if (/^(?:index|_index)$/i.test(base)) slugs.push(file.split(sep).at(-2));
      examples.push({ title, slugs, expected, words });
    }
    examples.sort((a, b) => b.words - a.words || a.title.localeCompare(b.title));
    const titles = new Set();
    for (const ex of examples) {
      if (chosen.length >= 3) break;
      if (titles.has(ex.title)) continue;
      const page = pageFor(ex.slugs, ex.expected);
      if (!page || chosen.some((c) => c.path === page.path)) continue;
      titles.add(ex.title);
      chosen.push({ name: `${theme}-ex${chosen.length}-${slugify(ex.slugs.find(Boolean)).slice(0, 60)}`, expected: ex.expected, ...page });
    }
    if (chosen.length === 0 || !splits.has(theme)) continue;
    const held = ['heldout', 'heldout2'].includes(splits.get(theme));
    const out = held ? testOut : devOut;
    const origin = bases.get(theme) ?? `https://${theme}.example.org`;
    for (const c of chosen) {
      const rel = relative(publicDir, c.path)
        .split(sep)
        .join('/')
        .replace(/(?:^|\/)index\.html$/, '/');
      writeFileSync(join(out, `${c.name}.html`), c.html);
      writeFileSync(join(out, `${c.name}.expected.txt`), `${c.expected}\n`);
      writeFileSync(join(out, `${c.name}.url`), new URL(rel.replace(/^\/$/, ''), `${origin}/`).href);
      written[held ? 'test' : 'dev'] += 1;
    }
    written.themes += 1;
  }
  return written;
}
