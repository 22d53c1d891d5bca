import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One bad field of a request: `field` names it the way the client sent it. */
export type FieldError = { field: string; message: string };

type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
};

/** An RFC 9457 problem (`application/problem+json`), thrown and turned into a response in `app.onError`. */
export class ProblemError extends HTTPException {
  readonly problem: Problem;
  /** Headers of the response besides the problem's own (a 403's `WWW-Authenticate`). */
  readonly headers: HeadersInit | undefined;

  constructor(status: ContentfulStatusCode, title: string, detail?: string, errors?: FieldError[], headers?: HeadersInit) {
    super(status, { message: detail ?? title });
    this.problem = { type: 'about:blank', title, status, detail, errors };
    this.headers = headers;
  }
}

export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
  });
  for (const [name, value] of new Headers(headers)) response.headers.set(name, value);
  return response;
}

export const badRequest = (errors: FieldError[]): ProblemError =>
  new ProblemError(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

export const notFound = (detail: string): ProblemError => new ProblemError(404, 'Not Found', detail);
