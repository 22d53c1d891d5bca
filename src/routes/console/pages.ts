import { Hono } from 'hono';
import { isOwnHub, siteConfig } from '../../config';
import { listApiTokens } from '../../db/api-tokens';
import { listMoves } from '../../db/moves';
import { postCounts } from '../../db/posts';
import { listSources } from '../../db/sources';
import { countWebhooks } from '../../db/webhooks';
import type { AppEnv } from '../../http/app-env';
import { listHubSubscriptions } from '../../push/hub-subscriptions';
import { renderDashboard } from '../../render/console/dashboard';
import { renderSettingsPage, type SettingRow } from '../../render/console/settings';
import { renderStatsPage } from '../../render/console/stats';
import { feedStats } from '../../stats/stats';
import { statsQuery } from '../api-stats';
import { validate } from '../query';
import { tokenFor } from './forms';

/** The console's read-only pages: the dashboard, the subscriber counts and the settings (the sources: sources.ts). */
export const readPages = new Hono<AppEnv>();

/** The dashboard (GET /admin, once signed in; src/routes/console/index.ts shows the sign-in form otherwise). */
readPages.get('/', async (c) => {
  const now = Date.now();
  const ownHub = isOwnHub(siteConfig(c.env));
  const [posts, moves, sources, tokens, webhooks, feeds, hub, signOutToken] = await Promise.all([
    postCounts(c.env.DB, now),
    listMoves(c.env.DB),
    listSources(c.env.DB, { limit: 1, offset: 0 }),
    listApiTokens(c.env.DB),
    countWebhooks(c.env.DB),
    feedStats(c.env, 1, now),
    ownHub ? listHubSubscriptions(c.env) : null,
    tokenFor(c, 'sign-out'),
  ]);
  const data = {
    posts,
    moves: moves.length,
    sources: sources.total,
    tokens: tokens.length,
    webhooks,
    subscribers: feeds.reduce((n, f) => n + f.subscribers, 0),
    ownHub: hub === null ? null : hub.length,
  };
  return c.html(renderDashboard(siteConfig(c.env), { data, signOutToken }));
});

readPages.get('/stats', validate('query', statsQuery), async (c) => {
  const { days } = c.req.valid('query');
  const [feeds, signOutToken] = await Promise.all([feedStats(c.env, days), tokenFor(c, 'sign-out')]);
  return c.html(renderStatsPage(siteConfig(c.env), { feeds, days, base: '/admin/stats', signOutToken }));
});

/** The settings the settings page lists, in its order: what each does and where it is set. */
const SETTINGS: [name: keyof Env, what: string, where: SettingRow['where']][] = [
  ['SITE_URL', 'The site’s address: every link and id in every feed starts with it.', 'vars'],
  ['SITE_TITLE', 'The site’s name, in every feed and page.', 'vars'],
  ['SITE_DESCRIPTION', 'The site’s description: the feeds’ subtitle, the home page’s heading.', 'vars'],
  ['SITE_LANGUAGE', 'The language of feeds whose entries do not all share one.', 'vars'],
  ['SITE_AUTHOR', 'The author of posts that name none.', 'vars'],
  ['FEED_MAX_AGE', 'Seconds a reader may reuse a feed without asking again.', 'vars'],
  ['FEED_FRESHNESS', 'Seconds within which a change reaches every reader.', 'vars'],
  ['WEBSUB_HUB', 'An outside hub for feeds to advertise and every change to be announced to; empty: the site’s own (/hub).', 'vars'],
  ['SITE_ICON', 'A square image for feeds (icon, favicon).', 'vars'],
  ['SITE_LOGO', 'A wide image for feeds (Atom logo, RSS image).', 'vars'],
  ['PODCAST_IMAGE', 'The podcast’s square cover (SITE_ICON when empty).', 'vars'],
  ['PODCAST_CATEGORY', 'The podcast’s Apple Podcasts category.', 'vars'],
  ['PODCAST_EXPLICIT', 'Whether the podcast is explicit.', 'vars'],
  ['PODCAST_OWNER_NAME', 'The podcast owner’s name (SITE_AUTHOR when empty).', 'vars'],
  ['PODCAST_OWNER_EMAIL', 'The podcast owner’s email, which Apple writes to.', 'vars'],
  ['ALLOW_LOOPBACK_UPSTREAMS', 'Lets sources live on 127.0.0.1 (local demos and tests); keep it off in production.', 'vars'],
  [
    'ACCESS_TEAM_DOMAIN',
    'Cloudflare Access team domain: with ACCESS_AUD, a valid Access sign-in opens the console without the admin token.',
    'vars',
  ],
  ['ACCESS_AUD', 'The audience tag of the Access application in front of /admin.', 'vars'],
  ['ADMIN_TOKEN', 'The console’s sign-in, and the admin API’s token that may do everything.', 'secret'],
  ['DB', 'The D1 database: posts, sources, counts, sessions.', 'binding'],
  ['MEDIA', 'The R2 bucket of uploaded images and audio.', 'binding'],
  ['REFRESH_QUEUE', 'The queue that spreads source refreshes.', 'binding'],
  ['PUSH_QUEUE', 'The queue of the own hub’s and the webhooks’ deliveries.', 'binding'],
];

const BINDING_KINDS: Partial<Record<keyof Env, string>> = {
  DB: 'D1 database',
  MEDIA: 'R2 bucket',
  REFRESH_QUEUE: 'Queue',
  PUSH_QUEUE: 'Queue',
};

readPages.get('/settings', async (c) => {
  const settings = SETTINGS.map(([name, what, where]): SettingRow => {
    const value =
      where === 'binding'
        ? `${BINDING_KINDS[name] ?? 'binding'}${c.env[name] ? '' : ' (missing)'}`
        : where === 'secret'
          ? c.env.ADMIN_TOKEN
            ? `set (${c.env.ADMIN_TOKEN.length} characters, never shown)`
            : 'not set'
          : String(c.env[name] ?? '');
    return { name, value, what, where };
  });
  const config = siteConfig(c.env);
  const hub = { own: isOwnHub(config), subscriptions: isOwnHub(config) ? await listHubSubscriptions(c.env) : [] };
  return c.html(renderSettingsPage(config, { settings, hub, signOutToken: await tokenFor(c, 'sign-out') }));
});
