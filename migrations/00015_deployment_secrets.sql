-- +goose Up
-- Secrets of the deployment that every server of it must share, made once
-- by the database itself so that there is nothing to configure or leak in
-- a settings file. entity_ref keys the opaque references that replace a
-- person's code for callers who may not see it (credit.EntityRefs): two
-- gen_random_uuid()s, 32 bytes of which 244 bits are random (drawn from
-- pg_strong_random).
CREATE TABLE deployment_secrets (
  name       text PRIMARY KEY,
  value      bytea NOT NULL CHECK (length(value) >= 16),
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO deployment_secrets (name, value)
VALUES ('entity_ref', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- The application reads the secrets and never changes them.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON deployment_secrets FROM credithub_app;
GRANT SELECT ON deployment_secrets TO credithub_app;

-- +goose Down
DROP TABLE deployment_secrets;
