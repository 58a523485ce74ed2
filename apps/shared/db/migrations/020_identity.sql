-- The users service's identity data: staff accounts, the OAuth clients the platform knows, and
-- oidc-provider's own artifacts (grants, sessions, codes, refresh tokens, interactions), so any pod
-- serves any step of a login and nothing lives in one process's memory.

CREATE TABLE IF NOT EXISTS staff_accounts (
  account_id    uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
  -- scrypt$N$r$p$salt$hash (apps/users/passwords.ts)
  password_hash text NOT NULL,
  roles         text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'analyst', 'support', 'service']::text[] AND cardinality(roles) > 0),
  -- NULL: every game ("*" in tokens); otherwise the game ids this account may touch.
  games         text[],
  -- AES-256-GCM sealed TOTP secret (apps/users/totp.ts); NULL: no second factor.
  totp_sealed   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  disabled_at   timestamptz
);

-- Clients registered by admins (game servers, services, the dashboard). Confidential clients have no
-- stored secret: it is derived from the service's secret key and secret_version (apps/users/clients.ts),
-- so a database dump alone yields no usable credential; bumping secret_version rotates it.
CREATE TABLE IF NOT EXISTS oauth_clients (
  client_id      text PRIMARY KEY CHECK (client_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  description    text NOT NULL DEFAULT '',
  kind           text NOT NULL CHECK (kind IN ('confidential', 'public')),
  grant_types    text[] NOT NULL,
  redirect_uris  text[] NOT NULL DEFAULT '{}',
  -- client-credentials tokens carry these; user tokens carry the account's.
  roles          text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['admin', 'analyst', 'support', 'service']::text[]),
  games          text[],
  secret_version integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  revoked_at     timestamptz
);

CREATE TABLE IF NOT EXISTS oidc_payloads (
  model       text NOT NULL,
  id          text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  user_code   text,
  uid         text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_uid_idx ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_expiry_idx ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
