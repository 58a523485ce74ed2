-- The two identity tables the notifications service reads (apps/notifications/consent.ts): owned by
-- the users service, whose migrations 021_player_profiles and 022_gdpr create them with exactly these
-- definitions. Where those ran first (every fresh database: they sort earlier), this file is a no-op.
CREATE TABLE IF NOT EXISTS player_profiles (
  game_id              text NOT NULL REFERENCES games (game_id),
  player_id            text NOT NULL CHECK (length(player_id) BETWEEN 1 AND 128),
  display_name         text CHECK (length(display_name) <= 64),
  country              text CHECK (country ~ '^[A-Z]{2}$'),
  language             text CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  marketing_consent    boolean NOT NULL DEFAULT false,
  analytics_consent    boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, player_id)
);

CREATE TABLE IF NOT EXISTS player_suppressions (
  game_id    text NOT NULL,
  player_id  text NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('erasure', 'consent')),
  since      timestamptz NOT NULL DEFAULT now(),
  lifted_at  timestamptz,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (game_id, player_id, reason)
);
CREATE INDEX IF NOT EXISTS player_suppressions_changed_idx ON player_suppressions (changed_at);
