-- The site's own WebSub hub (src/push/hub-*.ts, docs/push.md): one row per verified subscription,
-- a (topic, callback) pair. A request is written here only once the subscriber has confirmed it
-- (the hub.challenge echo): until then it lives in its queue message, so a renewal that fails
-- verification leaves the subscription as it was (WebSub §5.1). Rows past `expires_at` deliver
-- nothing and are deleted by the cron.
CREATE TABLE hub_subscriptions (
  id            INTEGER PRIMARY KEY,
  topic         TEXT NOT NULL,           -- a feed URL we serve, as its rel="self" names it
  callback      TEXT NOT NULL,
  callback_host TEXT NOT NULL,           -- the callback's host[:port], lowercase: the per-host limit
  secret        TEXT,                    -- hub.secret; null: deliveries are not signed
  lease_seconds INTEGER NOT NULL,
  verified_at   INTEGER NOT NULL,        -- ms, when the verification request went out
  expires_at    INTEGER NOT NULL,        -- ms, verified_at + lease
  delivered     INTEGER NOT NULL DEFAULT 0, -- content distributions answered 2xx
  failures      INTEGER NOT NULL DEFAULT 0, -- failed attempts since the last success
  last_attempt_at INTEGER,               -- ms
  last_status   INTEGER,                 -- HTTP status of the last attempt; null: none (network, timeout)
  last_error    TEXT,                    -- why the last attempt failed; null after a success
  UNIQUE (topic, callback)
);
CREATE INDEX hub_subscriptions_topic ON hub_subscriptions (topic, id);
CREATE INDEX hub_subscriptions_host ON hub_subscriptions (callback_host);
CREATE INDEX hub_subscriptions_expiry ON hub_subscriptions (expires_at);
