import { Hono } from 'hono';
import { isOwnHub, OWN_HUB_PATH, siteConfig } from '../config';
import type { AppEnv } from '../http/app-env';
import { readCapped } from '../ingest/fetch/fetch-upstream';
import { acceptHubRequest, HubRequestError } from '../push/hub-request';
import { MAX_HUB_REQUEST_BYTES } from '../push/limits';

/**
 * The site's own WebSub hub (src/push/, docs/push.md), where every feed points when WEBSUB_HUB is
 * empty. Subscribers POST subscription requests; the answer is 202 and the rest happens in the
 * push queue: validation, verification of intent, then content distribution on every change.
 * Errors are plain text, as WebSub §5.1.2 asks.
 */
export const hubRoutes = new Hono<AppEnv>();

const FORM = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

hubRoutes.post(OWN_HUB_PATH, async (c) => {
  const config = siteConfig(c.env);
  if (!isOwnHub(config)) return c.text(`This site's feeds use the hub at ${config.hub}.`, 404);
  try {
    if (!FORM.test(c.req.header('content-type') ?? '')) {
      throw new HubRequestError(415, 'Send the request as application/x-www-form-urlencoded (WebSub §5.1).');
    }
    const bytes = await readCapped(c.req.raw.body, MAX_HUB_REQUEST_BYTES);
    if (bytes === null) throw new HubRequestError(413, `The request body must be at most ${MAX_HUB_REQUEST_BYTES} bytes.`);
    const request = await acceptHubRequest(c.env, new URLSearchParams(new TextDecoder().decode(bytes)), Date.now());
    return c.text(`Accepted: the hub will ask ${request.callback} to confirm (hub.mode=${request.mode}).`, 202);
  } catch (error) {
    if (error instanceof HubRequestError) return c.text(error.message, error.status);
    throw error;
  }
});

hubRoutes.get(OWN_HUB_PATH, (c) =>
  c.text(`This is the WebSub hub of ${siteConfig(c.env).url}: POST subscription requests here (docs/push.md).`, 405, { allow: 'POST' }),
);
