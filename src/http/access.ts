import { verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';

// Cloudflare Access in front of the console (optional): Access signs each request it lets through
// with a JWT in the Cf-Access-Jwt-Assertion header (RS256, keys published at
// https://<team>/cdn-cgi/access/certs). With ACCESS_TEAM_DOMAIN and ACCESS_AUD set, a valid one
// stands for a sign-in with the admin token (src/routes/console/access.ts). Verification is
// hono's verifyWithJwks: the key by `kid`, RS256 only (never `none` nor a shared-secret
// algorithm), the signature, `exp` and `nbf`, the issuer (the team domain) and the audience (the
// Access application's AUD tag).

/** The request header Access adds. */
export const ACCESS_HEADER = 'cf-access-jwt-assertion';

/** How long the team's keys are used before they are read again (Access rotates them every 6 weeks, publishing the next one ahead). */
const KEYS_MS = 3_600_000;
/** A token whose `kid` is not among the cached keys reads them again, at most this often (a new key, or tokens made up to make us fetch). */
const REFETCH_MS = 60_000;
/** How long reading the keys may take. */
const FETCH_MS = 5_000;

type CachedKeys = { keys: HonoJsonWebKey[]; at: number };
/** The keys of each team domain, per isolate. */
const cache = new Map<string, CachedKeys>();

/** The team's host (`<team>.cloudflareaccess.com`), from the setting with or without its scheme; null when unset or not a host. */
export function accessTeam(env: Env): { host: string; aud: string } | null {
  const domain = (env.ACCESS_TEAM_DOMAIN ?? '').trim();
  const aud = (env.ACCESS_AUD ?? '').trim();
  if (!domain || !aud) return null;
  const host = domain
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  return /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d+)?$/.test(host) ? { host, aud } : null;
}

async function readKeys(host: string, now: number): Promise<HonoJsonWebKey[]> {
  const res = await fetch(`https://${host}/cdn-cgi/access/certs`, { signal: AbortSignal.timeout(FETCH_MS), redirect: 'manual' });
  if (!res.ok) throw new Error(`the Access keys of ${host} answered ${res.status}`);
  const body = (await res.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error(`the Access keys of ${host} are not a JWKS`);
  const keys = body.keys as HonoJsonWebKey[];
  cache.set(host, { keys, at: now });
  return keys;
}

/** The team's keys: cached, read again when old, or when `kid` is new to them (not more than once a minute). */
async function keysFor(host: string, kid: string | undefined, now: number): Promise<HonoJsonWebKey[]> {
  const cached = cache.get(host);
  if (!cached || now - cached.at > KEYS_MS) return readKeys(host, now);
  if (kid !== undefined && !cached.keys.some((k) => k.kid === kid) && now - cached.at > REFETCH_MS) return readKeys(host, now);
  return cached.keys;
}

/** The `kid` of a token's header, without trusting anything else in it. */
function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The identity (email, or subject) of a valid Access token for this site's team and application;
 * null when Access is not configured, or the token is missing, malformed, expired, not yet valid,
 * for another issuer or audience, signed with another key or algorithm. Never throws.
 */
export async function accessIdentity(env: Env, token: string | undefined, now: number): Promise<string | null> {
  const team = accessTeam(env);
  if (!team || !token || token.length > 16_384) return null;
  try {
    const keys = await keysFor(team.host, kidOf(token), now);
    const payload = await verifyWithJwks(token, {
      keys,
      allowedAlgorithms: ['RS256'],
      verification: { iss: `https://${team.host}`, aud: team.aud, exp: true, nbf: true },
    });
    // Access's own tokens always carry an expiry: one without is not one of them.
    if (typeof payload.exp !== 'number') return null;
    const who = payload.email ?? payload.sub;
    return typeof who === 'string' && who ? who : 'an Access identity';
  } catch (error) {
    // The reason's name only: some of hono's messages quote the token itself.
    console.warn(`console: a Cf-Access-Jwt-Assertion was refused (${error instanceof Error ? error.name : 'unknown'})`);
    return null;
  }
}
