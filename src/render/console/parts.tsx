import type { Child } from 'hono/jsx';

// Pieces the console's pages share: labelled fields with their hints and errors, the summary of
// a form's errors, notices, the pager of a list, and dates as the console writes them.

/** One wrong field of a posted form: `field` is the id of its control (the summary links to it). */
export type FieldError = { field: string; message: string };

/** The message of a field's error, if it has one. */
export const errorOf = (errors: FieldError[], field: string): string | null =>
  errors
    .filter((e) => e.field === field)
    .map((e) => e.message)
    .join(' ') || null;

/**
 * A labelled control (passed as `children`, with the id `id`) with an optional hint and error
 * under it; the control itself names them in its aria-describedby (see described()).
 */
export function Field(props: { id: string; label: string; hint?: Child; error: string | null; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p class="hint error-text" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A group of checkboxes named `name` (the fieldset has the id `name`, so an error summary links
 * to it), its error under the legend; each option shows its value as code and what it means.
 */
export function Checkboxes(props: {
  name: string;
  legend: string;
  options: [value: string, what: Child][];
  checked: string[];
  error: string | null;
  children?: Child;
}) {
  return (
    <fieldset id={props.name} aria-describedby={props.error ? `${props.name}-error` : undefined}>
      <legend>{props.legend}</legend>
      {props.error ? (
        <p class="hint error-text" id={`${props.name}-error`}>
          {props.error}
        </p>
      ) : null}
      {props.options.map(([value, what]) => (
        <div class="check">
          <label>
            <input type="checkbox" name={props.name} value={value} checked={props.checked.includes(value)} /> <code>{value}</code>: {what}
          </label>
        </div>
      ))}
      {props.children}
    </fieldset>
  );
}

/** Values as code, separated by commas: a token's scopes, a webhook's events. */
export function CodeList(props: { values: string[] }) {
  return (
    <>
      {props.values.map((value, i) =>
        i ? (
          <>
            , <code>{value}</code>
          </>
        ) : (
          <code>{value}</code>
        ),
      )}
    </>
  );
}

/** The aria-describedby and aria-invalid of a Field's control. */
export function described(id: string, hint: boolean, error: string | null): Record<string, string | undefined> {
  const ids = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': error ? 'true' : undefined };
}

/** What is wrong with a posted form, each error linking to its field; focusable, and announced. */
export function ErrorSummary(props: { errors: FieldError[]; labels: Record<string, string> }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="notice error" role="alert" id="errors" tabindex={-1}>
      <p>
        <strong>
          {props.errors.length === 1 ? 'One thing needs fixing' : `${props.errors.length} things need fixing`} before this can be saved:
        </strong>
      </p>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{props.labels[e.field] ?? e.field}</a>: {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A message about what just happened (saved, deleted, made). */
export function Notice(props: { children: Child; kind?: 'error' }) {
  return (
    <div class={props.kind === 'error' ? 'notice error' : 'notice'} role="status">
      {props.children}
    </div>
  );
}

/** Links to the previous and next pages of a list, when it has more than one. */
export function Pager(props: { page: number; pages: number; url: (page: number) => string }) {
  if (props.pages <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      {props.page > 1 ? (
        <a href={props.url(props.page - 1)} rel="prev">
          Previous page
        </a>
      ) : null}
      <span>
        Page {props.page} of {props.pages}
      </span>
      {props.page < props.pages ? (
        <a href={props.url(props.page + 1)} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A moment as the console shows it: in UTC, which it says (the console's times are all UTC). */
export function When(props: { at: number }) {
  return <time datetime={new Date(props.at).toISOString()}>{`${DATE_TIME.format(props.at)} UTC`}</time>;
}

/** A size in bytes, in the largest unit that keeps it readable. */
export function bytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1000) return `${Math.round(n / 1000)} kB`;
  return `${n} B`;
}

/** An address to select and copy: a read-only field, and a Copy button the console's script shows. */
export function Copyable(props: { id: string; label: string; value: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="copyable">
        <input id={props.id} type="text" readonly value={props.value} />
        <button type="button" data-copy={props.id} hidden>
          Copy
        </button>
      </div>
    </div>
  );
}
