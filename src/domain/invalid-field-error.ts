/**
 * A value the domain refuses whatever is stored (rules on a feed source, a URL that may not be
 * fetched, a document that is not OPML). Answered in one place (app.onError) as a 400 problem
 * naming the field.
 */
export class InvalidFieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
