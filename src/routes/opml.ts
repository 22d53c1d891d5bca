import { Hono } from 'hono';
import { siteConfig } from '../config';
import { listTaxonomy, viewStamp } from '../db/entries';
import { movedPaths, movesStamp } from '../db/moves';
import { matchedPath } from '../moves/rules';
import type { View } from '../views/registry';
import type { AppEnv } from '../http/app-env';
import { isNotModified, lastModifiedHeader, makeEtag, viewLastModified } from '../serve/conditional';
import { cachedRender } from '../serve/render-cache';
import { outputFingerprint } from '../render/version';
import { type OpmlOutline, renderOpml } from '../render/opml';
import { feedUrls, SUMMARY_VARIANT, viewPath } from '../views/urls';

/**
 * GET /opml.xml: the site's feeds (main, every tag, every author) for readers that import lists;
 * never one that is moved or retired (src/moves/).
 */
export const opmlRoutes = new Hono<AppEnv>();

opmlRoutes.get('/opml.xml', async (c) => {
  const config = siteConfig(c.env);
  const now = Date.now();
  // Every write bumps the site view and a scheduled post moves its `newest`, so the site's stamp
  // also versions the list of tags and authors; moved and retired feeds are left out, so the
  // moves' version counts too.
  const [stamp, moves] = await Promise.all([viewStamp(c.env.DB, { kind: 'site' }, now), movesStamp(c.env.DB)]);
  const etag = await makeEtag([...outputFingerprint(config), 'opml', stamp.version, stamp.changedAt, stamp.newest, moves.version]);
  const lastModified = viewLastModified(Math.max(stamp.lastModified ?? 0, moves.lastModified ?? 0) || null, stamp.newest);
  // The list's own dateModified: from the data (in the ETag), as the feeds' `updated`.
  const dataChangedMs = Math.max(stamp.changedAt ?? 0, stamp.newest ?? 0, moves.changedAt ?? 0);
  const headers = new Headers({
    'content-type': 'text/x-opml; charset=utf-8',
    etag,
    'cache-control': 'public, no-cache',
  });
  const lastModifiedValue = lastModified === null ? null : lastModifiedHeader(lastModified, now);
  if (lastModifiedValue !== null) headers.set('last-modified', lastModifiedValue);
  if (isNotModified(c.req.raw, etag, lastModified, now)) return new Response(null, { status: 304, headers });

  const { body } = await cachedRender(
    etag,
    async () => {
      const { tags, authors } = await listTaxonomy(c.env.DB, now);
      const outline = (view: View, text: string): OpmlOutline => ({
        text,
        xmlUrl: feedUrls(config, view).rss,
        htmlUrl: config.url + viewPath(view),
      });
      const listed = [
        { kind: 'site' } as View,
        ...tags.map((t): View => ({ kind: 'tag', slug: t.slug })),
        ...authors.map((a): View => ({ kind: 'author', slug: a.slug })),
      ];
      // Moves match paths, whatever the query: `?content=summary` goes with its feed.
      const pathOf = (url: string) => matchedPath(new URL(url).pathname);
      const moved = await movedPaths(
        c.env.DB,
        listed.map((view) => pathOf(feedUrls(config, view).rss)),
      );
      const live = (outlines: OpmlOutline[]) => outlines.filter((o) => !o.xmlUrl || !moved.has(pathOf(o.xmlUrl)));
      const folder = (text: string, children: OpmlOutline[]): OpmlOutline[] => {
        const kept = live(children);
        return kept.length ? [{ text, children: kept }] : [];
      };
      return renderOpml({
        title: `${config.title}: feeds`,
        dateModified: dataChangedMs > 0 ? new Date(dataChangedMs) : null,
        ownerId: `${config.url}/`,
        outlines: [
          ...live([{ ...outline({ kind: 'site' }, config.title), description: config.description || undefined }]),
          ...folder(
            'Tags',
            tags.map((t) => outline({ kind: 'tag', slug: t.slug }, `${config.title}: ${t.name}`)),
          ),
          ...folder(
            'Authors',
            authors.map((a) => outline({ kind: 'author', slug: a.slug }, `${config.title}: ${a.name}`)),
          ),
          // Every feed also comes as summaries only (`?content=summary`); the list offers the main one.
          ...folder('Summaries only', [
            {
              ...outline({ kind: 'site' }, `${config.title} (summaries)`),
              xmlUrl: feedUrls(config, { kind: 'site' }, SUMMARY_VARIANT).rss,
            },
          ]),
        ],
      });
    },
    (p) => c.executionCtx.waitUntil(p),
  );
  return new Response(body, { headers });
});
