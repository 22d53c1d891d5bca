// Conditional GET per RFC 9110 §13: If-None-Match wins over If-Modified-Since, and the weak
// comparison is used for If-None-Match (a reader that stored W/"x" still gets its 304).

/** A strong ETag made from the parts that decide a representation's bytes. */
export async function makeEtag(parts: readonly (string | number | null)[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\u0000')));
  const bytes = new Uint8Array(digest).subarray(0, 16);
  let b64 = btoa(String.fromCharCode(...bytes));
  b64 = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `"${b64}"`;
}

/** True when the client's copy is current, so the answer is 304 with no body. */
export function isNotModified(request: Request, etag: string, lastModified: Date | null): boolean {
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true;
    const opaque = etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
  }
  const ifModifiedSince = request.headers.get('if-modified-since');
  if (ifModifiedSince !== null && lastModified !== null) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds: compare at that precision.
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
