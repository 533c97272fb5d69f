-- +goose Up
-- Who may attach a person to an organisation. A key-person link carries its
-- source (the department that pushed or registered it, CREDIT_OFFICE, an
-- import). A department may change the links of an organisation only when
-- it has a record of its own about that organisation (a licence, a penalty
-- or a list entry it decided); otherwise the link waits here for the credit
-- office, and counts for nothing (no legal representative, no attribution
-- of list entries) until approved: a person is never restricted through
-- another department's black-list entry by a link nobody checked.
-- Links written in bulk (an import, the demo seed, links older than this
-- column) say IMPORT; live writes name the department or CREDIT_OFFICE.
ALTER TABLE key_persons ADD COLUMN source text NOT NULL DEFAULT 'IMPORT';

CREATE TABLE key_person_requests (
  id              bigserial PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES subjects (id),
  person_id       bigint NOT NULL REFERENCES subjects (id),
  role            key_person_role NOT NULL,
  since           date NOT NULL,
  until           date,
  department_code text NOT NULL REFERENCES departments (code),
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  decided_by      text,
  decided_at      timestamptz,
  reason          text NOT NULL DEFAULT '',
  CONSTRAINT key_person_requests_period_check CHECK (until IS NULL OR until >= since),
  CONSTRAINT key_person_requests_not_self_check CHECK (organization_id <> person_id)
);
CREATE INDEX key_person_requests_pending_idx ON key_person_requests (requested_at) WHERE status = 'PENDING';

-- +goose Down
-- Forward-only: migrations are never rolled back in production.
