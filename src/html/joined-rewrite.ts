// Setting up an HTMLRewriter pass costs more than reading a post, so code that rewrites many
// fragments (the URLs of a feed's posts, the HTML of an upstream feed's items) runs one pass over
// all of them, joined with marker comments, and splits the output at the same markers.

const MARKER = /^syndicate:([0-9a-f-]{36}):(\d+)$/;

/**
 * One rewriter pass over `fragments`. `build` makes the rewriter; it gets `markerIndex`, which
 * tells a comment's text apart: the index of the fragment that starts there, or null for an
 * ordinary comment. Returns each fragment's output, or null when a fragment swallowed the markers
 * after it (an element left open whose content is read as raw text or dropped): then the caller
 * rewrites the fragments one by one.
 */
export async function rewriteJoined(
  fragments: string[],
  build: (markerIndex: (commentText: string) => number | null) => HTMLRewriter,
): Promise<string[] | null> {
  const nonce = crypto.randomUUID();
  const marker = (k: number) => `<!--syndicate:${nonce}:${k}-->`;
  const markerIndex = (text: string) => {
    const match = MARKER.exec(text);
    return match && match[1] === nonce ? Number(match[2]) : null;
  };
  const joined = fragments.map((html, k) => marker(k) + html).join('');
  const result = await build(markerIndex)
    .transform(new Response(joined, { headers: { 'content-type': 'text/html; charset=utf-8' } }))
    .text();
  const parts: string[] = [];
  let at = result.indexOf(marker(0));
  for (let k = 0; at >= 0 && k < fragments.length; k++) {
    const start = at + marker(k).length;
    const next = k + 1 < fragments.length ? result.indexOf(marker(k + 1), start) : result.length;
    if (next < 0) break;
    parts.push(result.slice(start, next));
    at = next;
  }
  return parts.length === fragments.length ? parts : null;
}
