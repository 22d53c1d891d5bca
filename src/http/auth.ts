import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { touchApiToken } from '../db/api-tokens';
import type { AppEnv } from './app-env';
import { apiTokenOf } from './api-tokens';
import { backgroundOf } from './background';
import { ProblemError, problemResponse } from './problem';
import { allows, scopeNeeded } from './scopes';

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

/** ADMIN_TOKEN, or an API token (src/http/api-tokens.ts), which the request then carries as `caller`. */
const checkBearer = bearerAuth<AppEnv>({
  realm: 'syndicate',
  verifyToken: async (token, c) => {
    if (await sameToken(token, c.env.ADMIN_TOKEN)) {
      c.set('caller', { kind: 'admin' });
      return true;
    }
    const stored = await apiTokenOf(c.env.DB, token);
    if (!stored) return false;
    c.set('caller', { kind: 'token', id: stored.id, scopes: stored.scopes });
    backgroundOf(c)?.waitUntil(touchApiToken(c.env.DB, stored.id, Date.now()));
    return true;
  },
  noAuthenticationHeader: { message: unauthorized(CHALLENGE) },
  invalidAuthenticationHeader: { message: unauthorized(CHALLENGE) },
  invalidToken: { message: unauthorized(`${CHALLENGE}, error="invalid_token"`) },
});

/**
 * `Authorization: Bearer <token>` (hono/bearer-auth): ADMIN_TOKEN, which may do everything, or an
 * API token made in the console, which may do what its scopes allow (src/http/scopes.ts): beyond
 * them it gets a 403 problem naming the scope it lacks. Without a usable ADMIN_TOKEN configured
 * (none, shorter than MIN_TOKEN_LENGTH, or with characters a bearer token cannot carry) the admin
 * API stays closed: 503 saying why. A wrong or missing token is a 401 with `WWW-Authenticate`.
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const problem = adminTokenProblem(c.env.ADMIN_TOKEN);
    if (problem) throw new ProblemError(503, 'Admin API not configured', problem);
    return checkBearer(c, async () => {
      const caller = c.get('caller');
      if (caller?.kind === 'token') {
        const needed = scopeNeeded(c.req.method, c.req.path);
        if (needed === null || !allows(caller.scopes, needed)) throw insufficientScope(c.req.method, c.req.path, needed);
      }
      await next();
    });
  };
}

/** The 403 of a token used beyond its scopes (RFC 6750 §3.1: error="insufficient_scope" and the scope). */
function insufficientScope(method: string, path: string, needed: string | null): ProblemError {
  const detail =
    needed === null
      ? `${method} ${path} needs ADMIN_TOKEN: no API token scope covers it.`
      : `This token lacks the scope "${needed}", which ${method} ${path} needs.`;
  const challenge = `${CHALLENGE}, error="insufficient_scope"${needed ? `, scope="${needed}"` : ''}`;
  return new ProblemError(403, 'Forbidden', detail, undefined, { 'www-authenticate': challenge });
}
