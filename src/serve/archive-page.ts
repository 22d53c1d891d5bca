import type { Context } from 'hono';
import { type SiteConfig, siteConfig } from '../config';
import { archiveEntries, readArchivePage } from '../db/history';
import { mayBeMissing } from '../db/view-sql';
import { buildFeedDocument } from '../render/build-document';
import { type FeedFormat, previewed, type ViewFormat } from '../domain/format';
import type { FeedDocument, FeedHistory } from '../render/document';
import { renderFeedPreview } from '../render/pages/pages';
import { renderFeed } from '../render/render';
import { outputFingerprint } from '../render/version';
import type { AppEnv } from '../http/app-env';
import { notFound } from '../http/problem';
import { archivedPages, archiveUrls } from '../views/archive';
import { definitionOf, type View, viewKey } from '../views/registry';
import { type FeedVariant, feedUrls, variantParams } from '../views/urls';
import { makeEtag } from './conditional';
import { type Representation, serve } from './serve';
import { viewFixed } from './view-headers';

/**
 * How long a reader or cache may keep an archive page without asking (seconds): a day. An archive
 * never changes when new entries arrive, but an edit, a deletion or a backdated entry does change
 * it (src/views/archive.ts), and its URL carries no version: so not a year, and not `immutable`.
 */
export const ARCHIVE_MAX_AGE = 86400;

/** RFC 5005 marks and links of the subscription document of a view holding `total` entries. */
export function currentHistory(config: SiteConfig, view: View, variant: FeedVariant, total: number): FeedHistory {
  const pages = archivedPages(total);
  return pages === 0
    ? { mark: 'complete', prev: null, next: null, current: null }
    : { mark: null, prev: archiveUrls(config, view, pages, variant), next: null, current: null };
}

/** What makes a document archive page `page` of `pages`: its own URLs, the feed's id, and its RFC 5005 links. */
export function archivePageFields(
  config: SiteConfig,
  view: View,
  variant: FeedVariant,
  page: number,
  pages: number,
): Pick<FeedDocument, 'links' | 'id' | 'hub'> & { history: FeedHistory } {
  return {
    links: archiveUrls(config, view, page, variant),
    id: feedUrls(config, view).atom,
    // No hub: archive pages are not WebSub topics (HUB_VARIANTS); readers of history poll them.
    hub: null,
    history: {
      mark: 'archive',
      prev: page > 1 ? archiveUrls(config, view, page - 1, variant) : null,
      next: page < pages ? archiveUrls(config, view, page + 1, variant) : null,
      current: feedUrls(config, view, { ...variant, limit: null }),
    },
  };
}

/**
 * Archive page `page` of a view in one format, before anything is rendered: its ETag is made of
 * what the page shows (its entries' ids, update times, content hashes and sources, whether a newer
 * page follows where the format links it, the view's name), so it stays as long as its bytes do.
 * A page that does not exist (yet) is a 404 problem.
 */
export async function resolveArchive(
  env: Env,
  view: View,
  format: ViewFormat,
  variant: FeedVariant,
  page: number,
  now: number,
): Promise<Representation> {
  const config = siteConfig(env);
  const read = await readArchivePage(env.DB, view, now, page);
  const pages = archivedPages(read.total);
  if (page > pages) {
    if (read.total === 0 && mayBeMissing(view)) throw notFound(definitionOf(view).missing(view));
    throw notFound(pages === 0 ? 'This feed has no archive pages: its feed holds every entry.' : `Archive pages are 1 to ${pages}.`);
  }
  const hasNext = page < pages;
  // Only Atom and RSS write a next-archive link: a JSON Feed page (it pages backwards only) and a
  // preview keep their bytes, and so their ETag, when a newer page appears.
  const linksNext = format === 'rss' || format === 'atom';
  const etag = await makeEtag([
    ...outputFingerprint(config),
    viewKey(view),
    'archive',
    page,
    linksNext ? String(hasNext) : '',
    read.name,
    String(read.audio),
    format,
    variantParams({ ...variant, limit: null }).join('&'),
    ...read.rows.flatMap((r) => [r.id, r.updated_at, r.content_hash, r.origin]),
  ]);
  const fields = archivePageFields(config, view, variant, page, pages);
  const phases: Record<string, number> = {};
  return {
    etag,
    // A page's entries may change to older ones (an entry before it deleted): no date orders its versions.
    lastModified: null,
    fixed: () => viewFixed(config, format, fields.links, null, `public, max-age=${ARCHIVE_MAX_AGE}`),
    phases,
    render: async () => {
      let t = performance.now();
      const entries = await archiveEntries(env.DB, read);
      phases.query = performance.now() - t;
      t = performance.now();
      const newest = Math.max(0, ...read.rows.map((r) => r.updated_at));
      const doc = await buildFeedDocument(config, view, read.name, entries, newest, variant, read.audio);
      Object.assign(doc, fields);
      phases.build = performance.now() - t;
      t = performance.now();
      const preview = previewed(format);
      const body = preview ? renderFeedPreview(config, doc, preview) : renderFeed(doc, format as FeedFormat);
      phases.serialize = performance.now() - t;
      return body;
    },
  };
}

/** Answers a request for archive page `page` of a view in one format (src/serve/serve.ts); its stamp is always read from D1. */
export function serveArchive(c: Context<AppEnv>, view: View, format: ViewFormat, variant: FeedVariant, page: number): Promise<Response> {
  return serve(c, (_stamps, now) => resolveArchive(c.env, view, format, variant, page, now));
}
