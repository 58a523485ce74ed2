-- GDPR requests, modelled on Segment's regulations: one request per export or erasure, one status
-- row per store the player's data lives in, each retried until done; a request is done when every
-- store is. Workers claim store rows with a lease (locked_until), so a crashed worker's step is
-- picked up again by any pod once the lease lapses.
CREATE TABLE IF NOT EXISTS gdpr_requests (
  request_id   uuid PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('export', 'erase')),
  game_id      text NOT NULL,
  player_id    text NOT NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- the SLA: the request must be complete by then (GDPR Art. 12(3): one month)
  due_at       timestamptz NOT NULL,
  -- erasures wait until suppression reached every ingestion pod and in-flight events were stored
  not_before   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  -- exports: when the document is deleted
  expires_at   timestamptz
);
CREATE INDEX IF NOT EXISTS gdpr_requests_open_idx ON gdpr_requests (due_at) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS gdpr_requests_player_idx ON gdpr_requests (game_id, player_id);

CREATE TABLE IF NOT EXISTS gdpr_request_stores (
  request_id      uuid NOT NULL REFERENCES gdpr_requests (request_id) ON DELETE CASCADE,
  store           text NOT NULL,
  -- waiting: handed to another process (archives: the retention job), checked again later
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed', 'waiting', 'done')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  last_error      text,
  removed         bigint,
  exported        bigint,
  rebuilt         text[],
  done_at         timestamptz,
  PRIMARY KEY (request_id, store)
);
CREATE INDEX IF NOT EXISTS gdpr_request_stores_due_idx ON gdpr_request_stores (next_attempt_at) WHERE status <> 'done';

-- One gzip member per store; the export document is their concatenation (RFC 1952 allows several
-- members in one file), so each store's part is written once, in the transaction that marks it done.
CREATE TABLE IF NOT EXISTS gdpr_export_parts (
  request_id uuid NOT NULL REFERENCES gdpr_requests (request_id) ON DELETE CASCADE,
  store      text NOT NULL,
  records    bigint NOT NULL,
  content    bytea NOT NULL,
  PRIMARY KEY (request_id, store)
);

-- Players whose new events ingestion acknowledges and drops: erased (for good) or without analytics
-- consent (until it is given again: lifted_at). Rows are never deleted, so ingestion's incremental
-- refresh (changed_at) also sees lifts.
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

-- Work a store hands to the process that owns the data (archives: the retention CronJob), see
-- apps/shared/player-data/handoff.ts. The owner sets done_at (and the outcome) when it finished.
CREATE TABLE IF NOT EXISTS player_data_handoffs (
  request_id   uuid NOT NULL,
  store        text NOT NULL,
  step         text NOT NULL CHECK (step IN ('export', 'erase')),
  game_id      text NOT NULL,
  player_id    text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  removed      bigint,
  -- export: the records, as one JSON array of ExportRecord
  records      jsonb,
  PRIMARY KEY (request_id, store)
);
CREATE INDEX IF NOT EXISTS player_data_handoffs_open_idx ON player_data_handoffs (store, step) WHERE done_at IS NULL;
