import { type DomElement, MAX_LIST_ITEMS } from './dom';
import type { LinkIndex, PostLink } from './links';
import { textOf } from './text';
import { dateOf, type ItemContext, isWrittenDate, onlyMoreLinks, readItem, titleOf } from './list-item';
import type { ListItem } from './types';

// Lists found from the page's structure, when it states nothing: <article> blocks, then repeated
// blocks of the same shape. Each post's links are grouped by URL; a post's block is the largest
// element holding links to it alone (LinkIndex.blockOf).

const HEADING = 'h1, h2, h3, h4, h5, h6';

/** Items from `<article>` elements that each hold a heading linking to a post (at least two). */
export function articleItems(index: LinkIndex, context: ItemContext): ListItem[] {
  const byArticle = new Map<DomElement, PostLink[]>();
  for (const link of index.links) {
    const article = link.anchor.closest('article');
    if (!article || !isInside(article, index.scope)) continue;
    const links = byArticle.get(article);
    if (links) links.push(link);
    else byArticle.set(article, [link]);
  }
  const items: ListItem[] = [];
  for (const [article, links] of byArticle) {
    // One more than the limit, so that the caller can say the list was cut.
    if (items.length > MAX_LIST_ITEMS) break;
    // An article may link to its post and to others ("Read next"); its post is the heading's link.
    // Where the heading is plain text and the whole card is one link (an empty overlay anchor, an
    // image), the article's only post is its post.
    const heading =
      links.find((l) => l.anchor.closest(HEADING) && isInside(l.anchor.closest(HEADING)!, article)) ??
      (links.every((l) => l.url === links[0]!.url) && hasTitledHeading(article) ? links[0] : undefined);
    if (!heading) continue;
    const own = links.filter((l) => l.url === heading.url).map((l) => l.anchor);
    const before = dateLabelBefore(article, index);
    items.push(readItem(heading.url, own, before ? [before, article] : [article], context, index.yearOf(heading.anchor)));
  }
  return items.length >= 2 ? items : [];
}

/** Whether the block has a heading with words of its own (a title not set in a link). */
function hasTitledHeading(block: DomElement): boolean {
  return [...block.querySelectorAll(HEADING)].some((h) => !h.querySelector('a[href]') && textOf(h).length > 0);
}

function isInside(el: DomElement, root: DomElement): boolean {
  for (let node: DomElement | null = el; node; node = node.parentElement) if (node === root) return true;
  return false;
}

/** Class tokens that differ between items of one list (ids, states, taxonomies): ignored in shapes. */
const VARYING =
  /\d|^(?:odd|even|first|last|alt|active|current|featured|sticky|hentry)$|^(?:category|tag|format|status|type|author|has|is|post)-/i;

/** An element's class names that do not vary between the items of a list, sorted. */
function stableClasses(el: DomElement): string[] {
  return (el.getAttribute('class') ?? '')
    .split(/\s+/)
    .filter((c) => c && !VARYING.test(c))
    .sort();
}

/** An element's shape: tag and stable classes. */
function shapeOf(el: DomElement | null): string {
  return el ? [el.localName, ...stableClasses(el)].join('.') : '';
}

type Candidate = { url: string; links: PostLink[]; block: DomElement };

/**
 * The region of a block whose siblings belong to it: a bare heading is followed by its date and
 * excerpt up to the next item's heading; any other block may be preceded by a date label of its
 * own (an archive's `<dt>` before its `<dd>`, a date line above a card).
 */
function regionOf(block: DomElement, next: DomElement | null, index: LinkIndex): DomElement[] {
  const region = [block];
  if (!/^h[1-6]$/.test(block.localName) && block.localName !== 'a') {
    const before = dateLabelBefore(block, index);
    if (before) region.unshift(before);
    // A post laid out as rows (its title in one, its date, excerpt and a second link to it in the
    // next): the rows after it that link to it alone are its own.
    const url = index.urlOf(block);
    for (let sibling = block.nextElementSibling; url && sibling && sibling !== next; sibling = sibling.nextElementSibling) {
      if (index.urlOf(sibling) !== url) break;
      region.push(sibling);
    }
    return region;
  }
  for (let sibling = block.nextElementSibling; sibling && sibling !== next; sibling = sibling.nextElementSibling) {
    // A smaller heading that is a date alone ("<h5>Tue 26 December 2023</h5>") is the post's date line.
    if (index.holdsSeveral(sibling) || (sibling.matches(HEADING) && !isWrittenDate(textOf(sibling)))) break;
    region.push(sibling);
  }
  return region;
}

/**
 * The date line right before a block that belongs to it: a short label with a digit and no link,
 * or a heading that is a written date alone (a blog that heads each post with its day).
 */
function dateLabelBefore(block: DomElement, index: LinkIndex): DomElement | null {
  const before = block.previousElementSibling;
  if (!before || index.holdsSeveral(before) || index.urlOf(before) || !isDateLabel(before)) return null;
  return !before.matches(HEADING) || isWrittenDate(textOf(before)) ? before : null;
}

/** A short label with a digit and no link: what a date line before an item looks like. */
function isDateLabel(el: DomElement): boolean {
  const text = textOf(el);
  return text.length > 0 && text.length <= 40 && /\d/.test(text) && !el.querySelector('a[href]');
}

/** A cluster of candidates of one shape, with what its choice weighed. */
type Cluster = { candidates: Candidate[]; score: number; meanTitle: number; dated: number };

/**
 * Items from repeated structure: posts whose blocks have the same shape (tag and classes, and
 * their parent's) form a cluster; the cluster with the most posts wins, weighed by how many of
 * them carry a date and by title length (menus have short labels). At least two posts. A second
 * list of posts in the main area joins the first, where a home page shows its latest posts as
 * cards and older ones as a list of titles below them: a cluster of as many dated posts (or as
 * undated) with titles as long, none of them nested in the first's blocks.
 */
export function repeatedItems(index: LinkIndex, context: ItemContext): ListItem[] {
  const byUrl = new Map<string, Candidate>();
  for (const link of index.links) {
    const seen = byUrl.get(link.url);
    if (seen) seen.links.push(link);
    else byUrl.set(link.url, { url: link.url, links: [link], block: link.anchor });
  }
  // A post's block is found from its heading link where it has one: its other links may sit in
  // another post's teaser ("Part 2").
  for (const candidate of byUrl.values()) candidate.block = index.blockOf(headingLink(candidate) ?? candidate.links[0]!);
  const groups = new Map<string, Candidate[]>();
  for (const candidate of byUrl.values()) {
    const key = groupKey(candidate.block);
    const group = groups.get(key);
    if (group) group.push(candidate);
    else groups.set(key, [candidate]);
  }
  const scored = [...groups.values()]
    .filter((c) => c.length >= 2)
    .map((candidates) => {
      const titles = candidates.slice(0, 50).map((c) =>
        titleOf(
          c.links.map((l) => l.anchor),
          [c.block],
          context.dates,
        ),
      );
      const meanTitle = titles.reduce((n, t) => n + t.length, 0) / titles.length;
      return { candidates, meanTitle, score: candidates.length * (meanTitle >= 15 ? 1 : 0.3), dated: 0 };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((cluster): Cluster => {
      // Dates weigh by their share in a sample: parsing them is the costly part.
      const sample = cluster.candidates.slice(0, 20);
      const dated =
        sample.filter((c) => dateOf(regionOf(c.block, null, index), '', dateContext(context, index, c)) !== null).length / sample.length;
      return { ...cluster, dated, score: cluster.score * (1 + dated) };
    })
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return [];
  const chosen = [best, ...scored.slice(1).filter((other) => joins(best, other))];
  const rescued = [...featured(best, groups, index, context), ...kin(best, chosen, groups), ...rescue(chosen, [...byUrl.values()])];
  const candidates =
    chosen.length === 1 && rescued.length === 0
      ? best.candidates
      : inDocumentOrder([...chosen.flatMap((c) => c.candidates), ...rescued], index);
  const blocks = new Set(candidates.map((c) => c.block));
  return candidates.slice(0, MAX_LIST_ITEMS + 1).flatMap((candidate) => {
    let next: DomElement | null = candidate.block.nextElementSibling;
    while (next && !blocks.has(next)) next = next.nextElementSibling;
    const anchors = candidate.links.map((l) => l.anchor);
    const item = readItem(candidate.url, anchors, regionOf(candidate.block, next, index), context, index.yearOf(anchors[0]!));
    // The list's own "more…" link, in a row shaped like the posts': no post.
    return item.title === '' && onlyMoreLinks(anchors) ? [] : [item];
  });
}

/** The shape of a block and of its parent: what the blocks of one list share. */
const groupKey = (block: DomElement) => `${shapeOf(block)}<${shapeOf(block.parentElement)}`;

/** The candidate's first link inside a heading. */
const headingLink = (candidate: Candidate) => candidate.links.find((l) => l.anchor.closest(HEADING) !== null);

/** Levels above a post's own block searched for a block of the list's shape. */
const RESCUE_LEVELS = 6;

/**
 * Posts left out of the chosen clusters because their block is not of the list's shape: where
 * their teaser links to another post ("Part 1"), which stopped their block below the list's
 * shape, a post with a heading link whose ancestor has the shape of the chosen blocks, and is no
 * other post's block, has that ancestor as its block; where the post sits alone in a box meant
 * for several, the element of the list's shape inside the box is.
 */
function rescue(chosen: Cluster[], all: Candidate[]): Candidate[] {
  const keys = new Set(chosen.map((c) => groupKey(c.candidates[0]!.block)));
  const taken = new Set(chosen.flatMap((c) => c.candidates.map((x) => x.url)));
  const claimed = new Set(chosen.flatMap((c) => c.candidates.map((x) => x.block)));
  const rescued: Candidate[] = [];
  for (const candidate of all) {
    if (taken.has(candidate.url)) continue;
    // A post alone in a box meant for several (the last row of a grid holding one card): its
    // block is the box, and the list's shape is below it, between the box and the post's link.
    const inner = innerBlock(candidate, keys, claimed);
    if (inner) {
      claimed.add(inner);
      rescued.push({ ...candidate, block: inner });
      continue;
    }
    if (!headingLink(candidate)) continue;
    let node = candidate.block.parentElement;
    for (let level = 0; node && level < RESCUE_LEVELS; level++, node = node.parentElement) {
      if (claimed.has(node)) break;
      if (!keys.has(groupKey(node))) continue;
      const block = node;
      claimed.add(block);
      rescued.push({ ...candidate, links: candidate.links.filter((l) => isInside(l.anchor, block)), block });
      break;
    }
  }
  return rescued;
}

/** The element of one of the list's shapes between a post's first link and its block, if any. */
function innerBlock(candidate: Candidate, keys: Set<string>, claimed: Set<DomElement>): DomElement | null {
  for (let node: DomElement | null = candidate.links[0]!.anchor; node && node !== candidate.block; node = node.parentElement) {
    if (keys.has(groupKey(node)) && !claimed.has(node)) return node;
  }
  return null;
}

/** Shortest title of a featured post set apart from the list. */
const FEATURED_TITLE = 15;

/**
 * A post featured above the list in a block of its own shape (a hero card before a grid): a
 * post alone in its cluster, with a heading link of a real title, placed before the list's first
 * post beside the list's blocks or beside their container, and dated where the list is.
 */
function featured(best: Cluster, groups: Map<string, Candidate[]>, index: LinkIndex, context: ItemContext): Candidate[] {
  const parent = best.candidates[0]!.block.parentElement;
  if (!parent) return [];
  const order = new Map(index.links.map((l, i) => [l.anchor, i]));
  const start = Math.min(...best.candidates.map((c) => order.get(c.links[0]!.anchor) ?? 0));
  const found: Candidate[] = [];
  for (const group of groups.values()) {
    const candidate = group[0]!;
    if (group.length !== 1) continue;
    const link = headingLink(candidate);
    if (!link || (order.get(candidate.links[0]!.anchor) ?? Infinity) >= start) continue;
    // An <article> of its own, or a block named as the list's are ("post" beside "post summary"),
    // says it is a post: it may sit a level further out, and show no date.
    const article = candidate.block.localName === 'article' || sharesClass(candidate.block, best.candidates[0]!.block);
    const at = candidate.block.parentElement;
    if (at !== parent && at !== parent.parentElement && !(article && at === parent.parentElement?.parentElement)) continue;
    if (titleOf([link.anchor], [candidate.block], context.dates).length < FEATURED_TITLE) continue;
    if (
      !article &&
      best.dated >= 0.5 &&
      dateOf(regionOf(candidate.block, null, index), '', dateContext(context, index, candidate)) === null
    )
      continue;
    found.push(candidate);
  }
  return found;
}

/**
 * Posts beside the list's blocks whose block differs from theirs by a class name of its own
 * ("post-list" beside "post-list summary": a post without an excerpt): a block of the same tag,
 * in the same parent, sharing a class name, holding a heading link. Each is alone in its shape,
 * so no cluster holds it.
 */
function kin(best: Cluster, chosen: Cluster[], groups: Map<string, Candidate[]>): Candidate[] {
  const model = best.candidates[0]!.block;
  const parent = model.parentElement;
  if (!parent) return [];
  const taken = new Set(chosen.flatMap((c) => c.candidates));
  return [...groups.values()].flatMap((group) =>
    group.filter(
      (candidate) =>
        !taken.has(candidate) &&
        candidate.block.parentElement === parent &&
        sharesClassName(candidate.block, model) &&
        headingLink(candidate) !== undefined,
    ),
  );
}

/** Whether two blocks of one tag share a class name, any but a numbered one ("post-list", not "post-12"). */
function sharesClassName(a: DomElement, b: DomElement): boolean {
  if (a.localName !== b.localName) return false;
  const names = (el: DomElement) => (el.getAttribute('class') ?? '').split(/\s+/).filter((c) => c && !/\d/.test(c));
  const classes = new Set(names(b));
  return names(a).some((c) => classes.has(c));
}

/** Whether two blocks of one tag share a stable class name. */
function sharesClass(a: DomElement, b: DomElement): boolean {
  if (a.localName !== b.localName) return false;
  const classes = new Set(stableClasses(b));
  return stableClasses(a).some((c) => classes.has(c));
}

/** The dates context of a candidate: the year of the archive group it sits in, if any. */
function dateContext(context: ItemContext, index: LinkIndex, candidate: Candidate) {
  const year = index.yearOf(candidate.links[0]!.anchor);
  return year === undefined ? context.dates : { ...context.dates, year };
}

/** Whether a second cluster is more of the same list (see repeatedItems). */
function joins(best: Cluster, other: Cluster): boolean {
  if (other.meanTitle < 15 || other.meanTitle < best.meanTitle / 2) return false;
  if (Math.abs(other.dated - best.dated) > 0.5) return false;
  const blocks = best.candidates.map((c) => c.block);
  return other.candidates.every((c) => !blocks.some((b) => b !== c.block && (isInside(c.block, b) || isInside(b, c.block))));
}

/** Candidates sorted by where their first link is in the document (the index lists links in document order). */
function inDocumentOrder(candidates: Candidate[], index: LinkIndex): Candidate[] {
  const order = new Map(index.links.map((l, i) => [l.anchor, i]));
  return [...candidates].sort((a, b) => (order.get(a.links[0]!.anchor) ?? 0) - (order.get(b.links[0]!.anchor) ?? 0));
}

/**
 * The one post a list page shows (a category or tag page holding a single post): only from a
 * main area (see list.ts), where every post link leads to one URL and one of them is a heading
 * below the page's own (h2 to h6).
 */
export function singleItem(index: LinkIndex | null, context: ItemContext): ListItem[] {
  if (index?.distinctUrls.length !== 1) return [];
  const heading = index.links.find((l) => l.anchor.closest('h2, h3, h4, h5, h6'));
  if (!heading) return [];
  const block = index.blockOf(heading);
  return [
    readItem(
      heading.url,
      index.links.map((l) => l.anchor),
      regionOf(block, null, index),
      context,
      index.yearOf(heading.anchor),
    ),
  ];
}
