-- Per-key quotas and browser access, kept in the key record: events per second with a burst
-- (NULL: the service defaults), and the origins a browser (WebGL) game may send from.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS rate_limit_burst integer CHECK (rate_limit_burst > 0);
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS cors_origins text[] NOT NULL DEFAULT '{}';
