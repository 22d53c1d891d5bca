-- Who may use the admin API besides ADMIN_TOKEN, and who is trying too hard to sign in.
--
-- API tokens (src/db/api-tokens.ts): made in the console (/admin/tokens), each with a name and
-- the scopes it was given (src/http/scopes.ts). The token itself is shown once, when it is made;
-- only its SHA-256 is kept, so this table alone cannot be used to call the API. Revoking deletes
-- the row: the next request with that token is a 401.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE, -- hex SHA-256 of the token
  scopes       TEXT NOT NULL CHECK (json_valid(scopes)), -- JSON array of scope names: ["posts:write", …]
  created_at   INTEGER NOT NULL,     -- ms
  last_used_at INTEGER               -- ms; NULL: never used (updated at most once a minute)
);

-- Failed sign-ins to the console (src/db/sign-in-attempts.ts), one row per failure: too many from
-- one client in the window and the sign-in form answers 429 until the oldest ages out. `client`
-- is an HMAC of the client's address (CF-Connecting-IP) under a key derived from ADMIN_TOKEN,
-- never the address itself. Rows older than the window are deleted by the next attempt.
CREATE TABLE sign_in_failures (
  client TEXT NOT NULL,
  at     INTEGER NOT NULL -- ms
);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
