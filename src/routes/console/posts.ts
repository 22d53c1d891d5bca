import { isQueryError, parseSearchQuery } from '../../domain/search-query';
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { siteConfig } from '../../config';
import { findPostsByIds } from '../../db/entries';
import { formerSlugs, listDeletedPosts, listPostIds, postFacets, postMarkdown } from '../../db/posts';
import { ConstraintError } from '../../db/constraint-error';
import type { Entry } from '../../domain/entry';
import { ConflictError } from '../../domain/conflict-error';
import type { AppEnv } from '../../http/app-env';
import { backgroundOf } from '../../http/background';
import { ProblemError } from '../../http/problem';
import { MediaRefused, type StoredMedia, storeMedia } from '../../media/store';
import { existingPost, removePost, rewritePost, writeNewPost } from '../../posts/write';
import { type EditorPage, type PostForm, type PostState, renderDeletePage, renderEditorPage } from '../../render/console/editor';
import type { FieldError } from '../../render/console/parts';
import { type ListFilters, type PostRow, renderPostList } from '../../render/console/posts';
import { postUrl } from '../../views/urls';
import { adoptedSlugs } from '../admin-middleware';
import { fileField, postedForm, postedFormOrStale, tokenFor } from './forms';
import { actionOf, bodyFromForm, EMPTY_FORM, formError, formFromPost, formFromPosted, withUpload } from './post-form';
import { renderPreview } from './preview';
import { deletedNotice, savedNotice, staleNotice, uploadedNotice } from '../../render/console/post-notices';

/** The console's posts: the list, the editor and its preview, unpublishing and deleting. Writes go through src/posts/write.ts. */
export const postPages = new Hono<AppEnv>();

postPages.use('*', adoptedSlugs);

const PAGE_SIZE = 25;
const STATES = new Set(['published', 'scheduled', 'draft', 'deleted']);
const bare = (id: string) => id.replace(/^urn:uuid:/, '');

/** A stored post's state at `now`: a published post with a date to come is scheduled. */
export const stateOf = (post: Entry, now: number): PostState =>
  post.status === 'draft' ? 'draft' : post.publishedAt.getTime() > now ? 'scheduled' : 'published';

postPages.get('/', async (c) => {
  const now = Date.now();
  const query = c.req.query();
  const filters: ListFilters = {
    status: STATES.has(query.status ?? '') ? (query.status as ListFilters['status']) : '',
    tag: query.tag ?? '',
    author: query.author ?? '',
    q: (query.q ?? '').slice(0, 200),
    page: /^[1-9]\d{0,5}$/.test(query.page ?? '') ? Number(query.page) : 1,
  };
  const offset = (filters.page - 1) * PAGE_SIZE;
  const facets = await postFacets(c.env.DB);
  const config = siteConfig(c.env);
  let rows: PostRow[];
  let total: number;
  if (filters.status === 'deleted') {
    const deleted = await listDeletedPosts(c.env.DB, { title: filters.q || undefined, limit: PAGE_SIZE, offset });
    total = deleted.total;
    rows = deleted.posts.map((p) => ({
      id: null,
      title: p.title ?? p.slug,
      state: 'deleted',
      at: p.deletedAt,
      url: postUrl(config, p.slug),
      tags: [],
      authors: [],
    }));
  } else {
    const text = filters.q ? parseSearchQuery(filters.q) : null;
    const listed = await listPostIds(c.env.DB, {
      status: filters.status === 'draft' ? 'draft' : undefined,
      due: filters.status === 'published' || filters.status === 'scheduled' ? { now, live: filters.status === 'published' } : undefined,
      tag: filters.tag || undefined,
      author: filters.author || undefined,
      // The same search as /search (src/db/search.ts); a query it refuses (a single letter) matches titles.
      ...(text && !isQueryError(text) ? { text } : { title: filters.q || undefined }),
      limit: PAGE_SIZE,
      offset,
    });
    total = listed.total;
    rows = (await findPostsByIds(c.env.DB, listed.ids)).map((p) => ({
      id: bare(p.id),
      title: p.title,
      state: stateOf(p, now),
      at: p.publishedAt.getTime(),
      url: postUrl(config, p.slug ?? ''),
      tags: p.tags.map((t) => t.name),
      authors: p.authors.map((a) => a.name),
    }));
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (filters.page > pages) throw new ProblemError(404, 'Not Found', `This list has no page ${filters.page}.`);
  const notice = deletedNotice(config, query.deleted);
  return c.html(renderPostList(config, { filters, rows, total, pages, facets, notice, signOutToken: await tokenFor(c, 'sign-out') }));
});

postPages.get('/new', async (c) => c.html(renderEditorPage(siteConfig(c.env), await editorPage(c, null, EMPTY_FORM, {}))));
postPages.post('/new', (c) => save(c, null));

/** The preview alone, for the editor's script: the posted form rendered, nothing stored. */
postPages.post('/preview', async (c) => {
  const posted = await postedForm(c, 'post');
  const id = typeof posted.id === 'string' && posted.id ? posted.id : null;
  const before = id ? await existingPost(c.env.DB, id).catch(() => null) : null;
  const html = await renderPreview(c.env, formFromPosted(posted), before, Date.now());
  return c.html(html ?? '<p class="meta">Write a title and some content to see the preview.</p>');
});

postPages.get('/:id', async (c) => {
  const post = await existingPost(c.env.DB, c.req.param('id'));
  const form = formFromPost(post, await postMarkdown(c.env.DB, post.id));
  const notice = savedNotice(siteConfig(c.env), c.req.query('saved'), post, Date.now());
  return c.html(renderEditorPage(siteConfig(c.env), await editorPage(c, post, form, { notice, preview: true })));
});
postPages.post('/:id', (c) => save(c, c.req.param('id')));

postPages.post('/:id/unpublish', async (c) => {
  await postedForm(c, 'post-unpublish');
  const before = await existingPost(c.env.DB, c.req.param('id'));
  await rewritePost(c.env, backgroundOf(c), before, { status: 'draft' }, true);
  return c.redirect(`/admin/posts/${bare(before.id)}?saved=unpublished`, 303);
});

postPages.get('/:id/delete', async (c) => {
  const post = await existingPost(c.env.DB, c.req.param('id'));
  const config = siteConfig(c.env);
  const former = await formerSlugs(c.env.DB, post.id);
  return c.html(
    renderDeletePage(config, {
      id: bare(post.id),
      title: post.title,
      url: postUrl(config, post.slug ?? ''),
      formerUrls: former.map((s) => postUrl(config, s)),
      token: await tokenFor(c, 'post-delete'),
      signOutToken: await tokenFor(c, 'sign-out'),
    }),
  );
});

postPages.post('/:id/delete', async (c) => {
  await postedForm(c, 'post-delete');
  const post = await existingPost(c.env.DB, c.req.param('id'));
  await removePost(c.env, backgroundOf(c), post);
  return c.redirect(`/admin/posts?status=deleted&deleted=${encodeURIComponent(post.slug ?? '')}`, 303);
});

/**
 * The editor's form posted: the file stored when one was chosen, then by the button pressed,
 * the form again with its preview (Preview, Upload), or the post written (Save draft, Schedule,
 * Publish) and the browser sent to it; with what went wrong, the form again as typed, saying so.
 */
async function save(c: Context<AppEnv>, id: string | null): Promise<Response> {
  const now = Date.now();
  const { posted, stale } = await postedFormOrStale(c, 'post');
  const before = id === null ? null : await existingPost(c.env.DB, id);
  const action = actionOf(posted);
  let form = formFromPosted(posted);
  if (stale) {
    // Nothing is done with a form kept open too long, but nothing typed in it is lost either.
    const page = await editorPage(c, before, form, { notice: staleNotice(), preview: true });
    return c.html(renderEditorPage(siteConfig(c.env), page), 409);
  }
  const errors: FieldError[] = [];
  let notice: Child = null;

  const file = fileField(posted, 'file');
  if (file) {
    let stored: StoredMedia | null = null;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      stored = await storeMedia(c.env.MEDIA, siteConfig(c.env).url, { bytes, declaredType: file.type, name: file.name }, now);
    } catch (error) {
      if (!(error instanceof MediaRefused)) throw error;
      errors.push({ field: 'file', message: error.message });
    }
    if (stored) {
      const placed = withUpload(form, stored);
      form = placed.form;
      notice = uploadedNotice(stored, placed.where);
    }
  } else if (action === 'upload') errors.push({ field: 'file', message: 'choose a file to upload first' });

  if (errors.length || action === 'preview' || action === 'upload') {
    const page = await editorPage(c, before, form, { errors, notice, preview: true });
    return c.html(renderEditorPage(siteConfig(c.env), page), errors.length ? 400 : 200);
  }

  const checked = await bodyFromForm(c.env, form, action, before, now);
  if (!checked.ok) {
    return c.html(
      renderEditorPage(siteConfig(c.env), await editorPage(c, before, form, { errors: checked.errors, notice, preview: true })),
      400,
    );
  }
  let post: Entry;
  try {
    post = before
      ? await rewritePost(c.env, backgroundOf(c), before, checked.body, true)
      : await writeNewPost(c.env, backgroundOf(c), { title: form.title, ...checked.body });
  } catch (error) {
    const refused = writeErrors(error);
    if (!refused) throw error;
    return c.html(renderEditorPage(siteConfig(c.env), await editorPage(c, before, form, { errors: refused, notice, preview: true })), 409);
  }
  const saved = post.status === 'draft' ? 'draft' : post.publishedAt.getTime() > Date.now() ? 'scheduled' : 'published';
  return c.redirect(`/admin/posts/${bare(post.id)}?saved=${saved}`, 303);
}

/** What the write path refused (a slug taken meanwhile, a field the schema's rules refuse) as the form's errors; null for anything else. */
function writeErrors(error: unknown): FieldError[] | null {
  if (error instanceof ConflictError) return [formError(error.field, error.reason)];
  if (error instanceof ProblemError && error.problem.errors?.length) return error.problem.errors.map((e) => formError(e.field, e.message));
  if (error instanceof ConstraintError) return [formError(error.field, error.kind === 'unique' ? 'is taken' : 'is not allowed')];
  return null;
}

async function editorPage(
  c: Context<AppEnv>,
  post: Entry | null,
  form: PostForm,
  extra: { errors?: FieldError[]; notice?: Child; preview?: boolean },
): Promise<EditorPage> {
  const now = Date.now();
  const config = siteConfig(c.env);
  const [formers, preview, postToken, unpublish, signOut] = await Promise.all([
    post ? formerSlugs(c.env.DB, post.id) : [],
    extra.preview ? renderPreview(c.env, form, post, now) : null,
    tokenFor(c, 'post'),
    tokenFor(c, 'post-unpublish'),
    tokenFor(c, 'sign-out'),
  ]);
  return {
    id: post ? bare(post.id) : null,
    stored: post
      ? { state: stateOf(post, now), publishedAt: post.publishedAt.getTime(), url: postUrl(config, post.slug ?? ''), title: post.title }
      : null,
    form,
    formerSlugs: formers,
    siteAuthor: config.author,
    errors: extra.errors ?? [],
    notice: extra.notice ?? null,
    preview,
    tokens: { post: postToken, unpublish, signOut },
  };
}
