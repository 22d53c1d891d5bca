import type { SiteConfig } from '../../config';
import type { FeedFormat } from '../../domain/format';
import type { SnippetPart } from '../../domain/search-query';
import type { FeedItem } from '../document';
import { FEED_LABELS, Layout } from './layout';
import { ItemHead, site, siteFeeds } from './pages';

export type SearchPage = {
  /** What the field shows: the query as the reader typed it. */
  q: string;
  /** Why the query was refused (a 400); null: it ran, or there was none. */
  error: string | null;
  /** The results, each with its snippet; null: no query ran. */
  results: { item: FeedItem; snippet: SnippetPart[] }[] | null;
  page: number;
  /** Links to this page's neighbours (null: none), its own canonical URL, and the query's feeds (null: no query). */
  prev: string | null;
  next: string | null;
  canonical: string;
  feeds: Record<FeedFormat, string> | null;
};

/**
 * The search page: a labelled field and button (a plain GET form), then the results newest
 * first, each with a snippet whose matches are `<mark>`ed. Snippets are text: stored HTML never
 * reaches the page through them.
 */
export function renderSearchPage(config: SiteConfig, props: SearchPage): string {
  const title = props.q && !props.error ? `Search: ${props.q}` : 'Search';
  const page = (
    <Layout
      {...site(config)}
      title={`${props.page > 1 ? `${title} (page ${props.page})` : title} · ${config.title}`}
      language={config.language}
      canonical={props.canonical}
      prev={props.prev}
      next={props.next}
      feeds={[siteFeeds(config)]}
    >
      <h1>Search</h1>
      <search>
        <form method="get" action={`${config.url}/search`} class="feed-url">
          <label for="q">Words to find</label>
          <input
            type="search"
            id="q"
            name="q"
            value={props.q}
            maxlength={200}
            aria-describedby={props.error ? 'q-error' : undefined}
            aria-invalid={props.error ? 'true' : undefined}
          />
          <button type="submit">Search</button>
        </form>
      </search>
      {props.error ? (
        <p id="q-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.results ? <Results {...props} results={props.results} /> : null}
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

function Results(props: SearchPage & { results: NonNullable<SearchPage['results']> }) {
  return (
    <>
      {props.results.length === 0 ? (
        <p>{props.page > 1 ? 'No more results.' : 'Nothing found.'}</p>
      ) : (
        <ol class="posts">
          {props.results.map(({ item, snippet }) => (
            <li lang={item.language ?? undefined}>
              <ItemHead item={item} />
              {snippet.length ? (
                <p class="snippet" dir={item.origin ? 'auto' : undefined}>
                  {snippet.map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {props.prev || props.next ? (
        <nav class="pages" aria-label="Pages">
          {props.prev ? (
            <a href={props.prev} rel="prev">
              Previous page (newer)
            </a>
          ) : null}
          <span>Page {props.page}</span>
          {props.next ? (
            <a href={props.next} rel="next">
              Next page (older)
            </a>
          ) : null}
        </nav>
      ) : null}
      {props.feeds ? (
        <nav class="feeds" aria-label="Feeds of this search">
          Follow this search:{' '}
          {(Object.keys(FEED_LABELS) as FeedFormat[]).map((format) => (
            <a href={props.feeds![format]} type={FEED_LABELS[format].type}>
              {FEED_LABELS[format].label}
            </a>
          ))}
        </nav>
      ) : null}
    </>
  );
}
