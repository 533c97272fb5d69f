-- +goose Up
-- Subjects, their key persons and the departments that write about them.
--
-- Codes are text with a CHECK on their length, never char(18): a char(n)
-- column compared with a text parameter skips its unique index (see NOTES.md).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE subject_kind AS ENUM (
  'LEGAL_PERSON', 'UNINCORPORATED_ORGANIZATION', 'INDIVIDUAL_BUSINESS', 'NATURAL_PERSON');

CREATE TYPE subject_status AS ENUM (
  'ACTIVE',        -- 存续 / living person
  'SUSPENDED',     -- 停业
  'REVOKED',       -- 吊销
  'DEREGISTERED',  -- 注销
  'DECEASED');

-- A department (or other authority) that decides or pushes records. Its code
-- is the authority's own unified social credit code where it has one
-- (XK_XKJGDM / CF_CFJGDM in the 双公示 standard).
CREATE TABLE departments (
  code text PRIMARY KEY CHECK (char_length(code) BETWEEN 1 AND 18),
  name text NOT NULL CHECK (name <> '')
);

CREATE TABLE subjects (
  id            bigserial PRIMARY KEY,
  -- USCC for organisations and individual businesses, citizen ID number for
  -- natural persons: one key space. The kind comes from the record, never
  -- from which checksum the code happens to pass.
  code          text NOT NULL CHECK (char_length(code) = 18),
  kind          subject_kind NOT NULL,
  name          text NOT NULL CHECK (name <> ''),
  status        subject_status NOT NULL DEFAULT 'ACTIVE',
  registered_on date,
  address       text NOT NULL DEFAULT '',
  -- Region code: positions 3-8 of a USCC, 1-6 of a citizen ID number.
  district      text GENERATED ALWAYS AS (
                  CASE WHEN kind = 'NATURAL_PERSON' THEN substr(code, 1, 6)
                       ELSE substr(code, 3, 6) END) STORED,
  -- Legacy identifiers from before the USCC (2015): 工商注册号, 组织机构代码,
  -- 税务登记号, 事业单位证书号, 社会组织登记证号.
  business_reg_no       text NOT NULL DEFAULT '',
  organization_code     text NOT NULL DEFAULT '',
  tax_reg_no            text NOT NULL DEFAULT '',
  public_institution_no text NOT NULL DEFAULT '',
  social_org_no         text NOT NULL DEFAULT '',
  -- Why a pushed code was stored although it failed a check (e.g. a legally
  -- issued pre-2016 code that fails the checksum).
  identifier_warnings   text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subjects_code_key UNIQUE (code)
);
CREATE INDEX subjects_district_idx ON subjects (district, code);
CREATE INDEX subjects_kind_idx ON subjects (kind, code);
CREATE INDEX subjects_name_trgm_idx ON subjects USING gin (name gin_trgm_ops);

CREATE TYPE key_person_role AS ENUM (
  'LEGAL_REPRESENTATIVE', 'PRINCIPAL', 'ACTUAL_CONTROLLER', 'DIRECTLY_RESPONSIBLE');

-- A person's role in an organisation over a period [since, until]; until is
-- the last day of the role, NULL while it lasts.
CREATE TABLE key_persons (
  id              bigserial PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES subjects (id),
  person_id       bigint NOT NULL REFERENCES subjects (id),
  role            key_person_role NOT NULL,
  since           date NOT NULL,
  until           date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT key_persons_period_check CHECK (until IS NULL OR until >= since),
  CONSTRAINT key_persons_not_self_check CHECK (organization_id <> person_id),
  CONSTRAINT key_persons_unique_key UNIQUE (organization_id, person_id, role, since)
);
CREATE INDEX key_persons_organization_idx ON key_persons (organization_id, role, since DESC);
CREATE INDEX key_persons_person_idx ON key_persons (person_id);

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
