-- Rollups, part 2: per-game counters the analytics API reads (never player_events over a range).
-- Dimension columns hold '' when an event did not say (platform, app_version).

-- Per day and dimension combination, summed over the player-days of rollup_player_days.
-- paying: the player's first purchase is on or before that day.
CREATE TABLE IF NOT EXISTS rollup_game_days (
  game_id      text    NOT NULL,
  day          date    NOT NULL,
  platform     text    NOT NULL,
  app_version  text    NOT NULL,
  paying       boolean NOT NULL,
  dau          integer NOT NULL,
  new_players  integer NOT NULL,
  converted    integer NOT NULL,
  sessions     bigint  NOT NULL,
  session_ends bigint  NOT NULL,
  playtime_s   bigint  NOT NULL,
  events       bigint  NOT NULL,
  PRIMARY KEY (game_id, day, platform, app_version, paying)
);

-- Revenue per day, dimension combination and currency (a payer is paying by definition).
CREATE TABLE IF NOT EXISTS rollup_game_day_revenue (
  game_id          text   NOT NULL,
  day              date   NOT NULL,
  platform         text   NOT NULL,
  app_version      text   NOT NULL,
  currency         text   NOT NULL,
  gross_minor      bigint NOT NULL,
  purchases        bigint NOT NULL,
  payers           integer NOT NULL,
  -- The amount of each player's first purchase, on the day it happened.
  first_time_minor bigint NOT NULL,
  PRIMARY KEY (game_id, day, platform, app_version, currency)
);

-- Distinct active players in the 7 and 30 days ending on `day` (kept for days up to 29 ahead of the
-- newest event, since a day's activity counts in the windows that end later).
CREATE TABLE IF NOT EXISTS rollup_game_windows (
  game_id text    NOT NULL,
  day     date    NOT NULL,
  wau     integer NOT NULL,
  mau     integer NOT NULL,
  PRIMARY KEY (game_id, day)
);

-- Players of the cohort (first day) active on `day`; day N retention is day = cohort_day + N.
CREATE TABLE IF NOT EXISTS rollup_retention (
  game_id    text    NOT NULL,
  cohort_day date    NOT NULL,
  day        date    NOT NULL,
  retained   integer NOT NULL,
  PRIMARY KEY (game_id, cohort_day, day)
);
CREATE INDEX IF NOT EXISTS rollup_retention_day_idx ON rollup_retention (game_id, day);

-- Events per UTC hour by type and the event's own dimensions; purchases also per currency with their amount.
CREATE TABLE IF NOT EXISTS rollup_game_hours (
  game_id     text        NOT NULL,
  hour        timestamptz NOT NULL,
  event_type  text        NOT NULL,
  platform    text        NOT NULL,
  app_version text        NOT NULL,
  currency    text        NOT NULL,
  events      bigint      NOT NULL,
  amount      bigint      NOT NULL,
  PRIMARY KEY (game_id, hour, event_type, platform, app_version, currency)
);

-- Session lengths (session_end.length_s) per day in histogram bins (apps/shared/rollups/bins.ts).
CREATE TABLE IF NOT EXISTS rollup_session_lengths (
  game_id  text     NOT NULL,
  day      date     NOT NULL,
  bin      smallint NOT NULL,
  sessions bigint   NOT NULL,
  PRIMARY KEY (game_id, day, bin)
);

-- Progression per level path ("world1:level3"): the funnel start -> fail -> complete.
CREATE TABLE IF NOT EXISTS rollup_progression (
  game_id      text   NOT NULL,
  day          date   NOT NULL,
  path         text   NOT NULL,
  starts       bigint NOT NULL,
  fails        bigint NOT NULL,
  completes    bigint NOT NULL,
  -- Sum and count of `attempt` on complete events that carry it.
  attempts_sum bigint NOT NULL,
  attempts_n   bigint NOT NULL,
  PRIMARY KEY (game_id, day, path)
);

-- Resource sources and sinks per virtual currency and item type (numeric: amounts may be fractional).
CREATE TABLE IF NOT EXISTS rollup_resources (
  game_id   text    NOT NULL,
  day       date    NOT NULL,
  flow      text    NOT NULL,
  currency  text    NOT NULL,
  item_type text    NOT NULL,
  amount    numeric NOT NULL,
  events    bigint  NOT NULL,
  PRIMARY KEY (game_id, day, flow, currency, item_type)
);

-- Design events per id, with the sum and count of their values.
CREATE TABLE IF NOT EXISTS rollup_design (
  game_id   text    NOT NULL,
  day       date    NOT NULL,
  design_id text    NOT NULL,
  events    bigint  NOT NULL,
  value_sum numeric NOT NULL,
  value_n   bigint  NOT NULL,
  PRIMARY KEY (game_id, day, design_id)
);

-- Error events per severity.
CREATE TABLE IF NOT EXISTS rollup_errors (
  game_id  text   NOT NULL,
  day      date   NOT NULL,
  severity text   NOT NULL,
  events   bigint NOT NULL,
  PRIMARY KEY (game_id, day, severity)
);
