// Page extraction: turns a site's own web pages (a list of posts, article pages) into feed items.
// Pure functions over HTML strings; fetching, storing and scheduling belong to the caller.
//
//   extractList(html, url, rules?, now?)      -> { items, method, warnings, nextPage? }
//   extractArticle(html, url, options?)       -> Article (contentHtml NOT sanitized)
//   extractSanitizedArticle(html, url, opts?) -> Article with contentHtml through sanitizeFragment
//   parseHumanDate(text, { now, locale? })    -> ms | null
//   wholeTitle(shown, full)                   -> a list's title cut short made whole from the article's
//   listRulesSchema / parseListRules          -> validated ListRules (ExtractError 'invalid_rules')
//
// Every failure the caller should handle is an ExtractError with a kind (extract-error.ts).

export { type ArticleOptions, extractArticle, extractSanitizedArticle } from './article';
export { DATE_LOCALES, type HumanDateOptions, parseHumanDate } from './dates';
export { MAX_DEPTH, MAX_ELEMENTS, MAX_HTML_CHARS, MAX_LIST_ITEMS, MAX_NESTING_COST } from './dom';
export { EXTRACT_ERROR_KINDS, ExtractError, type ExtractErrorKind } from './extract-error';
export { extractList } from './list';
export { wholeTitle } from './list-item';
export { type ListRules, type ListRulesInput, listRulesSchema, parseListRules } from './list-rules';
export type { Article, Author, ListItem, ListMethod, ListResult } from './types';
