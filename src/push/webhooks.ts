import { z } from 'zod';
import { siteConfig, upstreamSettings } from '../config';
import { findPostsByIds, viewName } from '../db/entries';
import {
  countWebhooks,
  deleteWebhookRow,
  disableWebhookRow,
  enableWebhookRow,
  getWebhookRow,
  insertDeliveries,
  insertWebhook,
  listWebhookRows,
  recentDeliveries,
  type Webhook,
  type WebhookDelivery,
  type WebhookFormat,
  webhooksFor,
} from '../db/webhooks';
import { badRequest, ProblemError } from '../http/problem';
import { parsedBody } from '../http/validation';
import { checkUpstreamUrl } from '../ingest/fetch/fetch-upstream';
import { MAX_URL_LENGTH, MAX_WEBHOOKS, WEBHOOK_DELIVERIES_KEPT } from './limits';
import type { WebhookMessage } from './messages';
import { newWebhookSecret, randomToken } from './signatures';
import {
  type ItemsAdded,
  itemsAddedPayload,
  type PostChange,
  postPayload,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMATS,
  type WebhookEvent,
} from './webhook-payloads';

// The webhooks' management (plain functions: the admin API in src/routes/api-webhooks.ts and the
// console call the same ones) and their events, stored and queued for delivery
// (src/push/webhook-deliver.ts).

/** What creating a webhook takes: where, which events, and in which format. */
export const webhookInput = z.object({
  url: z
    .string()
    .trim()
    .max(MAX_URL_LENGTH)
    .refine((v) => URL.canParse(v), 'must be an absolute URL'),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, 'must name at least one event')
    .transform((events) => [...new Set(events)]),
  format: z.enum(WEBHOOK_FORMATS).default('json'),
});
export type WebhookInput = z.input<typeof webhookInput>;

/** A webhook as the API and the console show it: never its secret. */
export type WebhookSummary = {
  id: number;
  url: string;
  events: string[];
  format: WebhookFormat;
  state: 'active' | 'disabled';
  disabled_at: string | null;
  disabled_reason: string | null;
  /** Failed attempts since the last success. */
  failures: number;
  created_at: string;
  /** The newest deliveries first. */
  deliveries: {
    id: string;
    event: string;
    state: WebhookDelivery['state'];
    attempts: number;
    created_at: string;
    last_attempt_at: string | null;
    last_status: number | null;
    last_error: string | null;
  }[];
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function summary(webhook: Webhook, deliveries: WebhookDelivery[]): WebhookSummary {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    format: webhook.format,
    state: webhook.disabledAt === null ? 'active' : 'disabled',
    disabled_at: iso(webhook.disabledAt),
    disabled_reason: webhook.disabledReason,
    failures: webhook.failures,
    created_at: iso(webhook.createdAt)!,
    deliveries: deliveries.map((d) => ({
      id: d.messageId,
      event: d.event,
      state: d.state,
      attempts: d.attempts,
      created_at: iso(d.createdAt)!,
      last_attempt_at: iso(d.lastAttemptAt),
      last_status: d.lastStatus,
      last_error: d.lastError,
    })),
  };
}

/** Every webhook with its newest `deliveries` deliveries. */
export async function listWebhooks(env: Env, deliveries = 10): Promise<WebhookSummary[]> {
  const webhooks = await listWebhookRows(env.DB);
  const recent = await recentDeliveries(
    env.DB,
    webhooks.map((w) => w.id),
    deliveries,
  );
  return webhooks.map((w) => summary(w, recent.get(w.id) ?? []));
}

/** One webhook with all its kept deliveries; null when there is none with that id. */
export async function getWebhook(env: Env, id: number): Promise<WebhookSummary | null> {
  const webhook = await getWebhookRow(env.DB, id);
  if (!webhook) return null;
  return summary(webhook, (await recentDeliveries(env.DB, [id], WEBHOOK_DELIVERIES_KEPT)).get(id) ?? []);
}

/**
 * Creates a webhook. The answer holds its secret (`whsec_…`), which is shown this once: every
 * delivery is signed with it (Standard Webhooks). Throws a 400 problem for a URL the Worker may
 * not request (checkUpstreamUrl) and a 409 past MAX_WEBHOOKS.
 */
export async function createWebhook(env: Env, input: WebhookInput): Promise<WebhookSummary & { secret: string }> {
  const { url, events, format } = parsedBody(webhookInput, input);
  const problem = checkUpstreamUrl(url, upstreamSettings(env).allowLoopback);
  if (problem) throw badRequest([{ field: 'url', message: problem }]);
  if ((await countWebhooks(env.DB)) >= MAX_WEBHOOKS) {
    throw new ProblemError(409, 'Conflict', `A site may have ${MAX_WEBHOOKS} webhooks; delete one first.`);
  }
  const secret = newWebhookSecret();
  const webhook = await insertWebhook(env.DB, { url, events, format, secret }, Date.now());
  return { ...summary(webhook, []), secret };
}

/** Deletes a webhook and its deliveries; false when there was none. Queued deliveries are dropped. */
export function deleteWebhook(env: Env, id: number): Promise<boolean> {
  return deleteWebhookRow(env.DB, id);
}

/** Turns a disabled webhook back on (after its endpoint was fixed); null when there is none. */
export async function enableWebhook(env: Env, id: number): Promise<WebhookSummary | null> {
  if (!(await getWebhookRow(env.DB, id))) return null;
  await enableWebhookRow(env.DB, id);
  return getWebhook(env, id);
}

/**
 * Turns an active webhook off by hand (the console's Disable): it gets no events, and its queued
 * deliveries are dropped, until enableWebhook. Null when there is none with that id.
 */
export async function disableWebhook(env: Env, id: number): Promise<WebhookSummary | null> {
  if (!(await getWebhookRow(env.DB, id))) return null;
  await disableWebhookRow(env.DB, id, 'disabled by the publisher', Date.now());
  return getWebhook(env, id);
}

/**
 * Stores an event for every active webhook that takes it, each in its webhook's format (built once
 * per format), and queues one delivery each. The event's webhook-id is the same for every
 * endpoint and every attempt. Never throws: a failure is logged, and the write that caused the
 * event stands. Returns the queued deliveries' ids.
 */
async function emit(env: Env, event: WebhookEvent, payloadFor: (format: WebhookFormat) => Promise<string>): Promise<number[]> {
  try {
    const webhooks = await webhooksFor(env.DB, event);
    if (webhooks.length === 0) return [];
    const payloads = new Map<WebhookFormat, Promise<string>>();
    const messageId = `msg_${randomToken(18)}`;
    const rows = await Promise.all(
      webhooks.map(async (w) => {
        if (!payloads.has(w.format)) payloads.set(w.format, payloadFor(w.format));
        return { webhookId: w.id, messageId, event, payload: await payloads.get(w.format)! };
      }),
    );
    const ids = await insertDeliveries(env.DB, rows, Date.now(), WEBHOOK_DELIVERIES_KEPT);
    for (let i = 0; i < ids.length; i += 100) {
      await env.PUSH_QUEUE.sendBatch(
        ids.slice(i, i + 100).map((deliveryId) => ({ body: { kind: 'webhook', deliveryId } satisfies WebhookMessage })),
      );
    }
    return ids;
  } catch (error) {
    console.error(`webhooks: the ${event} event could not be queued`, error);
    return [];
  }
}

/** A post readers see was published, updated or deleted (src/publish/after-write.ts). */
export function emitPostEvent(env: Env, change: PostChange): Promise<number[]> {
  const at = new Date();
  return emit(env, change.type, (format) => postPayload(siteConfig(env), change, format, at));
}

/**
 * A refresh stored items of a source (src/ingest/refresh.ts): those `stored` did not hold before
 * are new, and one source.item_added event lists them. Nothing when none is new.
 */
export async function emitItemsAdded(
  env: Env,
  source: { id: number; url: string },
  changed: { id: string }[],
  stored: ReadonlyMap<string, unknown>,
): Promise<number[]> {
  const entryIds = changed.flatMap((entry) => (stored.has(entry.id) ? [] : [entry.id]));
  if (entryIds.length === 0) return [];
  const at = new Date();
  // Read once, when the first webhook's payload is built (never when no webhook takes the event).
  let added: Promise<ItemsAdded> | null = null;
  const load = async (): Promise<ItemsAdded> => {
    const [items, name] = await Promise.all([findPostsByIds(env.DB, entryIds), viewName(env.DB, { kind: 'source', id: source.id })]);
    items.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    return { source: { id: source.id, name, url: source.url }, items };
  };
  return emit(env, 'source.item_added', async (format) => {
    added ??= load();
    return itemsAddedPayload(siteConfig(env), await added, format, at);
  });
}
