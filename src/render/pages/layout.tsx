import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { FeedFormat } from '../../domain/format';

export const FEED_LABELS: Record<FeedFormat, { type: string; label: string }> = {
  rss: { type: 'application/rss+xml', label: 'RSS' },
  atom: { type: 'application/atom+xml', label: 'Atom' },
  json: { type: 'application/feed+json', label: 'JSON Feed' },
};

/**
 * A set of feeds a page advertises: the site's, and the tag's or author's on their pages, each
 * with full content (`links`) and summaries only (`summaryLinks`, `?content=summary`).
 */
export type FeedLinks = { title: string; links: Record<FeedFormat, string>; summaryLinks: Record<FeedFormat, string> };

// No external assets: the page must render the same offline, in a reader's built-in browser
// and behind a strict Content-Security-Policy, which allows exactly this style sheet by its hash
// (src/http/security-headers.ts).
export const PAGE_STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--accent:#0b57d0;--rule:#e3e3e3}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a0a4a8;--bg:#161618;--accent:#8ab4f8;--rule:#333}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif}
main,header,footer{max-width:44rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:2rem;border-bottom:1px solid var(--rule)}
header a.site{color:inherit;text-decoration:none;font-weight:700;font-size:1.3rem}
header p{color:var(--muted);margin:.25rem 0 0}
nav.site ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0 1rem;padding:0}
nav.site a[aria-current]{color:inherit;font-weight:600;text-decoration:none}
a{color:var(--accent)}
main{overflow-wrap:break-word}
.scroll{overflow-x:auto;max-width:100%}
h1{line-height:1.25;margin:1.5rem 0 .5rem}
ol.posts{list-style:none;padding:0}
ol.posts li{padding:1rem 0;border-bottom:1px solid var(--rule)}
ol.posts h2{font-size:1.15rem;margin:0 0 .25rem;line-height:1.35}
.meta{color:var(--muted);font-size:.9rem}
.meta a{color:inherit}
article img,article video{max-width:100%;height:auto}
article audio{width:100%}
section.media figure{margin:1.25rem 0}
section.media figcaption{overflow-wrap:anywhere}
nav.feeds{margin:1.5rem 0;font-size:.95rem}
nav.feeds a{margin-right:.75rem}
footer{color:var(--muted);font-size:.85rem;padding:2rem 1.25rem}
table.sources{width:100%;border-collapse:collapse;font-size:.9rem}
table.sources th,table.sources td{text-align:left;padding:.35rem .5rem .35rem 0;border-bottom:1px solid var(--rule);vertical-align:top}
tr.state-paused td,tr.state-gone td{color:var(--muted)}
section.about-feed{margin:1.5rem 0;padding:1rem 1.25rem;border:1px solid var(--rule);border-radius:.5rem}
section.about-feed p{margin:.5rem 0}
.feed-url{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.feed-url input{flex:1 1 18rem;font:inherit;font-size:.9rem;padding:.35rem .5rem;color:inherit;background:transparent;border:1px solid var(--rule);border-radius:.25rem}
.feed-url button{font:inherit;font-size:.9rem;padding:.35rem .75rem;cursor:pointer}
ul.readers{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav.pages{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:baseline;margin:1.5rem 0}
nav.pages span{color:var(--muted)}
`;

/**
 * The one script of any page: the feed preview's Copy button (allowed by its hash in the
 * Content-Security-Policy, src/http/security-headers.ts). Without it the address is still a
 * read-only field to select and copy.
 */
export const COPY_SCRIPT = `for(const b of document.querySelectorAll('button[data-copy]')){b.hidden=false;b.addEventListener('click',()=>{const i=document.getElementById(b.dataset.copy);navigator.clipboard.writeText(i.value).then(()=>{b.textContent='Copied'},()=>{i.select()})})}`;

/** Where the site navigation is, for `aria-current`; null: none of its destinations. */
export type NavPlace = 'home' | 'planet' | null;

/**
 * The site's navigation, on every page. There is no index of tags or authors (each has its own
 * page only), so it links what exists: the posts, the planet, the site's feed (its preview in a
 * browser) and every feed as OPML.
 */
export function SiteNav(props: { siteUrl: string; current: NavPlace }) {
  const links: [place: NavPlace | 'feed' | 'opml', href: string, name: string][] = [
    ['home', `${props.siteUrl}/`, 'Home'],
    ['planet', `${props.siteUrl}/planet/`, 'Planet'],
    ['feed', `${props.siteUrl}/feed.xml`, 'Subscribe'],
    ['opml', `${props.siteUrl}/opml.xml`, 'All feeds (OPML)'],
  ];
  return (
    <nav class="site" aria-label="Site">
      <ul>
        {links.map(([place, href, name]) => (
          <li>
            <a href={href} aria-current={place === props.current ? 'page' : undefined}>
              {name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout(props: {
  siteTitle: string;
  siteUrl: string;
  siteDescription: string;
  title: string;
  description?: string;
  language: string;
  canonical: string;
  feeds: FeedLinks[];
  children: Child;
  /** Run COPY_SCRIPT at the end of the body (the feed preview). */
  copyScript?: boolean;
  /** The navigation's current destination (SiteNav). */
  current?: NavPlace;
  /** Omit the header's tagline: the page's own h1 says it (the home page). */
  noTagline?: boolean;
  /** `<link rel="prev">` and `<link rel="next">` of a paginated list. */
  prev?: string | null;
  next?: string | null;
  /** More of the head: a post page's link-preview metadata (OpenGraph, Twitter card, JSON-LD). */
  head?: Child;
  /** Link the search page from the footer (the home page's, where readers start). */
  searchLink?: boolean;
}) {
  return (
    <html lang={props.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <link rel="canonical" href={props.canonical} />
        {props.prev ? <link rel="prev" href={props.prev} /> : null}
        {props.next ? <link rel="next" href={props.next} /> : null}
        {props.feeds.flatMap((feed) =>
          (Object.keys(FEED_LABELS) as FeedFormat[]).map((format) => (
            <link
              rel="alternate"
              type={FEED_LABELS[format].type}
              title={`${feed.title} (${FEED_LABELS[format].label})`}
              href={feed.links[format]}
            />
          )),
        )}
        {props.feeds.flatMap((feed) =>
          (Object.keys(FEED_LABELS) as FeedFormat[]).map((format) => (
            <link
              rel="alternate"
              type={FEED_LABELS[format].type}
              title={`${feed.title}, summaries only (${FEED_LABELS[format].label})`}
              href={feed.summaryLinks[format]}
            />
          )),
        )}
        {props.head}
        <style>{raw(PAGE_STYLE)}</style>
      </head>
      <body>
        <header>
          <a class="site" href={`${props.siteUrl}/`}>
            {props.siteTitle}
          </a>
          {props.noTagline ? null : <p>{props.siteDescription}</p>}
          <SiteNav siteUrl={props.siteUrl} current={props.current ?? null} />
        </header>
        <main>{props.children}</main>
        {props.copyScript ? <script>{raw(COPY_SCRIPT)}</script> : null}
        <footer>
          <FeedNav feeds={props.feeds} />
          {props.searchLink ? (
            <p>
              <a href={`${props.siteUrl}/search`}>Search the posts and the sources' items</a>
            </p>
          ) : null}
          <p>
            All of this site's feeds for your reader: <a href={`${props.siteUrl}/opml.xml`}>OPML</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

function FeedNav(props: { feeds: FeedLinks[] }) {
  return (
    <>
      {props.feeds.map((feed) => (
        <nav class="feeds" aria-label={`Feeds: ${feed.title}`}>
          Subscribe to {feed.title}:{' '}
          {(Object.keys(FEED_LABELS) as FeedFormat[]).map((format) => (
            <a href={feed.links[format]} type={FEED_LABELS[format].type}>
              {FEED_LABELS[format].label}
            </a>
          ))}
          · summaries only:{' '}
          {(Object.keys(FEED_LABELS) as FeedFormat[]).map((format) => (
            <a href={feed.summaryLinks[format]} type={FEED_LABELS[format].type}>
              {FEED_LABELS[format].label}
            </a>
          ))}
        </nav>
      ))}
    </>
  );
}

export function PostMeta(props: {
  published: Date;
  authors: { name: string; page: string }[];
  categories: { name: string; url: string | null }[];
}) {
  return (
    <p class="meta">
      <time datetime={props.published.toISOString()}>{formatDate(props.published)}</time>
      {props.authors.length ? ' · ' : null}
      {props.authors.map((a, i) => (
        <>
          {i > 0 ? ', ' : null}
          <a href={a.page} rel="author">
            {a.name}
          </a>
        </>
      ))}
      {props.categories.length ? ' · ' : null}
      {props.categories.map((c, i) => (
        <>
          {i > 0 ? ', ' : null}
          {c.url ? (
            <a href={c.url} rel="tag">
              {c.name}
            </a>
          ) : (
            c.name
          )}
        </>
      ))}
    </p>
  );
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function formatDate(date: Date): string {
  return DATE_FORMAT.format(date);
}
