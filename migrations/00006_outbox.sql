-- +goose Up
-- The export outbox: every accepted change of a licence or penalty that the
-- provincial platform must hear about, written in the same transaction as
-- the change by statement-level triggers, so that no writer (GraphQL
-- intake, revocation, the bulk importer, seed's COPY) has to remember it
-- and none can commit a change without its outbox row. `credithub export`
-- reads the outbox, sends the records' latest state and marks the rows.
--
-- Statement-level triggers with transition tables, not row triggers: a bulk
-- import of 50,000 records in one INSERT ... SELECT ... ON CONFLICT DO
-- UPDATE pays one INSERT ... SELECT into the outbox, not 50,000 trigger
-- calls. A trigger with transition tables may have only one event, hence
-- one trigger per table and event.

CREATE TABLE export_outbox (
  id           bigserial PRIMARY KEY,
  record_kind  text NOT NULL CHECK (record_kind IN ('LICENCE', 'PENALTY')),
  -- licences.id or penalties.id by record_kind. No foreign key: it would
  -- have to be one of two tables, and records are never deleted.
  record_id    bigint NOT NULL,
  -- REVOKE when the record's new state is revoked, UPSERT otherwise. The
  -- export sends the record's latest state either way (its status says
  -- which); op tells an operator reading the outbox what happened.
  op           text NOT NULL CHECK (op IN ('UPSERT', 'REVOKE')),
  -- clock_timestamp, not now(): rows of one long transaction still get the
  -- time they were written.
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  exported_at  timestamptz,
  -- The export run that sent the row, named in its summary line.
  export_batch text,
  CONSTRAINT export_outbox_marked_check CHECK ((exported_at IS NULL) = (export_batch IS NULL))
);
-- What an export claims: pending rows since a time. The partial index stays
-- as small as the backlog however long the history grows.
CREATE INDEX export_outbox_pending_idx ON export_outbox (at) WHERE exported_at IS NULL;
-- What an export then streams: the records of its own batch.
CREATE INDEX export_outbox_batch_idx ON export_outbox (export_batch, record_kind) WHERE export_batch IS NOT NULL;

-- The record columns an export sends (the 双公示 fields and the status).
-- An UPDATE that changes none of them — an identical re-push, which still
-- sets updated_at, or a change of scope, severity or warnings — enqueues
-- nothing. Keep these lists in step with internal/export.
-- +goose StatementBegin
CREATE FUNCTION export_outbox_licences() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO export_outbox (record_kind, record_id, op)
    SELECT 'LICENCE', n.id, CASE WHEN n.status = 'REVOKED' THEN 'REVOKE' ELSE 'UPSERT' END
    FROM new_rows n;
  ELSE
    INSERT INTO export_outbox (record_kind, record_id, op)
    SELECT 'LICENCE', n.id, CASE WHEN n.status = 'REVOKED' THEN 'REVOKE' ELSE 'UPSERT' END
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.xdr_name, n.xdr_category, n.xdr_uscc, n.xdr_business_reg_no, n.xdr_organization_code,
           n.xdr_tax_reg_no, n.xdr_public_institution_no, n.xdr_social_org_no, n.legal_rep_name,
           n.legal_rep_id_type, n.legal_rep_id_no, n.xdr_id_type, n.xdr_id_no, n.document_name, n.decision_no,
           n.licence_category, n.certificate_name, n.licence_no, n.content, n.decided_on, n.valid_from,
           n.valid_until, n.authority_name, n.authority_code, n.status, n.source_name, n.source_code, n.remarks)
      IS DISTINCT FROM
          (o.xdr_name, o.xdr_category, o.xdr_uscc, o.xdr_business_reg_no, o.xdr_organization_code,
           o.xdr_tax_reg_no, o.xdr_public_institution_no, o.xdr_social_org_no, o.legal_rep_name,
           o.legal_rep_id_type, o.legal_rep_id_no, o.xdr_id_type, o.xdr_id_no, o.document_name, o.decision_no,
           o.licence_category, o.certificate_name, o.licence_no, o.content, o.decided_on, o.valid_from,
           o.valid_until, o.authority_name, o.authority_code, o.status, o.source_name, o.source_code, o.remarks);
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION export_outbox_penalties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO export_outbox (record_kind, record_id, op)
    SELECT 'PENALTY', n.id, CASE WHEN n.status = 'REVOKED' THEN 'REVOKE' ELSE 'UPSERT' END
    FROM new_rows n;
  ELSE
    INSERT INTO export_outbox (record_kind, record_id, op)
    SELECT 'PENALTY', n.id, CASE WHEN n.status = 'REVOKED' THEN 'REVOKE' ELSE 'UPSERT' END
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.xdr_name, n.xdr_category, n.xdr_uscc, n.xdr_business_reg_no, n.xdr_organization_code,
           n.xdr_tax_reg_no, n.xdr_public_institution_no, n.xdr_social_org_no, n.legal_rep_name,
           n.legal_rep_id_type, n.legal_rep_id_no, n.xdr_id_type, n.xdr_id_no, n.decision_no, n.violation_type,
           n.facts, n.legal_basis, n.penalty_category, n.content, n.fine_fen, n.confiscated_fen,
           n.suspended_licence, n.decided_on, n.valid_until, n.public_until, n.authority_name, n.authority_code,
           n.source_name, n.source_code, n.remarks, n.status)
      IS DISTINCT FROM
          (o.xdr_name, o.xdr_category, o.xdr_uscc, o.xdr_business_reg_no, o.xdr_organization_code,
           o.xdr_tax_reg_no, o.xdr_public_institution_no, o.xdr_social_org_no, o.legal_rep_name,
           o.legal_rep_id_type, o.legal_rep_id_no, o.xdr_id_type, o.xdr_id_no, o.decision_no, o.violation_type,
           o.facts, o.legal_basis, o.penalty_category, o.content, o.fine_fen, o.confiscated_fen,
           o.suspended_licence, o.decided_on, o.valid_until, o.public_until, o.authority_name, o.authority_code,
           o.source_name, o.source_code, o.remarks, o.status);
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER licences_export_outbox_insert
  AFTER INSERT ON licences REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION export_outbox_licences();
CREATE TRIGGER licences_export_outbox_update
  AFTER UPDATE ON licences REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION export_outbox_licences();
CREATE TRIGGER penalties_export_outbox_insert
  AFTER INSERT ON penalties REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION export_outbox_penalties();
CREATE TRIGGER penalties_export_outbox_update
  AFTER UPDATE ON penalties REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION export_outbox_penalties();

-- The triggers run as the writer (SECURITY INVOKER), so the application
-- role needs to insert into the outbox; the exporter, which may connect as
-- the same role, reads and marks it. 00005's default privileges grant this
-- already when the same role runs the migrations; saying it here keeps it
-- true when they do not. The outbox is the record of what was sent, so the
-- application never deletes from it.
GRANT SELECT, INSERT, UPDATE ON export_outbox TO credithub_app;
GRANT USAGE, SELECT ON SEQUENCE export_outbox_id_seq TO credithub_app;
REVOKE DELETE, TRUNCATE ON export_outbox FROM credithub_app;

-- +goose Down
