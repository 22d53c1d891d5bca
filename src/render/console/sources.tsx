import type { SiteConfig } from '../../config';
import type { SourceFetch, SourceFilter, SourceItem } from '../../db/source-fetches';
import type { SnippetPart } from '../../domain/search-query';
import type { Source } from '../../domain/source';
import { type FilterEditor, FilterRulesForm } from './filter-rules';
import { ConsolePage, consoleDocument } from './layout';
import { described, ErrorSummary, errorOf, Field, type FieldError, Notice, Pager, When } from './parts';

// The sources in the console (src/routes/console/sources.ts): the list with its health and
// filters, adding one (Find feed shows what the address gives before Add source stores it), a
// source's page (settings, items, the history of its refreshes, Refresh now, Pause / Resume),
// editing and deleting it. Writes go through src/sources/write.ts, as the admin API's do.

/** A source's name as the console shows it. */
const nameOf = (s: Source) => s.titleOverride ?? s.title ?? s.url;

/** A source's health in words: gone, paused (and why), failing (and how), not fetched yet, or ok. */
export function health(s: Source): string {
  if (s.state === 'gone') return 'gone (410)';
  if (s.state === 'paused') return `paused${s.pausedReason ? `: ${s.pausedReason}` : ''}`;
  if (s.lastOutcome === 'error') return `failing: ${s.lastErrorKind ?? 'error'}`;
  if (s.lastFetchedAt === null) return 'not fetched yet';
  return 'ok';
}

const STATES: [value: NonNullable<SourceFilter['state']> | '', label: string][] = [
  ['', 'Any'],
  ['active', 'Active'],
  ['paused', 'Paused'],
  ['failing', 'Failing'],
  ['gone', 'Gone'],
];
const KINDS: [value: NonNullable<SourceFilter['kind']> | '', label: string][] = [
  ['', 'Any'],
  ['feed', 'Feed'],
  ['page', 'Page'],
];

export type SourceListPage = {
  sources: Source[];
  total: number;
  filter: SourceFilter;
  page: number;
  pages: number;
  url: (page: number) => string;
  notice: string | null;
  signOutToken: string;
};

export function renderSourceList(config: SiteConfig, page: SourceListPage): string {
  const { filter } = page;
  const filtered = Boolean(filter.state || filter.kind || filter.tag || filter.text);
  return consoleDocument(
    <ConsolePage config={config} title="Sources" signOutToken={page.signOutToken} current="sources">
      <h1>Sources</h1>
      <p>
        The feeds and web pages this site follows: their items fill each source's feed, the planet, and the site's own feeds for those that
        feed it.
      </p>
      {page.notice ? (
        <Notice>
          <p>{page.notice}</p>
        </Notice>
      ) : null}
      <p class="actions">
        <a href="/admin/sources/new">Add a source</a>
      </p>
      <form method="get" action="/admin/sources" class="filters" aria-label="Filter the sources">
        <div class="field">
          <label for="state">State</label>
          <select id="state" name="state">
            {STATES.map(([value, label]) => (
              <option value={value} selected={(filter.state ?? '') === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="kind">Kind</label>
          <select id="kind" name="kind">
            {KINDS.map(([value, label]) => (
              <option value={value} selected={(filter.kind ?? '') === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="tag">Tag</label>
          <input id="tag" name="tag" type="text" value={filter.tag ?? ''} />
        </div>
        <div class="field">
          <label for="q">Title or address</label>
          <input id="q" name="q" type="search" value={filter.text ?? ''} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <p>
        {page.total === 1 ? 'One source' : `${page.total} sources`}
        {filtered ? ' match' : ''}.
      </p>
      {page.sources.length === 0 ? (
        <p>{filtered ? 'No source matches these filters.' : 'No source is followed yet.'}</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Health</th>
                <th scope="col">Last fetch (UTC)</th>
                <th scope="col">Items</th>
                <th scope="col">Next due (UTC)</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {page.sources.map((s) => (
                <tr>
                  <td>
                    <a href={`/admin/sources/${s.id}`}>{nameOf(s)}</a>
                    <br />
                    <code>{s.url}</code>
                    <br />
                    <span class="meta">
                      {s.kind === 'page' ? 'page' : 'feed'}
                      {s.tags.length ? ` · ${s.tags.map((t) => t.name).join(', ')}` : ''}
                    </span>
                  </td>
                  <td>{health(s)}</td>
                  <td>{s.lastFetchedAt === null ? 'never' : <When at={s.lastFetchedAt} />}</td>
                  <td class="n">{s.itemCount}</td>
                  <td>{s.state === 'active' ? <When at={s.nextDueAt} /> : '—'}</td>
                  <td class="address">{s.lastOutcome === 'error' ? (s.lastError ?? s.lastErrorKind) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page.page} pages={page.pages} url={page.url} />
    </ConsolePage>,
  );
}

/** What Find feed found at an address (src/ingest/find-source.ts's answer; render sits below ingest). */
export type FoundSource = {
  kind: 'feed' | 'page';
  url: string;
  title: string | null;
  reason: string;
  items: { title: string; url: string | null; published: number | null }[];
  warnings: string[];
};

/** What Refresh now did (src/ingest/outcome.ts's RefreshReport, the part shown). */
export type RefreshShown = {
  outcome: 'ok' | 'not_modified' | 'unchanged' | 'error' | 'gone';
  status: number | null;
  errorKind: string | null;
  error: string | null;
  alternate: string | null;
  items: { seen: number; changed: number; removed: number; blocked?: number } | null;
  warnings: string[];
};

/** The second form of the add page, as typed. */
export type AddForm = { tags: string; title: string; fullText: boolean; site: boolean };

export type NewSourcePage = {
  address: string;
  /** What Find feed found at the address, or null before it was asked (or when it failed). */
  found: FoundSource | null;
  /** Why the address gives no source (unreachable, not a feed, nothing found, not allowed). */
  addressError: string | null;
  form: AddForm;
  errors: FieldError[];
  token: string;
  signOutToken: string;
};

const ADD_LABELS = { address: 'Address', tags: 'Tags', title: 'Title', full_text: 'Full text', url: 'Address' };

export function renderNewSource(config: SiteConfig, page: NewSourcePage): string {
  const { found, form, errors } = page;
  const tagsError = errorOf(errors, 'tags');
  const titleError = errorOf(errors, 'title');
  const fullTextError = errorOf(errors, 'full_text');
  return consoleDocument(
    <ConsolePage config={config} title="Add a source" signOutToken={page.signOutToken} current="sources">
      <h1>Add a source</h1>
      <p>
        Give the address of a feed or of a web page. <strong>Find feed</strong> looks at it and shows what it would give, without storing
        anything; <strong>Add source</strong> then follows it.
      </p>
      <ErrorSummary errors={errors} labels={ADD_LABELS} />
      <form method="post" action="/admin/sources/find">
        <input type="hidden" name="csrf" value={page.token} />
        <Field
          id="address"
          label="Address"
          error={page.addressError}
          hint="A feed (RSS, Atom, JSON Feed), or a web page: the feed it advertises, or else the list of posts on it."
        >
          <input
            id="address"
            name="address"
            type="url"
            required
            value={page.address}
            spellcheck={false}
            {...described('address', true, page.addressError)}
          />
        </Field>
        <button type="submit" class={found ? undefined : 'primary'}>
          Find feed
        </button>
      </form>
      {found ? (
        <section class="preview" aria-labelledby="found-heading">
          <h2 id="found-heading">What this address gives</h2>
          <p>{found.reason}</p>
          <dl class="settings">
            <div>
              <dt>Kind</dt>
              <dd>{found.kind === 'page' ? 'a web page, read as a list of posts' : 'a feed'}</dd>
            </div>
            <div>
              <dt>Address to follow</dt>
              <dd>
                <code>{found.url}</code>
              </dd>
            </div>
            {found.title ? (
              <div>
                <dt>Its title</dt>
                <dd>{found.title}</dd>
              </div>
            ) : null}
          </dl>
          {found.warnings.length ? (
            <Notice>
              <p>Warnings:</p>
              <ul>
                {found.warnings.map((w) => (
                  <li>{w}</li>
                ))}
              </ul>
            </Notice>
          ) : null}
          <h3>{found.items.length === 1 ? 'One item' : `The first ${found.items.length} items`}</h3>
          {found.items.length === 0 ? (
            <p>It has no items yet.</p>
          ) : (
            <div class="scroll">
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Date (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  {found.items.map((item) => (
                    <tr>
                      <td class="address">
                        {item.url ? (
                          <a href={item.url} rel="noreferrer noopener">
                            {item.title || item.url}
                          </a>
                        ) : (
                          item.title || '(untitled)'
                        )}
                      </td>
                      <td>{item.published === null ? '—' : <When at={item.published} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {found.kind === 'page' ? (
            <p>
              The posts are found on the page by themselves. To say where they are instead,{' '}
              <a href={`/admin/sources/builder?address=${encodeURIComponent(found.url)}`}>Build rules by clicking</a>.
            </p>
          ) : null}
          <h2>Follow it</h2>
          <form method="post" action="/admin/sources/new">
            <input type="hidden" name="csrf" value={page.token} />
            <input type="hidden" name="address" value={page.address} />
            <input type="hidden" name="url" value={found.url} />
            <input type="hidden" name="kind" value={found.kind} />
            <Field id="tags" label="Tags" error={tagsError} hint="Comma-separated; each tag has a planet of its own (/planet/?tag=…).">
              <input id="tags" name="tags" type="text" value={form.tags} {...described('tags', true, tagsError)} />
            </Field>
            <Field id="title" label="Title" error={titleError} hint="The name shown for it; empty: the upstream's own.">
              <input id="title" name="title" type="text" value={form.title} {...described('title', true, titleError)} />
            </Field>
            {found.kind === 'feed' ? (
              <div class="field check">
                <label>
                  <input type="checkbox" name="full_text" value="1" id="full_text" checked={form.fullText} /> Full text: fetch the page of
                  each item that carries only a summary
                </label>
                {fullTextError ? <p class="hint error-text">{fullTextError}</p> : null}
              </div>
            ) : null}
            <div class="field check">
              <label>
                <input type="checkbox" name="site" value="1" checked={form.site} /> Its items are the site's own too (the site's feeds and
                home page)
              </label>
            </div>
            <button type="submit" class="primary">
              Add source
            </button>
          </form>
        </section>
      ) : null}
    </ConsolePage>,
  );
}

/** The forms of a source's page, each with its own token. */
export type SourceTokens = { action: string; signOut: string };

export type SourcePageData = {
  source: Source;
  items: SourceItem[];
  fetches: SourceFetch[];
  /** The refresh just run by Refresh now, if it was. */
  report: RefreshShown | null;
  notice: string | null;
  publicUrl: string;
  tokens: SourceTokens;
  /** A search of its items, when `?q=` asks for one (then instead of its latest items). */
  search: SourceSearch | null;
};

/** A search of a source's items: the query as typed, why it cannot run, or a page of matches. */
export type SourceSearch = {
  q: string;
  error: string | null;
  page: number;
  results: { item: SourceItem; snippet: SnippetPart[] }[];
  prev: string | null;
  next: string | null;
};

/** An item's title, linked to its address upstream, and its date. */
function ItemLine(props: { item: SourceItem }) {
  const { item } = props;
  return (
    <>
      {item.url ? (
        <a href={item.url} rel="noreferrer noopener">
          {item.title || item.url}
        </a>
      ) : (
        item.title || '(untitled)'
      )}
      {item.publishedAt === null ? null : (
        <>
          {' · '}
          <When at={item.publishedAt} />
        </>
      )}
    </>
  );
}

/** The search field over a source's items and, after a search, its matches with their snippets (text, matches marked). */
function ItemSearch(props: { sourceId: number; search: SourceSearch | null }) {
  const { search } = props;
  const error = search?.error ?? null;
  return (
    <>
      <form method="get" action={`/admin/sources/${props.sourceId}`} class="filters" aria-label="Search this source's items">
        <Field id="q" label="Search this source's items" error={error}>
          <input id="q" name="q" type="search" value={search?.q ?? ''} {...described('q', false, error)} />
        </Field>
        <div class="field">
          <button type="submit">Search</button>
        </div>
      </form>
      {search && !error ? (
        <>
          <h3>Items matching the search</h3>
          <p class="meta" role="status">
            {search.results.length === 0
              ? search.page > 1
                ? 'No more items match.'
                : 'No item matches.'
              : `Page ${search.page}: ${search.results.length === 1 ? 'one item' : `${search.results.length} items`}, newest first.`}
          </p>
          {search.results.length ? (
            <ul class="results">
              {search.results.map(({ item, snippet }) => (
                <li>
                  <ItemLine item={item} />
                  {snippet.length ? (
                    <p class="snippet">{snippet.map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}</p>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {search.prev || search.next ? (
            <nav class="pages" aria-label="Pages of results">
              {search.prev ? (
                <a href={search.prev} rel="prev">
                  Previous page
                </a>
              ) : null}
              <span>Page {search.page}</span>
              {search.next ? (
                <a href={search.next} rel="next">
                  Next page
                </a>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function Outcome(props: { report: RefreshShown }) {
  const r = props.report;
  const failed = r.outcome === 'error' || r.outcome === 'gone';
  const what =
    r.outcome === 'ok'
      ? `Refreshed: ${r.items ? `${r.items.seen} items read, ${r.items.changed} new or changed${r.items.removed ? `, ${r.items.removed} removed` : ''}${r.items.blocked ? `, ${r.items.blocked} blocked by filters` : ''}` : 'done'}.`
      : r.outcome === 'not_modified'
        ? 'Refreshed: the upstream has not changed since the last fetch (304).'
        : r.outcome === 'unchanged'
          ? 'Refreshed: the upstream sent the same document as last time; nothing was read again.'
          : r.outcome === 'gone'
            ? 'The upstream answered 410 Gone: the source stops; its items stay.'
            : `The refresh failed: ${r.errorKind ?? 'error'}${r.status ? ` (HTTP ${r.status})` : ''}: ${r.error ?? ''}`;
  return (
    <Notice kind={failed ? 'error' : undefined}>
      <p>{what}</p>
      {r.alternate ? (
        <p>
          The address answered a web page that offers a feed at <code>{r.alternate}</code>.
        </p>
      ) : null}
      {r.warnings.length ? (
        <ul>
          {r.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

const OUTCOMES: Record<string, string> = { ok: 'ok', not_modified: 'not modified', error: 'failed', gone: 'gone' };

export function renderSourcePage(config: SiteConfig, page: SourcePageData & { signOutToken: string }): string {
  const { source: s } = page;
  const paused = s.state === 'paused';
  return consoleDocument(
    <ConsolePage config={config} title={nameOf(s)} signOutToken={page.signOutToken} current="sources">
      <p>
        <a href="/admin/sources">All sources</a>
      </p>
      <h1>{nameOf(s)}</h1>
      {page.notice ? (
        <Notice>
          <p>{page.notice}</p>
        </Notice>
      ) : null}
      {page.report ? <Outcome report={page.report} /> : null}
      <div class="actions">
        <form method="post" action={`/admin/sources/${s.id}/refresh`}>
          <input type="hidden" name="csrf" value={page.tokens.action} />
          <button type="submit" class="primary">
            Refresh now
          </button>
        </form>
        {s.state === 'gone' ? null : (
          <form method="post" action={`/admin/sources/${s.id}/${paused ? 'resume' : 'pause'}`}>
            <input type="hidden" name="csrf" value={page.tokens.action} />
            <button type="submit">{paused ? 'Resume' : 'Pause'}</button>
          </form>
        )}
        <a href={`/admin/sources/${s.id}/edit`}>Edit</a>
        <a href={`/admin/sources/${s.id}/delete`}>Delete</a>
      </div>
      <h2>Settings</h2>
      <dl class="settings">
        <div>
          <dt>Address</dt>
          <dd>
            <code>{s.url}</code>
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {s.kind === 'page' ? (s.rules ? 'a web page, read by its rules' : 'a web page, its posts found by themselves') : 'a feed'}
          </dd>
        </div>
        {s.rules ? (
          <div>
            <dt>Rules</dt>
            <dd>
              <code>{JSON.stringify(s.rules)}</code>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Health</dt>
          <dd>
            {health(s)}
            {s.consecutiveFailures ? ` (${s.consecutiveFailures} failures in a row)` : ''}
          </dd>
        </div>
        <div>
          <dt>Last fetch</dt>
          <dd>{s.lastFetchedAt === null ? 'never' : <When at={s.lastFetchedAt} />}</dd>
        </div>
        <div>
          <dt>Next due</dt>
          <dd>{s.state === 'active' ? <When at={s.nextDueAt} /> : '—'}</dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd>{s.tags.length ? s.tags.map((t) => t.name).join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Title</dt>
          <dd>{s.titleOverride ? `${s.titleOverride} (the upstream's: ${s.title ?? 'none'})` : (s.title ?? 'none yet')}</dd>
        </div>
        <div>
          <dt>In the site's feeds</dt>
          <dd>{s.site ? 'yes' : 'no'}</dd>
        </div>
        {s.kind === 'feed' ? (
          <div>
            <dt>Full text</dt>
            <dd>{s.fullText ? 'yes: the page of each summary-only item is fetched' : 'no'}</dd>
          </div>
        ) : null}
        <div>
          <dt>Its page on the site</dt>
          <dd>
            <a href={page.publicUrl}>{page.publicUrl}</a>
          </dd>
        </div>
      </dl>
      <h2>Refreshes</h2>
      {page.fetches.length === 0 ? (
        <p>Not refreshed yet.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <caption class="visually-hidden">Refreshes, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Outcome</th>
                <th scope="col">Items new / updated</th>
                <th scope="col">Took</th>
                <th scope="col">Errors and warnings</th>
              </tr>
            </thead>
            <tbody>
              {page.fetches.map((f) => (
                <tr>
                  <td>
                    <When at={f.at} />
                  </td>
                  <td>
                    {OUTCOMES[f.outcome] ?? f.outcome}
                    {f.status ? ` (${f.status})` : ''}
                  </td>
                  <td class="n">{f.itemsNew === null ? '—' : `${f.itemsNew} / ${f.itemsUpdated ?? 0}`}</td>
                  <td class="n">{f.durationMs === null ? '—' : `${f.durationMs} ms`}</td>
                  <td class="address">
                    {f.errorKind ? (
                      <p class="error">
                        {f.errorKind}: {f.message}
                      </p>
                    ) : null}
                    {f.warnings.length ? (
                      <ul>
                        {f.warnings.map((w) => (
                          <li>{w}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Items</h2>
      <ItemSearch sourceId={s.id} search={page.search} />
      {page.search && !page.search.error ? null : (
        <>
          <h3>Latest items</h3>
          {page.items.length === 0 ? (
            <p>No item stored yet.</p>
          ) : (
            <ul>
              {page.items.map((item) => (
                <li>
                  <ItemLine item={item} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </ConsolePage>,
  );
}

/** The edit form as typed. */
export type EditForm = { kind: 'feed' | 'page'; rules: string; tags: string; title: string; site: boolean; fullText: boolean };

const EDIT_LABELS = { kind: 'Kind', rules: 'Rules', tags: 'Tags', title: 'Title', site: 'In the site’s feeds', full_text: 'Full text' };

export function renderSourceEdit(
  config: SiteConfig,
  page: { source: Source; form: EditForm; errors: FieldError[]; token: string; signOutToken: string; filters: FilterEditor },
): string {
  const { source: s, form, errors } = page;
  const rulesError = errorOf(errors, 'rules');
  const tagsError = errorOf(errors, 'tags');
  const titleError = errorOf(errors, 'title');
  const kindError = errorOf(errors, 'kind');
  const fullTextError = errorOf(errors, 'full_text');
  return consoleDocument(
    <ConsolePage config={config} title={`Edit ${nameOf(s)}`} signOutToken={page.signOutToken} current="sources">
      <p>
        <a href={`/admin/sources/${s.id}`}>Back to the source</a>
      </p>
      <h1>Edit {nameOf(s)}</h1>
      <ErrorSummary errors={errors} labels={EDIT_LABELS} />
      <form method="post" action={`/admin/sources/${s.id}/edit`}>
        <input type="hidden" name="csrf" value={page.token} />
        <fieldset class="choices" aria-describedby={kindError ? 'kind-error' : undefined}>
          <legend>Kind</legend>
          <label>
            <input type="radio" name="kind" value="feed" id="kind" checked={form.kind === 'feed'} /> Feed
          </label>
          <label>
            <input type="radio" name="kind" value="page" checked={form.kind === 'page'} /> Web page
          </label>
          {kindError ? (
            <p class="hint error-text" id="kind-error">
              {kindError}
            </p>
          ) : null}
        </fieldset>
        <Field
          id="rules"
          label="Rules"
          error={rulesError}
          hint={
            <>
              A web page's rules as JSON, CSS selectors such as <code>{'{"item": "article", "title": "h2"}'}</code>; empty: its posts are
              found by themselves. Feeds take none.
            </>
          }
        >
          <textarea id="rules" name="rules" rows={6} spellcheck={false} {...described('rules', true, rulesError)}>
            {form.rules}
          </textarea>
        </Field>
        <Field id="tags" label="Tags" error={tagsError} hint="Comma-separated.">
          <input id="tags" name="tags" type="text" value={form.tags} {...described('tags', true, tagsError)} />
        </Field>
        <Field id="title" label="Title" error={titleError} hint="The name shown for it; empty: the upstream's own.">
          <input id="title" name="title" type="text" value={form.title} {...described('title', true, titleError)} />
        </Field>
        <div class="field check">
          <label>
            <input type="checkbox" name="site" value="1" checked={form.site} /> Its items are the site's own too (the site's feeds and home
            page)
          </label>
        </div>
        <div class="field check">
          <label>
            <input
              type="checkbox"
              name="full_text"
              value="1"
              id="full_text"
              checked={form.fullText}
              aria-describedby={fullTextError ? 'full_text-error' : undefined}
            />{' '}
            Full text (feeds): fetch the page of each item that carries only a summary
          </label>
          {fullTextError ? (
            <p class="hint error-text" id="full_text-error">
              {fullTextError}
            </p>
          ) : null}
        </div>
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <FilterRulesForm
        editor={page.filters}
        intro="Which of this source's items are served: a blocked item is stored but no feed or page shows it. Saving judges the stored items again at once."
      />
    </ConsolePage>,
  );
}

export function renderSourceDelete(
  config: SiteConfig,
  page: { source: Source; publicUrl: string; token: string; signOutToken: string },
): string {
  const { source: s } = page;
  return consoleDocument(
    <ConsolePage config={config} title={`Delete ${nameOf(s)}`} signOutToken={page.signOutToken} current="sources">
      <h1>Delete {nameOf(s)}?</h1>
      <p>
        The site stops following <code>{s.url}</code>. Its {s.itemCount === 1 ? 'one item goes' : `${s.itemCount} items go`} from every feed
        and page that shows them: its own feeds, the planet{s.tags.length ? ', the planets of its tags' : ''}
        {s.site ? ' and the site’s own feeds' : ''}. Its feeds and its page (<code>{page.publicUrl}</code>) answer <strong>410 Gone</strong>{' '}
        from then on, so their subscribers learn it ended. This cannot be undone: adding the address again makes a new source.
      </p>
      <div class="actions">
        <form method="post" action={`/admin/sources/${s.id}/delete`}>
          <input type="hidden" name="csrf" value={page.token} />
          <button type="submit" class="danger">
            Delete the source
          </button>
        </form>
        <a href={`/admin/sources/${s.id}`}>Keep it</a>
      </div>
    </ConsolePage>,
  );
}
