import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env';
import type { View, ViewRoute } from '../views/registry';
import type { FeedVariant } from '../views/urls';
import {
  archiveParam,
  archiveQuery,
  feedQuery,
  listQuery,
  planetArchiveQuery,
  planetPageQuery,
  planetQuery,
  sourceIdParam,
  validate,
} from './query';

/** The documents a view's route serves: its feeds, their archive pages, its HTML list page. */
export type ViewDocument = 'feed' | 'archive' | 'page';

/** What a checked request asks for: the view, the feed variant (feeds, archive pages), the page number (archive and list pages). */
export type ViewRequest = { view: View; variant: FeedVariant | undefined; page: number | undefined };

type Checked = { variant?: FeedVariant; page?: number; tag?: string; id?: number };

/** The checked path parameters and query of a request (what `validate` stored). */
const checked = (c: Context<AppEnv>, target: 'param' | 'query'): Checked =>
  (c.req as unknown as { valid(target: string): Checked }).valid(target);

/**
 * The checks of a view's route for one of its documents (each a 400 problem naming the field),
 * and how to read what a checked request asks for. The path names the view by `:slug` (as is) or
 * `:id` (a whole number); the query carries the variant (`?limit`, `?content`) or the list page
 * (`?page`), and a planet's `?tag`.
 */
export function viewRequest(
  route: ViewRoute<View>,
  document: ViewDocument,
): { check: MiddlewareHandler<AppEnv>; read(c: Context<AppEnv>): ViewRequest } {
  const tagged = route.by === 'tag';
  const query =
    document === 'feed'
      ? tagged
        ? planetQuery
        : feedQuery
      : document === 'archive'
        ? tagged
          ? planetArchiveQuery
          : archiveQuery
        : tagged
          ? planetPageQuery
          : listQuery;
  const param =
    route.by === 'id'
      ? document === 'archive'
        ? sourceIdParam.extend(archiveParam.shape)
        : sourceIdParam
      : document === 'archive'
        ? archiveParam
        : null;
  const checkQuery = validate('query', query) as MiddlewareHandler<AppEnv>;
  const checkParam = param ? (validate('param', param) as MiddlewareHandler<AppEnv>) : null;
  // The path first, then the query; a failure throws its problem (validate), so neither answers otherwise.
  const check: MiddlewareHandler<AppEnv> = checkParam
    ? async function checkPathAndQuery(c, next) {
        await checkParam(c, async () => {
          await checkQuery(c, next);
        });
      }
    : checkQuery;
  const read = (c: Context<AppEnv>): ViewRequest => {
    const q = checked(c, 'query');
    const p = param ? checked(c, 'param') : {};
    return {
      view: viewOf(route, c, p, q),
      variant: q.variant,
      page: document === 'archive' ? p.page : q.page,
    };
  };
  return { check, read };
}

function viewOf(route: ViewRoute<View>, c: Context<AppEnv>, param: Checked, query: Checked): View {
  switch (route.by) {
    case null:
      return route.view();
    case 'slug':
      return route.view(c.req.param('slug') ?? '');
    case 'id':
      return route.view(param.id!);
    case 'tag':
      return route.view(query.tag ?? null);
  }
}
