-- Webhooks (src/push/webhooks.ts, docs/push.md): endpoints that receive signed events (Standard
-- Webhooks) when posts are published, updated or deleted and when a source adds items.
CREATE TABLE webhooks (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL,
  events          TEXT NOT NULL,           -- JSON array of event types
  format          TEXT NOT NULL CHECK (format IN ('json', 'jsonfeed')),
  secret          TEXT NOT NULL,           -- whsec_<base64>: shown once, when created
  created_at      INTEGER NOT NULL,        -- ms
  failures        INTEGER NOT NULL DEFAULT 0, -- failed attempts since the last success
  disabled_at     INTEGER,                 -- ms; null: active
  disabled_reason TEXT
);

-- One row per event and endpoint: the payload is kept so that every retry sends the same bytes
-- under the same webhook-id. Only the newest deliveries of each webhook are kept (the GET lists them).
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  message_id      TEXT NOT NULL,           -- the webhook-id header: one per event, the same on every attempt
  event           TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,        -- ms
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER,                 -- ms
  last_status     INTEGER,                 -- HTTP status of the last attempt; null: none (network, timeout)
  last_error      TEXT
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
