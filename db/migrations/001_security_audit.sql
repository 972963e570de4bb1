-- The audit trail: one row per security event (expiry, sign-out, step-up, admin action).
-- Append-only: the database itself refuses UPDATE, DELETE and TRUNCATE (see the trigger below), so
-- evidence for auditors cannot be edited by the app, by a bug, or by someone with the app's credentials.
-- metadata never holds passwords, tokens or cookie values.
CREATE TABLE security_audit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_type  text        NOT NULL CHECK (event_type ~ '^[a-z_]{3,64}$'),
  identity_id uuid,
  session_id  uuid,
  metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX security_audit_event_created_idx ON security_audit (event_type, created_at DESC, id DESC);
CREATE INDEX security_audit_identity_created_idx ON security_audit (identity_id, created_at DESC, id DESC);

CREATE FUNCTION security_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'security_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER security_audit_no_update_delete
  BEFORE UPDATE OR DELETE ON security_audit
  FOR EACH ROW EXECUTE FUNCTION security_audit_append_only();

CREATE TRIGGER security_audit_no_truncate
  BEFORE TRUNCATE ON security_audit
  FOR EACH STATEMENT EXECUTE FUNCTION security_audit_append_only();
