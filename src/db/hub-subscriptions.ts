// The own WebSub hub's subscriptions (migrations/0020_hub_subscriptions.sql). A row is a verified
// subscription; "live" means its lease has not run out at the given time.

export type HubSubscription = {
  id: number;
  topic: string;
  callback: string;
  secret: string | null;
  leaseSeconds: number;
  verifiedAt: number;
  expiresAt: number;
  delivered: number;
  failures: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
};

type Row = {
  id: number;
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  verified_at: number;
  expires_at: number;
  delivered: number;
  failures: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
};

const COLUMNS =
  'id, topic, callback, secret, lease_seconds, verified_at, expires_at, delivered, failures, last_attempt_at, last_status, last_error';

const toSubscription = (r: Row): HubSubscription => ({
  id: r.id,
  topic: r.topic,
  callback: r.callback,
  secret: r.secret,
  leaseSeconds: r.lease_seconds,
  verifiedAt: r.verified_at,
  expiresAt: r.expires_at,
  delivered: r.delivered,
  failures: r.failures,
  lastAttemptAt: r.last_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
});

/** The host a callback is counted under for the per-host limit: host and port, lowercase. */
export const callbackHost = (callback: string): string => new URL(callback).host.toLowerCase();

/** How many live subscriptions the topic has, and those whose callbacks are on the host; and whether this pair is one. */
export async function subscriptionCounts(
  db: D1Database,
  topic: string,
  callback: string,
  now: number,
): Promise<{ topic: number; host: number; exists: boolean }> {
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM hub_subscriptions WHERE topic = ?1 AND expires_at > ?4) AS topic,
              (SELECT count(*) FROM hub_subscriptions WHERE callback_host = ?3 AND expires_at > ?4) AS host,
              EXISTS (SELECT 1 FROM hub_subscriptions WHERE topic = ?1 AND callback = ?2 AND expires_at > ?4) AS present`,
    )
    .bind(topic, callback, callbackHost(callback), now)
    .first<{ topic: number; host: number; present: number }>();
  return { topic: row?.topic ?? 0, host: row?.host ?? 0, exists: row?.present === 1 };
}

/**
 * Writes a verified subscription: a new one, or the renewal of an existing pair (the new lease
 * and secret replace the old; the delivery record stays).
 */
export async function saveSubscription(
  db: D1Database,
  s: { topic: string; callback: string; secret: string | null; leaseSeconds: number; verifiedAt: number },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO hub_subscriptions (topic, callback, callback_host, secret, lease_seconds, verified_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (topic, callback) DO UPDATE SET secret = excluded.secret, lease_seconds = excluded.lease_seconds,
         verified_at = excluded.verified_at, expires_at = excluded.expires_at`,
    )
    .bind(s.topic, s.callback, callbackHost(s.callback), s.secret, s.leaseSeconds, s.verifiedAt, s.verifiedAt + s.leaseSeconds * 1000)
    .run();
}

/** Removes the pair's subscription (an unsubscription, or a 410 from its callback). */
export async function removeSubscription(db: D1Database, topic: string, callback: string): Promise<void> {
  await db.prepare('DELETE FROM hub_subscriptions WHERE topic = ?1 AND callback = ?2').bind(topic, callback).run();
}

/** The topics among `topics` that have a live subscription. */
export async function subscribedTopics(db: D1Database, topics: string[], now: number): Promise<string[]> {
  if (topics.length === 0) return [];
  const { results } = await db
    .prepare('SELECT DISTINCT topic FROM hub_subscriptions WHERE topic IN (SELECT value FROM json_each(?1)) AND expires_at > ?2')
    .bind(JSON.stringify(topics), now)
    .all<{ topic: string }>();
  return results.map((r) => r.topic);
}

/** Ids of the topic's live subscriptions after `afterId`, in id order: one page of a fan-out. */
export async function subscriptionIdsAfter(db: D1Database, topic: string, afterId: number, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .prepare('SELECT id FROM hub_subscriptions WHERE topic = ?1 AND id > ?2 AND expires_at > ?3 ORDER BY id LIMIT ?4')
    .bind(topic, afterId, now, limit)
    .raw<[number]>();
  return rows.map((r) => r[0]);
}

export async function getSubscription(db: D1Database, id: number): Promise<HubSubscription | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM hub_subscriptions WHERE id = ?1`).bind(id).first<Row>();
  return row ? toSubscription(row) : null;
}

/** The subscription's pair, if it still exists (a lookup by pair when its id is not known). */
export async function findSubscription(db: D1Database, topic: string, callback: string): Promise<HubSubscription | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM hub_subscriptions WHERE topic = ?1 AND callback = ?2`)
    .bind(topic, callback)
    .first<Row>();
  return row ? toSubscription(row) : null;
}

/** Records one delivery attempt: a success resets the failures, a failure adds one. */
export async function recordDelivery(
  db: D1Database,
  id: number,
  attempt: { at: number; ok: boolean; status: number | null; error: string | null },
): Promise<void> {
  await db
    .prepare(
      `UPDATE hub_subscriptions SET last_attempt_at = ?2, last_status = ?3, last_error = ?4,
         delivered = delivered + ?5, failures = CASE WHEN ?5 = 1 THEN 0 ELSE failures + 1 END
       WHERE id = ?1`,
    )
    .bind(id, attempt.at, attempt.status, attempt.error, attempt.ok ? 1 : 0)
    .run();
}

/** Deletes the subscriptions whose lease ran out before `now`; returns how many. */
export async function removeExpiredSubscriptions(db: D1Database, now: number): Promise<number> {
  const result = await db.prepare('DELETE FROM hub_subscriptions WHERE expires_at <= ?1').bind(now).run();
  return result.meta.changes ?? 0;
}

/** Live subscriptions, newest first (src/push/hub-subscriptions.ts shows them to the console). */
export async function listSubscriptions(db: D1Database, now: number, limit = 200): Promise<HubSubscription[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM hub_subscriptions WHERE expires_at > ?1 ORDER BY id DESC LIMIT ?2`)
    .bind(now, limit)
    .all<Row>();
  return results.map(toSubscription);
}
