import { type Context, Hono } from 'hono';
import { siteConfig } from '../../config';
import { filteredTags, viewFilters } from '../../db/filters';
import { isFilteredViewKey } from '../../domain/filters';
import type { AppEnv } from '../../http/app-env';
import { badRequest } from '../../http/problem';
import { previewViewFilters, setViewFilters } from '../../ingest/filtering';
import { announce } from '../../publish/announce';
import { type FilterEditor, type FilteredView, renderViewFilters } from '../../render/console/filter-rules';
import { editorOf, postedRules, previewShown, rulesOf } from './filter-form';
import { field, tokenFor } from './forms';

/**
 * /admin/filters: the rules of the views that merge sources (the site's sources, the planet, each
 * tag's planet), through the functions of /api/views/<view>/filters: Preview rules is
 * previewViewFilters, Save filter rules is setViewFilters (the stored items judged again, the view
 * bumped and announced).
 */
export const filterPages = new Hono<AppEnv>();

/** The views the page offers: the site's, the planet, and the planet of every tag. */
async function viewsOf(c: Context<AppEnv>): Promise<FilteredView[]> {
  const tags = await filteredTags(c.env.DB);
  return [
    { key: 'site', name: "the site's sources" },
    { key: 'planet', name: 'the planet' },
    ...tags.map((t) => ({ key: `planet-tag:${t.slug}`, name: `the planet of the tag ${t.name}` })),
  ];
}

/** The view asked for (the site's by default), or a 400 naming `view`. */
function chosen(views: FilteredView[], key: string): FilteredView {
  if (!isFilteredViewKey(key)) throw badRequest([{ field: 'view', message: 'must be "site", "planet" or "planet-tag:<tag slug>"' }]);
  return views.find((v) => v.key === key) ?? { key, name: `the planet of the tag ${key.slice('planet-tag:'.length)}` };
}

async function page(
  c: Context<AppEnv>,
  views: FilteredView[],
  view: FilteredView,
  editor: (base: Pick<FilterEditor, 'action' | 'hidden' | 'token'>) => FilterEditor,
) {
  const [token, signOutToken] = await Promise.all([tokenFor(c, 'filters'), tokenFor(c, 'sign-out')]);
  const base = { action: '/admin/filters', hidden: { view: view.key }, token };
  return renderViewFilters(siteConfig(c.env), { views, view, editor: editor(base), signOutToken });
}

filterPages.get('/', async (c) => {
  const views = await viewsOf(c);
  const view = chosen(views, c.req.query('view') ?? 'site');
  const rules = (await viewFilters(c.env.DB, [view.key])).get(view.key) ?? [];
  const notice = c.req.query('saved') !== undefined ? `Filter rules saved: the stored items of ${view.name} are judged by them now.` : null;
  return c.html(await page(c, views, view, (base) => editorOf(rules, base, notice)));
});

filterPages.post('/', async (c) => {
  const { action, rows, posted } = await postedRules(c);
  const views = await viewsOf(c);
  const view = chosen(views, field(posted, 'view'));
  const again = async (status: 200 | 400, part: Partial<FilterEditor>) =>
    c.html(await page(c, views, view, (base) => ({ ...base, rows, errors: [], preview: null, notice: null, ...part })), status);
  if (action === 'add') return again(200, {});
  const read = rulesOf(rows);
  if (!read.ok) return again(400, { errors: read.errors });
  if (action === 'preview') {
    const preview = await previewViewFilters(c.env.DB, view.key, read.rules, Date.now());
    return again(200, { preview: previewShown(preview, read.at) });
  }
  await setViewFilters(c.env.DB, view.key, read.rules, Date.now());
  // The view's documents changed: the WebSub hub hears of it, as after PUT /api/views/<view>/filters.
  await announce(c.env, [view.key]);
  return c.redirect(`/admin/filters?view=${encodeURIComponent(view.key)}&saved=1`, 303);
});
