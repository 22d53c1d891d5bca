// Helpers for the console's tests inside workerd: requests straight to the app (with an execution
// context whose background work is kept), signing in through the form, and form tokens and
// bodies as a browser sends them.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { app } from '../../src/app';
import { SITE } from './worker';

export function request(path: string, init: RequestInit = {}, bindings: Env = env) {
  const ctx = { waitUntil: () => {}, passThroughOnException() {}, props: {} };
  return app.request(new URL(path, SITE).href, init, bindings, ctx as unknown as ExecutionContext);
}

/** The Origin header of the console's own forms. */
export const ORIGIN = { origin: SITE };

/** The form token of the form posting to `action` (the page's first form without it). */
export const csrfOf = (html: string, action?: string) => {
  const form = action ? html.slice(html.indexOf(`action="${action}"`)) : html;
  return /name="csrf" value="([^"]+)"/.exec(form)![1]!;
};

/** A form body as a browser sends it. */
export const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body;
};

/** Signs in through the form (from a given address); the session cookie (name=value). */
export async function signIn(ip = '192.0.2.1', bindings: Env = env): Promise<string> {
  const csrf = csrfOf(await (await request('/admin', {}, bindings)).text());
  const ok = await request(
    '/admin/sign-in',
    { method: 'POST', headers: { ...ORIGIN, 'cf-connecting-ip': ip }, body: form({ csrf, token: bindings.ADMIN_TOKEN }) },
    bindings,
  );
  expect(ok.status).toBe(303);
  return ok.headers.get('set-cookie')!.split(';')[0]!;
}

/** A signed-in page's form token for the form posting to `action`. */
export async function tokenOf(cookie: string, page: string, action: string): Promise<string> {
  const res = await request(page, { headers: { cookie } });
  expect(res.status).toBe(200);
  return csrfOf(await res.text(), action);
}

/** Posts a console form with the session `cookie`. */
export const post = (cookie: string, path: string, fields: Record<string, string | string[]>) =>
  request(path, { method: 'POST', headers: { ...ORIGIN, cookie }, body: form(fields) });
