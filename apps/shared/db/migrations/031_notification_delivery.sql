-- Accepted notifications, one delivery per channel, and every attempt. The deliveries table is the
-- due-time queue: workers claim due rows with FOR UPDATE SKIP LOCKED, so a slow provider never
-- blocks a Kafka partition and a crashed worker's claim expires (due_at doubles as the lease end).
CREATE TABLE IF NOT EXISTS notifications (
  notification_id uuid PRIMARY KEY,
  game_id         text NOT NULL,
  -- a client's retry or a redelivered Kafka message carries the same key: the constraint makes it a no-op
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  -- the same key with a different request is refused, not silently merged
  request_hash    text NOT NULL,
  player_id       text NOT NULL,
  template_id     text NOT NULL,
  category        text NOT NULL,
  locale          text,
  data            jsonb NOT NULL,
  source          text NOT NULL CHECK (source IN ('api', 'topic', 'rule')),
  send_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_idempotency_key UNIQUE (game_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS notifications_player_idx ON notifications (game_id, player_id);

CREATE TABLE IF NOT EXISTS notification_deliveries (
  delivery_id     uuid PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notifications (notification_id) ON DELETE CASCADE,
  game_id         text NOT NULL,
  player_id       text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'push', 'sms', 'in_app')),
  -- pending (waiting for due_at), sending (claimed until due_at), delivered, suppressed, dead (DLQ),
  -- digested (merged into digest_into)
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'suppressed', 'dead', 'digested')),
  attempts        integer NOT NULL DEFAULT 0,
  due_at          timestamptz NOT NULL,
  -- set by each claim: a worker's later updates name it, so one whose lease ran out changes nothing
  lease_id        uuid,
  digest_key      text,
  digest_into     uuid REFERENCES notification_deliveries (delivery_id) ON DELETE CASCADE,
  -- what was sent: rendered once, at the first attempt, and reused by every retry
  rendered        jsonb,
  provider        text,
  provider_ref    text,
  reason          text,
  delivered_at    timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notification_id, channel)
);
CREATE INDEX IF NOT EXISTS notification_deliveries_due_idx ON notification_deliveries (due_at) WHERE status IN ('pending', 'sending');
CREATE INDEX IF NOT EXISTS notification_deliveries_digest_idx ON notification_deliveries (digest_key) WHERE status = 'pending' AND attempts = 0;
CREATE INDEX IF NOT EXISTS notification_deliveries_player_idx ON notification_deliveries (game_id, player_id, channel, delivered_at);

CREATE TABLE IF NOT EXISTS notification_attempts (
  delivery_id uuid NOT NULL REFERENCES notification_deliveries (delivery_id) ON DELETE CASCADE,
  attempt     integer NOT NULL,
  provider    text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  -- NULL while in flight; interrupted: the worker died mid-send (found when the claim expired)
  outcome     text CHECK (outcome IN ('delivered', 'transient', 'permanent', 'interrupted')),
  reason      text,
  response    text,
  PRIMARY KEY (delivery_id, attempt)
);

-- Non-critical sends per player, channel and local day, reserved before each send (the daily cap).
CREATE TABLE IF NOT EXISTS notification_daily_counts (
  game_id   text NOT NULL,
  player_id text NOT NULL,
  channel   text NOT NULL,
  day       date NOT NULL,
  sent      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (game_id, player_id, channel, day)
);
