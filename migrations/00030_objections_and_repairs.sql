-- +goose Up
-- The subject's rights (plan §17, 国发〔2016〕33号（二十）): objections
-- (异议) against what is recorded, which set the record aside while they are
-- open, and credit repair (信用修复), which ends a penalty's publication or a
-- list entry early. Nothing here is deleted: statuses move forward along the
-- state machines in internal/credit, each step with its own event row and
-- an audit row in the same transaction.

-- The kinds of record an objection or a repair is about (credit.RecordKind).
CREATE TYPE record_kind AS ENUM ('LICENCE', 'PENALTY', 'LIST_ENTRY', 'KEY_PERSON', 'TAX_GRADE');

CREATE TYPE objection_status AS ENUM (
  'FILED',              -- registered for the subject, awaiting the credit office
  'ACCEPTED',           -- accepted; the verifying department has it
  'REFUSED',            -- not accepted, with the reason
  'UNDER_VERIFICATION', -- the verifying department is checking the record
  'CORRECTED',          -- the record was wrong and is corrected (record_corrections)
  'CONFIRMED',          -- the record stands
  'REVOKED_RECORD');    -- the record was made in error and is revoked

CREATE TABLE objections (
  id               bigserial PRIMARY KEY,
  record_kind      record_kind NOT NULL,
  -- licences.id, penalties.id, list_entries.id or key_persons.id by kind;
  -- for TAX_GRADE the assessment year of subject_id's grade (grades are
  -- keyed by subject and year). No foreign key: it is one of five tables.
  record_id        bigint NOT NULL,
  -- The subject that objects: the record's subject (for a key-person link,
  -- the organisation or the person).
  subject_id       bigint NOT NULL REFERENCES subjects (id),
  -- What names the record in answers: its decision number, or a label for
  -- a key-person link or a tax grade, and its date.
  record_label     text NOT NULL,
  record_date      date NOT NULL,
  -- Who verifies: the record's deciding department; NULL for records no
  -- department of the hub decided (key-person links, tax grades), which
  -- the credit office verifies itself.
  department_code  text REFERENCES departments (code),
  fields           text[] NOT NULL DEFAULT '{}',
  reason           text NOT NULL CHECK (reason <> ''),
  evidence         text[] NOT NULL DEFAULT '{}',
  status           objection_status NOT NULL DEFAULT 'FILED',
  filed_at         timestamptz NOT NULL,
  -- The city's day of filing: the record is disputed from this day.
  filed_on         date NOT NULL,
  filed_by         text NOT NULL,
  filed_role       text NOT NULL,
  filed_institution text NOT NULL DEFAULT '',
  -- Deadlines in working days (OBJECTION_DEADLINE rules, official
  -- calendar); NULL when the calendar cannot count them yet.
  accept_due       date,
  accepted_on      date,
  verify_due       date,
  verification_started_on date,
  -- The day the objection was closed (refused or decided): the record is
  -- disputed up to the day before.
  closed_on        date,
  refuse_reason    text,
  answer           text,
  decision_no      text,
  decided_by       text,
  CONSTRAINT objections_closed_check CHECK ((closed_on IS NULL) = (status IN ('FILED', 'ACCEPTED', 'UNDER_VERIFICATION'))),
  CONSTRAINT objections_refused_check CHECK ((status = 'REFUSED') = (refuse_reason IS NOT NULL))
);
-- One open objection per record: the suspension of its measures starts and
-- ends with it. A tax grade's record_id is a year, so its subject counts too.
CREATE UNIQUE INDEX objections_one_open_idx ON objections
  (record_kind, record_id, (CASE WHEN record_kind = 'TAX_GRADE' THEN subject_id ELSE 0 END))
  WHERE closed_on IS NULL;
CREATE INDEX objections_record_idx ON objections (record_kind, record_id);
CREATE INDEX objections_subject_idx ON objections (subject_id);
CREATE INDEX objections_filed_idx ON objections (filed_on, id);
CREATE INDEX objections_department_idx ON objections (department_code, filed_on);

CREATE TABLE objection_events (
  id           bigserial PRIMARY KEY,
  objection_id bigint NOT NULL REFERENCES objections (id),
  from_status  objection_status,
  to_status    objection_status NOT NULL,
  actor        text NOT NULL,
  role         text NOT NULL,
  note         text NOT NULL DEFAULT '',
  at           timestamptz NOT NULL
);
CREATE INDEX objection_events_objection_idx ON objection_events (objection_id, id);

-- Every field a CORRECTED objection changed: the old and the new value in
-- the API's text form (amounts in yuan, dates YYYY-MM-DD; NULL for none),
-- who changed it, when, under which objection. The record itself is
-- updated in place, so readers see the corrected value; this is its
-- history.
CREATE TABLE record_corrections (
  id            bigserial PRIMARY KEY,
  objection_id  bigint NOT NULL REFERENCES objections (id),
  record_kind   record_kind NOT NULL,
  record_id     bigint NOT NULL,
  subject_id    bigint NOT NULL REFERENCES subjects (id),
  field         text NOT NULL CHECK (field <> ''),
  old_value     text,
  new_value     text,
  corrected_by  text NOT NULL,
  corrected_role text NOT NULL,
  corrected_at  timestamptz NOT NULL
);
CREATE INDEX record_corrections_record_idx ON record_corrections (record_kind, record_id, id);

CREATE TYPE repair_status AS ENUM (
  'REQUESTED', -- filed with the conditions stated, awaiting the deciding department
  'ACCEPTED',  -- accepted for decision
  'GRANTED',   -- repaired: publication ends, measures lift
  'REFUSED');  -- refused, with the reason

CREATE TABLE repairs (
  id               bigserial PRIMARY KEY,
  record_kind      record_kind NOT NULL CHECK (record_kind IN ('PENALTY', 'LIST_ENTRY')),
  record_id        bigint NOT NULL,
  subject_id       bigint NOT NULL REFERENCES subjects (id),
  record_label     text NOT NULL,
  record_date      date NOT NULL,
  -- The deciding department of the penalty, or the listing department.
  department_code  text NOT NULL REFERENCES departments (code),
  severity         severity,
  domain           text REFERENCES list_domains (code),
  -- The first day repair could be requested, and the rule it comes from.
  first_allowed    date NOT NULL,
  rule_key         text NOT NULL,
  rule_basis       text NOT NULL,
  -- The conditions: obligations performed (with evidence) and a credit
  -- commitment (信用承诺书) on file.
  obligations_performed boolean NOT NULL CHECK (obligations_performed),
  obligation_evidence text[] NOT NULL CHECK (cardinality(obligation_evidence) > 0),
  commitment       text NOT NULL CHECK (commitment <> ''),
  statement        text NOT NULL DEFAULT '',
  status           repair_status NOT NULL DEFAULT 'REQUESTED',
  requested_at     timestamptz NOT NULL,
  requested_on     date NOT NULL,
  requested_by     text NOT NULL,
  requested_role   text NOT NULL,
  requested_institution text NOT NULL DEFAULT '',
  accept_due       date,
  accepted_on      date,
  decide_due       date,
  decided_on       date,
  decided_by       text,
  decision_no      text,
  refuse_reason    text,
  CONSTRAINT repairs_decided_check CHECK ((decided_on IS NULL) = (status IN ('REQUESTED', 'ACCEPTED'))),
  CONSTRAINT repairs_refused_check CHECK ((status = 'REFUSED') = (refuse_reason IS NOT NULL)),
  CONSTRAINT repairs_granted_check CHECK (status <> 'GRANTED' OR decision_no IS NOT NULL)
);
CREATE UNIQUE INDEX repairs_one_open_idx ON repairs (record_kind, record_id) WHERE decided_on IS NULL;
CREATE INDEX repairs_record_idx ON repairs (record_kind, record_id);
CREATE INDEX repairs_requested_idx ON repairs (requested_on, id);
CREATE INDEX repairs_department_idx ON repairs (department_code, requested_on);

CREATE TABLE repair_events (
  id          bigserial PRIMARY KEY,
  repair_id   bigint NOT NULL REFERENCES repairs (id),
  from_status repair_status,
  to_status   repair_status NOT NULL,
  actor       text NOT NULL,
  role        text NOT NULL,
  note        text NOT NULL DEFAULT '',
  at          timestamptz NOT NULL
);
CREATE INDEX repair_events_repair_idx ON repair_events (repair_id, id);

-- The history is append-only for the application, as the audit log is.
REVOKE UPDATE, DELETE, TRUNCATE ON objection_events, record_corrections, repair_events FROM credithub_app;

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
