// Relative references in content must become absolute: a feed reader shows the content far
// from our site, where "/img/a.png" means nothing. HTMLRewriter (the Workers runtime's own
// streaming HTML parser) finds the attributes; a regex over HTML would also rewrite text that
// merely looks like an attribute.
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite', 'action', 'data', 'longdesc'] as const;

// Quick test: is there any URL attribute whose value does not start with a scheme? Most content
// has none, and then the parser never runs.
const MAYBE_RELATIVE = /\s(?:href|src|srcset|poster|cite|action|data|longdesc)\s*=\s*(?:"|'|)\s*(?![a-z][a-z0-9+.-]*:)/i;

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
 * `absolutizeUrls` for many fragments at once, each against its own base. Setting up a rewriter
 * costs more than parsing a post, so the fragments that need it go through one pass, separated by
 * comment markers that switch the base; the output is split at the same markers. A fragment that
 * leaves a raw-text element open (an unclosed <style> or <textarea>) hides the markers after it:
 * then every fragment falls back to a pass of its own.
 */
export async function absolutizeAll(fragments: { html: string; base: string }[]): Promise<string[]> {
  const out = fragments.map((f) => f.html);
  const todo = fragments.map((f, i) => (MAYBE_RELATIVE.test(f.html) ? i : -1)).filter((i) => i >= 0);
  if (todo.length <= 1) {
    await Promise.all(todo.map(async (i) => (out[i] = await absolutizeUrls(fragments[i]!.html, fragments[i]!.base))));
    return out;
  }
  const nonce = crypto.randomUUID();
  const marker = (k: number) => `<!--syndicate:${nonce}:${k}-->`;
  let base = fragments[todo[0]!]!.base;
  let seen = 0;
  const rewriter = new HTMLRewriter()
    .onDocument({
      comments(comment) {
        const match = /^syndicate:([0-9a-f-]{36}):(\d+)$/.exec(comment.text);
        if (match && match[1] === nonce) {
          base = fragments[todo[Number(match[2])]!]!.base;
          seen++;
        }
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
    });
  const joined = todo.map((i, k) => marker(k) + fragments[i]!.html).join('');
  const result = await rewriter.transform(new Response(joined, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text();
  const parts: string[] = [];
  let at = result.indexOf(marker(0));
  for (let k = 0; at >= 0 && k < todo.length; k++) {
    const start = at + marker(k).length;
    const next = k + 1 < todo.length ? result.indexOf(marker(k + 1), start) : result.length;
    if (next < 0) break;
    parts.push(result.slice(start, next));
    at = next;
  }
  if (seen !== todo.length || parts.length !== todo.length) {
    await Promise.all(todo.map(async (i) => (out[i] = await absolutizeUrls(fragments[i]!.html, fragments[i]!.base))));
    return out;
  }
  todo.forEach((i, k) => (out[i] = parts[k]!));
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
