-- Retention (apps/retention): what has been archived to S3, which archived objects hold which
-- player (so a GDPR erasure rewrites exactly those objects), rewrites in progress, and restored days.
-- The objects and their manifests in S3 are the archive; these tables are the job's record of it.

-- One row per archived game and day, written when its objects were last verified.
CREATE TABLE IF NOT EXISTS retention_archives (
  game_id          text        NOT NULL,
  day              date        NOT NULL,
  source_partition text        NOT NULL,
  generation       integer     NOT NULL,
  rows             bigint      NOT NULL,
  bytes            bigint      NOT NULL,
  parts            integer     NOT NULL,
  rows_digest      numeric     NOT NULL,
  manifest_sha256  text        NOT NULL,
  schema_fingerprint text      NOT NULL,
  verified_at      timestamptz NOT NULL,
  dropped_at       timestamptz,
  PRIMARY KEY (game_id, day)
);

-- Which part of which archived day holds rows of a player. Rebuilt from the objects at every
-- verification; rows of an erased player are removed once their objects are rewritten.
CREATE TABLE IF NOT EXISTS retention_archived_players (
  game_id   text    NOT NULL,
  player_id text    NOT NULL,
  day       date    NOT NULL,
  part      integer NOT NULL,
  PRIMARY KEY (game_id, player_id, day, part)
);
CREATE INDEX IF NOT EXISTS retention_archived_players_day_idx ON retention_archived_players (game_id, day);

-- A GDPR rewrite of one part, recorded before the new object is written: after a crash between
-- the object and its manifest, the next run recognises the new object by its SHA-256.
CREATE TABLE IF NOT EXISTS retention_rewrites (
  game_id        text        NOT NULL,
  day            date        NOT NULL,
  part           integer     NOT NULL,
  new_sha256     text        NOT NULL,
  new_rows       bigint      NOT NULL,
  new_bytes      bigint      NOT NULL,
  new_rows_digest numeric    NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, day, part)
);

-- Days loaded back by `retention restore`; the job leaves their partition alone until hold_until.
CREATE TABLE IF NOT EXISTS retention_restores (
  game_id     text        NOT NULL,
  day         date        NOT NULL,
  rows        bigint      NOT NULL,
  restored_at timestamptz NOT NULL DEFAULT now(),
  hold_until  timestamptz NOT NULL,
  PRIMARY KEY (game_id, day)
);

-- Why an expired partition is still there after the last run (for `retention report`).
CREATE TABLE IF NOT EXISTS retention_pending (
  partition  text        PRIMARY KEY,
  day        date        NOT NULL,
  reason     text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
