import { raw } from 'hono/html';
import type { SiteConfig } from '../../config';
import type { Enclosure } from '../../domain/entry';
import { htmlToText, repeatsTitle, truncateText } from '../../html/text';
import type { FeedDocument, FeedItem } from '../document';
import { feedUrls, SUMMARY_VARIANT } from '../../views/urls';
import type { FeedFormat } from '../../domain/format';
import { FEED_LABELS, type FeedLinks, Layout, PostMeta } from './layout';

/** The Layout props every page shares: the site's name, address and description. */
export const site = (config: SiteConfig) => ({ siteTitle: config.title, siteUrl: config.url, siteDescription: config.description });

export function siteFeeds(config: SiteConfig): FeedLinks {
  return {
    title: config.title,
    links: feedUrls(config, { kind: 'site' }),
    summaryLinks: feedUrls(config, { kind: 'site' }, SUMMARY_VARIANT),
  };
}

/** Where a list page stands among its list's pages: page `page` of `pages` (1 = the newest entries). */
export type Pagination = { page: number; pages: number; url: (page: number) => string };

const ONE_PAGE: Pagination = { page: 1, pages: 1, url: () => '' };

/** Links to the newer and older pages of a list, when it has more than one. */
function PageNav(props: { pagination: Pagination }) {
  const { page, pages, url } = props.pagination;
  if (pages <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      {page > 1 ? (
        <a href={url(page - 1)} rel="prev">
          Previous page (newer)
        </a>
      ) : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={url(page + 1)} rel="next">
          Next page (older)
        </a>
      ) : null}
    </nav>
  );
}

/** The Layout props of a page of a paginated list: its own canonical URL, title, and rel=prev/next. */
function paged(doc: FeedDocument, { page, pages, url }: Pagination) {
  return {
    title: page > 1 ? `${doc.title} (page ${page})` : doc.title,
    canonical: page > 1 ? url(page) : doc.homeUrl,
    prev: page > 1 ? url(page - 1) : null,
    next: page < pages ? url(page + 1) : null,
  };
}

/** The HTML page of a view: the same document the feeds are rendered from, as a list. */
export function renderListPage(config: SiteConfig, doc: FeedDocument, isSite: boolean, pagination: Pagination = ONE_PAGE): string {
  const feeds = isSite ? [siteFeeds(config)] : [{ title: doc.title, links: doc.links, summaryLinks: doc.summaryLinks }, siteFeeds(config)];
  const page = (
    <Layout
      {...site(config)}
      {...paged(doc, pagination)}
      description={doc.description}
      language={doc.language}
      feeds={feeds}
      current={isSite && doc.description === config.description ? 'home' : null}
      noTagline={isSite && doc.description === config.description}
      searchLink={isSite && doc.description === config.description}
    >
      <h1>{doc.description}</h1>
      <EntryList items={doc.items} />
      <PageNav pagination={pagination} />
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

/** Feed readers that subscribe from a link, and how (the feed URL, percent-encoded). */
const READERS: [name: string, link: (feed: string) => string][] = [
  ['Feedly', (f) => `https://feedly.com/i/subscription/feed/${encodeURIComponent(f)}`],
  ['Inoreader', (f) => `https://www.inoreader.com/?add_feed=${encodeURIComponent(f)}`],
  ['NewsBlur', (f) => `https://www.newsblur.com/?url=${encodeURIComponent(f)}`],
  ['Feedbin', (f) => `https://feedbin.com/?subscribe=${encodeURIComponent(f)}`],
  ['The Old Reader', (f) => `https://theoldreader.com/feeds/subscribe?url=${encodeURIComponent(f)}`],
  ['BazQux', (f) => `https://bazqux.com/add?url=${encodeURIComponent(f)}`],
  // NetNewsWire, Reeder, ReadKit and other apps register the feed: scheme.
  ['your feed app', (f) => `feed:${f}`],
];

/**
 * What a browser gets when someone opens a feed URL (a top-level navigation; routes/feeds.ts):
 * what a feed is, its address with a Copy button, links that subscribe in common readers, the
 * raw document one click away, and the items. Rendered from the same document as the feed, with
 * no XSLT (browsers are removing it).
 */
export function renderFeedPreview(config: SiteConfig, doc: FeedDocument, format: FeedFormat): string {
  const feedUrl = doc.links[format];
  const label = FEED_LABELS[format].label;
  const rawUrl = `${feedUrl}${feedUrl.includes('?') ? '&' : '?'}raw=1`;
  const page = (
    <Layout
      {...site(config)}
      title={`${doc.title} (${label} feed)`}
      description={doc.description}
      language={doc.language}
      canonical={feedUrl}
      feeds={[{ title: doc.title, links: doc.links, summaryLinks: doc.summaryLinks }]}
      copyScript
    >
      <h1>{doc.title}</h1>
      <section class="about-feed" aria-labelledby="about-feed">
        <p id="about-feed">
          <strong>This is a web feed</strong> ({label}). Feed readers subscribe to its address to get new posts as soon as they are
          published: no account, no algorithm, nothing missed. Copy the address into your reader, or pick one below.
        </p>
        <p class="feed-url">
          <label for="feed-url">Feed address</label>
          <input id="feed-url" type="url" readonly value={feedUrl} />
          <button type="button" data-copy="feed-url" hidden>
            Copy
          </button>
        </p>
        <p>Subscribe in:</p>
        <ul class="readers">
          {READERS.map(([name, link]) => (
            <li>
              <a href={link(feedUrl)} rel="nofollow noopener">
                {name}
              </a>
            </li>
          ))}
        </ul>
        <p>
          <a href={rawUrl} type={FEED_LABELS[format].type}>
            View the raw {label} document
          </a>{' '}
          · <a href={doc.homeUrl}>Read it on the web</a>
        </p>
      </section>
      <h2>Recent items</h2>
      <EntryList items={doc.items} />
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

/**
 * An entry's head in a list: its title (linked to it), date, authors and categories, and the
 * source it came from. Upstream titles get `dir="auto"` (see EntryList).
 */
export function ItemHead(props: { item: FeedItem }) {
  const { item } = props;
  return (
    <>
      <h2 dir={item.origin ? 'auto' : undefined}>
        {item.url ? (
          <a href={item.url} rel={item.origin ? 'noopener noreferrer' : undefined}>
            {item.title}
          </a>
        ) : (
          item.title
        )}
      </h2>
      <PostMeta published={item.published} authors={item.authors} categories={item.categories} />
      {item.origin ? (
        <p class="meta">
          via <a href={item.origin.homeUrl}>{item.origin.title}</a>
        </p>
      ) : null}
    </>
  );
}

/**
 * Entries as a list. Upstream titles and summaries get `dir="auto"` so right-to-left text (or a
 * bidi override in a title) cannot reorder the page around it; their summaries are sanitized HTML.
 */
function EntryList(props: { items: FeedItem[] }) {
  if (props.items.length === 0) return <p>Nothing published yet.</p>;
  return (
    <ol class="posts">
      {props.items.map((item) => (
        <li lang={item.language ?? undefined}>
          <ItemHead item={item} />
          {/* A summary that says nothing but the title: a list shows it once. */}
          {item.summaryHtml && !repeatsTitle(htmlToText(item.summaryHtml), item.title) ? (
            <div class="summary" dir={item.origin ? 'auto' : undefined}>
              {raw(item.summaryHtml)}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** What the planet page shows of each source: enough to see at a glance which ones are unwell. */
export type SourceHealth = {
  id: number;
  title: string;
  url: string;
  siteUrl: string | null;
  state: string;
  pausedReason: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  lastFetchedAt: number | null;
  consecutiveFailures: number;
  itemCount: number;
};

/** /planet: the merged items, then every source with its health. */
export function renderPlanetPage(
  config: SiteConfig,
  doc: FeedDocument,
  sources: SourceHealth[],
  pagination: Pagination = ONE_PAGE,
): string {
  const health = (s: SourceHealth) =>
    s.state === 'gone'
      ? 'gone (410)'
      : s.state === 'paused'
        ? `paused: ${s.pausedReason ?? ''}`
        : s.lastOutcome === null
          ? 'not fetched yet'
          : s.lastOutcome === 'error'
            ? `failing (${s.consecutiveFailures} in a row): ${s.lastError ?? ''}`
            : 'ok';
  const page = (
    <Layout
      {...site(config)}
      {...paged(doc, pagination)}
      description={doc.description}
      language={doc.language}
      feeds={[{ title: doc.title, links: doc.links, summaryLinks: doc.summaryLinks }]}
      current="planet"
    >
      <h1>{doc.description}</h1>
      <EntryList items={doc.items} />
      <PageNav pagination={pagination} />
      <h2 id="sources">Sources</h2>
      <div class="scroll">
        <table class="sources">
          <thead>
            <tr>
              <th>source</th>
              <th>items</th>
              <th>last fetched</th>
              <th>health</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr class={`state-${s.state}`}>
                <td dir="auto">
                  <a href={s.siteUrl ?? s.url} rel="noopener noreferrer">
                    {s.title}
                  </a>{' '}
                  (<a href={`${config.url}/sources/${s.id}/feed.xml`}>feed</a>)
                </td>
                <td>{s.itemCount}</td>
                <td>{s.lastFetchedAt ? `${new Date(s.lastFetchedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—'}</td>
                <td>{health(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

/** How much of the summary a link preview quotes (`description`, `og:description`). */
const PREVIEW_DESCRIPTION_CHARS = 300;

/**
 * The page of one post. Its content is the publisher's own trusted HTML. Its image and
 * enclosures are shown (images, audio and video players, each with a link to the file), and its
 * head carries what a shared link previews from: OpenGraph, a Twitter card and schema.org JSON-LD.
 */
export function renderPostPage(config: SiteConfig, doc: FeedDocument, item: FeedItem): string {
  const description = truncateText(htmlToText(item.summaryHtml || item.contentHtml), PREVIEW_DESCRIPTION_CHARS);
  const page = (
    <Layout
      {...site(config)}
      title={`${item.title} · ${config.title}`}
      description={description || undefined}
      language={doc.language}
      // An own post always has its page's URL.
      canonical={item.url!}
      feeds={[siteFeeds(config)]}
      head={<PostPreviewMeta config={config} language={doc.language} item={item} description={description} />}
    >
      <article>
        <h1>{item.title}</h1>
        <PostMeta published={item.published} authors={item.authors} categories={item.categories} />
        {item.image ? <img class="cover" src={item.image} alt={item.title} /> : null}
        {raw(item.contentHtml)}
        <PostMedia item={item} />
      </article>
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

const isImage = (e: Enclosure) => e.type.startsWith('image/');
const isAudio = (e: Enclosure) => e.type.startsWith('audio/');
const isVideo = (e: Enclosure) => e.type.startsWith('video/');

/** The image a link preview shows: the post's image, else its first image enclosure; null: none. */
function previewImage(item: FeedItem): string | null {
  return item.image ?? item.enclosures.find(isImage)?.url ?? null;
}

/** OpenGraph and Twitter card tags, and the post as a schema.org BlogPosting in JSON-LD. */
function PostPreviewMeta(props: { config: SiteConfig; language: string; item: FeedItem; description: string }) {
  const { config, item, description } = props;
  const image = previewImage(item);
  return (
    <>
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={config.title} />
      <meta property="og:title" content={item.title} />
      {description ? <meta property="og:description" content={description} /> : null}
      <meta property="og:url" content={item.url!} />
      {image ? <meta property="og:image" content={image} /> : null}
      <meta property="article:published_time" content={item.published.toISOString()} />
      <meta property="article:modified_time" content={item.updated.toISOString()} />
      {item.authors.map((a) => (
        <meta property="article:author" content={a.page} />
      ))}
      {item.categories.map((c) => (
        <meta property="article:tag" content={c.name} />
      ))}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <script type="application/ld+json">{raw(scriptJson(articleJsonLd(props.config, props.language, item, description, image)))}</script>
    </>
  );
}

function articleJsonLd(config: SiteConfig, language: string, item: FeedItem, description: string, image: string | null) {
  const images = [...new Set([image, ...item.enclosures.filter(isImage).map((e) => e.url)].filter((u): u is string => u !== null))];
  const media = item.enclosures.filter((e) => isAudio(e) || isVideo(e));
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    '@id': item.url,
    url: item.url,
    mainEntityOfPage: item.url,
    headline: item.title,
    ...(description ? { description } : {}),
    datePublished: item.published.toISOString(),
    dateModified: item.updated.toISOString(),
    inLanguage: item.language ?? language,
    author: item.authors.map((a) => ({ '@type': 'Person', name: a.name, url: a.page })),
    ...(images.length ? { image: images } : {}),
    ...(item.categories.length ? { keywords: item.categories.map((c) => c.name) } : {}),
    ...(media.length
      ? {
          associatedMedia: media.map((e) => ({
            '@type': isAudio(e) ? 'AudioObject' : 'VideoObject',
            contentUrl: e.url,
            encodingFormat: e.type,
            ...(e.length > 0 ? { contentSize: `${e.length} B` } : {}),
            ...(e.duration ? { duration: `PT${e.duration}S` } : {}),
          })),
        }
      : {}),
    publisher: { '@type': 'Organization', name: config.title, url: `${config.url}/`, ...(config.logo ? { logo: config.logo } : {}) },
  };
}

/**
 * JSON for the inside of a `<script>` element: `<`, `>` and `&` as \u escapes, so that no
 * `</script>`, `<!--` or `<script` in a title can end the element or change how HTML reads it
 * (JSON parsers read the escapes as the same characters), and U+2028/U+2029 escaped too.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A file's name as its URL ends, for the link under a player. */
function fileName(url: string): string {
  const parsed = new URL(url);
  // A data: URL has no name, only its bytes.
  if (parsed.protocol === 'data:') return 'the file';
  const last = parsed.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last) || url;
  } catch {
    return last || url;
  }
}

function fileFacts(e: Enclosure): string {
  const facts = [e.type];
  if (e.duration) facts.push(`${Math.floor(e.duration / 60)}:${String(e.duration % 60).padStart(2, '0')}`);
  if (e.length >= 1_000_000) facts.push(`${(e.length / 1_000_000).toFixed(1)} MB`);
  else if (e.length >= 1000) facts.push(`${Math.round(e.length / 1000)} kB`);
  else if (e.length > 0) facts.push(`${e.length} B`);
  return facts.join(', ');
}

/** The post's enclosures: images shown, audio and video playable, each with a link to its file. */
export function PostMedia(props: { item: FeedItem }) {
  const { item } = props;
  const shown = item.enclosures.filter((e) => isImage(e) || isAudio(e) || isVideo(e));
  if (!shown.length) return null;
  return (
    <section class="media" aria-label="Attachments">
      {shown.map((e, i) => (
        <figure>
          {isImage(e) ? (
            <img src={e.url} alt={`${item.title}: attachment ${i + 1}`} />
          ) : isAudio(e) ? (
            // biome-ignore lint/a11y/useMediaCaption: an enclosure has no caption file to give (no feed format carries one)
            <audio controls preload="none" src={e.url} aria-label={`${item.title}: audio`}>
              <a href={e.url}>{fileName(e.url)}</a>
            </audio>
          ) : (
            // biome-ignore lint/a11y/useMediaCaption: an enclosure has no caption file to give (no feed format carries one)
            <video controls preload="none" src={e.url} aria-label={`${item.title}: video`}>
              <a href={e.url}>{fileName(e.url)}</a>
            </video>
          )}
          <figcaption>
            <a href={e.url} type={e.type}>
              {fileName(e.url)}
            </a>{' '}
            ({fileFacts(e)})
          </figcaption>
        </figure>
      ))}
    </section>
  );
}

/** A plain page for a missing post or tag: people get HTML, programs get problem+json. */
export function renderMessagePage(config: SiteConfig, title: string, message: string): string {
  const page = (
    <Layout
      {...site(config)}
      title={`${title} · ${config.title}`}
      language={config.language}
      canonical={`${config.url}/`}
      feeds={[siteFeeds(config)]}
    >
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={`${config.url}/`}>All posts</a>
      </p>
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}
