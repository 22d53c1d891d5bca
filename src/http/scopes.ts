// What an API token may do (made in the console, /admin/tokens; checked by src/http/auth.ts).
// ADMIN_TOKEN may do everything; an API token only what its scopes say. Each part of the admin API
// is one area; reading it (GET, HEAD) needs `<area>:read`, anything else `<area>:write`, and
// write implies read.

/** Every scope a token can be given, with what it allows (the console shows these words). */
export const SCOPES = {
  'posts:read': 'read posts, drafts and scheduled ones included',
  'posts:write': 'write, publish, unpublish and delete posts',
  'media:write': 'upload images and audio',
  'sources:read': 'read sources and export them as OPML',
  'sources:write': 'add, change, refresh and delete sources, import OPML, read pages as articles',
  'moves:read': 'read moved and retired feeds',
  'moves:write': 'move and retire feeds',
  'stats:read': 'read subscriber counts',
  'webhooks:read': 'read webhooks and how their deliveries went',
  'webhooks:write': 'add, re-enable and delete webhooks',
} as const;

export type Scope = keyof typeof SCOPES;

export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPES, value);

/** The area of each part of the admin API, by its path under /api. */
const AREAS: Record<string, string> = {
  posts: 'posts',
  media: 'media',
  sources: 'sources',
  extract: 'sources',
  moves: 'moves',
  stats: 'stats',
  webhooks: 'webhooks',
};

/**
 * The scope a request to the admin API needs, or null for a path outside every area (only
 * ADMIN_TOKEN opens those).
 */
export function scopeNeeded(method: string, path: string): string | null {
  const area = AREAS[/^\/api\/([^/]+)/.exec(path)?.[1] ?? ''];
  if (area === undefined) return null;
  return `${area}:${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`;
}

/** Whether scopes given to a token cover the one needed (`<area>:write` covers `<area>:read`). */
export function allows(given: readonly string[], needed: string): boolean {
  const [area] = needed.split(':');
  return given.includes(needed) || given.includes(`${area}:write`);
}
