import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { siteConfig } from '../config';
import { adoptSlugsOnce } from '../db/slugs';
import type { AppEnv } from '../http/app-env';
import { ProblemError } from '../http/problem';
import { forgetMoves } from '../moves/serve-moves';

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

/**
 * 413 for a body over `max` bytes, counted while reading (a lying Content-Length changes nothing).
 * GET and HEAD pass untouched: no handler of theirs reads a body, and hono/body-limit would put the
 * body it read (one sent chunked) into a new GET Request, which the runtime refuses with a
 * TypeError (a 500). Such a request gets the answer it gets without a body.
 */
export function limitBody(max: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: max,
    onError: () => {
      throw new ProblemError(413, 'Payload Too Large', `The body must be at most ${max} bytes.`);
    },
  });
  return async function limitBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return limit(c, next);
  };
}

/**
 * Before an admin write (which may name tags and authors): every stored name has its key and
 * slug (src/db/slugs.ts), once per isolate, so no new name can take an address an old one holds.
 */
export const adoptedSlugs: MiddlewareHandler<AppEnv> = async function adoptedSlugs(c, next) {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const moves = await adoptSlugsOnce(c.env.DB, siteConfig(c.env).url, Date.now());
    if (moves.length > 0) forgetMoves(c.env.DB);
  }
  await next();
};
