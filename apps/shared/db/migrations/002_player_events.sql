-- Stored events, one daily partition per event_time day. The primary key makes
-- redelivered events no-ops (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS player_events (
  event_id      uuid        NOT NULL,
  event_time    timestamptz NOT NULL,
  event_day     date        NOT NULL,
  received_at   timestamptz NOT NULL,
  client_time   timestamptz,
  stored_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  game_id       text        NOT NULL,
  player_id     text        NOT NULL,
  session_id    text,
  event_type    text        NOT NULL,
  platform      text,
  app_version   text,
  payload       jsonb       NOT NULL,
  src_partition integer     NOT NULL,
  src_offset    bigint      NOT NULL,
  PRIMARY KEY (event_id, event_time)
) PARTITION BY RANGE (event_time);

CREATE INDEX IF NOT EXISTS player_events_player_idx ON player_events (game_id, player_id, event_time);

-- Creates the partition of one UTC day if it is missing; safe when two processors race.
CREATE OR REPLACE FUNCTION gm_ensure_event_partition(day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  part text := format('player_events_p%s', to_char(day, 'YYYYMMDD'));
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS %I PARTITION OF player_events FOR VALUES FROM (%L) TO (%L)',
    part, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  NULL;
END;
$$;

-- Per player and game; updated in the same statement as the insert, from the rows
-- actually inserted, so a redelivered batch changes nothing.
CREATE TABLE IF NOT EXISTS player_stats (
  game_id    text        NOT NULL,
  player_id  text        NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen  timestamptz NOT NULL,
  sessions   bigint      NOT NULL DEFAULT 0,
  events     bigint      NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, player_id)
);

-- Revenue per currency (minor units never mix across currencies).
CREATE TABLE IF NOT EXISTS player_revenue (
  game_id      text   NOT NULL,
  player_id    text   NOT NULL,
  currency     text   NOT NULL,
  amount_minor bigint NOT NULL DEFAULT 0,
  purchases    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (game_id, player_id, currency)
);
