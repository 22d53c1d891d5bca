/** The feed formats a view is published in. */
export type FeedFormat = 'rss' | 'atom' | 'json';
/** `preview-<format>`: what a browser navigating to a feed URL gets, an HTML page about that feed. */
export type PreviewFormat = `preview-${FeedFormat}`;
/** Every representation of a view: a feed format, `html` (the page that lists the same entries), or a preview. */
export type ViewFormat = FeedFormat | 'html' | PreviewFormat;

/** The feed format a preview shows, or null for a feed or the list page. */
export const previewed = (format: ViewFormat): FeedFormat | null =>
  format.startsWith('preview-') ? (format.slice('preview-'.length) as FeedFormat) : null;
