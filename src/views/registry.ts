import type { SiteConfig } from '../config';
import { planetView } from './planet';
import { siteView } from './site';
import { sourceView } from './source';
import { authorView, tagView } from './taxonomy';
import type { Change, View, ViewDefinition } from './view';

export type { Change, View, ViewDefinition, ViewRoute } from './view';

// Every kind of view, in one list. Adding a kind is one definition module (its routes included:
// src/routes/ registers them from it), one line here, and its SQL in src/db/view-sql.ts.
const DEFINITIONS = [siteView, tagView, authorView, sourceView, planetView] as const;
const BY_KIND = new Map<string, ViewDefinition>(DEFINITIONS.map((d) => [d.kind, d as unknown as ViewDefinition]));

/** Every kind of view, in the order their routes are registered. */
export const viewDefinitions: readonly ViewDefinition[] = [...BY_KIND.values()];

/** The definition of a view's kind. */
export function definitionOf(view: View): ViewDefinition {
  return BY_KIND.get(view.kind)!;
}

/** The key of a view in `view_versions` and in cache keys. */
export const viewKey = (view: View): string => definitionOf(view).key(view);

/** The inverse of `viewKey`; null for a key that names no view. */
export function viewFromKey(key: string): View | null {
  for (const definition of DEFINITIONS) {
    const view = definition.fromKey(key);
    if (view) return view;
  }
  return null;
}

/** The view whose page lives at `path` (percent-encoded, ending in `/`) with `query`; null for none. */
export function viewFromPath(path: string, query: URLSearchParams): View | null {
  for (const definition of DEFINITIONS) {
    const view = (definition as unknown as ViewDefinition).fromPath(path, query);
    if (view) return view;
  }
  return null;
}

/** The views a write changed, as keys, each once. */
export function viewsTouchedBy(...changes: Change[]): string[] {
  const keys = changes.flatMap((change) => DEFINITIONS.flatMap((d) => (d.touchedBy(change) as View[]).map(viewKey)));
  return [...new Set(keys)];
}

/** Path of a view's HTML page, ending in `/`; its feeds live beside it. */
export const viewPath = (view: View): string => definitionOf(view).path(view);

/** Absolute URL of a view's HTML page. */
export const pageUrl = (config: SiteConfig, view: View): string => config.url + viewPath(view) + definitionOf(view).query(view);
