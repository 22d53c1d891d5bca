/** Why a page could not be extracted. One list, looked up everywhere (tests, callers mapping kinds to outcomes). */
export const EXTRACT_ERROR_KINDS = ['too_large', 'too_deep', 'nothing_found', 'invalid_rules'] as const;
export type ExtractErrorKind = (typeof EXTRACT_ERROR_KINDS)[number];

/**
 * The only error the extraction functions throw on purpose. `kind` says what went wrong:
 * `too_large` (the HTML or its element count is over the limits in dom.ts), `too_deep` (elements
 * nested deeper than the limit), `nothing_found` (no article text, no list item), `invalid_rules`
 * (a ListRules value that does not validate; the message names the field).
 */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
  constructor(
    readonly kind: ExtractErrorKind,
    message: string,
  ) {
    super(message);
  }
}
