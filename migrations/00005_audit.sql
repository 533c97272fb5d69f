-- +goose Up
-- The audit log of writes and decisions, the query-use log of reads, and the
-- application's database role.
--
-- audit_log is a hash chain: each row holds the SHA-256 of its own content
-- and of the previous row's hash. The hash is computed in Go
-- (internal/audit, which defines the canonical encoding), never in SQL, so
-- that one definition both writes and verifies the chain.

CREATE TABLE audit_log (
  -- Appends take seq from this identity under an advisory lock; a rolled-back
  -- append leaves a gap, which is not tampering (see internal/audit).
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  role        text NOT NULL,
  institution text NOT NULL DEFAULT '',
  -- What happened, e.g. 'licence.recorded', 'list_entry.approved'.
  action      text NOT NULL CHECK (action <> ''),
  -- What it happened to, e.g. 'subject:91210602MA10QX7K9W', 'list_entry:42'.
  target      text NOT NULL DEFAULT '',
  detail      jsonb NOT NULL DEFAULT '{}',
  -- 32 zero bytes for the first row.
  prev_hash   bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
  hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
  -- Two rows chained to the same predecessor would fork the chain. The
  -- advisory lock prevents it under READ COMMITTED; this catches an append
  -- from a REPEATABLE READ transaction whose snapshot missed the last row.
  CONSTRAINT audit_log_prev_hash_key UNIQUE (prev_hash)
);

-- The second line of defence after the grants below: not even the owner or
-- a superuser changes audit rows by accident. Deliberate tampering (disabling
-- the trigger) is what `credithub audit verify` is for.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING HINT = 'audit rows are hash-chained; corrections are new rows';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Every read of a subject's records by BANK, WINDOW or DEPARTMENT: the
-- "system for querying and using credit records". Written in batches by COPY.
CREATE TABLE query_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL,
  caller_id    text NOT NULL,
  institution  text NOT NULL DEFAULT '',
  role         text NOT NULL,
  purpose      text NOT NULL DEFAULT '',
  subject_code text NOT NULL,
  operation    text NOT NULL
);
CREATE INDEX query_log_subject_at_idx ON query_log (subject_code, at DESC);

-- The role the server connects as. Roles are cluster-wide and other
-- databases on the server (other environments, every test database) share
-- it, so it is created only when missing; the exception handler covers two
-- migrations creating it at the same moment.
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'credithub_app') THEN
    BEGIN
      CREATE ROLE credithub_app LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO credithub_app', current_database());
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO credithub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO credithub_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO credithub_app;
-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM credithub_app;

-- goose's own bookkeeping is the migrator's business: the application may
-- read which version it runs against but not rewrite the history.
-- +goose StatementBegin
DO $$
BEGIN
  IF to_regclass('goose_db_version') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE ON goose_db_version FROM credithub_app;
  END IF;
END
$$;
-- +goose StatementEnd

-- Tables and sequences that later migrations create (run by the same role
-- as this one) get the same grants; a migration that adds another
-- append-only table revokes as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO credithub_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO credithub_app;

-- +goose Down
