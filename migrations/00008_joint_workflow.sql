-- +goose Up
-- The joint reward and punishment workflow (plan §12, §15): approving a
-- list entry opens a joint case; the measures for its kind and domain are
-- pushed to their implementing departments as assignments, which respond,
-- execute and feed back. Nothing here is deleted: statuses move forward
-- and each step keeps its own row.

CREATE TYPE assignment_status AS ENUM (
  'PUSHED',     -- sent to the implementing department, no answer yet
  'ACCEPTED',   -- the department will implement the measure
  'REJECTED',   -- the department refused it (with a reason the office reviews)
  'EXECUTED',   -- at least one execution recorded
  'SUSPENDED',  -- the record it rests on is under objection
  'CLOSED');    -- the entry left the list: no further execution

CREATE TABLE joint_cases (
  id              bigserial PRIMARY KEY,
  entry_id        bigint NOT NULL REFERENCES list_entries (id),
  -- The department that decided the entry initiates the case.
  initiating_department text NOT NULL REFERENCES departments (code),
  opened_at       timestamptz NOT NULL,
  opened_by       text NOT NULL,
  closed_at       timestamptz,
  close_reason    text,
  CONSTRAINT joint_cases_entry_key UNIQUE (entry_id),
  CONSTRAINT joint_cases_closed_check CHECK ((closed_at IS NULL) = (close_reason IS NULL))
);
CREATE INDEX joint_cases_opened_idx ON joint_cases (opened_at);

CREATE TABLE assignments (
  id              bigserial PRIMARY KEY,
  case_id         bigint NOT NULL REFERENCES joint_cases (id),
  measure_id      bigint NOT NULL REFERENCES measures (id),
  department_code text NOT NULL REFERENCES departments (code),
  status          assignment_status NOT NULL DEFAULT 'PUSHED',
  pushed_at       timestamptz NOT NULL,
  -- The department's answer, kept when the assignment is later closed or
  -- suspended, so statistics count what was accepted whatever came after.
  response        text CHECK (response IN ('ACCEPTED', 'REJECTED')),
  responded_at    timestamptz,
  responded_by    text,
  reject_reason   text,
  -- The status a suspension interrupted, to resume it when the objection
  -- is decided.
  suspended_from  assignment_status,
  closed_at       timestamptz,
  CONSTRAINT assignments_case_measure_key UNIQUE (case_id, measure_id, department_code),
  CONSTRAINT assignments_responded_check CHECK ((response IS NULL) = (responded_at IS NULL)),
  CONSTRAINT assignments_reject_reason_check CHECK ((response = 'REJECTED') = (reject_reason IS NOT NULL))
);
CREATE INDEX assignments_department_idx ON assignments (department_code, status);

-- Each execution of an assignment: the implementing department's own
-- decision document.
CREATE TABLE executions (
  id            bigserial PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES assignments (id),
  document_no   text NOT NULL CHECK (document_no <> ''),
  executed_on   date NOT NULL,
  note          text NOT NULL DEFAULT '',
  recorded_at   timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  CONSTRAINT executions_document_key UNIQUE (assignment_id, document_no)
);

-- Periodic feedback of an implementing department on a case (quarterly in
-- the tax memorandum), one per period.
CREATE TABLE feedback (
  id              bigserial PRIMARY KEY,
  case_id         bigint NOT NULL REFERENCES joint_cases (id),
  department_code text NOT NULL REFERENCES departments (code),
  period          text NOT NULL CHECK (period ~ '^[0-9]{4}Q[1-4]$'),
  text            text NOT NULL CHECK (text <> ''),
  submitted_at    timestamptz NOT NULL,
  submitted_by    text NOT NULL,
  CONSTRAINT feedback_period_key UNIQUE (case_id, department_code, period)
);

-- Pushes to deliver, written in the transaction that creates the
-- assignment; NOTIFY wakes the servers' subscription hubs on commit.
CREATE TABLE push_outbox (
  id              bigserial PRIMARY KEY,
  assignment_id   bigint NOT NULL REFERENCES assignments (id),
  department_code text NOT NULL REFERENCES departments (code),
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX push_outbox_assignment_idx ON push_outbox (assignment_id);
CREATE INDEX push_outbox_pending_idx ON push_outbox (department_code, id) WHERE delivered_at IS NULL;

-- +goose Down
