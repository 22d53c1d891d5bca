import { type DomElement, MAX_LIST_ITEMS } from './dom';
import type { LinkIndex, PostLink } from './links';
import { dateOf, type ItemContext, readItem, titleOf } from './list-item';
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
    const heading = links.find((l) => l.anchor.closest(HEADING) && isInside(l.anchor.closest(HEADING)!, article));
    if (!heading) continue;
    const own = links.filter((l) => l.url === heading.url).map((l) => l.anchor);
    items.push(readItem(heading.url, own, [article], context));
  }
  return items.length >= 2 ? items : [];
}

function isInside(el: DomElement, root: DomElement): boolean {
  for (let node: DomElement | null = el; node; node = node.parentElement) if (node === root) return true;
  return false;
}

/** Class tokens that differ between items of one list (ids, states, taxonomies): ignored in shapes. */
const VARYING =
  /\d|^(?:odd|even|first|last|alt|active|current|featured|sticky|hentry)$|^(?:category|tag|format|status|type|author|has|is|post)-/i;

/** An element's shape: tag and stable classes. */
function shapeOf(el: DomElement | null): string {
  if (!el) return '';
  const classes = (el.getAttribute('class') ?? '')
    .split(/\s+/)
    .filter((c) => c && !VARYING.test(c))
    .sort();
  return [el.localName, ...classes].join('.');
}

type Candidate = { url: string; links: PostLink[]; block: DomElement };

/**
 * The region of a block whose siblings belong to it: a bare heading is followed by its date and
 * excerpt up to the next item's heading.
 */
function regionOf(block: DomElement, next: DomElement | null, index: LinkIndex): DomElement[] {
  const region = [block];
  if (!/^h[1-6]$/.test(block.localName) && block.localName !== 'a') return region;
  for (let sibling = block.nextElementSibling; sibling && sibling !== next; sibling = sibling.nextElementSibling) {
    if (index.holdsSeveral(sibling) || sibling.matches(HEADING)) break;
    region.push(sibling);
  }
  return region;
}

/**
 * Items from repeated structure: posts whose blocks have the same shape (tag and classes, and
 * their parent's) form a cluster; the cluster with the most posts wins, weighed by how many of
 * them carry a date and by title length (menus have short labels). At least two posts.
 */
export function repeatedItems(index: LinkIndex, context: ItemContext): ListItem[] {
  const byUrl = new Map<string, Candidate>();
  for (const link of index.links) {
    const seen = byUrl.get(link.url);
    if (seen) seen.links.push(link);
    else byUrl.set(link.url, { url: link.url, links: [link], block: index.blockOf(link) });
  }
  const clusters = new Map<string, Candidate[]>();
  for (const candidate of byUrl.values()) {
    const key = `${shapeOf(candidate.block)}<${shapeOf(candidate.block.parentElement)}`;
    const cluster = clusters.get(key);
    if (cluster) cluster.push(candidate);
    else clusters.set(key, [candidate]);
  }
  const scored = [...clusters.values()]
    .filter((c) => c.length >= 2)
    .map((cluster) => {
      const titles = cluster.slice(0, 50).map((c) =>
        titleOf(
          c.links.map((l) => l.anchor),
          [c.block],
        ),
      );
      const meanTitle = titles.reduce((n, t) => n + t.length, 0) / titles.length;
      return { cluster, score: cluster.length * (meanTitle >= 15 ? 1 : 0.3) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map(({ cluster, score }) => {
      // Dates weigh by their share in a sample: parsing them is the costly part.
      const sample = cluster.slice(0, 20);
      const dated = sample.filter((c) => dateOf(regionOf(c.block, null, index), '', context.dates) !== null).length;
      return { cluster, score: score * (1 + dated / sample.length) };
    })
    .sort((a, b) => b.score - a.score);
  const best = scored[0]?.cluster;
  if (!best) return [];
  const blocks = new Set(best.map((c) => c.block));
  return best.slice(0, MAX_LIST_ITEMS + 1).map((candidate) => {
    let next: DomElement | null = candidate.block.nextElementSibling;
    while (next && !blocks.has(next)) next = next.nextElementSibling;
    const anchors = candidate.links.map((l) => l.anchor);
    return readItem(candidate.url, anchors, regionOf(candidate.block, next, index), context);
  });
}
