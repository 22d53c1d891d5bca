import { raw } from 'hono/html';
import type { SiteConfig } from '../config';
import type { FeedDocument, FeedItem } from '../render/document';
import { feedUrls } from '../urls';
import { type FeedLinks, Layout, PostMeta } from './layout';

function siteFeeds(config: SiteConfig): FeedLinks {
  return { title: config.title, links: feedUrls(config, { kind: 'site' }) };
}

/** The HTML page of a view: the same document the feeds are rendered from, as a list. */
export function renderListPage(config: SiteConfig, doc: FeedDocument, isSite: boolean): string {
  const feeds = isSite ? [siteFeeds(config)] : [{ title: doc.title, links: doc.links }, siteFeeds(config)];
  const page = (
    <Layout
      siteTitle={config.title}
      siteUrl={config.url}
      siteDescription={config.description}
      title={doc.title}
      description={doc.description}
      language={doc.language}
      canonical={doc.homeUrl}
      feeds={feeds}
    >
      {isSite ? null : <h1>{doc.description}</h1>}
      {doc.items.length === 0 ? <p>Nothing published yet.</p> : null}
      <ol class="posts">
        {doc.items.map((item) => (
          <li>
            <h2>
              <a href={item.url}>{item.title}</a>
            </h2>
            <PostMeta published={item.published} authors={item.authors} categories={item.categories} />
            {item.summaryHtml ? <div class="summary">{raw(item.summaryHtml)}</div> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

/** The page of one post. Its content is the publisher's own trusted HTML. */
export function renderPostPage(config: SiteConfig, doc: FeedDocument, item: FeedItem): string {
  const page = (
    <Layout
      siteTitle={config.title}
      siteUrl={config.url}
      siteDescription={config.description}
      title={`${item.title} · ${config.title}`}
      language={doc.language}
      canonical={item.url}
      feeds={[siteFeeds(config)]}
    >
      <article>
        <h1>{item.title}</h1>
        <PostMeta published={item.published} authors={item.authors} categories={item.categories} />
        {raw(item.contentHtml)}
      </article>
    </Layout>
  );
  return `<!doctype html>${page.toString()}`;
}

/** A plain page for a missing post or tag: people get HTML, programs get problem+json. */
export function renderMessagePage(config: SiteConfig, title: string, message: string): string {
  const page = (
    <Layout
      siteTitle={config.title}
      siteUrl={config.url}
      siteDescription={config.description}
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
