-- Player profiles, written by game servers (client credentials) through the users service, and the
-- history of every consent change with its time and source. The CDC connector streams both tables
-- (infra/kafka/cdc.ts CDC_TABLES; tests/infra/kafka/cdc-tables.test.ts holds them to this file).
CREATE TABLE IF NOT EXISTS player_profiles (
  game_id              text NOT NULL REFERENCES games (game_id),
  player_id            text NOT NULL CHECK (length(player_id) BETWEEN 1 AND 128),
  display_name         text CHECK (length(display_name) <= 64),
  -- ISO 3166-1 alpha-2 and a BCP 47 language tag
  country              text CHECK (country ~ '^[A-Z]{2}$'),
  language             text CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  marketing_consent    boolean NOT NULL DEFAULT false,
  analytics_consent    boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, player_id)
);

CREATE TABLE IF NOT EXISTS player_consent_changes (
  change_id  bigserial PRIMARY KEY,
  game_id    text NOT NULL,
  player_id  text NOT NULL,
  purpose    text NOT NULL CHECK (purpose IN ('marketing', 'analytics')),
  granted    boolean NOT NULL,
  -- who recorded it: `client:<id>` of the game server, `staff:<id>`
  source     text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS player_consent_changes_player_idx ON player_consent_changes (game_id, player_id, changed_at);
