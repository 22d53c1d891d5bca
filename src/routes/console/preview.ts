import { siteConfig } from '../../config';
import type { Entry } from '../../domain/entry';
import { slugify } from '../../domain/slug';
import { sanitizeFragment, safeUrl } from '../../html/sanitize';
import { xmlSafe } from '../../html/text';
import { markdownToHtml } from '../../posts/write';
import { buildFeedDocument } from '../../render/build-document';
import { type PostForm, previewFragment } from '../../render/console/editor';
import { enclosuresOf, publishAtOf } from './post-form';

/**
 * The editor's preview: the form as it stands, turned into an entry and through the renderers'
 * path (Markdown by the same renderer as the API's, then buildFeedDocument, which every feed and
 * page goes through: absolute URLs, text XML can carry, the summary), then shown as the post page
 * shows it, with its image and enclosures. The content passes the sanitizer of upstream HTML
 * before it is put into the console's page, so that nothing in a post (a pasted script, a form)
 * can act inside the console. Nothing is stored. Null when there is nothing to show yet.
 */
export async function renderPreview(env: Env, form: PostForm, before: Entry | null, now: number): Promise<string | null> {
  if (form.title.trim() === '' && form.content.trim() === '') return null;
  const config = siteConfig(env);
  const names = (text: string) =>
    text
      .split(',')
      .map((s) => xmlSafe(s.trim()))
      .filter(Boolean)
      .map((name) => ({ slug: slugify(name) || 'name', name }));
  const at = publishAtOf(form);
  const title = xmlSafe(form.title.trim()) || '(no title yet)';
  const entry: Entry = {
    id: before?.id ?? 'urn:uuid:00000000-0000-4000-8000-000000000000',
    sourceId: null,
    slug: form.slug.trim() || before?.slug || slugify(title) || 'post',
    title,
    summary: xmlSafe(form.summary),
    contentHtml: xmlSafe(form.format === 'markdown' ? markdownToHtml(form.content) : form.content),
    url: null,
    image: safeUrl(form.image.trim(), config.url) ?? null,
    // Lines that are not enclosures yet are left out of the preview (saving names them).
    enclosures: (await enclosuresOf(env, form.enclosures)).enclosures.filter((e) => safeUrl(e.url, config.url) !== null),
    language: before?.language ?? null,
    status: 'published',
    publishedAt: new Date(at !== null && Number.isFinite(at) ? at : now),
    updatedAt: new Date(now),
    authors: names(form.authors).length ? names(form.authors) : config.author ? names(config.author) : [],
    tags: names(form.tags),
    origin: null,
  };
  const doc = await buildFeedDocument(config, { kind: 'site' }, null, [entry], now);
  const item = doc.items[0]!;
  return previewFragment(item, sanitizeFragment(item.contentHtml, item.url ?? config.url));
}
