import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';

/** How long one hub notification may take before it is given up (it runs after the response). */
const HUB_TIMEOUT_MS = 10_000;
/** Redirects a ping follows (307 and 308 only, see notifyHub). */
const MAX_HUB_REDIRECTS = 3;

export type HubPing = { topic: string; ok: boolean; status?: number; error?: string };

export type HubOptions = {
  /** Lifts the address ban for loopback only, as for upstream fetches (ALLOW_LOOPBACK_UPSTREAMS). */
  allowLoopback: boolean;
  fetcher?: typeof fetch;
};

/**
 * One publish request, with the address checks every outbound request gets (checkUpstreamUrl):
 * the hub URL and each redirect's target must be a public http(s) address, so a hub (or whoever
 * answers at its address) cannot send the ping into a private network or to the metadata
 * service. Redirects are followed by hand: 307 and 308 keep the POST and its body, so they are
 * followed after the check; 301, 302 and 303 would turn the ping into a GET, which publishes
 * nothing, so they are a failed ping (set WEBSUB_HUB to where the hub lives).
 */
async function publish(hub: string, topic: string, options: HubOptions): Promise<HubPing> {
  const fetcher = options.fetcher ?? fetch;
  const signal = AbortSignal.timeout(HUB_TIMEOUT_MS);
  const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString();
  let url = hub;
  for (let hop = 0; ; hop++) {
    const problem = checkUpstreamUrl(url, options.allowLoopback);
    if (problem) return { topic, ok: false, error: `${url} ${problem} (not pinged)` };
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Syndicate (WebSub publisher)' },
      body,
      redirect: 'manual',
      signal,
    });
    await response.body?.cancel();
    const { status } = response;
    if (status < 300 || status >= 400 || status === 304) return { topic, ok: response.ok, status };
    const location = response.headers.get('location');
    if ((status !== 307 && status !== 308) || !location) return { topic, ok: false, status, error: `${status} not followed` };
    if (hop >= MAX_HUB_REDIRECTS) return { topic, ok: false, status, error: `more than ${MAX_HUB_REDIRECTS} redirects` };
    url = new URL(location, url).href;
  }
}

/**
 * Tells a WebSub hub that feeds changed (W3C WebSub §7 leaves the publish request to hubs; the
 * form below, `hub.mode=publish` and `hub.url`, is the one hubs accept in practice). One request
 * per topic URL, all in parallel, each bounded by a timeout. Never throws: failures are returned
 * and logged, because a slow or broken hub must not fail or delay the write that triggered it.
 */
export async function notifyHub(hub: string, topics: string[], options: HubOptions): Promise<HubPing[]> {
  const pings = await Promise.all(
    topics.map(async (topic): Promise<HubPing> => {
      try {
        return await publish(hub, topic, options);
      } catch (error) {
        return { topic, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  for (const ping of pings.filter((p) => !p.ok)) {
    console.warn(`WebSub: hub ${hub} refused ${ping.topic}: ${ping.error ?? ping.status}`);
  }
  return pings;
}
