-- Sessions: one row per sign-in (register or login). The row is the refresh-token family: each
-- refresh replaces refresh_hash with the hash of a new token and records the spent one, so a spent
-- token presented again is recognised as reuse and the whole session is revoked.
-- Refresh tokens are never stored, only their SHA-256.

CREATE TABLE sessions (
  id             uuid        PRIMARY KEY,           -- the access token's "sid" claim; also the family
  user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  refresh_hash   bytea       NOT NULL,              -- SHA-256 of the current refresh token
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,              -- of the current refresh token
  revoked_at     timestamptz,
  revoked_reason text,
  user_agent     text,
  client_address text
);
CREATE UNIQUE INDEX sessions_refresh_hash_key ON sessions (refresh_hash);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens already exchanged, kept while their session lives, to tell reuse from garbage.
CREATE TABLE spent_refresh_tokens (
  token_hash bytea       PRIMARY KEY,
  session_id uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  spent_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX spent_refresh_tokens_by_session ON spent_refresh_tokens (session_id);
