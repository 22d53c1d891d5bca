import type { SiteConfig } from '../../config';
import type { ListItem, ListRules } from '../../extract';
import { sanitizeSnapshot } from '../../html/sanitize';
import { ConsolePage, consoleDocument } from './layout';
import { described, ErrorSummary, errorOf, Field, type FieldError, Notice } from './parts';

// The rules builder (/admin/sources/builder): a list page shown as a still snapshot in a frame
// beside the posts the rules being built find. A click on a post's title in the snapshot (the
// console's script, in this page) posts the element's path; without script, a list found on the
// page or a title typed gives the same examples. Save rules stores them on the source, or adds it.

/** A list the heuristics found on the page, offered as examples: its first posts' URLs. */
export type OfferedList = { examples: string[]; count: number; titles: string[] };

export type BuilderState = {
  /** The list page's address ('' before one is given). */
  address: string;
  /** The page source being built for; null: a new source. */
  source: { id: number; name: string } | null;
  /** Whether the page was fetched and read (the snapshot and results are shown). */
  read: boolean;
  /** Posts pointed at so far: URLs or titles, in the order given. */
  examples: string[];
  /** The path of the date pointed at, if one was. */
  datePick: string | null;
  /** The rules as derived (or stored, or as typed when they were refused). */
  rulesText: string;
  rules: ListRules | null;
  /** What the rules find on the page. */
  items: ListItem[];
  /** The paths of the posts found, marked in the snapshot by the console's script. */
  found: string[];
  offered: OfferedList[];
  errors: FieldError[];
  notice: string | null;
};

const LABELS = { address: 'Address of the list page', title: 'Title of one post', list: 'Lists found on the page', rules: 'Rules (JSON)' };

/** The address of the snapshot of a page (served by src/routes/console/builder.ts with its own policy). */
export const snapshotUrl = (state: Pick<BuilderState, 'address' | 'source'>): string =>
  state.source
    ? `/admin/sources/builder/snapshot?source=${state.source.id}`
    : `/admin/sources/builder/snapshot?address=${encodeURIComponent(state.address)}`;

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** Fields that carry what was built so far from one request to the next. */
function Carried(props: { state: BuilderState; token: string; examples?: boolean }) {
  const { state } = props;
  return (
    <>
      <input type="hidden" name="csrf" value={props.token} />
      {state.source ? (
        <input type="hidden" name="source" value={String(state.source.id)} />
      ) : (
        <input type="hidden" name="address" value={state.address} />
      )}
      {props.examples === false ? null : state.examples.map((example) => <input type="hidden" name="example" value={example} />)}
      {props.examples === false || !state.datePick ? null : <input type="hidden" name="date" value={state.datePick} />}
    </>
  );
}

/**
 * What the rules being built give: the examples, the posts found, the rules as JSON with Save,
 * and the form that adds a title. The page's live region; the console's script replaces its
 * content with the answer to each click.
 */
export function BuilderResults(props: { state: BuilderState; token: string }) {
  const { state, token } = props;
  const rulesError = errorOf(state.errors, 'rules');
  const titleError = errorOf(state.errors, 'title');
  const problems = state.errors.filter((e) => e.field !== 'rules' && e.field !== 'title');
  return (
    <>
      <h2 id="results-heading">Posts these rules find</h2>
      {state.notice ? (
        <Notice>
          <p>{state.notice}</p>
        </Notice>
      ) : null}
      {problems.map((e) => (
        <p class="error-text">{e.message}</p>
      ))}
      <form method="post" action="/admin/sources/builder" id="builder-pick">
        <Carried state={state} token={token} />
      </form>
      {state.examples.length > 0 ? (
        <p>
          Examples: {state.examples.map((e, i) => [i > 0 ? '; ' : '', <q>{e}</q>])}
          {state.datePick ? '; and a date.' : null}
        </p>
      ) : (
        <p>No example yet: click a post’s title in the page, choose a list below, or type a title.</p>
      )}
      {state.rules ? (
        state.items.length > 0 ? (
          <ol class="found">
            {state.items.slice(0, 50).map((item) => (
              <li>
                <span class="found-title">{item.title || item.url}</span>{' '}
                {item.published === null ? (
                  <span class="hint">no date</span>
                ) : (
                  <time datetime={new Date(item.published).toISOString()}>{DATE.format(item.published)}</time>
                )}
              </li>
            ))}
          </ol>
        ) : (
          <p>These rules find no post on the page.</p>
        )
      ) : null}
      {state.items.length > 50 ? <p class="hint">And {state.items.length - 50} more.</p> : null}
      <div id="builder-found" data-paths={state.found.join(' ')} hidden />
      <form method="post" action="/admin/sources/builder">
        <Carried state={state} token={token} />
        <Field id="title" label="Title of one post" error={titleError} hint="As the page shows it; or a post’s address.">
          <input id="title" name="title" type="text" spellcheck={false} {...described('title', true, titleError)} />
        </Field>
        <div class="actions">
          <button type="submit">Add example</button>
          {state.examples.length > 0 ? (
            <button type="submit" name="restart" value="1">
              Start again
            </button>
          ) : null}
        </div>
      </form>
      <form method="post" action="/admin/sources/builder/save">
        <Carried state={state} token={token} examples={false} />
        <Field
          id="rules"
          label="Rules (JSON)"
          error={rulesError}
          hint="CSS selectors: item, and within it title, link, date, summary, image. Edit them here if you like."
        >
          <textarea id="rules" name="rules" spellcheck={false} rows={8} {...described('rules', true, rulesError)}>
            {state.rulesText}
          </textarea>
        </Field>
        <button type="submit" class="primary">
          Save rules
        </button>
        <p class="hint">
          {state.source
            ? `Saved on ${state.source.name}, which reads its page again at once.`
            : 'Adds the page as a page source with these rules.'}
        </p>
      </form>
    </>
  );
}

/** The results region as HTML, for the console's script. */
export const renderBuilderResults = (state: BuilderState, token: string): string => String(<BuilderResults state={state} token={token} />);

export function renderBuilderPage(
  config: SiteConfig,
  page: { state: BuilderState; token: string; signOutToken: string },
  frameTitle = '',
): string {
  const { state, token } = page;
  const addressError = errorOf(state.errors, 'address');
  const listError = errorOf(state.errors, 'list');
  return consoleDocument(
    <ConsolePage config={config} title="Rules builder" signOutToken={page.signOutToken} current="sources" script>
      <h1>Rules builder</h1>
      <p>
        Shows a list page as a still snapshot (no script, nothing loaded from elsewhere). Click the title of one post, then of another if
        the list is not right yet; click a post’s date to read dates from there. The posts the rules find appear beside it.
      </p>
      <ErrorSummary errors={state.errors.filter((e) => e.field === 'address' || e.field === 'rules')} labels={LABELS} />
      {state.source ? (
        <p>
          Building the rules of <strong>{state.source.name}</strong> (<code>{state.address}</code>).
        </p>
      ) : (
        <form method="get" action="/admin/sources/builder" class="filters">
          <Field id="address" label="Address of the list page" error={addressError}>
            <input
              id="address"
              name="address"
              type="url"
              required
              value={state.address}
              spellcheck={false}
              {...described('address', false, addressError)}
            />
          </Field>
          <button type="submit">Open page</button>
        </form>
      )}
      {state.read ? (
        <>
          <div class="builder">
            <iframe
              class="snapshot"
              src={snapshotUrl(state)}
              sandbox="allow-same-origin"
              title={frameTitle || 'Snapshot of the list page: click a post’s title'}
              data-builder-frame=""
            />
            <section class="builder-results" id="builder-results" aria-live="polite" aria-labelledby="results-heading">
              <BuilderResults state={state} token={token} />
            </section>
          </div>
          <h2>Or choose a list</h2>
          {state.offered.length === 0 ? (
            <p>No list of posts was found on the page without examples: click or type a title.</p>
          ) : (
            <form method="post" action="/admin/sources/builder">
              <Carried state={state} token={token} examples={false} />
              <fieldset {...described('list', false, listError)}>
                <legend>Lists found on the page</legend>
                {listError ? (
                  <p class="hint error-text" id="list-error">
                    {listError}
                  </p>
                ) : null}
                {state.offered.map((list, i) => (
                  <div class="check">
                    <label>
                      <input type="radio" name="list" value={list.examples.join(' ')} checked={i === 0} /> {list.count} posts:{' '}
                      {list.titles.join(' · ')}
                    </label>
                  </div>
                ))}
              </fieldset>
              <button type="submit">Use this list</button>
            </form>
          )}
        </>
      ) : null}
    </ConsolePage>,
  );
}

/** The snapshot's own style sheet: the page's words in a plain readable form; what was clicked and the posts found marked by the console's script. */
const SNAPSHOT_STYLE =
  'html{color-scheme:light}body{font:16px/1.5 system-ui,sans-serif;margin:1rem;color:#1a1a1a;background:#fff}' +
  'a{color:#0b57d0;text-decoration:underline;cursor:pointer}img{border:1px dashed #777;padding:.25rem}' +
  '[data-sp]:hover{outline:1px dotted #0b57d0}[data-found]{background:#fff0b3}[data-picked]{outline:3px solid #b3261e;outline-offset:2px}';

/**
 * The snapshot document of a page's annotated body: sanitized without any URL (sanitizeSnapshot),
 * its own style sheet inline (its policy allows inline styles and nothing else).
 */
export function renderSnapshot(body: string, lang: string | null, title: string): string {
  const safeLang = lang && /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(lang) ? ` lang="${lang}"` : '';
  const escaped = title.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html${safeLang}><head><meta charset="utf-8"><title>${escaped}</title><style>${SNAPSHOT_STYLE}</style></head><body>${sanitizeSnapshot(body)}</body></html>`;
}
