import type { SiteConfig } from '../../config';
import { ConsolePage, consoleDocument } from './layout';

// The console's first page (/admin once signed in): where things stand, and where to go.

export type Dashboard = {
  posts: { published: number; scheduled: number; draft: number; deleted: number };
  moves: number;
  sources: number;
  tokens: number;
  webhooks: number;
  subscribers: number;
  /** The own hub's live subscriptions; null when the feeds advertise WEBSUB_HUB instead. */
  ownHub: number | null;
};

const count = (n: number, one: string, many: string) => `${n === 0 ? 'No' : n} ${n === 1 ? one : many}`;

export function renderDashboard(config: SiteConfig, page: { data: Dashboard; signOutToken: string }): string {
  const { posts } = page.data;
  return consoleDocument(
    <ConsolePage config={config} title="Dashboard" signOutToken={page.signOutToken} current="dashboard">
      <h1>Console</h1>
      <p>
        Everything {config.title} publishes, from here. <a href="/admin/posts/new">Write a new post</a>.
      </p>
      <div class="cards">
        <section class="card" aria-labelledby="card-posts">
          <h2 id="card-posts">
            <a href="/admin/posts">Posts</a>
          </h2>
          <ul>
            <li>
              <a href="/admin/posts?status=published">{count(posts.published, 'published post', 'published posts')}</a>
            </li>
            <li>
              <a href="/admin/posts?status=scheduled">{count(posts.scheduled, 'scheduled post', 'scheduled posts')}</a>
            </li>
            <li>
              <a href="/admin/posts?status=draft">{count(posts.draft, 'draft', 'drafts')}</a>
            </li>
            <li>
              <a href="/admin/posts?status=deleted">{count(posts.deleted, 'deleted post', 'deleted posts')}</a>
            </li>
          </ul>
        </section>
        <section class="card" aria-labelledby="card-readers">
          <h2 id="card-readers">
            <a href="/admin/stats">Subscribers</a>
          </h2>
          <p>{count(page.data.subscribers, 'subscriber', 'subscribers')} across every feed, by the latest estimates.</p>
        </section>
        <section class="card" aria-labelledby="card-feeds">
          <h2 id="card-feeds">Feeds</h2>
          <ul>
            <li>
              <a href="/admin/moves">{count(page.data.moves, 'moved or retired address', 'moved or retired addresses')}</a>
            </li>
            <li>
              <a href="/admin/sources">{count(page.data.sources, 'source', 'sources')}</a> followed
            </li>
            <li>
              WebSub hub:{' '}
              {page.data.ownHub === null ? (
                <code>{config.hub}</code>
              ) : (
                `the site's own, ${count(page.data.ownHub, 'subscription', 'subscriptions')}`
              )}{' '}
              (<a href="/admin/settings">settings</a>)
            </li>
          </ul>
        </section>
        <section class="card" aria-labelledby="card-tools">
          <h2 id="card-tools">Tools</h2>
          <ul>
            <li>
              <a href="/admin/media">Upload images and audio</a>
            </li>
            <li>
              <a href="/admin/tokens">{count(page.data.tokens, 'API token', 'API tokens')}</a>
            </li>
            <li>
              <a href="/admin/webhooks">{count(page.data.webhooks, 'webhook', 'webhooks')}</a>
            </li>
            <li>
              <a href="/admin/opml">Import or export sources as OPML</a>
            </li>
          </ul>
        </section>
      </div>
    </ConsolePage>,
  );
}
