-- Append-only, hash-chained audit log (apps/shared/audit.ts writes it in the same transaction as the
-- action it records). Each row stores the previous row's hash and its own, so `npm run audit -- verify`
-- finds the first row anyone changed, removed or inserted out of band.
CREATE TABLE IF NOT EXISTS audit_log (
  seq       bigint PRIMARY KEY,
  at        timestamptz NOT NULL,
  actor     text NOT NULL,
  action    text NOT NULL,
  target    text NOT NULL,
  details   jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash      text NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS audit_log_action_idx ON audit_log (action, at);
CREATE INDEX IF NOT EXISTS audit_log_target_idx ON audit_log (target, at);

-- The services never update or delete audit rows; refusing it in the database turns a bug into an
-- error. (An administrator can drop the trigger; the hash chain is what detects that.)
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
