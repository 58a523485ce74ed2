-- Recommendations (apps/recommendations). A model version is a set of rows here; the vector store
-- (Qdrant in the cluster, the embedded index locally) is the serving index built from them: one
-- collection per version behind an alias, so an index can be rebuilt or reloaded without retraining.
CREATE TABLE IF NOT EXISTS rec_models (
  version     text PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('building', 'ready', 'failed')),
  params      jsonb NOT NULL,
  window_from timestamptz NOT NULL,
  as_of       timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ready_at    timestamptz,
  stats       jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- Per game: the item factors' Gram matrix YᵀY (float64, row-major dim×dim), the shared term of
-- every player solve (folding a player in after new events needs it).
CREATE TABLE IF NOT EXISTS rec_model_games (
  version      text    NOT NULL REFERENCES rec_models (version) ON DELETE CASCADE,
  game_id      text    NOT NULL,
  dim          integer NOT NULL,
  gram         bytea   NOT NULL,
  players      integer NOT NULL,
  items        integer NOT NULL,
  interactions bigint  NOT NULL,
  PRIMARY KEY (version, game_id)
);

-- Every item seen in the window: its popularity (the fallback) and, when it had enough players
-- to be learned, its factors (float32, little-endian). Cold items have no vector.
CREATE TABLE IF NOT EXISTS rec_items (
  version    text    NOT NULL,
  game_id    text    NOT NULL,
  kind       text    NOT NULL CHECK (kind IN ('items', 'levels')),
  item_id    text    NOT NULL,
  popularity real    NOT NULL,
  players    integer NOT NULL,
  platforms  text[]  NOT NULL,
  vector     bytea,
  PRIMARY KEY (version, game_id, kind, item_id),
  FOREIGN KEY (version, game_id) REFERENCES rec_model_games (version, game_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS rec_items_popular_idx ON rec_items (version, game_id, kind, popularity DESC);

-- A player's vector per version (decayed interactions folded into the item factors); the online
-- updater rewrites it when their events move it.
CREATE TABLE IF NOT EXISTS rec_players (
  version    text        NOT NULL,
  game_id    text        NOT NULL,
  player_id  text        NOT NULL,
  vector     bytea       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, game_id, player_id),
  FOREIGN KEY (version, game_id) REFERENCES rec_model_games (version, game_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS rec_players_player_idx ON rec_players (game_id, player_id);
CREATE INDEX IF NOT EXISTS rec_players_updated_idx ON rec_players (version, updated_at);

-- What a player must not be offered: owned items, completed and abandoned levels. Kept apart from
-- the windowed model so ownership outlives the window and the raw events' retention.
CREATE TABLE IF NOT EXISTS rec_exclusions (
  game_id   text        NOT NULL,
  player_id text        NOT NULL,
  kind      text        NOT NULL CHECK (kind IN ('items', 'levels')),
  item_id   text        NOT NULL,
  reason    text        NOT NULL CHECK (reason IN ('owned', 'completed', 'abandoned')),
  at        timestamptz NOT NULL,
  PRIMARY KEY (game_id, player_id, kind, item_id)
);

-- The business's allow and deny lists per game and kind: with any allow entry, only allowed items
-- are offered; denied items never are.
CREATE TABLE IF NOT EXISTS rec_rules (
  game_id    text        NOT NULL REFERENCES games (game_id),
  kind       text        NOT NULL CHECK (kind IN ('items', 'levels')),
  item_id    text        NOT NULL,
  rule       text        NOT NULL CHECK (rule IN ('allow', 'deny')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, kind, item_id)
);
