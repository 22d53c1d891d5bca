import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { IFRAME_HOSTS } from '../html/sanitize';
import { COPY_SCRIPT, PAGE_STYLE } from '../render/pages/layout';
import { STATS_STYLE } from '../render/pages/stats';

// Security headers of every response, in one place.
//
// `X-Content-Type-Options: nosniff` on everything: feeds, JSON, problems, redirects, pages.
//
// `Content-Security-Policy` on every HTML response. Pages run no script, so nothing may run:
// `default-src 'none'` covers scripts, connections, fonts, workers and manifests. The one
// exception is the feed preview (a browser opening a feed URL), whose Copy button is one inline
// script allowed by its SHA-256 hash on that page only. The inline style sheets (the pages', and
// the stats pages' own) are allowed by their SHA-256 hashes (never 'unsafe-inline'; a `style`
// attribute is not applied). Images and media come from anywhere over http(s) or as data: URLs, because upstream
// content and posts reference remote images; embedded players only from the iframe allowlist
// the sanitizer applies (IFRAME_HOSTS, https). No plugins, no <base>, forms post only to this
// origin, and no other site may frame the pages.
//
// hono/secure-headers is not used: it puts one policy on every response whatever its type, and
// turns on HSTS (with includeSubDomains), Cross-Origin-Resource-Policy and others by default,
// which are deployment decisions, not this app's.

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/** The policies once computed: strings, never promises (one request's I/O is not another's to await). */
const policies = new Map<boolean, string>();

/** The Content-Security-Policy of HTML responses, with the Copy button's script or none (computed once per isolate). */
async function contentSecurityPolicy(copyScript: boolean): Promise<string> {
  const held = policies.get(copyScript);
  if (held) return held;
  const policy = await (async () => {
    const directives: Record<string, string[]> = {
      'default-src': ["'none'"],
      'style-src': await Promise.all([PAGE_STYLE, STATS_STYLE].map(async (style) => `'sha256-${await sha256Base64(style)}'`)),
      // The feed preview's Copy button, by its hash, on that page only.
      ...(copyScript ? { 'script-src': [`'sha256-${await sha256Base64(COPY_SCRIPT)}'`] } : {}),
      'img-src': ['http:', 'https:', 'data:'],
      'media-src': ['http:', 'https:', 'data:'],
      'frame-src': [...IFRAME_HOSTS].map((host) => `https://${host}`),
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    };
    return Object.entries(directives)
      .map(([name, values]) => `${name} ${values.join(' ')}`)
      .join('; ');
  })();
  policies.set(copyScript, policy);
  return policy;
}

/** Sets the security headers on the response, whatever produced it (a route, notFound, onError). */
export async function addSecurityHeaders(c: Context<AppEnv>): Promise<void> {
  c.res.headers.set('x-content-type-options', 'nosniff');
  if (/^text\/html\b/i.test(c.res.headers.get('content-type') ?? '')) {
    c.res.headers.set('content-security-policy', await contentSecurityPolicy(c.get('copyScript') === true));
  }
}
