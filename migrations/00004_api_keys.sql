-- +goose Up
-- API keys for institutions. The key itself is never stored: only its
-- SHA-256 (keys are 256 random bits, so a plain hash cannot be brute-forced)
-- and a short prefix that lets people tell their keys apart.

CREATE TABLE api_keys (
  id              bigserial PRIMARY KEY,
  prefix          text NOT NULL,
  hash            bytea NOT NULL,
  role            text NOT NULL CHECK (role IN (
                    'WINDOW', 'BANK', 'DASHBOARD', 'DEPARTMENT', 'CREDIT_OFFICE', 'AUDITOR', 'ADMIN')),
  institution     text NOT NULL CHECK (institution <> ''),
  department_code text REFERENCES departments (code),
  expires_at      timestamptz,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text NOT NULL DEFAULT '',
  CONSTRAINT api_keys_hash_key UNIQUE (hash),
  -- A DEPARTMENT key is bound to exactly one department; no other key is.
  CONSTRAINT api_keys_department_check CHECK ((role = 'DEPARTMENT') = (department_code IS NOT NULL))
);

-- +goose Down
