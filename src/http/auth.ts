import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import { ProblemError, problemResponse } from './problem';

const encoder = new TextEncoder();

/** Constant-time comparison: the time taken says nothing about how much of the token matched. */
async function sameToken(given: string, expected: string): Promise<boolean> {
  // Hashing first gives equal lengths, which timingSafeEqual requires, without leaking the length.
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`. With no token configured the admin API stays closed
 * (503 saying how to set one); a wrong or missing token is a 401 with `WWW-Authenticate`.
 */
export function bearerAuth(): MiddlewareHandler<AppEnv> {
  return async function bearerAuth(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) {
      throw new ProblemError(
        503,
        'Admin API not configured',
        'Set ADMIN_TOKEN: `wrangler secret put ADMIN_TOKEN` in production, or in .dev.vars locally.',
      );
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match || !(await sameToken(match[1]!, expected))) {
      return problemResponse(
        { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Send Authorization: Bearer <ADMIN_TOKEN>.' },
        { 'www-authenticate': 'Bearer realm="syndicate"' },
      );
    }
    await next();
  };
}
