import { siteConfig } from '../../config';
import type { Enclosure, Entry } from '../../domain/entry';
import { fieldErrors, plainWords } from '../../http/validation';
import { mediaFacts, type StoredMedia } from '../../media/store';
import type { FieldError } from '../../render/console/parts';
import type { PostForm } from '../../render/console/editor';
import { type PostBody, postBody, postPatch } from '../post-schema';
import { field, type PostedForm } from './forms';

// The editor's form and the admin API's body, both ways: a stored post as the form shows it, and
// a posted form as the body src/posts/write.ts takes (checked by the API's own schema), with the
// button pressed deciding the status and date. Errors name the form's fields.

/** What the editor's buttons do: `preview` and `upload` write nothing; the others save. */
export type EditorAction = 'preview' | 'upload' | 'draft' | 'schedule' | 'publish';

const ACTIONS = new Set<EditorAction>(['preview', 'upload', 'draft', 'schedule', 'publish']);

export function actionOf(posted: PostedForm): EditorAction {
  const action = field(posted, 'action') as EditorAction;
  return ACTIONS.has(action) ? action : 'preview';
}

/** A moment as the form's `Publish at` holds it: UTC, to the second. */
const toFormDate = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** An empty editor: Markdown, content first. */
export const EMPTY_FORM: PostForm = {
  title: '',
  slug: '',
  format: 'markdown',
  content: '',
  summary: '',
  tags: '',
  authors: '',
  publishAt: '',
  image: '',
  enclosures: '',
  use: 'content',
  alt: '',
};

const enclosureLine = (e: Enclosure) => [e.url, e.type, e.length, ...(e.duration ? [e.duration] : [])].join(' ');

/**
 * A stored post as the editor shows it: in the Markdown it was written in, else its HTML. A
 * draft's date is left out: publishing it later means now, not the day it was begun.
 */
export function formFromPost(post: Entry, markdown: string | null): PostForm {
  return {
    ...EMPTY_FORM,
    title: post.title,
    slug: post.slug ?? '',
    format: markdown !== null ? 'markdown' : 'html',
    content: markdown ?? post.contentHtml,
    summary: post.summary,
    tags: post.tags.map((t) => t.name).join(', '),
    authors: post.authors.map((a) => a.name).join(', '),
    publishAt: post.status === 'draft' ? '' : toFormDate(post.publishedAt.getTime()),
    image: post.image ?? '',
    enclosures: post.enclosures.map(enclosureLine).join('\n'),
  };
}

/** The posted form's fields, as typed. */
export function formFromPosted(posted: PostedForm): PostForm {
  const use = field(posted, 'use');
  return {
    title: field(posted, 'title'),
    slug: field(posted, 'slug'),
    format: field(posted, 'format') === 'html' ? 'html' : 'markdown',
    content: field(posted, 'content'),
    summary: field(posted, 'summary'),
    tags: field(posted, 'tags'),
    authors: field(posted, 'authors'),
    publishAt: field(posted, 'publish_at'),
    image: field(posted, 'image'),
    enclosures: field(posted, 'enclosures'),
    use: use === 'enclosure' || use === 'image' ? use : 'content',
    alt: field(posted, 'alt'),
  };
}

/** The form with an uploaded file put where it was asked to go; and where that was, in words. */
export function withUpload(form: PostForm, file: StoredMedia): { form: PostForm; where: string } {
  if (form.use === 'image') return { form: { ...form, image: file.url }, where: "as the post's image" };
  if (form.use === 'enclosure') {
    const line = enclosureLine({ url: file.url, type: file.type, length: file.length });
    return {
      form: { ...form, enclosures: form.enclosures.trim() ? `${form.enclosures.trimEnd()}\n${line}` : line },
      where: 'as an enclosure',
    };
  }
  const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const snippet =
    file.kind === 'audio'
      ? `<audio controls src="${file.url}"></audio>`
      : form.format === 'markdown'
        ? `![${form.alt.replace(/[[\]\\]/g, '\\$&')}](${file.url})`
        : `<img src="${file.url}" alt="${escapeAttribute(form.alt)}">`;
  const block = form.format === 'html' && file.kind === 'image' ? `<p>${snippet}</p>` : snippet;
  return {
    form: { ...form, content: form.content.trim() ? `${form.content.trimEnd()}\n\n${block}\n` : `${block}\n` },
    where: 'at the end of the content',
  };
}

const FORM_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

/** `Publish at` as ms: null when empty, NaN when it is not a date. */
export function publishAtOf(form: PostForm): number | null {
  const value = form.publishAt.trim();
  if (value === '') return null;
  return FORM_DATE.test(value) ? Date.parse(`${value}Z`) : Number.NaN;
}

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The Enclosures field's lines as enclosures: `URL TYPE BYTES [SECONDS]`, or the address of a file
 * uploaded here alone (its type and size are looked up). Each bad line is an error.
 */
export async function enclosuresOf(env: Env, text: string): Promise<{ enclosures: Enclosure[]; errors: string[] }> {
  const siteUrl = siteConfig(env).url;
  const enclosures: Enclosure[] = [];
  const errors: string[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const [url = '', type, length, duration, ...rest] = line.split(/\s+/);
    if (type === undefined) {
      const key = url.startsWith(`${siteUrl}/media/`) ? url.slice(siteUrl.length + '/media/'.length) : null;
      const file = key && /^[0-9a-f]{64}\.[a-z0-9]+$/.test(key) ? await mediaFacts(env.MEDIA, siteUrl, key) : null;
      if (file) enclosures.push({ url: file.url, type: file.type, length: file.length });
      else errors.push(`line ${i + 1}: give the type and the size in bytes after the address (only files uploaded here are known without)`);
      continue;
    }
    const n = Number(length);
    const seconds = duration === undefined ? undefined : Number(duration);
    if (rest.length || !Number.isSafeInteger(n) || n < 0 || (seconds !== undefined && (!Number.isSafeInteger(seconds) || seconds < 0))) {
      errors.push(`line ${i + 1}: write the address, the type, the size in bytes and, for audio or video, the seconds it plays`);
      continue;
    }
    enclosures.push({ url, type, length: n, ...(seconds !== undefined ? { duration: seconds } : {}) });
  }
  return { enclosures, errors };
}

/** The form's id of each field of the API's body (the editor has one Content for both of its kinds). */
const FIELD_OF: Record<string, string> = {
  title: 'title',
  slug: 'slug',
  summary: 'summary',
  content_html: 'content',
  content_markdown: 'content',
  authors: 'authors',
  tags: 'tags',
  published_at: 'publish_at',
  status: 'publish_at',
  enclosures: 'enclosures',
  image: 'image',
};

/** An error of the API's schema or the write path, on the form's field. */
export function formError(apiField: string, message: string): FieldError {
  const [name = '', index] = apiField.split('.');
  const where =
    index !== undefined && /^\d+$/.test(index)
      ? ` (${name === 'tags' ? 'tag' : name === 'authors' ? 'author' : 'line'} ${Number(index) + 1})`
      : '';
  return { field: FIELD_OF[name] ?? 'title', message: `${message}${where}` };
}

/**
 * The body the posted form and the button pressed make, for a new post (`before` null) or over a
 * stored one, checked by the admin API's schema; or the errors that keep it from being saved.
 * Publish: live now (or at a past date given); Schedule: live at a date to come, which it needs;
 * Save draft: a draft, dated as given or now.
 */
export async function bodyFromForm(
  env: Env,
  form: PostForm,
  action: 'draft' | 'schedule' | 'publish',
  before: Entry | null,
  now: number,
): Promise<{ ok: true; body: Partial<PostBody> } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const at = publishAtOf(form);
  if (Number.isNaN(at)) errors.push({ field: 'publish_at', message: 'must be a date and a time, such as 2026-05-01T09:30' });
  let publishedAt = now;
  if (action === 'schedule') {
    if (at === null || Number.isNaN(at) || at <= now) {
      if (!Number.isNaN(at)) errors.push({ field: 'publish_at', message: 'give a date and time to come to schedule the post (UTC)' });
    } else publishedAt = at;
  } else if (at !== null && !Number.isNaN(at) && (action === 'draft' || at <= now)) publishedAt = at;

  const siteAuthor = siteConfig(env).author;
  const names = splitList(form.authors);
  if (names.length === 0 && siteAuthor === null)
    errors.push({ field: 'authors', message: 'list at least one author (or set SITE_AUTHOR)' });
  const known = new Map((before?.authors ?? []).map((a) => [a.name, a]));
  const authors = (names.length ? names : siteAuthor ? [siteAuthor] : []).map((name) => {
    const { email, url } = known.get(name) ?? {};
    return { name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
  });

  const { enclosures, errors: enclosureErrors } = await enclosuresOf(env, form.enclosures);
  for (const message of enclosureErrors) errors.push({ field: 'enclosures', message });

  const raw: Record<string, unknown> = {
    title: form.title,
    ...(form.slug.trim() ? { slug: form.slug.trim() } : {}),
    summary: form.summary,
    [form.format === 'markdown' ? 'content_markdown' : 'content_html']: form.content,
    authors,
    tags: splitList(form.tags),
    status: action === 'draft' ? 'draft' : 'published',
    published_at: new Date(publishedAt).toISOString(),
    enclosures,
    image: form.image.trim() || null,
  };
  // The admin API's schema, and its words for what each refused field expects.
  const schema = before ? postPatch : postBody;
  const checked = schema.safeParse(raw, { error: plainWords(schema) });
  if (!checked.success) for (const e of fieldErrors(checked.error, 'title')) errors.push(formError(e.field, e.message));
  if (errors.length || !checked.success) return { ok: false, errors: dedupe(errors) };
  return { ok: true, body: checked.data };
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
