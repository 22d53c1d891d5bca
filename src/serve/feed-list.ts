import { freshnessMs, siteConfig } from '../config';
import { listTaxonomy, type ViewStamp, viewStamp } from '../db/entries';
import { movedPaths, movesStamp } from '../db/moves';
import { matchedPath } from '../moves/rules';
import { type OpmlOutline, renderOpml } from '../opml/render';
import { outputFingerprint } from '../render/version';
import type { View } from '../views/registry';
import { feedUrls, SUMMARY_VARIANT, viewPath } from '../views/urls';
import { makeEtag, viewLastModified } from './conditional';
import type { Fixed, Representation } from './serve';
import { heldStamp, holdStamp, startRead } from './stamp-memo';

const FIXED: Fixed = { headers: { 'content-type': 'text/x-opml; charset=utf-8', 'cache-control': 'public, no-cache' }, feed: null };

/**
 * What the list's validators are made of. Every write bumps the site view and a scheduled post
 * moves its `newest`, so the site's stamp also versions the list of tags and authors; moved and
 * retired feeds are left out, so the moves' version counts too.
 */
type ListStamp = {
  site: ViewStamp;
  moves: { version: number; changedAt: number | null; lastModified: number | null };
  /** The site's next scheduled post: its tags and authors may join the list then. */
  upcoming: number | null;
};

const KEY = 'feed-list';

/**
 * /opml.xml: the site's feeds (main, every tag, every author) for readers that import lists;
 * never one that is moved or retired (src/moves/). Its stamp is held like a view's (src/serve/stamp-memo.ts).
 */
export async function resolveFeedList(env: Env, now: number, stamps: 'held' | 'fresh'): Promise<Representation> {
  const config = siteConfig(env);
  let stamp = stamps === 'held' ? heldStamp<ListStamp>(env, KEY, now) : null;
  const held = stamp !== null;
  if (stamp === null) {
    const token = startRead(env);
    const [site, moves] = await Promise.all([viewStamp(env.DB, { kind: 'site' }, now), movesStamp(env.DB)]);
    stamp = { site, moves, upcoming: site.upcoming };
    holdStamp(env, KEY, stamp, now, freshnessMs(env), token);
  }
  const { site, moves } = stamp;
  const etag = await makeEtag([...outputFingerprint(config), 'opml', site.version, site.changedAt, site.newest, moves.version]);
  const lastModified = viewLastModified(Math.max(site.lastModified ?? 0, moves.lastModified ?? 0) || null, site.newest);
  // The list's own dateModified: from the data (in the ETag), as the feeds' `updated`.
  const dataChangedMs = Math.max(site.changedAt ?? 0, site.newest ?? 0, moves.changedAt ?? 0);
  return {
    etag,
    lastModified,
    phases: {},
    heldKey: held ? KEY : undefined,
    fixed: () => FIXED,
    render: async () => {
      const { tags, authors } = await listTaxonomy(env.DB, now);
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
        env.DB,
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
  };
}
