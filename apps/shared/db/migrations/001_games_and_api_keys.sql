-- Games and their API keys. Keys are stored as SHA-256 hashes only: the clear key is
-- shown once by `npm run apikey -- create` and cannot be recovered from the database.
CREATE TABLE IF NOT EXISTS games (
  game_id    text PRIMARY KEY CHECK (game_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
  key_id             text PRIMARY KEY,
  game_id            text NOT NULL REFERENCES games (game_id),
  key_hash           text NOT NULL,
  -- NULL: the service default applies
  rate_limit_per_sec integer CHECK (rate_limit_per_sec > 0),
  created_at         timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_game_idx ON api_keys (game_id);
