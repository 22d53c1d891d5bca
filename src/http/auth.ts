import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { AppEnv } from './app-env';
import { ProblemError, problemResponse } from './problem';

/** The shortest ADMIN_TOKEN accepted: shorter ones are guessable, so the admin API stays closed. */
const MIN_TOKEN_LENGTH = 16;
/** The characters a bearer token may have (RFC 6750 b64token); hono/bearer-auth refuses others. */
const TOKEN_CHARACTERS = /^[A-Za-z0-9._~+/-]+=*$/;

const HOW = '`wrangler secret put ADMIN_TOKEN` in production, or in .dev.vars locally';

/** Why the configured token cannot be used, or null when it can. */
export function adminTokenProblem(token: string | undefined): string | null {
  if (!token) return `Set ADMIN_TOKEN: ${HOW}.`;
  if (token.length < MIN_TOKEN_LENGTH) {
    return `ADMIN_TOKEN has ${token.length} characters; it needs at least ${MIN_TOKEN_LENGTH}. Set a longer one: ${HOW}.`;
  }
  if (!TOKEN_CHARACTERS.test(token)) {
    return `ADMIN_TOKEN may only contain letters, digits and - . _ ~ + / (and = at the end). Set another one: ${HOW}.`;
  }
  return null;
}

const encoder = new TextEncoder();

/** Constant-time comparison: the time taken says nothing about how much of the token matched. */
export async function sameToken(given: string, expected: string): Promise<boolean> {
  // Hashing first gives equal lengths, which timingSafeEqual requires, without leaking the length.
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Every refusal is a 401 problem with a Bearer challenge (also for another scheme, such as Basic). */
const unauthorized = (challenge: string) => () =>
  problemResponse(
    { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Send Authorization: Bearer <ADMIN_TOKEN>.' },
    { 'www-authenticate': challenge },
  );
const CHALLENGE = 'Bearer realm="syndicate"';

const checkBearer = bearerAuth<AppEnv>({
  realm: 'syndicate',
  verifyToken: (token, c) => sameToken(token, c.env.ADMIN_TOKEN),
  noAuthenticationHeader: { message: unauthorized(CHALLENGE) },
  invalidAuthenticationHeader: { message: unauthorized(CHALLENGE) },
  invalidToken: { message: unauthorized(`${CHALLENGE}, error="invalid_token"`) },
});

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` (hono/bearer-auth). Without a usable token configured (none,
 * shorter than MIN_TOKEN_LENGTH, or with characters a bearer token cannot carry) the admin API
 * stays closed: 503 saying why. A wrong or missing token is a 401 with `WWW-Authenticate`.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const problem = adminTokenProblem(c.env.ADMIN_TOKEN);
    if (problem) throw new ProblemError(503, 'Admin API not configured', problem);
    return checkBearer(c, next);
  };
}
