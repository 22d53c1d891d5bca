// Webhooks and their deliveries (migrations/0021_webhooks.sql).

export type WebhookFormat = 'json' | 'jsonfeed';

export type Webhook = {
  id: number;
  url: string;
  events: string[];
  format: WebhookFormat;
  createdAt: number;
  /** Failed attempts since the last success. */
  failures: number;
  /** When it was disabled (null: active), and why. */
  disabledAt: number | null;
  disabledReason: string | null;
};

export type WebhookDelivery = {
  id: number;
  webhookId: number;
  /** The webhook-id header: one per event, the same on every attempt. */
  messageId: string;
  event: string;
  createdAt: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
};

type WebhookRow = {
  id: number;
  url: string;
  events: string;
  format: WebhookFormat;
  created_at: number;
  failures: number;
  disabled_at: number | null;
  disabled_reason: string | null;
};
type DeliveryRow = {
  id: number;
  webhook_id: number;
  message_id: string;
  event: string;
  created_at: number;
  state: WebhookDelivery['state'];
  attempts: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
};

const WEBHOOK_COLUMNS = 'id, url, events, format, created_at, failures, disabled_at, disabled_reason';
const DELIVERY_COLUMNS = 'id, webhook_id, message_id, event, created_at, state, attempts, last_attempt_at, last_status, last_error';

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  events: JSON.parse(r.events) as string[],
  format: r.format,
  createdAt: r.created_at,
  failures: r.failures,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  messageId: r.message_id,
  event: r.event,
  createdAt: r.created_at,
  state: r.state,
  attempts: r.attempts,
  lastAttemptAt: r.last_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
});

export async function insertWebhook(
  db: D1Database,
  w: { url: string; events: string[]; format: WebhookFormat; secret: string },
  now: number,
): Promise<Webhook> {
  const row = await db
    .prepare(`INSERT INTO webhooks (url, events, format, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING ${WEBHOOK_COLUMNS}`)
    .bind(w.url, JSON.stringify(w.events), w.format, w.secret, now)
    .first<WebhookRow>();
  return toWebhook(row!);
}

export async function countWebhooks(db: D1Database): Promise<number> {
  return (await db.prepare('SELECT count(*) AS n FROM webhooks').first<number>('n')) ?? 0;
}

/** Every webhook, oldest first. */
export async function listWebhookRows(db: D1Database): Promise<Webhook[]> {
  const { results } = await db.prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY id`).all<WebhookRow>();
  return results.map(toWebhook);
}

export async function getWebhookRow(db: D1Database, id: number): Promise<Webhook | null> {
  const row = await db.prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?1`).bind(id).first<WebhookRow>();
  return row ? toWebhook(row) : null;
}

/** Deletes a webhook and its deliveries; false when there was none. */
export async function deleteWebhookRow(db: D1Database, id: number): Promise<boolean> {
  const [, removed] = await db.batch([
    db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?1').bind(id),
    db.prepare('DELETE FROM webhooks WHERE id = ?1').bind(id),
  ]);
  return (removed!.meta.changes ?? 0) > 0;
}

/** Clears a disabled webhook's state: it receives events again. */
export async function enableWebhookRow(db: D1Database, id: number): Promise<void> {
  await db.prepare('UPDATE webhooks SET disabled_at = NULL, disabled_reason = NULL, failures = 0 WHERE id = ?1').bind(id).run();
}

/** Disables an active webhook by hand, with the reason shown; false when there is none active with that id. */
export async function disableWebhookRow(db: D1Database, id: number, reason: string, now: number): Promise<boolean> {
  const result = await db
    .prepare('UPDATE webhooks SET disabled_at = ?2, disabled_reason = ?3 WHERE id = ?1 AND disabled_at IS NULL')
    .bind(id, now, reason)
    .run();
  return (result.meta.changes ?? 0) > 0;
}

/** The active webhooks that take `event`. */
export async function webhooksFor(db: D1Database, event: string): Promise<{ id: number; format: WebhookFormat }[]> {
  const { results } = await db
    .prepare(
      `SELECT id, format FROM webhooks
       WHERE disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value = ?1) ORDER BY id`,
    )
    .bind(event)
    .all<{ id: number; format: WebhookFormat }>();
  return results;
}

/**
 * Stores one event's deliveries (one per webhook, each with the payload of its format) and keeps
 * only each webhook's newest `kept` deliveries. Returns the new deliveries' ids.
 */
export async function insertDeliveries(
  db: D1Database,
  deliveries: { webhookId: number; messageId: string; event: string; payload: string }[],
  now: number,
  kept: number,
): Promise<number[]> {
  const results = await db.batch([
    ...deliveries.map((d) =>
      db
        .prepare(
          'INSERT INTO webhook_deliveries (webhook_id, message_id, event, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id',
        )
        .bind(d.webhookId, d.messageId, d.event, d.payload, now),
    ),
    ...deliveries.map((d) =>
      db
        .prepare(
          `DELETE FROM webhook_deliveries WHERE webhook_id = ?1
           AND id NOT IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT ?2)`,
        )
        .bind(d.webhookId, kept),
    ),
  ]);
  return results.slice(0, deliveries.length).map((r) => (r.results[0] as { id: number }).id);
}

/** The newest deliveries of each webhook given, at most `limit` each. */
export async function recentDeliveries(db: D1Database, webhookIds: number[], limit: number): Promise<Map<number, WebhookDelivery[]>> {
  const byWebhook = new Map<number, WebhookDelivery[]>(webhookIds.map((id) => [id, []]));
  if (webhookIds.length === 0) return byWebhook;
  const { results } = await db
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM (
         SELECT *, row_number() OVER (PARTITION BY webhook_id ORDER BY id DESC) AS n FROM webhook_deliveries
         WHERE webhook_id IN (SELECT value FROM json_each(?1))
       ) WHERE n <= ?2 ORDER BY webhook_id, id DESC`,
    )
    .bind(JSON.stringify(webhookIds), limit)
    .all<DeliveryRow>();
  for (const row of results) byWebhook.get(row.webhook_id)?.push(toDelivery(row));
  return byWebhook;
}

/** A delivery with what sending it needs: its payload, and its webhook's URL, format, secret and state. */
export type DeliveryToSend = WebhookDelivery & {
  payload: string;
  webhook: { url: string; format: WebhookFormat; secret: string; disabledAt: number | null };
};

export async function deliveryToSend(db: D1Database, id: number): Promise<DeliveryToSend | null> {
  const row = await db
    .prepare(
      `SELECT d.id, d.webhook_id, d.message_id, d.event, d.created_at, d.state, d.attempts, d.last_attempt_at, d.last_status,
              d.last_error, d.payload, w.url, w.format, w.secret, w.disabled_at
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?1`,
    )
    .bind(id)
    .first<DeliveryRow & { payload: string; url: string; format: WebhookFormat; secret: string; disabled_at: number | null }>();
  if (!row) return null;
  return {
    ...toDelivery(row),
    payload: row.payload,
    webhook: { url: row.url, format: row.format, secret: row.secret, disabledAt: row.disabled_at },
  };
}

/**
 * Records one attempt at a delivery: the delivery's state, and the webhook's failures (reset by a
 * success). With `disable`, the webhook is disabled with that reason.
 */
export async function recordAttempt(
  db: D1Database,
  delivery: { id: number; webhookId: number },
  attempt: { at: number; ok: boolean; status: number | null; error: string | null; state: WebhookDelivery['state'] },
  disable: string | null,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE webhook_deliveries SET state = ?2, attempts = attempts + 1, last_attempt_at = ?3, last_status = ?4, last_error = ?5
         WHERE id = ?1`,
      )
      .bind(delivery.id, attempt.state, attempt.at, attempt.status, attempt.error),
    db
      .prepare(
        `UPDATE webhooks SET failures = CASE WHEN ?2 = 1 THEN 0 ELSE failures + 1 END,
           disabled_at = CASE WHEN ?3 IS NULL THEN disabled_at ELSE coalesce(disabled_at, ?4) END,
           disabled_reason = CASE WHEN ?3 IS NULL THEN disabled_reason ELSE coalesce(disabled_reason, ?3) END
         WHERE id = ?1`,
      )
      .bind(delivery.webhookId, attempt.ok ? 1 : 0, disable, attempt.at),
  ]);
}

/** Marks a delivery as failed without an attempt (its webhook was disabled meanwhile). */
export async function abandonDelivery(db: D1Database, id: number, reason: string): Promise<void> {
  await db.prepare("UPDATE webhook_deliveries SET state = 'failed', last_error = ?2 WHERE id = ?1").bind(id, reason).run();
}
