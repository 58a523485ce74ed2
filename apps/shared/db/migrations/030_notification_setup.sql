-- What the notifications service sends and to whom: templates per game (one row, locales inside),
-- trigger rules on player.events.processed, each player's contact points and preferences.
CREATE TABLE IF NOT EXISTS notification_templates (
  game_id           text NOT NULL,
  template_id       text NOT NULL CHECK (template_id ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  -- critical: receipts, security (bypass opt-out, quiet hours and caps, never a hard unsubscribe);
  -- marketing: also needs the player's marketing consent
  category          text NOT NULL CHECK (category IN ('critical', 'transactional', 'marketing')),
  -- {name: {type, required, maxLength}}: what `data` must hold; checked on every request
  variables         jsonb NOT NULL,
  default_locale    text NOT NULL,
  -- {locale: {channel: {subject?, text, html?, digestSubject?, digestText?, digestHtml?}}}
  contents          jsonb NOT NULL,
  -- > 0: non-critical notifications of this template for one player within the window go out as one
  digest_window_sec integer NOT NULL DEFAULT 0 CHECK (digest_window_sec BETWEEN 0 AND 86400),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, template_id)
);

CREATE TABLE IF NOT EXISTS notification_rules (
  game_id          text NOT NULL,
  rule_id          text NOT NULL CHECK (rule_id ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  event_type       text NOT NULL,
  -- {field: value | [values]}: every listed field of the event must match
  match            jsonb NOT NULL DEFAULT '{}'::jsonb,
  template_id      text NOT NULL,
  channels         text[] NOT NULL,
  -- true: one notification per player ever ("first purchase"); false: one per triggering event
  once_per_player  boolean NOT NULL DEFAULT false,
  enabled          boolean NOT NULL DEFAULT true,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, rule_id),
  FOREIGN KEY (game_id, template_id) REFERENCES notification_templates (game_id, template_id)
);

CREATE TABLE IF NOT EXISTS notification_recipients (
  game_id     text NOT NULL,
  player_id   text NOT NULL,
  email       text,
  -- E.164
  phone       text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  locale      text,
  time_zone   text NOT NULL DEFAULT 'UTC',
  quiet_start time,
  quiet_end   time,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (game_id, player_id),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE IF NOT EXISTS notification_channel_prefs (
  game_id      text NOT NULL,
  player_id    text NOT NULL,
  channel      text NOT NULL CHECK (channel IN ('email', 'push', 'sms', 'in_app')),
  -- opted out: nothing but critical; unsubscribed: nothing at all, critical included
  opted_out    boolean NOT NULL DEFAULT false,
  unsubscribed boolean NOT NULL DEFAULT false,
  daily_cap    integer CHECK (daily_cap >= 0),
  PRIMARY KEY (game_id, player_id, channel)
);

-- Web Push subscriptions and FCM registration tokens; removed when the push service says they are gone.
CREATE TABLE IF NOT EXISTS notification_push_targets (
  target_id  uuid PRIMARY KEY,
  game_id    text NOT NULL,
  player_id  text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('webpush', 'fcm')),
  endpoint   text NOT NULL,
  p256dh     text,
  auth       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (game_id, player_id, kind, endpoint),
  CHECK (kind <> 'webpush' OR (p256dh IS NOT NULL AND auth IS NOT NULL))
);
