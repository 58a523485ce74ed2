-- Exactly-once for client retries: an event is identified by (game_id, event_id), whatever its
-- event_time. A retry of an event sent without a client time gets a new server time, so the time
-- cannot be part of the identity; player_events is partitioned by time and can only hold unique
-- keys that contain it, so the identity lives in its own table, written in the same transaction
-- before the event row. Two games may use the same event id.
CREATE TABLE IF NOT EXISTS player_event_ids (
  game_id   text NOT NULL,
  event_id  uuid NOT NULL,
  -- the day of the stored row: lets retention drop ids together with their event partition
  event_day date NOT NULL,
  PRIMARY KEY (game_id, event_id)
);
CREATE INDEX IF NOT EXISTS player_event_ids_day_idx ON player_event_ids (event_day);

-- Existing rows keep their identity.
INSERT INTO player_event_ids (game_id, event_id, event_day)
SELECT DISTINCT ON (game_id, event_id) game_id, event_id, event_day FROM player_events ORDER BY game_id, event_id, event_time
ON CONFLICT DO NOTHING;

-- The row key includes the game, so two games' equal ids never collide.
ALTER TABLE player_events DROP CONSTRAINT IF EXISTS player_events_pkey;
ALTER TABLE player_events ADD PRIMARY KEY (game_id, event_id, event_time);
