import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { deleteSession, insertSession, sessionIsLive } from '../db/sessions';
import type { AppEnv, Session } from './app-env';

// The admin session of the HTML pages (the console, /admin, and /stats): a browser cannot send a bearer token, so the
// sign-in form trades the admin token for a cookie. The cookie holds a random session id and its
// expiry, signed (hono/cookie's HMAC-SHA-256) with a key derived from ADMIN_TOKEN: never the
// token itself, and changing the token ends every session. The session is also recorded in D1
// (admin_sessions, by the SHA-256 of its id) and counts only while recorded: sign-out deletes the
// row, so a copy of the cookie (from a shared computer, a proxy log) is dead from then on, not
// until its expiry. Forms that change anything carry a per-form token (formToken): an HMAC of
// the form's name, the session it belongs to and an expiry, checked on the post, on top of
// hono/csrf's Origin / Sec-Fetch-Site check.

const COOKIE = '__Host-syndicate-session';
/** How long a session lasts. */
export const SESSION_MS = 12 * 3_600_000;
/** How long a form may wait between its page and its post. */
const FORM_MS = 2 * 3_600_000;

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function hmac(key: string, message: string): Promise<string> {
  const imported = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', imported, encoder.encode(message)));
}

/** The signing key of sessions, forms and sign-in clients, derived from ADMIN_TOKEN (one derivation per use). */
const signingKey = (env: Env, use: 'session' | 'form' | 'client') => hmac(env.ADMIN_TOKEN, `syndicate ${use} key v1`);

/** What D1 keeps of a client's address for the sign-in limit: an HMAC under a key of its own, never the address. */
export const clientKey = async (env: Env, address: string): Promise<string> => hmac(await signingKey(env, 'client'), address);

/** What D1 keeps of a session id: its SHA-256, so the table alone cannot make a cookie. */
const storedId = async (id: string) => hex(await crypto.subtle.digest('SHA-256', encoder.encode(id)));

/** Starts a session: records it, and sets the HttpOnly, Secure, SameSite=Strict cookie. */
export async function startSession(c: Context<AppEnv>, now: number): Promise<Session> {
  const id = hex(crypto.getRandomValues(new Uint8Array(16)).buffer);
  const expires = now + SESSION_MS;
  await insertSession(c.env.DB, await storedId(id), expires, now);
  await setSignedCookie(c, COOKIE, `${id}.${expires}`, await signingKey(c.env, 'session'), {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_MS / 1000,
  });
  return { id, expires };
}

/**
 * The request's session, or null: no cookie, a bad signature (or another token's), expired, or
 * ended on the server (signed out).
 */
export async function currentSession(c: Context<AppEnv>, now: number): Promise<Session | null> {
  const value = await getSignedCookie(c, await signingKey(c.env, 'session'), COOKIE);
  const match = typeof value === 'string' ? /^([0-9a-f]{32})\.(\d{1,15})$/.exec(value) : null;
  if (!match || Number(match[2]) <= now) return null;
  if (!(await sessionIsLive(c.env.DB, await storedId(match[1]!), now))) return null;
  return { id: match[1]!, expires: Number(match[2]) };
}

/** Ends the session on the server (when there is one) and deletes the cookie. */
export async function endSession(c: Context<AppEnv>, session: Session | null, now: number): Promise<void> {
  if (session) await deleteSession(c.env.DB, await storedId(session.id), now);
  deleteCookie(c, COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}

/** A token for one form, bound to its name and to the session (or '' before sign-in). */
export async function formToken(env: Env, form: string, session: string, now: number): Promise<string> {
  const expires = now + FORM_MS;
  return `${expires}.${await hmac(await signingKey(env, 'form'), `${form}\n${session}\n${expires}`)}`;
}

/**
 * What a posted form token is: one formToken made for this form and session and still valid, one
 * it made that has expired (the form was open too long), or anything else.
 */
export async function formTokenState(
  env: Env,
  form: string,
  session: string,
  token: unknown,
  now: number,
): Promise<'valid' | 'expired' | 'invalid'> {
  const match = typeof token === 'string' ? /^(\d{1,15})\.([0-9a-f]{64})$/.exec(token) : null;
  if (!match) return 'invalid';
  const expected = await hmac(await signingKey(env, 'form'), `${form}\n${session}\n${match[1]}`);
  if (!crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(match[2]!))) return 'invalid';
  return Number(match[1]) > now ? 'valid' : 'expired';
}

/** Whether a posted form token is one formToken made for this form and session, and still valid. */
export async function checkFormToken(env: Env, form: string, session: string, token: unknown, now: number): Promise<boolean> {
  return (await formTokenState(env, form, session, token, now)) === 'valid';
}
