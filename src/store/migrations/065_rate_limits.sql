-- Issue 21: request rate limits (login, password links, TOTP and password-change forms) live in the
-- database, so they hold across app instances. One row per limited key and route: a keyed hash of
-- the client address (never the address itself), the count in the current window and when it ends.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  count integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limits_reset_idx ON rate_limits (reset_at);
