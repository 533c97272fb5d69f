-- +goose Up
-- Reports of serious dishonesty by anyone (举报, plan §10). The reporter's
-- identity is kept strictly confidential: their name and contact are stored
-- only as AES-256-GCM ciphertext (internal/seal), with the id of the key
-- that sealed them, so that keys can rotate (`credithub reports rekey`).
-- The key never reaches the database.

CREATE TYPE report_status AS ENUM (
  'RECEIVED',  -- submitted, awaiting the credit office
  'ASSIGNED',  -- handed to the department that verifies it
  'VERIFIED',  -- the department found it founded
  'UNFOUNDED', -- the department found nothing
  'ANSWERED'); -- the credit office answered the reporter (outcome kept)

CREATE TABLE reports (
  id              bigserial PRIMARY KEY,
  -- What the reporter is given to ask about it; random, not the sequence.
  reference       text NOT NULL CHECK (reference ~ '^JB[A-Z2-7]{16}$'),
  -- The subject concerned, as reported: its code (registered or not).
  subject_code    text NOT NULL CHECK (char_length(subject_code) = 18),
  subject_id      bigint REFERENCES subjects (id),
  subject_name    text NOT NULL DEFAULT '',
  facts           text NOT NULL CHECK (facts <> ''),
  evidence        text[] NOT NULL DEFAULT '{}',
  -- The reporter's name and contact, sealed (nonce and ciphertext, the
  -- additional data binding it to this row's id); all three NULL for an
  -- anonymous report.
  contact_key_id  text,
  contact_nonce   bytea,
  contact_sealed  bytea,
  status          report_status NOT NULL DEFAULT 'RECEIVED',
  received_at     timestamptz NOT NULL,
  received_on     date NOT NULL,
  received_role   text NOT NULL,
  -- Deadlines in working days (REPORT_DEADLINE rules, official calendar);
  -- NULL when the calendar cannot count them yet.
  assign_due      date,
  department_code text REFERENCES departments (code),
  assigned_on     date,
  verify_due      date,
  verified_on     date,
  -- VERIFIED or UNFOUNDED, kept once the report is ANSWERED.
  outcome         report_status CHECK (outcome IN ('VERIFIED', 'UNFOUNDED')),
  findings        text,
  answer_due      date,
  answered_on     date,
  answer          text,
  CONSTRAINT reports_reference_key UNIQUE (reference),
  CONSTRAINT reports_contact_check CHECK (
    (contact_key_id IS NULL) = (contact_sealed IS NULL) AND (contact_nonce IS NULL) = (contact_sealed IS NULL)),
  CONSTRAINT reports_assigned_check CHECK ((status = 'RECEIVED') = (department_code IS NULL))
);
CREATE INDEX reports_received_idx ON reports (received_on, id);
CREATE INDEX reports_department_idx ON reports (department_code, received_on);
CREATE INDEX reports_key_idx ON reports (contact_key_id) WHERE contact_key_id IS NOT NULL;

CREATE TABLE report_events (
  id          bigserial PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports (id),
  from_status report_status,
  to_status   report_status NOT NULL,
  actor       text NOT NULL,
  role        text NOT NULL,
  note        text NOT NULL DEFAULT '',
  at          timestamptz NOT NULL
);
CREATE INDEX report_events_report_idx ON report_events (report_id, id);
REVOKE UPDATE, DELETE, TRUNCATE ON report_events FROM credithub_app;

-- The deadlines of the report workflow, in working days on the official
-- calendar. These are the credit office's settings, not legal deadlines.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('REPORT_DEADLINE', 'ASSIGN', '2017-01-01', '{"workingDays": 2}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（社会举报）',
   '收到举报后2个工作日内转交核查部门：天数为市信用办设定。'),
  ('REPORT_DEADLINE', 'VERIFY', '2017-01-01', '{"workingDays": 15}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（社会举报）',
   '转交后15个工作日内核查：天数为市信用办设定。'),
  ('REPORT_DEADLINE', 'ANSWER', '2017-01-01', '{"workingDays": 5}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（社会举报）',
   '核查后5个工作日内答复举报人：天数为市信用办设定。');
UPDATE reference_revision SET revision = revision + 1, changed_at = now();

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
