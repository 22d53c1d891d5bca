import { Hono } from 'hono';
import { viewFilters } from '../db/filters';
import { checkFilters, isFilteredViewKey } from '../domain/filters';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { badRequest } from '../http/problem';
import { announce } from '../publish/announce';
import { previewViewFilters, setViewFilters } from '../ingest/filtering';
import { limitBody, MAX_BODY, requireJson } from './admin-middleware';
import { validate } from './query';
import { filtersBody } from './source-schema';

/**
 * The filter rules of the views that merge sources (docs/filters.md), by view key: `site` (the
 * site's sources), `planet` (every source), `planet-tag:<slug>` (a tag's planet). GET shows them,
 * PUT replaces them and judges the stored items at once, POST …/preview judges without storing.
 * Needs the bearer token.
 */
export const viewApi = new Hono<AppEnv>();

viewApi.use('*', adminAuth());
viewApi.on(['POST', 'PUT'], '*', limitBody(MAX_BODY));

/** The view key of the path, or a 400 naming `view`. */
function filteredView(key: string): string {
  if (isFilteredViewKey(key)) return key;
  throw badRequest([{ field: 'view', message: 'must be "site", "planet" or "planet-tag:<tag slug>"' }]);
}

viewApi.get('/:view/filters', async (c) => {
  const key = filteredView(c.req.param('view'));
  return c.json({ view: key, filters: (await viewFilters(c.env.DB, [key])).get(key) ?? [] });
});

viewApi.put('/:view/filters', requireJson, validate('json', filtersBody), async (c) => {
  const key = filteredView(c.req.param('view'));
  const rules = checkFilters(c.req.valid('json').filters);
  const result = await setViewFilters(c.env.DB, key, rules, Date.now());
  // The view's documents changed: the WebSub hub hears of it as after any write.
  await announce(c.env, [key]);
  return c.json({ view: key, filters: rules, ...result });
});

viewApi.post('/:view/filters/preview', requireJson, validate('json', filtersBody), async (c) => {
  const key = filteredView(c.req.param('view'));
  const rules = checkFilters(c.req.valid('json').filters);
  return c.json({ view: key, filters: rules, ...(await previewViewFilters(c.env.DB, key, rules, Date.now())) });
});
