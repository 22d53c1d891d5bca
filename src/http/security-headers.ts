import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { IFRAME_HOSTS } from '../html/sanitize';
import { COPY_SCRIPT, PAGE_STYLE } from '../render/pages/layout';
import { CONSOLE_STYLE } from '../render/console/layout';

// Security headers of every response, in one place.
//
// `X-Content-Type-Options: nosniff` on everything: feeds, JSON, problems, redirects, pages, media.
//
// `Content-Security-Policy` on every HTML response. Public pages run no script, so nothing may
// run: `default-src 'none'` covers scripts, connections, fonts, workers and manifests. The one
// exception is the feed preview (a browser opening a feed URL), whose Copy button is one inline
// script allowed by its SHA-256 hash on that page only. The inline style sheets are allowed by
// their SHA-256 hashes (never 'unsafe-inline'; a `style` attribute is not applied). Images and
// media come from anywhere over http(s) or as data: URLs, because upstream content and posts
// reference remote images; embedded players only from the iframe allowlist the sanitizer applies
// (IFRAME_HOSTS, https). No plugins, no <base>, forms post only to this origin, and no other site
// may frame the pages.
//
// The console (/admin, /stats) has a policy of its own: its style sheet's hash beside the pages',
// script files from this origin only (its one file, src/routes/console/assets.ts; never an inline
// script), and connections to this origin (the editor's live preview). Its responses also say
// `X-Frame-Options: DENY` (framing, for browsers that predate frame-ancestors) and
// `Referrer-Policy: same-origin` (a console address never leaves the site in a Referer).
//
// hono/secure-headers is not used: it puts one policy on every response whatever its type, and
// turns on HSTS (with includeSubDomains), Cross-Origin-Resource-Policy and others by default,
// which are deployment decisions, not this app's.

/** The console's paths: its pages and actions, and the subscriber counts' page of old (/stats). */
export const isConsolePath = (path: string): boolean => /^\/(?:admin|stats)(?:\/|$)/.test(path);

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

const hashSource = async (text: string) => `'sha256-${await sha256Base64(text)}'`;

/**
 * The console's rules builder frames a snapshot of an upstream page (src/routes/console/builder.ts):
 * it has a policy of its own, inline styles and nothing else (no script, no image, no connection),
 * and only the console may frame it.
 */
export const SNAPSHOT_PATH = '/admin/sources/builder/snapshot';
const SNAPSHOT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** Which policy an HTML response gets: a public page's, the feed preview's (Copy button), or the console's. */
type PolicyKind = 'page' | 'copy' | 'console';

/** The policies once computed: strings, never promises (one request's I/O is not another's to await). */
const policies = new Map<PolicyKind, string>();

/** The Content-Security-Policy of HTML responses of one kind (computed once per isolate). */
async function contentSecurityPolicy(kind: PolicyKind): Promise<string> {
  const held = policies.get(kind);
  if (held) return held;
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'style-src': await Promise.all((kind === 'console' ? [PAGE_STYLE, CONSOLE_STYLE] : [PAGE_STYLE]).map(hashSource)),
    // The feed preview's Copy button, by its hash, on that page only.
    ...(kind === 'copy' ? { 'script-src': [await hashSource(COPY_SCRIPT)] } : {}),
    ...(kind === 'console' ? { 'script-src': ["'self'"], 'connect-src': ["'self'"] } : {}),
    'img-src': ['http:', 'https:', 'data:'],
    'media-src': ['http:', 'https:', 'data:'],
    // The console frames its rules builder's snapshot (SNAPSHOT_PATH), from this origin.
    'frame-src': [...(kind === 'console' ? ["'self'"] : []), ...[...IFRAME_HOSTS].map((host) => `https://${host}`)],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  const policy = Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
  policies.set(kind, policy);
  return policy;
}

/** Sets the security headers on the response, whatever produced it (a route, notFound, onError). */
export async function addSecurityHeaders(c: Context<AppEnv>): Promise<void> {
  c.res.headers.set('x-content-type-options', 'nosniff');
  const console = isConsolePath(c.req.path);
  if (console) {
    c.res.headers.set('x-frame-options', 'DENY');
    c.res.headers.set('referrer-policy', 'same-origin');
  }
  if (c.req.path.replace(/\/$/, '') === SNAPSHOT_PATH) {
    c.res.headers.set('x-frame-options', 'SAMEORIGIN');
    c.res.headers.set('content-security-policy', SNAPSHOT_POLICY);
    return;
  }
  if (/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) {
    const kind = console ? 'console' : c.get('copyScript') === true ? 'copy' : 'page';
    c.res.headers.set('content-security-policy', await contentSecurityPolicy(kind));
  }
}
