-- Rollups, part 1: per player and per player-day. Written by apps/shared/rollups in the processor's
-- transaction from the rows the insert actually added (so a redelivery counts nothing twice), and
-- recomputable from player_events by `npm run rollups -- rebuild`. Raw events stay the source of truth.

-- One row per player: the lock every rollup writer of that player takes first, and the player-level
-- facts the day counters depend on (first day: new players, cohorts; first purchase: conversion, payers).
CREATE TABLE IF NOT EXISTS rollup_players (
  game_id                 text        NOT NULL,
  player_id               text        NOT NULL,
  first_day               date        NOT NULL,
  -- The earliest purchase event (event_time, then event_id breaks ties).
  first_purchase_at       timestamptz,
  first_purchase_id       uuid,
  first_purchase_currency text,
  first_purchase_minor    bigint,
  PRIMARY KEY (game_id, player_id)
);

-- One row per player and UTC day with at least one event. platform/app_version are those of the day's
-- earliest event (event_time, then event_id), so breakdowns add up to the totals.
CREATE TABLE IF NOT EXISTS rollup_player_days (
  game_id        text        NOT NULL,
  player_id      text        NOT NULL,
  day            date        NOT NULL,
  platform       text        NOT NULL,
  app_version    text        NOT NULL,
  first_at       timestamptz NOT NULL,
  first_event_id uuid        NOT NULL,
  events         integer     NOT NULL,
  sessions       integer     NOT NULL,
  session_ends   integer     NOT NULL,
  playtime_s     bigint      NOT NULL,
  -- {"USD": [amount_minor, purchases], ...}: currencies never mix.
  revenue        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (game_id, player_id, day)
);
CREATE INDEX IF NOT EXISTS rollup_player_days_day_idx ON rollup_player_days (game_id, day);
