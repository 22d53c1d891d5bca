import type { Context } from 'hono';
import type { AppEnv, Session } from '../../http/app-env';
import { ProblemError } from '../../http/problem';
import { formToken, formTokenState } from '../../http/session';

// The console's forms: each page's forms carry a token made for the form's name and the session
// (src/http/session.ts), checked when the form comes back, on top of hono/csrf's Origin check.

/** The forms of the console, by the name their tokens are made for. */
export type FormName =
  | 'sign-out'
  | 'post'
  | 'post-unpublish'
  | 'post-delete'
  | 'media'
  | 'move'
  | 'token'
  // The sources' pages (sources.ts): find, add and edit; refresh, pause and resume; delete.
  | 'source'
  | 'source-action'
  | 'source-delete'
  // Filter rules: a source's (on its edit page) and a view's (/admin/filters).
  | 'filters'
  | 'opml'
  | 'webhook'
  | 'builder';

export type FormValue = string | File | (string | File)[];
export type PostedForm = Record<string, FormValue>;

/** The signed-in session (the console's guard let the request in only with one). */
export function sessionOf(c: Context<AppEnv>): Session {
  const session = c.get('session');
  if (!session) throw new ProblemError(401, 'Unauthorized', 'Sign in first.');
  return session;
}

/** A token for one of this session's forms. */
export const tokenFor = (c: Context<AppEnv>, form: FormName): Promise<string> => formToken(c.env, form, sessionOf(c).id, Date.now());

const REFUSED = 'This form was too old or not made by this console: go back, reload the page and send it again.';

/** The posted form, once its token checks out for `form` and this session; a 403 otherwise. */
export async function postedForm(c: Context<AppEnv>, form: FormName): Promise<PostedForm> {
  const { posted, stale } = await postedFormOrStale(c, form);
  if (stale) throw new ProblemError(403, 'Forbidden', REFUSED);
  return posted;
}

/**
 * The posted form, and whether its token, made by this console for this form and session, has
 * expired (the page was open longer than a form token lasts). A form that can be shown again as
 * it was sent (the editor) is, rather than its text lost; anything else is a 403.
 */
export async function postedFormOrStale(c: Context<AppEnv>, form: FormName): Promise<{ posted: PostedForm; stale: boolean }> {
  const posted = (await c.req.parseBody({ all: true })) as PostedForm;
  const state = await formTokenState(c.env, form, sessionOf(c).id, field(posted, 'csrf'), Date.now());
  if (state === 'invalid') throw new ProblemError(403, 'Forbidden', REFUSED);
  return { posted, stale: state === 'expired' };
}

/** A text field's value ('' when absent; the first of repeated ones). */
export function field(form: PostedForm, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Every value of a repeated field (checkboxes), text only. */
export function fields(form: PostedForm, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}

/** An uploaded file of the form, or null when none was chosen. */
export function fileField(form: PostedForm, name: string): File | null {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null && first.size > 0 ? first : null;
}
