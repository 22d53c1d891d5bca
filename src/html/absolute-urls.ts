import { rewriteJoined } from './joined-rewrite';

// Relative references in content must become absolute: a feed reader shows the content far
// from our site, where "/img/a.png" means nothing. HTMLRewriter (the Workers runtime's own
// streaming HTML parser) finds the attributes; a regex over HTML would also rewrite text that
// merely looks like an attribute.
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite', 'action', 'data', 'longdesc'] as const;

// Quick test: is there any URL attribute whose value does not start with a scheme? Most content
// has none, and then the parser never runs. The quote is consumed (or known absent) before the
// scheme look-ahead, so the look-ahead cannot succeed by looking at the quote itself. A srcset
// always counts: a candidate after the first may be relative. False positives only cost time.
const MAYBE_RELATIVE =
  /[\s/](?:srcset\s*=|(?:href|src|poster|cite|action|data|longdesc)\s*=\s*(?:["']\s*|(?!["']))(?![a-z][a-z0-9+.-]*:))/i;

/** True when `html` may hold a relative URL in a URL attribute (false: certainly none). */
export function mayHaveRelativeUrls(html: string): boolean {
  return MAYBE_RELATIVE.test(html);
}

/** Returns `html` with every URL in href/src/srcset/poster/… resolved against `base`. */
export async function absolutizeUrls(html: string, base: string): Promise<string> {
  if (!MAYBE_RELATIVE.test(html)) return html;
  let rewriter = new HTMLRewriter();
  for (const name of URL_ATTRIBUTES) {
    rewriter = rewriter.on(`[${name}]`, {
      element(el) {
        const value = el.getAttribute(name);
        if (value !== null) el.setAttribute(name, resolve(value, base));
      },
    });
  }
  rewriter = rewriter.on('[srcset]', {
    element(el) {
      const value = el.getAttribute('srcset');
      if (value !== null) el.setAttribute('srcset', resolveSrcset(value, base));
    },
  });
  return rewriter.transform(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text();
}

/**
 * `absolutizeUrls` for many fragments at once, each against its own base, in one rewriter pass
 * (see joined-rewrite.ts); the marker comments switch the base.
 */
export async function absolutizeAll(fragments: { html: string; base: string }[]): Promise<string[]> {
  const out = fragments.map((f) => f.html);
  const todo = fragments.map((f, i) => (MAYBE_RELATIVE.test(f.html) ? i : -1)).filter((i) => i >= 0);
  const oneByOne = () => Promise.all(todo.map(async (i) => (out[i] = await absolutizeUrls(fragments[i]!.html, fragments[i]!.base))));
  if (todo.length <= 1) {
    await oneByOne();
    return out;
  }
  let base = fragments[todo[0]!]!.base;
  const parts = await rewriteJoined(
    todo.map((i) => fragments[i]!.html),
    (markerIndex) =>
      new HTMLRewriter()
        .onDocument({
          comments(comment) {
            const k = markerIndex(comment.text);
            if (k !== null) base = fragments[todo[k]!]!.base;
          },
        })
        .on('*', {
          element(el) {
            for (const name of URL_ATTRIBUTES) {
              const value = el.getAttribute(name);
              if (value !== null) el.setAttribute(name, resolve(value, base));
            }
            const srcset = el.getAttribute('srcset');
            if (srcset !== null) el.setAttribute('srcset', resolveSrcset(srcset, base));
          },
        }),
  );
  if (parts === null) await oneByOne();
  else
    todo.forEach((i, k) => {
      out[i] = parts[k]!;
    });
  return out;
}

function resolve(value: string, base: string): string {
  try {
    return new URL(value.trim(), base).href;
  } catch {
    return value;
  }
}

function resolveSrcset(value: string, base: string): string {
  return value
    .split(',')
    .map((candidate) => {
      const [url, ...descriptors] = candidate.trim().split(/\s+/);
      return url ? [resolve(url, base), ...descriptors].join(' ') : '';
    })
    .filter(Boolean)
    .join(', ');
}
