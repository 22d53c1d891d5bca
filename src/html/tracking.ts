import { decodeHTMLAttribute } from 'entities';

// Tracking parameters (utm_*, fbclid, …) removed from links: they identify a campaign, not a
// page, and the same story reached through two newsletters must be one item (docs/filters.md).

/** Always removed; TRACKING_PARAMS (wrangler.toml) adds names. A trailing `*` names a prefix. */
export const DEFAULT_TRACKING_PARAMS = ['utm_*', 'fbclid', 'gclid', 'mc_cid', 'mc_eid'] as const;

/** Which query parameter names are tracking ones. */
export type TrackingParams = { names: ReadonlySet<string>; prefixes: readonly string[] };

/** The defaults plus a comma-separated list of names (case-insensitive; `name*` a prefix). */
export function trackingParams(extra = ''): TrackingParams {
  const all = [...DEFAULT_TRACKING_PARAMS, ...extra.split(',')].map((n) => n.trim().toLowerCase()).filter(Boolean);
  return {
    names: new Set(all.filter((n) => !n.endsWith('*'))),
    prefixes: all.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)),
  };
}

const isTracking = (name: string, params: TrackingParams) => {
  const lower = name.toLowerCase();
  return params.names.has(lower) || params.prefixes.some((p) => lower.startsWith(p));
};

/**
 * `url` without its tracking parameters; everything else (other parameters and their order and
 * encoding, the fragment) as it was. A URL that does not parse, or has none, comes back unchanged.
 */
export function stripTracking(url: string, params: TrackingParams): string {
  const at = url.indexOf('?');
  if (at === -1 || !URL.canParse(url)) return url;
  const hash = url.indexOf('#', at);
  const query = url.slice(at + 1, hash === -1 ? undefined : hash);
  const kept = query.split('&').filter((pair) => {
    if (pair === '') return true;
    const name = pair.split('=', 1)[0]!;
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {}
    return !isTracking(decoded, params);
  });
  const rest = hash === -1 ? '' : url.slice(hash);
  if (kept.join('&') === query) return url;
  return url.slice(0, at) + (kept.length ? `?${kept.join('&')}` : '') + rest;
}

/** Quick test: may `html` hold a link with one of the parameters? False: certainly none. */
function mayHoldTracking(html: string, params: TrackingParams): boolean {
  if (!/[?&]/.test(html)) return false;
  const lower = html.toLowerCase();
  for (const name of params.names) if (lower.includes(`${name}=`)) return true;
  return params.prefixes.some((p) => lower.includes(p));
}

/** `html` with the tracking parameters removed from every link (a[href], area[href]); HTMLRewriter, as absolute-urls.ts. */
export async function stripTrackingInHtml(html: string, params: TrackingParams): Promise<string> {
  if (!mayHoldTracking(html, params)) return html;
  const rewriter = new HTMLRewriter().on('a[href], area[href]', {
    element(el) {
      // HTMLRewriter hands attribute values over as written (character references not decoded),
      // and writes them back as given: decode, strip, and escape `&` again.
      const raw = el.getAttribute('href');
      if (raw === null) return;
      const href = decodeHTMLAttribute(raw);
      const clean = stripTracking(href, params);
      if (clean !== href) el.setAttribute('href', clean.replace(/&/g, '&amp;'));
    },
  });
  return rewriter.transform(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text();
}
