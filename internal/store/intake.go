package store

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Writes of pushed records. The methods that change several rows are meant
// to run inside InTx; the service orders them so that every transaction
// takes its locks in the same order (decision lock, subjects, legal
// representative link, record, audit chain) and concurrent pushes queue
// instead of deadlocking.

// Upsert says what an upsert of a record did.
type Upsert struct {
	// Updated is true when a record with the same decision number from the
	// same authority existed and was updated rather than inserted.
	Updated bool
	// PreviousSubjectID is the subject the record was about before an
	// update (0 after an insert); a correction may move a record to another
	// subject, whose cached answers change too.
	PreviousSubjectID int64
}

// The columns a push writes. Everything else (status, revocation, repair,
// created_at) is the hub's own and survives a re-push; received_at is
// written on insert only, because timeliness is measured by the first
// arrival and a correction must not make a late record look punctual.
var (
	partyWriteColumns = []string{"subject_id", "xdr_name", "xdr_category", "xdr_uscc", "xdr_business_reg_no",
		"xdr_organization_code", "xdr_tax_reg_no", "xdr_public_institution_no", "xdr_social_org_no",
		"legal_rep_name", "legal_rep_id_type", "legal_rep_id_no", "xdr_id_type", "xdr_id_no"}
	licenceWriteColumns = append(append([]string{}, partyWriteColumns...), "document_name", "decision_no",
		"licence_category", "certificate_name", "licence_no", "content", "decided_on", "valid_from", "valid_until",
		"authority_name", "authority_code", "source_name", "source_code", "remarks", "use_scope",
		"publication_deadline", "received_at", "warnings")
	penaltyWriteColumns = append(append([]string{}, partyWriteColumns...), "decision_no", "violation_type", "facts",
		"legal_basis", "penalty_category", "content", "fine_fen", "confiscated_fen", "suspended_licence",
		"decided_on", "valid_until", "public_until", "authority_name", "authority_code", "source_name",
		"source_code", "remarks", "severity", "repairable_from", "use_scope", "publication_deadline",
		"received_at", "warnings")

	upsertLicenceSQL = upsertSQL("licences", "licences_decision_key", licenceColumns, licenceWriteColumns)
	upsertPenaltySQL = upsertSQL("penalties", "penalties_decision_key", penaltyColumns, penaltyWriteColumns)
)

// upsertSQL builds the named upsert of a record. It tells an insert from an
// update by xmax, the id of the transaction that locked or deleted the row
// version: 0 for the version an INSERT creates, and the upserting
// transaction's own id when ON CONFLICT DO UPDATE wrote it. That is an
// implementation detail of PostgreSQL (stable since ON CONFLICT appeared in
// 9.5 and relied on widely), and it answers in the same statement without a
// race. The record's previous subject is read by a CTE from the snapshot
// the statement starts with, which is exact because the caller holds the
// decision's lock (LockDecision) and so no other push of it is in flight.
func upsertSQL(table, constraint, returning string, columns []string) string {
	values := make([]string, len(columns))
	var sets []string
	for i, c := range columns {
		values[i] = ":" + c
		if c == "warnings" {
			values[i] = "CAST(:warning_array AS text[])"
		}
		if c != "decision_no" && c != "authority_code" && c != "received_at" {
			sets = append(sets, c+" = EXCLUDED."+c)
		}
	}
	return `WITH prev AS (
			SELECT subject_id FROM ` + table + ` WHERE authority_code = :authority_code AND decision_no = :decision_no),
		up AS (
			INSERT INTO ` + table + ` AS r (` + strings.Join(columns, ", ") + `)
			VALUES (` + strings.Join(values, ", ") + `)
			ON CONFLICT ON CONSTRAINT ` + constraint + ` DO UPDATE SET ` + strings.Join(sets, ", ") + `, updated_at = now()
			RETURNING ` + returning + `, (r.xmax <> 0) AS updated)
		SELECT up.*, (SELECT subject_id FROM prev) AS previous_subject_id FROM up`
}

// LockDecision takes the transaction's lock on one decision number of one
// authority in table ("licences" or "penalties"), held until the
// transaction ends. Pushes of the same record then run one after the other,
// which is what makes the previous subject an upsert reports exact; the
// unique constraint alone already guarantees a single row. Call it first in
// the transaction, inside InTx.
func (db *DB) LockDecision(ctx context.Context, table, authority, decisionNo string) error {
	_, err := db.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
		table+"\x1f"+authority+"\x1f"+decisionNo)
	return err
}

// named runs a named query that returns one row into dest.
func (db *DB) named(ctx context.Context, dest any, query string, arg any) error {
	q, args, err := sqlx.BindNamed(sqlx.DOLLAR, query, arg)
	if err != nil {
		return err
	}
	return db.get(ctx, dest, q, args...)
}

// UpsertLicence inserts l, or updates the licence with its authority and
// decision number, and returns it as stored. Errors: BAD_USER_INPUT when a
// constraint rejects a value.
func (db *DB) UpsertLicence(ctx context.Context, l credit.Licence) (credit.Licence, Upsert, error) {
	var row struct {
		credit.Licence
		Updated  bool   `db:"updated"`
		Previous *int64 `db:"previous_subject_id"`
	}
	arg := struct {
		credit.Licence
		WarningArray any `db:"warning_array"`
	}{l, textArray(l.WarningList)}
	err := db.named(ctx, &row, upsertLicenceSQL, arg)
	return row.Licence, upsertOf(row.Updated, row.Previous), err
}

// UpsertPenalty is UpsertLicence for a penalty.
func (db *DB) UpsertPenalty(ctx context.Context, p credit.Penalty) (credit.Penalty, Upsert, error) {
	var row struct {
		credit.Penalty
		Updated  bool   `db:"updated"`
		Previous *int64 `db:"previous_subject_id"`
	}
	arg := struct {
		credit.Penalty
		WarningArray any `db:"warning_array"`
	}{p, textArray(p.WarningList)}
	err := db.named(ctx, &row, upsertPenaltySQL, arg)
	return row.Penalty, upsertOf(row.Updated, row.Previous), err
}

// textArray is xs as a text[] parameter; nil is the empty array, not NULL,
// for the NOT NULL array columns.
func textArray(xs []string) any {
	return pq.Array(append([]string{}, xs...))
}

func upsertOf(updated bool, previous *int64) Upsert {
	u := Upsert{Updated: updated}
	if updated && previous != nil {
		u.PreviousSubjectID = *previous
	}
	return u
}

// DepartmentByCode returns the department with code; NOT_FOUND if none.
func (db *DB) DepartmentByCode(ctx context.Context, code string) (credit.Department, error) {
	var d credit.Department
	err := db.get(ctx, &d, `SELECT code, name FROM departments WHERE code = $1`, code)
	return d, err
}

// EnsureSubject registers s (code, kind, name, legacy identifiers and
// identifier warnings) unless a subject with its code exists, and returns
// the subject as stored and whether it was created. An existing subject is
// left as it is: the registry, not a record's copy of the party, is the
// authority on it. Concurrent calls for one code create it once.
func (db *DB) EnsureSubject(ctx context.Context, s credit.Subject) (credit.Subject, bool, error) {
	var out credit.Subject
	err := db.get(ctx, &out, `INSERT INTO subjects AS s (code, kind, name, business_reg_no, organization_code,
			tax_reg_no, public_institution_no, social_org_no, identifier_warnings)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS text[]))
		ON CONFLICT (code) DO NOTHING RETURNING `+subjectColumns,
		s.Code, s.Kind, s.Name, s.BusinessRegNo, s.OrganizationCode, s.TaxRegNo, s.PublicInstitutionNo,
		s.SocialOrgNo, textArray(s.IdentifierWarningList))
	if credit.CodeOf(err) != credit.NotFound {
		return out, err == nil, err
	}
	// It existed (or a concurrent transaction just committed it): this
	// statement's fresh snapshot sees it.
	out, err = db.SubjectByCode(ctx, s.Code)
	return out, false, err
}

// LinkLegalRepresentative records person as the legal representative of
// org from since on, unless org has a legal representative whose role
// lasts to since or later (held by anyone, including person): a record
// fills a gap in the registry but never overrides it. It reports whether it
// linked. Concurrent links of one organisation are serialised by an
// advisory lock, so two records naming different persons cannot both link.
func (db *DB) LinkLegalRepresentative(ctx context.Context, org, person int64, since credit.Date, source string) (bool, error) {
	if _, err := db.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
		"key_persons\x1flegal_representative\x1f"+itoa(int(org))); err != nil {
		return false, err
	}
	// A statement of its own after the lock, so its snapshot sees a link
	// committed by the previous holder.
	res, err := db.exec(ctx, `INSERT INTO key_persons (organization_id, person_id, role, since, source)
		SELECT CAST($1 AS bigint), CAST($2 AS bigint), 'LEGAL_REPRESENTATIVE', CAST($3 AS date), $4
		WHERE NOT EXISTS (SELECT 1 FROM key_persons k WHERE k.organization_id = $1
			AND k.role = 'LEGAL_REPRESENTATIVE' AND (k.until IS NULL OR k.until >= CAST($3 AS date)))
		ON CONFLICT ON CONSTRAINT key_persons_unique_key DO NOTHING`, org, person, since, source)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// LicenceForUpdate returns the licence with id, locked until the
// transaction ends; NOT_FOUND if there is none.
func (db *DB) LicenceForUpdate(ctx context.Context, id int64) (credit.Licence, error) {
	var l credit.Licence
	err := db.get(ctx, &l, `SELECT `+licenceColumns+` FROM licences r WHERE r.id = $1 FOR UPDATE`, id)
	return l, err
}

// PenaltyForUpdate returns the penalty with id, locked until the
// transaction ends; NOT_FOUND if there is none.
func (db *DB) PenaltyForUpdate(ctx context.Context, id int64) (credit.Penalty, error) {
	var p credit.Penalty
	err := db.get(ctx, &p, `SELECT `+penaltyColumns+` FROM penalties r WHERE r.id = $1 FOR UPDATE`, id)
	return p, err
}

// RevokeLicence marks the licence with id REVOKED for reason and returns it;
// NOT_FOUND if there is none. The record is kept.
func (db *DB) RevokeLicence(ctx context.Context, id int64, reason string) (credit.Licence, error) {
	var l credit.Licence
	err := db.get(ctx, &l, `UPDATE licences r SET status = 'REVOKED', revoked_reason = $2, updated_at = now()
		WHERE r.id = $1 RETURNING `+licenceColumns, id, reason)
	return l, err
}

// RevokePenalty marks the penalty with id REVOKED for reason and returns it;
// NOT_FOUND if there is none. The record is kept.
func (db *DB) RevokePenalty(ctx context.Context, id int64, reason string) (credit.Penalty, error) {
	var p credit.Penalty
	err := db.get(ctx, &p, `UPDATE penalties r SET status = 'REVOKED', revoked_reason = $2, updated_at = now()
		WHERE r.id = $1 RETURNING `+penaltyColumns, id, reason)
	return p, err
}

// RegisterSubject inserts the subject in, or updates the subject with its
// code (kind, name, and status, registration date and address where given),
// and returns it as stored with whether it existed. A natural person never
// becomes an organisation nor the other way round: then nothing is changed
// and the stored subject is returned with updated false, for the caller to
// compare kinds and refuse.
func (db *DB) RegisterSubject(ctx context.Context, in credit.SubjectInput) (credit.Subject, bool, error) {
	var row struct {
		credit.Subject
		Updated bool `db:"updated"`
	}
	err := db.get(ctx, &row, `INSERT INTO subjects AS s (code, kind, name, status, registered_on, address)
		VALUES ($1, $2, $3, COALESCE(CAST($4 AS subject_status), 'ACTIVE'), CAST($5 AS date), COALESCE($6, ''))
		ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
			status = COALESCE(CAST($4 AS subject_status), s.status),
			registered_on = COALESCE(CAST($5 AS date), s.registered_on),
			address = COALESCE($6, s.address), updated_at = now()
		WHERE (s.kind = 'NATURAL_PERSON') = (EXCLUDED.kind = 'NATURAL_PERSON')
		RETURNING `+subjectColumns+`, (s.xmax <> 0) AS updated`,
		in.Code, in.Kind, in.Name, in.Status, in.RegisteredOn, in.Address)
	if credit.CodeOf(err) == credit.NotFound {
		s, err := db.SubjectByCode(ctx, in.Code)
		return s, false, err
	}
	return row.Subject, row.Updated, err
}

// UpsertKeyPerson records a person's role in an organisation; the same
// person, role and start date again updates the end date (a registry ends
// a role by pushing it with its last day).
func (db *DB) UpsertKeyPerson(ctx context.Context, k credit.KeyPerson) error {
	_, err := db.exec(ctx, `INSERT INTO key_persons (organization_id, person_id, role, since, until, source)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT ON CONSTRAINT key_persons_unique_key DO UPDATE SET until = EXCLUDED.until, source = EXCLUDED.source`,
		k.OrganizationID, k.PersonID, k.Role, k.Since, k.Until, k.Source)
	return err
}
