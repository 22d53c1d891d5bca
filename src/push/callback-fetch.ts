import { checkUpstreamUrl, parseRetryAfter, readCapped } from '../ingest/fetch/fetch-upstream';
import { CALLBACK_TIMEOUT_MS } from './limits';

export type CallbackRequest = {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: ArrayBuffer | string;
  /** Bytes of the answer's body to read; the rest is never read. 0 (the default): none, the body is ignored. */
  readBytes?: number;
  /** Lifts the address ban for loopback only, as for upstream fetches (ALLOW_LOOPBACK_UPSTREAMS). */
  allowLoopback: boolean;
  timeoutMs?: number;
};

/** How a callback answered: `ok` for a 2xx. `status` is null when there was no answer at all. */
export type CallbackAnswer = {
  ok: boolean;
  status: number | null;
  /** The first `readBytes` bytes of the body, as text ('' when none were read). */
  body: string;
  /** Why the request failed, for the subscription's or delivery's record; null when `ok`. */
  error: string | null;
  /** What the callback's Retry-After asked for (on a 429 or 503), in seconds; null: nothing. */
  retryAfterSeconds: number | null;
};

/**
 * One request to a subscriber's callback or a webhook's URL, under the rules of every outbound
 * request (checkUpstreamUrl: a public http(s) address, loopback only where allowed), and the rules
 * of a push sender: redirects are never followed (a 3xx is a failure: WebSub §7, Standard
 * Webhooks), one deadline covers the whole exchange, and at most `readBytes` of the answer are
 * read, so a slow, huge or endless answer costs at most the timeout and never more memory.
 * Never throws.
 */
export async function callCallback(url: string, request: CallbackRequest): Promise<CallbackAnswer> {
  const problem = checkUpstreamUrl(url, request.allowLoopback);
  if (problem) return failed(null, `${url} ${problem}; not requested`);
  const timeoutMs = request.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const { status } = response;
    const readBytes = request.readBytes ?? 0;
    let body = '';
    if (readBytes > 0 && status >= 200 && status < 300) {
      const bytes = await readCapped(response.body, readBytes, true);
      body = new TextDecoder().decode(bytes ?? new Uint8Array());
    } else await response.body?.cancel().catch(() => {});
    if (status >= 200 && status < 300) return { ok: true, status, body, error: null, retryAfterSeconds: null };
    if (status >= 300 && status < 400) return failed(status, `answered ${status}; redirects are not followed`);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : null;
    return { ...failed(status, `answered ${status}`), retryAfterSeconds: retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000) };
  } catch (error) {
    if (controller.signal.aborted) return failed(null, `no complete answer within ${timeoutMs / 1000} s`);
    return failed(null, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

const failed = (status: number | null, error: string): CallbackAnswer => ({ ok: false, status, body: '', error, retryAfterSeconds: null });

/**
 * `url` with `params` appended to its query, which is kept as it is (WebSub §5.1.1: the hub's
 * parameters go after the callback's own, joined with &). A fragment is never sent.
 */
export function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  parsed.hash = '';
  const base = parsed.href;
  const query = new URLSearchParams(params).toString();
  return base + (base.endsWith('?') ? '' : parsed.search ? '&' : '?') + query;
}
