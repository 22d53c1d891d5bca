import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import { STATE_NAMES, type PostState } from './editor';
import { ConsolePage, consoleDocument } from './layout';
import { Pager, When } from './parts';

// The console's list of posts (/admin/posts): filters by state, tag, author and title, 25 a page.
// Deleted posts are a state of their own: their rows are gone, their titles and addresses kept.

export type ListFilters = { status: '' | PostState | 'deleted'; tag: string; author: string; q: string; page: number };

/** One post of the list; `id` null for a deleted post (nothing left to edit). */
export type PostRow = {
  id: string | null;
  title: string;
  state: PostState | 'deleted';
  /** Its date: published, scheduled for, or deleted at. */
  at: number;
  url: string;
  tags: string[];
  authors: string[];
};

type Facet = { slug: string; name: string };

/** The list's address with these filters (empty ones left out). */
export function listUrl(filters: ListFilters, page = filters.page): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.tag) query.set('tag', filters.tag);
  if (filters.author) query.set('author', filters.author);
  if (filters.q) query.set('q', filters.q);
  if (page > 1) query.set('page', String(page));
  const search = query.toString();
  return `/admin/posts${search ? `?${search}` : ''}`;
}

function Select(props: { id: string; label: string; value: string; options: [value: string, name: string][] }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        {props.options.map(([value, name]) => (
          <option value={value} selected={value === props.value}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

const dateLabel = (state: PostRow['state']) =>
  state === 'scheduled' ? 'goes live' : state === 'deleted' ? 'deleted' : state === 'draft' ? 'dated' : 'published';

export function renderPostList(
  config: SiteConfig,
  page: {
    filters: ListFilters;
    rows: PostRow[];
    total: number;
    pages: number;
    facets: { tags: Facet[]; authors: Facet[] };
    notice: Child;
    signOutToken: string;
  },
): string {
  const { filters, rows } = page;
  const deleted = filters.status === 'deleted';
  return consoleDocument(
    <ConsolePage
      config={config}
      title={filters.page > 1 ? `Posts (page ${filters.page})` : 'Posts'}
      signOutToken={page.signOutToken}
      current="posts"
    >
      <h1>Posts</h1>
      {page.notice}
      <p>
        <a href="/admin/posts/new">Write a new post</a>
      </p>
      <form method="get" action="/admin/posts" class="filters" aria-label="Filter the posts">
        <Select
          id="status"
          label="Status"
          value={filters.status}
          options={[
            ['', 'Any but deleted'],
            ['published', STATE_NAMES.published],
            ['scheduled', STATE_NAMES.scheduled],
            ['draft', STATE_NAMES.draft],
            ['deleted', STATE_NAMES.deleted],
          ]}
        />
        <Select
          id="tag"
          label="Tag"
          value={filters.tag}
          options={[['', 'Any tag'], ...page.facets.tags.map((t): [string, string] => [t.slug, t.name])]}
        />
        <Select
          id="author"
          label="Author"
          value={filters.author}
          options={[['', 'Any author'], ...page.facets.authors.map((a): [string, string] => [a.slug, a.name])]}
        />
        <div class="field">
          <label for="q">Text contains</label>
          <input id="q" name="q" type="search" value={filters.q} />
        </div>
        <div class="field">
          <button type="submit">Filter</button>
        </div>
      </form>
      <p class="meta" role="status">
        {page.total === 0 ? 'No post matches.' : page.total === 1 ? 'One post.' : `${page.total} posts.`}
        {deleted ? ' Deleted posts answer 410 Gone at their addresses; tag and author filters do not apply to them.' : null}
      </p>
      {rows.length ? (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Date (UTC)</th>
                {deleted ? <th scope="col">Address</th> : <th scope="col">Tags</th>}
                {deleted ? null : <th scope="col">Authors</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{row.id ? <a href={`/admin/posts/${row.id}`}>{row.title}</a> : row.title}</td>
                  <td>
                    <span class={`status status-${row.state}`}>{STATE_NAMES[row.state]}</span>
                  </td>
                  <td>
                    {dateLabel(row.state)} <When at={row.at} />
                  </td>
                  {deleted ? (
                    <td>
                      <code>{row.url}</code>
                    </td>
                  ) : (
                    <td>{row.tags.join(', ')}</td>
                  )}
                  {deleted ? null : <td>{row.authors.join(', ')}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager page={filters.page} pages={page.pages} url={(n) => listUrl(filters, n)} />
    </ConsolePage>,
  );
}
