import { dateOfElement, type HumanDateOptions } from './dates';
import { baseUrlOf, type DomElement, parseHtml } from './dom';
import type { ListRules } from './list-rules';
import { normalizeSpace, textOf } from './text';
import { absoluteUrl, withoutFragment } from './urls';

// Rules derived from posts a person points at on a list page: the title they read, or the post's
// URL. Each example is found in the page; the item is the highest ancestor whose structural
// selector (tag and stable classes, never positions or generated names) matches several elements
// holding exactly one element shaped like the example; title, link, date, summary and image are
// selectors relative to that item.

/** Rules that find every post like the examples, or the indexes of the examples not on the page. */
export type ExampleRules = { ok: true; rules: ListRules } | { ok: false; missing: number[] };

/** Most examples one request may give. */
export const MAX_EXAMPLES = 10;

/** Classes that mark a state or a position rather than a kind of element. */
const STATE_CLASS = /^(?:active|current|selected|first|last|odd|even|open|hover|focus|visible|hidden|(?:is|has)-.*)$/i;
const UNSEEN = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);
const SUMMARY_MIN = 30;

const fold = (text: string) => normalizeSpace(text).normalize('NFKC').toLowerCase();

/** The classes of an element a selector may name: no digits (generated, numbered), no state. */
function stableClasses(el: DomElement): string[] {
  return (el.getAttribute('class') ?? '')
    .split(/\s+/)
    .filter((c) => /^-?[A-Za-z_][A-Za-z_-]*$/.test(c) && c.length <= 40 && !STATE_CLASS.test(c));
}

/** Tag and stable classes: the structural selector of one element. */
function structural(el: DomElement, classes = stableClasses(el)): string {
  return el.localName + classes.map((c) => `.${c}`).join('');
}

/** The path from `top` (excluded) down to `el`, as `child > … > el` structural selectors; '' when el is top. */
function pathBelow(top: DomElement, el: DomElement): string {
  const steps: string[] = [];
  for (let at: DomElement | null = el; at && at !== top; at = at.parentElement) steps.unshift(structural(at));
  return steps.join(' > ');
}

function ancestorsOf(el: DomElement): DomElement[] {
  const chain: DomElement[] = [];
  for (let at: DomElement | null = el; at && at.localName !== 'body' && at.localName !== 'html'; at = at.parentElement) chain.push(at);
  return chain;
}

/** Parts of a page that repeat a post's title or link besides its list: menus, sidebars, headers, footers. */
const ASIDE = 'nav, aside, header, footer, [role="navigation"], [role="complementary"]';

/** The first of the candidates outside menus and sidebars, else the first. */
const preferMain = (candidates: DomElement[]) => candidates.find((el) => el.closest(ASIDE) === null) ?? candidates[0] ?? null;

/** The element a person means by `example`: the link to that URL, or the element whose text it is. */
function locate(body: DomElement, example: string, pageUrl: string, base: string): DomElement | null {
  const trimmed = example.trim();
  if (/^(?:https?:\/\/|\/)/i.test(trimmed)) {
    const wanted = absoluteUrl(trimmed, pageUrl);
    if (!wanted) return null;
    const key = (u: string) => withoutFragment(u).replace(/\/$/, '');
    const anchors = [...body.querySelectorAll('a[href]')].filter((a) => {
      const href = absoluteUrl(a.getAttribute('href'), base);
      return href !== null && key(href) === key(wanted);
    });
    // The link a reader clicks by its words: in a heading first, else the longest text.
    const scored = anchors.map((a) => ({ a, text: textOf(a).length, heading: a.closest('h1, h2, h3, h4, h5, h6') !== null }));
    scored.sort((x, y) => Number(y.heading) - Number(x.heading) || y.text - x.text);
    return preferMain(scored.map((s) => s.a));
  }
  const wanted = fold(trimmed);
  if (wanted === '') return null;
  const equal: DomElement[] = [];
  const containing: DomElement[] = [];
  for (const el of body.querySelectorAll('*')) {
    if (UNSEEN.has(el.localName) || el.closest('script, style, noscript, template')) continue;
    const text = fold(el.textContent ?? '');
    if (text === wanted) equal.push(el);
    else if (text.includes(wanted)) containing.push(el);
  }
  // The deepest elements: those with no candidate inside them.
  const deepest = (list: DomElement[]) => list.filter((el) => !list.some((other) => other !== el && isInside(other, el)));
  return preferMain(deepest(equal)) ?? preferMain(deepest(containing));
}

function isInside(el: DomElement, ancestor: DomElement): boolean {
  for (let at = el.parentElement; at; at = at.parentElement) if (at === ancestor) return true;
  return false;
}

/** Elements matching `selector` that hold exactly one element at `below`, that path down from them (or are it, when below is ''). */
function holders(root: DomElement, selector: string, below: string): DomElement[] {
  if (below === '') return [...root.querySelectorAll(selector)];
  const steps = below.split(' > ').length;
  const up = (el: DomElement) => {
    let at: DomElement | null = el;
    for (let i = 0; i < steps && at; i++) at = at.parentElement;
    return at;
  };
  return [...root.querySelectorAll(selector)].filter((m) => [...m.querySelectorAll(below)].filter((hit) => up(hit) === m).length === 1);
}

/** A candidate item selector, judged: the elements it keeps, and whether they cover the examples without nesting. */
function judge(root: DomElement, selector: string, below: string, examples: DomElement[]): DomElement[] | null {
  const kept = holders(root, selector, below);
  if (kept.length < 2) return null;
  const set = new Set(kept);
  if (kept.some((m) => ancestorsOf(m.parentElement ?? m).some((a) => a !== m && set.has(a)))) return null;
  if (!examples.every((e) => ancestorsOf(e).some((a) => set.has(a)))) return null;
  return kept;
}

/** The selector that scopes an item to its list: the nearest ancestor with a stable class, id or landmark tag. */
function scopeOf(item: DomElement): string | null {
  for (let at = item.parentElement, direct = true; at && at.localName !== 'body'; at = at.parentElement, direct = false) {
    const classes = stableClasses(at);
    const id = /^[A-Za-z_-][A-Za-z_-]*$/.test(at.id) ? `#${at.id}` : '';
    if (classes.length > 0 || id || at.localName === 'main') {
      const scope = id ? `${at.localName}${id}` : structural(at, classes);
      return direct ? `${scope} >` : scope;
    }
  }
  return null;
}

type Item = { selector: string; elements: DomElement[]; level: DomElement[] };

/**
 * The item selector: the highest level that repeats. Each selector of a level (its tag and
 * classes) is scoped to its list when that matches fewer elements (menu entries, sidebar items
 * left out); of those, the one finding most items and fewest other elements wins.
 */
function findItem(root: DomElement, examples: DomElement[]): Item | null {
  let best: Item | null = null;
  for (const level of ancestorsOf(examples[0]!)) {
    const below = pathBelow(level, examples[0]!);
    const classes = stableClasses(level);
    const scope = scopeOf(level);
    let chosen: (Item & { score: number }) | null = null;
    for (const bare of new Set([structural(level, classes), ...classes.map((c) => structural(level, [c])), level.localName])) {
      let pick: { selector: string; kept: DomElement[]; total: number } | null = null;
      for (const selector of scope ? [bare, `${scope} ${bare}`] : [bare]) {
        const kept = judge(root, selector, below, examples);
        const total = kept ? root.querySelectorAll(selector).length : 0;
        if (kept && (!pick || total < pick.total)) pick = { selector, kept, total };
      }
      if (!pick) continue;
      const score = pick.kept.length - (pick.total - pick.kept.length);
      if (chosen && chosen.score >= score) continue;
      const kept = pick.kept;
      const levels = examples.map((e) => ancestorsOf(e).find((a) => kept.includes(a))!);
      chosen = { selector: pick.selector, elements: kept, level: levels, score };
    }
    if (chosen) best = { selector: chosen.selector, elements: chosen.elements, level: chosen.level };
  }
  return best;
}

/**
 * The shortest selector, relative to each item, whose first match in the examples' items is the
 * element wanted there: the element's own structural selector, then with its parents prefixed.
 */
function relative(items: DomElement[], targets: DomElement[]): string | null {
  if (targets.some((t, i) => t === items[i])) return null;
  const first = pathBelow(items[0]!, targets[0]!).split(' > ');
  for (let take = 1; take <= first.length; take++) {
    const selector = first.slice(-take).join(' > ');
    if (items.every((item, i) => item.querySelector(selector) === targets[i])) return selector;
    // Without classes: cards whose title classes vary still share the tags.
    const bare = first
      .slice(-take)
      .map((s) => s.replace(/\..*$/, ''))
      .join(' > ');
    if (items.every((item, i) => item.querySelector(bare) === targets[i])) return bare;
  }
  return null;
}

/** The element of an item that carries its date: a <time>, else the smallest element that reads as a date. */
function dateElement(item: DomElement, title: DomElement, dates: HumanDateOptions): DomElement | null {
  const time = [...item.querySelectorAll('time, [datetime]')].find((el) => dateOfElement(el, dates) !== null);
  if (time) return time;
  const candidates = [...item.querySelectorAll('*')].filter(
    (el) => el !== title && !isInside(title, el) && !isInside(el, title) && textOf(el).length <= 60 && dateOfElement(el, dates) !== null,
  );
  return candidates.find((el) => !candidates.some((other) => other !== el && isInside(other, el))) ?? null;
}

/** The item's summary: its first paragraph-like element of prose that is neither title nor date. */
function summaryElement(item: DomElement, title: DomElement, date: DomElement | null): DomElement | null {
  const titleText = textOf(title);
  return (
    [...item.querySelectorAll('p, [class*="summary"], [class*="excerpt"], [class*="description"]')].find(
      (el) =>
        el !== title &&
        !isInside(el, title) &&
        !isInside(title, el) &&
        (!date || (el !== date && !isInside(date, el))) &&
        !el.querySelector('a[href] h1, a[href] h2, a[href] h3, h1, h2, h3') &&
        textOf(el).length >= SUMMARY_MIN &&
        !textOf(el).includes(titleText),
    ) ?? null
  );
}

/**
 * Derives list rules from examples of posts on a list page: each a title as a person reads it or
 * a post's URL (absolute, or a path on the page's site). Several examples must all be items of
 * the rules. `dateLocale` (or the page's `<html lang>`) reads the dates that decide the date rule.
 *
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function rulesFromExamples(html: string, url: string, examples: string[], now: number, dateLocale?: string): ExampleRules | null {
  const doc = parseHtml(html);
  const body = doc.body ?? doc.documentElement;
  const base = baseUrlOf(doc, url);
  const found = examples.map((example) => locate(body, example, url, base));
  const missing = found.flatMap((el, i) => (el ? [] : [i]));
  if (missing.length > 0) return { ok: false, missing };
  const targets = found as DomElement[];
  const item = findItem(body, targets);
  if (!item) return null;
  const dates: HumanDateOptions = { now, locale: dateLocale ?? doc.documentElement.getAttribute('lang') };
  const rules: ListRules = { item: item.selector };

  // The title: the example's element; a link without words (an image link) gives way to a heading.
  const titles = targets.map((t, i) => {
    if (textOf(t) !== '') return t;
    return item.level[i]!.querySelector('h1, h2, h3, h4, h5, h6') ?? t;
  });
  const title = titles.every((t, i) => t !== item.level[i]) ? relative(item.level, titles) : null;
  if (title) rules.title = title;

  const links = titles.map((t, i) => {
    if (t.matches('a[href]')) return t;
    return t.closest('a[href]') ?? t.querySelector('a[href]') ?? item.level[i]!.querySelector('a[href]');
  });
  if (links.every((l, i) => l && l !== item.level[i])) {
    const link = relative(item.level, links as DomElement[]);
    if (link) rules.link = link;
  }

  const dateEls = item.level.map((level, i) => dateElement(level, titles[i]!, dates));
  if (dateEls.every(Boolean)) {
    const date = relative(item.level, dateEls as DomElement[]);
    if (date) rules.date = date;
  }

  const summaries = item.level.map((level, i) => summaryElement(level, titles[i]!, dateEls[i] ?? null));
  if (summaries.every(Boolean)) {
    const summary = relative(item.level, summaries as DomElement[]);
    if (summary) rules.summary = summary;
  }

  const images = item.level.map((level) => level.querySelector('img'));
  if (images.every(Boolean)) {
    const image = relative(item.level, images as DomElement[]);
    if (image) rules.image = image;
  }
  if (dateLocale) rules.dateLocale = dateLocale;
  return { ok: true, rules };
}

/** What a person pointed at on a list page: a post's date, or a post (its link's URL, else its words, as an example). */
export type Pointed = { kind: 'date' } | { kind: 'example'; example: string };

/** Dates are short: longer words that read as a date are a title that names one. */
const DATE_MAX = 40;

/**
 * What the element `selector` finds on the page stands for: a date (a `<time>`, or short words
 * outside a heading that read as a date), else the post whose link it is, holds or sits in (its
 * URL), else its words. null: no such element, or one without words or link.
 *
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function pointedAt(html: string, url: string, selector: string, now: number, dateLocale?: string): Pointed | null {
  const doc = parseHtml(html);
  const el = doc.querySelector(selector);
  if (!el) return null;
  const dates: HumanDateOptions = { now, locale: dateLocale ?? doc.documentElement.getAttribute('lang') };
  const text = textOf(el);
  const time = el.closest('time');
  if (time && dateOfElement(time, dates) !== null) return { kind: 'date' };
  if (text.length <= DATE_MAX && !el.closest('h1, h2, h3, h4, h5, h6') && dateOfElement(el, dates) !== null) return { kind: 'date' };
  const inner = [...el.querySelectorAll('a[href]')];
  const link = el.closest('a[href]') ?? (inner.length === 1 ? inner[0]! : null);
  const href = link ? absoluteUrl(link.getAttribute('href'), baseUrlOf(doc, url)) : null;
  if (href && /^https?:/i.test(href)) return { kind: 'example', example: withoutFragment(href) };
  return text ? { kind: 'example', example: text } : null;
}

/**
 * The rules with their date rule taken from the element `selector` finds (a date a person
 * pointed at): the shortest selector, relative to the item of `rules` holding it, that finds it
 * there. null: the element is not inside one of the rules' items.
 *
 * @throws ExtractError `too_large` / `too_deep` (limits in dom.ts).
 */
export function withDateAt(html: string, rules: ListRules, selector: string): ListRules | null {
  const doc = parseHtml(html);
  const el = doc.querySelector(selector);
  const item = el?.parentElement?.closest(rules.item);
  if (!el || !item) return null;
  const date = relative([item], [el]);
  return date ? { ...rules, date } : null;
}
