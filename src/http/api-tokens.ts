import { type ApiToken, findApiToken, insertApiToken } from '../db/api-tokens';
import { isScope } from './scopes';

// API tokens: `syn_` and 32 random bytes in base64url (43 characters), a bearer token like
// ADMIN_TOKEN. Only the SHA-256 of a token is stored: it is shown once, when it is made, and a
// lost token is revoked and made again, never recovered.

const PREFIX = 'syn_';
const SHAPE = /^syn_[A-Za-z0-9_-]{43}$/;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const hashOf = async (token: string) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Why a token cannot be made from this name and these scopes, or null when it can. */
export function tokenRequestProblem(name: string, scopes: string[]): { field: 'name' | 'scopes'; message: string } | null {
  if (name.trim() === '' || name.length > 100) return { field: 'name', message: 'Give the token a name of 1 to 100 characters.' };
  if (scopes.length === 0) return { field: 'scopes', message: 'Give the token at least one scope.' };
  const unknown = scopes.find((s) => !isScope(s));
  if (unknown !== undefined) return { field: 'scopes', message: `“${unknown}” is not a scope.` };
  return null;
}

/**
 * Makes a token: stores its hash with the name and scopes, and returns the token itself (the only
 * time it exists outside the caller's hands). Null when as many tokens exist as may.
 */
export async function mintApiToken(
  db: D1Database,
  name: string,
  scopes: string[],
  now: number,
): Promise<{ token: string; record: ApiToken } | null> {
  const token = PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
  const record = await insertApiToken(db, name.trim(), await hashOf(token), [...new Set(scopes)].sort(), now);
  return record ? { token, record } : null;
}

/** The stored token a bearer token is, or null (not one of ours, or revoked). */
export async function apiTokenOf(db: D1Database, token: string): Promise<ApiToken | null> {
  if (!SHAPE.test(token)) return null;
  return findApiToken(db, await hashOf(token));
}
