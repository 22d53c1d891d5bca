import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from '../http/problem';

/** Bodies the admin API accepts: 1 MB. */
export const MAX_BODY = 1024 * 1024;

/** 415 unless the body is JSON (application/json or any +json type). */
export const requireJson: MiddlewareHandler = async function requireJson(c, next) {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ProblemError(415, 'Unsupported Media Type', 'Send the body as application/json.');
  }
  await next();
};

/** 413 for a body over `max` bytes, counted while reading (a lying Content-Length changes nothing). */
export function limitBody(max: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: max,
    onError: () => {
      throw new ProblemError(413, 'Payload Too Large', `The body must be at most ${max} bytes.`);
    },
  });
}
