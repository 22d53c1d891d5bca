-- The /stats page's sign-in sessions (src/http/session.ts). The signed cookie names a session; a
-- session counts only while its row is here, so signing out (which deletes the row) ends it on
-- the server too, and a copy of the cookie kept from before is worth nothing. `id` is the SHA-256
-- of the cookie's random session id, never the id itself. Every sign-in and sign-out deletes the
-- rows past their expiry, so the table holds little more than the sessions of the last 12 hours.
CREATE TABLE admin_sessions (
  id         TEXT PRIMARY KEY, -- hex SHA-256 of the session id
  expires_at INTEGER NOT NULL  -- ms, the cookie's expiry
) WITHOUT ROWID;
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
