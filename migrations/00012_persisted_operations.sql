-- +goose Up
-- The operations an operator installs for roles that may run persisted
-- operations only (PERSISTED_ONLY_ROLES): an allow-list, reviewed and added
-- with `credithub operations add FILE.graphql`, never what a client
-- registered on its own (Automatic Persisted Queries live in Redis, expire,
-- and are not an allow-list). The serving role reads the list and may not
-- change it.
CREATE TABLE persisted_operations (
  hash      text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'), -- SHA-256 of query, hex
  name      text NOT NULL DEFAULT '',
  query     text NOT NULL CHECK (query <> ''),
  added_at  timestamptz NOT NULL DEFAULT now(),
  added_by  text NOT NULL
);
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON persisted_operations FROM credithub_app;

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
