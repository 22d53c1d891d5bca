/** How long one hub notification may take before it is given up (it runs after the response). */
const HUB_TIMEOUT_MS = 10_000;

export type HubPing = { topic: string; ok: boolean; status?: number; error?: string };

/**
 * Tells a WebSub hub that feeds changed (W3C WebSub §7 leaves the publish request to hubs; the
 * form below, `hub.mode=publish` and `hub.url`, is the one hubs accept in practice). One request
 * per topic URL, all in parallel, each bounded by a timeout. Never throws: failures are returned
 * and logged, because a slow or broken hub must not fail or delay the write that triggered it.
 */
export async function notifyHub(hub: string, topics: string[], fetcher: typeof fetch = fetch): Promise<HubPing[]> {
  const pings = await Promise.all(
    topics.map(async (topic): Promise<HubPing> => {
      try {
        const response = await fetcher(hub, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Syndicate (WebSub publisher)' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
          signal: AbortSignal.timeout(HUB_TIMEOUT_MS),
        });
        await response.body?.cancel();
        return { topic, ok: response.ok, status: response.status };
      } catch (error) {
        return { topic, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  for (const ping of pings.filter((p) => !p.ok)) {
    console.warn(`WebSub: hub ${hub} refused ${ping.topic}: ${ping.status ?? ping.error}`);
  }
  return pings;
}
