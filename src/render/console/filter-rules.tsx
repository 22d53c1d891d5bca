import type { SiteConfig } from '../../config';
import { ConsolePage, consoleDocument } from './layout';
import { described, ErrorSummary, errorOf, Field, type FieldError, Notice } from './parts';

// The filter rules' editor (docs/filters.md), one form for a source's rules (on its edit page) and
// for a view's (/admin/filters): a row per rule, Add a rule and Remove as plain form posts, Preview
// rules judging the stored items without saving, Save filter rules. The routes turn rows into rules
// and back (src/routes/console/filter-form.ts).

/** One rule as its row shows it, as typed. */
export type FilterRow = { action: string; field: string; match: string; pattern: string; maxDays: string };

/** What Preview rules found, each blocked item with the rule that blocks it in words ("Rule 2"). */
export type FilterPreviewShown = {
  kept: { title: string; link: string | null }[];
  blocked: { title: string; link: string | null; rule: string }[];
};

export type FilterEditor = {
  /** Where the form posts. */
  action: string;
  /** Hidden fields the form carries (a view's key). */
  hidden: Record<string, string>;
  token: string;
  rows: FilterRow[];
  /** Errors by control id (`filter-2-pattern`), from the rules' names (`filters.2.pattern`). */
  errors: FieldError[];
  preview: FilterPreviewShown | null;
  notice: string | null;
};

/** A blank row, as Add a rule adds it. */
export const BLANK_ROW: FilterRow = { action: 'block', field: 'title', match: 'words', pattern: '', maxDays: '' };

const ACTIONS: [string, string][] = [
  ['block', 'Block'],
  ['keep', 'Keep'],
];
const FIELDS: [string, string][] = [
  ['title', 'Title'],
  ['content', 'Content'],
  ['author', 'Author'],
  ['category', 'Category'],
  ['link', 'Link'],
  ['enclosure_type', 'Enclosure type'],
  ['age', 'Age'],
];
const MATCHES: [string, string][] = [
  ['words', 'Words'],
  ['regex', 'Regex (RE2)'],
];

/** The id of a row's control: `filter-<row>-<part>`. */
export const controlId = (row: number, part: string) => `filter-${row}-${part}`;

const PARTS: Record<string, string> = { action: 'action', field: 'field', match: 'match', pattern: 'pattern', max_days: 'max days' };

/** The names of the controls for the error summary: `filter-2-pattern` is "Rule 3 pattern". */
export function filterLabels(rows: number): Record<string, string> {
  const labels: Record<string, string> = { 'filter-rules': 'Filter rules' };
  for (let i = 0; i < rows; i++) for (const [part, words] of Object.entries(PARTS)) labels[controlId(i, part)] = `Rule ${i + 1} ${words}`;
  return labels;
}

function Select(props: { id: string; name: string; label: string; value: string; options: [string, string][]; error: string | null }) {
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      <select id={props.id} name={props.name} {...described(props.id, false, props.error)}>
        {props.options.map(([value, words]) => (
          <option value={value} selected={props.value === value}>
            {words}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Text(props: { id: string; name: string; label: string; value: string; error: string | null; hint?: string; numeric?: boolean }) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <input
        id={props.id}
        name={props.name}
        type="text"
        inputmode={props.numeric ? 'numeric' : undefined}
        spellcheck={false}
        value={props.value}
        {...described(props.id, Boolean(props.hint), props.error)}
      />
    </Field>
  );
}

function Row(props: { row: FilterRow; i: number; errors: FieldError[] }) {
  const { row, i, errors } = props;
  const n = i + 1;
  const err = (part: string) => errorOf(errors, controlId(i, part));
  return (
    <fieldset class="rule">
      <legend>Rule {n}</legend>
      <div class="rule-fields">
        <Select
          id={controlId(i, 'action')}
          name={`filter.${i}.action`}
          label={`Rule ${n} action`}
          value={row.action}
          options={ACTIONS}
          error={err('action')}
        />
        <Select
          id={controlId(i, 'field')}
          name={`filter.${i}.field`}
          label={`Rule ${n} field`}
          value={row.field}
          options={FIELDS}
          error={err('field')}
        />
        <Select
          id={controlId(i, 'match')}
          name={`filter.${i}.match`}
          label={`Rule ${n} match`}
          value={row.match}
          options={MATCHES}
          error={err('match')}
        />
        <Text
          id={controlId(i, 'pattern')}
          name={`filter.${i}.pattern`}
          label={`Rule ${n} pattern`}
          value={row.pattern}
          error={err('pattern')}
        />
        <Text
          id={controlId(i, 'max_days')}
          name={`filter.${i}.max_days`}
          label={`Rule ${n} max days`}
          value={row.maxDays}
          error={err('max_days')}
          hint="Age rules only."
          numeric
        />
      </div>
      <div class="field check">
        <label>
          <input type="checkbox" name={`filter.${i}.remove`} value="1" /> Remove rule {n}
        </label>
      </div>
    </fieldset>
  );
}

/** An item of a preview: its title, linked when it has a link. */
function Item(props: { title: string; link: string | null }) {
  const words = props.title || props.link || '(untitled)';
  return props.link ? (
    <a href={props.link} rel="noreferrer noopener">
      {words}
    </a>
  ) : (
    <span>{words}</span>
  );
}

/** Items shown per list of a preview (the counts say how many in all). */
const SHOWN = 100;

function Preview(props: { preview: FilterPreviewShown }) {
  const { kept, blocked } = props.preview;
  return (
    <section class="preview" aria-labelledby="filter-preview-heading">
      <h2 id="filter-preview-heading">What these rules do</h2>
      <p role="status">
        Of the stored items, {kept.length} kept and {blocked.length} blocked. Nothing is saved until <strong>Save filter rules</strong>.
      </p>
      <h3>Blocked</h3>
      {blocked.length === 0 ? (
        <p>None.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <caption class="visually-hidden">Blocked items and the rule that blocks each</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Blocked by</th>
              </tr>
            </thead>
            <tbody>
              {blocked.slice(0, SHOWN).map((item) => (
                <tr>
                  <td class="address">
                    <Item title={item.title} link={item.link} />
                  </td>
                  <td>{item.rule}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Kept</h3>
      {kept.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {kept.slice(0, SHOWN).map((item) => (
            <li class="address">
              <Item title={item.title} link={item.link} />
            </li>
          ))}
        </ul>
      )}
      {kept.length > SHOWN || blocked.length > SHOWN ? <p>The first {SHOWN} of each are shown.</p> : null}
    </section>
  );
}

/** The editor: the form of rows with its buttons, then the preview when one was asked for. */
export function FilterRulesForm(props: { editor: FilterEditor; intro: string }) {
  const { editor } = props;
  return (
    <section aria-labelledby="filter-rules-heading">
      <h2 id="filter-rules-heading">Filter rules</h2>
      <p>{props.intro}</p>
      <p class="hint">
        If any rule keeps, an item must match one of the keep rules; any block rule that matches drops it. Words match whole words in any
        case (<code>sponsored|paid partnership</code>); a regex is RE2 syntax, case-sensitive unless it says <code>(?i)</code>. An age rule
        takes Max days instead of a pattern.
      </p>
      {editor.notice ? (
        <Notice>
          <p>{editor.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={editor.errors} labels={filterLabels(editor.rows.length)} />
      <form method="post" action={editor.action}>
        <input type="hidden" name="csrf" value={editor.token} />
        {Object.entries(editor.hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="filter.rows" value={String(editor.rows.length)} />
        <fieldset id="filter-rules" aria-describedby={errorOf(editor.errors, 'filter-rules') ? 'filter-rules-error' : undefined}>
          <legend>Filter rules</legend>
          {errorOf(editor.errors, 'filter-rules') ? (
            <p class="hint error-text" id="filter-rules-error">
              {errorOf(editor.errors, 'filter-rules')}
            </p>
          ) : null}
          {editor.rows.length === 0 ? <p>No rules: every item is served.</p> : null}
          {editor.rows.map((row, i) => (
            <Row row={row} i={i} errors={editor.errors} />
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" name="do" value="save" class="primary">
            Save filter rules
          </button>
          <button type="submit" name="do" value="preview">
            Preview rules
          </button>
          <button type="submit" name="do" value="add">
            Add a rule
          </button>
        </div>
      </form>
      {editor.preview ? <Preview preview={editor.preview} /> : null}
    </section>
  );
}

/** A view with rules of its own, as the page's select names it. */
export type FilteredView = { key: string; name: string };

export function renderViewFilters(
  config: SiteConfig,
  page: { views: FilteredView[]; view: FilteredView; editor: FilterEditor; signOutToken: string },
): string {
  return consoleDocument(
    <ConsolePage config={config} title="Filters" signOutToken={page.signOutToken} current="filters">
      <h1>Filters</h1>
      <p>
        Rules of the views that merge sources: the site's sources in the site's feeds, the planet, and each tag's planet. They block an item
        in that view only: its source's own feed still has it. A source's own rules are on its edit page.
      </p>
      <form method="get" action="/admin/filters" class="filters" aria-label="Choose a view">
        <div class="field">
          <label for="view">View</label>
          <select id="view" name="view">
            {page.views.map((v) => (
              <option value={v.key} selected={v.key === page.view.key}>
                {v.name.charAt(0).toUpperCase() + v.name.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <FilterRulesForm
        editor={page.editor}
        intro={`The rules of ${page.view.name}: saving judges the stored items of its sources again at once.`}
      />
    </ConsolePage>,
  );
}
