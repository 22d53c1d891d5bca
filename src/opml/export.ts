import { siteConfig } from '../config';
import { listSources } from '../db/sources';
import type { Source } from '../domain/source';
import { feedUrls } from '../views/urls';
import { type OpmlOutline, renderOpml } from './render';

/** Sources read per query. */
const PAGE = 100;

/**
 * Every source as an OPML document that imports back the same (importOpml): kind, rules, site
 * and full text in syndicate: attributes, tags as categories.
 */
export async function sourcesOpml(env: Env): Promise<string> {
  const config = siteConfig(env);
  const all: Source[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { sources } = await listSources(env.DB, { limit: PAGE, offset });
    all.push(...sources);
    if (sources.length < PAGE) break;
  }
  // A page source has no feed upstream: a reader subscribes to ours of it, and its page is the
  // one it is made from (kept in syndicate:page too, for the import).
  const outlines: OpmlOutline[] = all.map((s) => ({
    text: s.titleOverride ?? s.title ?? s.url,
    xmlUrl: s.kind === 'page' ? feedUrls(config, { kind: 'source', id: s.id }).rss : s.url,
    htmlUrl: s.kind === 'page' ? s.url : (s.siteUrl ?? undefined),
    category: s.tags.map((t) => t.name.replace(/,/g, ' ')).join(',') || undefined,
    syndicate:
      s.kind === 'page' || s.site || s.fullText
        ? {
            ...(s.kind === 'page' ? { kind: 'page' as const, page: s.url } : {}),
            ...(s.rules ? { rules: s.rules } : {}),
            ...(s.site ? { site: true as const } : {}),
            ...(s.fullText ? { fullText: true as const } : {}),
          }
        : undefined,
  }));
  return renderOpml({ title: `${config.title}: sources`, dateModified: null, ownerId: `${config.url}/`, outlines });
}
