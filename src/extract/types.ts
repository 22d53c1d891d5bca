/** A person or organization credited for a page. */
export type Author = { name: string; url?: string };

/** What extractArticle reads from an article page. */
export type Article = {
  title: string;
  authors: Author[];
  /** ms since the epoch, or null when the page gives no date. */
  published: number | null;
  modified: number | null;
  /** BCP 47 language tag of the page, or null. */
  lang: string | null;
  /** Absolute URL of the lead image, or null. */
  image: string | null;
  /** Plain-text summary: the page's description, else the first paragraph. */
  excerpt: string;
  categories: string[];
  /**
   * The article body as HTML with absolute URLs, boilerplate removed, NOT sanitized: pass it
   * through `sanitizeFragment(html, url)` (src/html/sanitize.ts) before storing or serving it,
   * or call `extractSanitizedArticle`.
   */
  contentHtml: string;
  /** Plain text of the body: one line per paragraph, heading, list item, caption or table row. */
  text: string;
};

/** One post found on a list page. */
export type ListItem = {
  /** Absolute URL of the post, on the list page's site. */
  url: string;
  title: string;
  /** ms since the epoch, or null when the list page shows no date for it (read it from the article). */
  published: number | null;
  summary?: string;
  image?: string;
  authors?: Author[];
};

/** How the items were found: the caller's rules, the first structure that gave items, or the data a script-rendered page embeds. */
export type ListMethod = 'rules' | 'json-ld' | 'h-feed' | 'article' | 'repeated' | 'embedded';

/** What extractList reads from a list page. */
export type ListResult = {
  items: ListItem[];
  method: ListMethod;
  /** Things the caller may want to show (items skipped, dates missing); never fatal. */
  warnings: string[];
  /** Absolute URL of the next (older) page of the list, when the page links one. */
  nextPage?: string;
};
