import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import { ACCEPTED_TYPES } from '../../media/sniff';
import type { FeedItem } from '../document';
import { PostMeta } from '../pages/layout';
import { PostMedia } from '../pages/pages';
import { ConsolePage, consoleDocument } from './layout';
import { described, ErrorSummary, Field, type FieldError, errorOf, When } from './parts';

// The post editor (/admin/posts/new, /admin/posts/<id>), its preview, and the page that confirms a
// deletion. One multipart form holds every field and the upload, so that everything works
// without script: Preview and Upload send the form back and get it again with the preview (and
// the file added) under it; the console's script (CONSOLE_SCRIPT_PATH) only updates the preview
// while one types.

/** The editor's fields, as typed (text), in the names the form posts them with. */
export type PostForm = {
  title: string;
  slug: string;
  format: 'markdown' | 'html';
  content: string;
  summary: string;
  tags: string;
  authors: string;
  /** `YYYY-MM-DDTHH:MM[:SS]`, UTC; '' for none. */
  publishAt: string;
  image: string;
  enclosures: string;
  /** Where an uploaded file goes. */
  use: 'content' | 'enclosure' | 'image';
  alt: string;
};

/** A stored post's state as readers see it. */
export type PostState = 'published' | 'scheduled' | 'draft';

export const STATE_NAMES: Record<PostState | 'deleted', string> = {
  published: 'Published',
  scheduled: 'Scheduled',
  draft: 'Draft',
  deleted: 'Deleted',
};

/** The editor's labels, by field id: the error summary names fields with them. */
export const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  slug: 'Slug',
  content: 'Content',
  summary: 'Summary',
  tags: 'Tags',
  authors: 'Authors',
  publish_at: 'Publish at',
  image: 'Image',
  enclosures: 'Enclosures',
  file: 'File',
};

export type EditorPage = {
  /** The post's bare UUID; null for a new post. */
  id: string | null;
  /** The stored post: its state, date and public address; null for a new post. */
  stored: { state: PostState; publishedAt: number; url: string; title: string } | null;
  form: PostForm;
  formerSlugs: string[];
  siteAuthor: string | null;
  errors: FieldError[];
  notice: Child | null;
  /** The preview's HTML (PreviewArticle), or null before there is anything to show. */
  preview: string | null;
  tokens: { post: string; unpublish: string; signOut: string };
};

/** The post as the feeds will show it, for the editor's preview: rendered and sanitized (see src/routes/console/preview.ts). */
export function PreviewArticle(props: { item: FeedItem; contentHtml: string }) {
  const { item } = props;
  return (
    <article lang={item.language ?? undefined}>
      <h3>{item.title}</h3>
      <PostMeta published={item.published} authors={item.authors} categories={item.categories} />
      {item.image ? <img class="cover" src={item.image} alt={item.title} /> : null}
      {raw(props.contentHtml)}
      <PostMedia item={item} />
    </article>
  );
}

export const previewFragment = (item: FeedItem, contentHtml: string): string =>
  String(<PreviewArticle item={item} contentHtml={contentHtml} />);

function StateLine(props: { stored: NonNullable<EditorPage['stored']> }) {
  const { stored } = props;
  return (
    <p class="meta">
      <span class={`status status-${stored.state}`}>{STATE_NAMES[stored.state]}</span>{' '}
      {stored.state === 'published' ? (
        <>
          since <When at={stored.publishedAt} /> · <a href={stored.url}>View the post</a>
        </>
      ) : stored.state === 'scheduled' ? (
        <>
          goes live on <When at={stored.publishedAt} /> by itself, at <code>{stored.url}</code>
        </>
      ) : (
        <>readers do not see it; once published it will be at {stored.url}</>
      )}
    </p>
  );
}

export function renderEditorPage(config: SiteConfig, page: EditorPage): string {
  const { form, errors } = page;
  const action = page.id ? `/admin/posts/${page.id}` : '/admin/posts/new';
  const text = (id: string, label: string, value: string, hint: Child | null, extra: Record<string, unknown> = {}) => {
    const error = errorOf(errors, id);
    return (
      <Field id={id} label={label} hint={hint ?? undefined} error={error}>
        <input id={id} name={id} type="text" value={value} {...described(id, hint !== null, error)} {...extra} />
      </Field>
    );
  };
  const area = (id: string, label: string, value: string, hint: Child | null, extra: Record<string, unknown> = {}) => {
    const error = errorOf(errors, id);
    return (
      <Field id={id} label={label} hint={hint ?? undefined} error={error}>
        <textarea id={id} name={id} {...described(id, hint !== null, error)} {...extra}>
          {value}
        </textarea>
      </Field>
    );
  };
  const publishAtError = errorOf(errors, 'publish_at');
  const fileError = errorOf(errors, 'file');
  return consoleDocument(
    <ConsolePage
      config={config}
      title={page.id ? `Edit: ${page.stored?.title ?? form.title}` : 'New post'}
      signOutToken={page.tokens.signOut}
      current={page.id ? 'posts' : 'new-post'}
      script
    >
      <h1>{page.id ? 'Edit post' : 'New post'}</h1>
      {page.stored ? <StateLine stored={page.stored} /> : null}
      {page.notice}
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      <form method="post" action={action} enctype="multipart/form-data" id="editor" data-preview="/admin/posts/preview">
        <input type="hidden" name="csrf" value={page.tokens.post} />
        {page.id ? <input type="hidden" name="id" value={page.id} /> : null}
        {text('title', 'Title', form.title, null, { required: true, maxlength: 500 })}
        {text(
          'slug',
          'Slug',
          form.slug,
          <>
            The last part of the post's address (<code>/posts/slug</code>). Empty: made from the title. A changed slug keeps the old address
            working: it answers 301 to the new one.
            {page.formerSlugs.length ? (
              <>
                {' '}
                Former slugs, each redirecting here:{' '}
                {page.formerSlugs.map((s, i) => (
                  <>
                    {i > 0 ? ', ' : null}
                    <code>{s}</code>
                  </>
                ))}
                .
              </>
            ) : null}
          </>,
          { maxlength: 200, spellcheck: false, autocapitalize: 'off' },
        )}
        <fieldset class="choices">
          <legend>Content format</legend>
          <label>
            <input type="radio" name="format" value="markdown" checked={form.format === 'markdown'} /> Markdown
          </label>
          <label>
            <input type="radio" name="format" value="html" checked={form.format === 'html'} /> HTML
          </label>
        </fieldset>
        {area(
          'content',
          'Content',
          form.content,
          <>Markdown (rendered as the feeds render it, GitHub-flavoured) or HTML, as chosen above.</>,
          { class: 'content', rows: 18 },
        )}
        {area('summary', 'Summary', form.summary, <>HTML, shown in lists and summary feeds. Empty: the start of the content.</>, {
          rows: 3,
        })}
        {text('tags', 'Tags', form.tags, <>Separated by commas: each tag has its page and feeds.</>)}
        {text(
          'authors',
          'Authors',
          form.authors,
          <>Names separated by commas.{page.siteAuthor ? <> Empty: {page.siteAuthor} (SITE_AUTHOR).</> : null}</>,
        )}
        <Field
          id="publish_at"
          label="Publish at"
          error={publishAtError}
          hint={<>UTC. Publish: now, or this date if it is past. Schedule: this date, in the future. Save draft: kept for later.</>}
        >
          <input
            id="publish_at"
            name="publish_at"
            type="datetime-local"
            step="1"
            value={form.publishAt}
            {...described('publish_at', true, publishAtError)}
          />
        </Field>
        {text(
          'image',
          'Image',
          form.image,
          <>The post's picture (an absolute address): shown on its page and in feeds and link previews.</>,
          {
            inputmode: 'url',
            spellcheck: false,
          },
        )}
        {area(
          'enclosures',
          'Enclosures',
          form.enclosures,
          <>
            Files that come with the post (podcast audio, pictures), one a line: its address, its type and its size in bytes, then its
            duration in seconds if it plays (<code>https://…/episode.mp3 audio/mpeg 24000000 3723</code>). An uploaded file's address alone
            is enough.
          </>,
          { rows: 3, spellcheck: false },
        )}
        <fieldset>
          <legend>Add an image or audio file</legend>
          <Field
            id="file"
            label="File"
            error={fileError}
            hint={
              <>
                PNG, JPEG, GIF, WebP or AVIF up to 10 MB; MP3, M4A, Ogg, WAV or FLAC up to 50 MB. It is stored at once, whichever button
                sends the form.
              </>
            }
          >
            <input id="file" name="file" type="file" accept={ACCEPTED_TYPES.join(',')} {...described('file', true, fileError)} />
          </Field>
          {text('alt', 'Description of an image (alt text)', form.alt, null)}
          <fieldset class="choices">
            <legend>Put the file</legend>
            {(
              [
                ['content', 'in the content'],
                ['enclosure', 'as an enclosure'],
                ['image', "as the post's image"],
              ] as const
            ).map(([value, label]) => (
              <label>
                <input type="radio" name="use" value={value} checked={form.use === value} /> {label}
              </label>
            ))}
          </fieldset>
          <div class="actions">
            <button type="submit" name="action" value="upload">
              Upload
            </button>
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" name="action" value="preview">
            Preview
          </button>
          <button type="submit" name="action" value="draft">
            Save draft
          </button>
          <button type="submit" name="action" value="schedule">
            Schedule
          </button>
          <button type="submit" name="action" value="publish" class="primary">
            Publish
          </button>
        </div>
      </form>
      {page.id && page.stored ? <ManagePost id={page.id} stored={page.stored} unpublishToken={page.tokens.unpublish} /> : null}
      <section class="preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        <div id="preview">
          {page.preview === null ? <p class="meta">Write a title and some content, then Preview.</p> : raw(page.preview)}
        </div>
      </section>
    </ConsolePage>,
  );
}

function ManagePost(props: { id: string; stored: NonNullable<EditorPage['stored']>; unpublishToken: string }) {
  return (
    <section aria-labelledby="manage-heading">
      <h2 id="manage-heading">Unpublish or delete</h2>
      <div class="actions">
        {props.stored.state === 'draft' ? null : (
          <form method="post" action={`/admin/posts/${props.id}/unpublish`}>
            <input type="hidden" name="csrf" value={props.unpublishToken} />
            <button type="submit">Unpublish</button>
          </form>
        )}
        <a href={`/admin/posts/${props.id}/delete`}>Delete this post…</a>
      </div>
      <p class="hint">
        Unpublish makes it a draft: it leaves the feeds and its page answers 404 until it is published again. Delete is for good: its
        address answers 410 Gone.
      </p>
    </section>
  );
}

/** The page that asks before a post is deleted, and says what deleting means. */
export function renderDeletePage(
  config: SiteConfig,
  page: { id: string; title: string; url: string; formerUrls: string[]; token: string; signOutToken: string },
): string {
  return consoleDocument(
    <ConsolePage config={config} title={`Delete: ${page.title}`} signOutToken={page.signOutToken} current="posts">
      <h1>Delete “{page.title}”?</h1>
      <p>Deleting takes the post out of every feed and page at once, and cannot be undone:</p>
      <ul>
        <li>
          Its address, <code>{page.url}</code>
          {page.formerUrls.length ? <> (and its former ones: {page.formerUrls.join(', ')})</> : null}, answers <strong>410 Gone</strong>:
          feed readers, search engines and archives learn that it was removed on purpose, not lost, and stop asking for it.
        </li>
        <li>Its id is never given to another post, so no reader mistakes a new post for it.</li>
        <li>Its uploaded files stay where they are.</li>
      </ul>
      <p>To take it off the site for now, unpublish it instead: it becomes a draft.</p>
      <div class="actions">
        <form method="post" action={`/admin/posts/${page.id}/delete`}>
          <input type="hidden" name="csrf" value={page.token} />
          <button type="submit" class="danger">
            Delete this post
          </button>
        </form>
        <a href={`/admin/posts/${page.id}`}>Keep it</a>
      </div>
    </ConsolePage>,
  );
}
