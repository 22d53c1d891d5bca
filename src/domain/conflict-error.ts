/**
 * A write that conflicts with what is stored: a slug another post has, a URL that is already a
 * source. Thrown by the db layer, answered in one place (app.onError) as a 409 problem naming the field.
 */
export class ConflictError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
