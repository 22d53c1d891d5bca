import type { SiteConfig } from '../config';

/**
 * Bump when the renderers' output changes for the same data (feeds, pages, OPML), so that caches
 * and readers fetch the new bytes: rendered bytes are cached by an ETag that does not see code.
 * tests/render/golden.suite.ts fails when the output changes without a bump.
 */
export const RENDER_VERSION = '20';

/** What shapes every rendered byte besides the data: the renderer version and the site settings. */
export function outputFingerprint(config: SiteConfig): string[] {
  return [
    RENDER_VERSION,
    config.url,
    config.title,
    config.description,
    config.language,
    config.hub ?? '',
    config.icon ?? '',
    config.logo ?? '',
    JSON.stringify(config.podcast),
  ];
}
