package store

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// The records objections contest and corrections change, by kind: locked
// for the decision on them, read field by field, updated field by field.
// Column names come from credit.CorrectableField, never from a client.

// RecordInfo is what an objection needs to know of a record.
type RecordInfo struct {
	Kind credit.RecordKind `db:"-"`
	// ID is the record's id (the year for a tax grade).
	ID int64 `db:"id"`
	// SubjectID is the record's subject; for a key-person link the
	// organisation, OtherSubjectID the person.
	SubjectID      int64       `db:"subject_id"`
	OtherSubjectID int64       `db:"other_subject_id"`
	Label          string      `db:"label"`
	Date           credit.Date `db:"date"`
	Department     *string     `db:"department"`
	Status         string      `db:"status"`
}

// recordLocks reads and locks a record of each kind: $1 the id (the year
// for a tax grade), $2 the subject (tax grades only).
var recordLocks = map[credit.RecordKind]string{
	credit.RecordKindLicence: `SELECT id, subject_id, 0 AS other_subject_id, decision_no AS label, decided_on AS date,
		authority_code AS department, CAST(status AS text) AS status FROM licences WHERE id = $1 AND CAST($2 AS bigint) IS NOT NULL FOR UPDATE`,
	credit.RecordKindPenalty: `SELECT id, subject_id, 0 AS other_subject_id, decision_no AS label, decided_on AS date,
		authority_code AS department, CAST(status AS text) AS status FROM penalties WHERE id = $1 AND CAST($2 AS bigint) IS NOT NULL FOR UPDATE`,
	credit.RecordKindListEntry: `SELECT id, subject_id, 0 AS other_subject_id, decision_no AS label, decided_on AS date,
		department_code AS department, CAST(status AS text) AS status FROM list_entries WHERE id = $1 AND CAST($2 AS bigint) IS NOT NULL FOR UPDATE`,
	credit.RecordKindKeyPerson: `SELECT id, organization_id AS subject_id, person_id AS other_subject_id, CAST(role AS text) AS label,
		since AS date, CAST(NULL AS text) AS department, '' AS status FROM key_persons WHERE id = $1 AND CAST($2 AS bigint) IS NOT NULL FOR UPDATE`,
	credit.RecordKindTaxGrade: `SELECT CAST(year AS bigint) AS id, subject_id, 0 AS other_subject_id, CAST(year AS text) AS label,
		COALESCE(assessed_on, make_date(year, 12, 31)) AS date, CAST(NULL AS text) AS department, CAST(grade AS text) AS status
		FROM tax_credit_grades WHERE year = $1 AND subject_id = $2 FOR UPDATE`,
}

// LockRecord reads the record of kind with id (for a tax grade: the
// grade of subjectID for the year id), locked until the transaction ends;
// NOT_FOUND if there is none.
func (db *DB) LockRecord(ctx context.Context, kind credit.RecordKind, id, subjectID int64) (RecordInfo, error) {
	q, ok := recordLocks[kind]
	if !ok {
		return RecordInfo{}, fmt.Errorf("store: no record kind %q", kind)
	}
	var out RecordInfo
	err := db.get(ctx, &out, q, id, subjectID)
	out.Kind = kind
	return out, err
}

// recordTables are where each kind is stored and how a row is named:
// $1 the id (year), $2 the subject (tax grades).
var recordTables = map[credit.RecordKind]struct{ table, key string }{
	credit.RecordKindLicence:   {"licences", "id = $1 AND CAST($2 AS bigint) IS NOT NULL"},
	credit.RecordKindPenalty:   {"penalties", "id = $1 AND CAST($2 AS bigint) IS NOT NULL"},
	credit.RecordKindListEntry: {"list_entries", "id = $1 AND CAST($2 AS bigint) IS NOT NULL"},
	credit.RecordKindKeyPerson: {"key_persons", "id = $1 AND CAST($2 AS bigint) IS NOT NULL"},
	credit.RecordKindTaxGrade:  {"tax_credit_grades", "year = $1 AND subject_id = $2"},
}

// FieldText returns the stored value of column of a record as text (nil
// for NULL); the record is locked by the caller.
func (db *DB) FieldText(ctx context.Context, kind credit.RecordKind, id, subjectID int64, column string) (*string, error) {
	t, ok := recordTables[kind]
	if !ok {
		return nil, fmt.Errorf("store: no record kind %q", kind)
	}
	var v *string
	err := db.get(ctx, &v, `SELECT CAST(`+pq.QuoteIdentifier(column)+` AS text) FROM `+t.table+` WHERE `+t.key, id, subjectID)
	return v, err
}

// SetField stores value in column of a record. The statement-level export
// triggers of licences and penalties (migration 00006) enqueue the record
// when an exported field changed.
func (db *DB) SetField(ctx context.Context, kind credit.RecordKind, id, subjectID int64, column string, value any) error {
	t, ok := recordTables[kind]
	if !ok {
		return fmt.Errorf("store: no record kind %q", kind)
	}
	set := pq.QuoteIdentifier(column) + ` = $3`
	if kind == credit.RecordKindLicence || kind == credit.RecordKindPenalty {
		set += `, updated_at = now()`
	}
	_, err := db.exec(ctx, `UPDATE `+t.table+` SET `+set+` WHERE `+t.key, id, subjectID, value)
	return err
}

// DeleteRecord removes a key-person link or a tax grade an objection found
// to be made in error; the objection and the audit row keep what it said.
// Licences, penalties and list entries are never deleted (they are revoked).
func (db *DB) DeleteRecord(ctx context.Context, kind credit.RecordKind, id, subjectID int64) error {
	if kind != credit.RecordKindKeyPerson && kind != credit.RecordKindTaxGrade {
		return fmt.Errorf("store: a %s is revoked, never deleted", kind)
	}
	t := recordTables[kind]
	_, err := db.exec(ctx, `DELETE FROM `+t.table+` WHERE `+t.key, id, subjectID)
	return err
}

// RecordRow returns the whole row of a record as JSON, for the audit row of
// a deletion.
func (db *DB) RecordRow(ctx context.Context, kind credit.RecordKind, id, subjectID int64) ([]byte, error) {
	t, ok := recordTables[kind]
	if !ok {
		return nil, fmt.Errorf("store: no record kind %q", kind)
	}
	var row []byte
	err := db.get(ctx, &row, `SELECT to_jsonb(x) FROM `+t.table+` x WHERE `+t.key, id, subjectID)
	return row, err
}

// InsertCorrections stores the changes a CORRECTED objection made.
func (db *DB) InsertCorrections(ctx context.Context, cs []credit.Correction) error {
	for _, c := range cs {
		if _, err := db.exec(ctx, `INSERT INTO record_corrections (objection_id, record_kind, record_id, subject_id, field,
				old_value, new_value, corrected_by, corrected_role, corrected_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.ObjectionID, c.RecordKind, c.RecordID, c.SubjectID, c.Field, c.OldValue, c.NewValue, c.CorrectedBy,
			string(c.CorrectedRole), c.CorrectedAt); err != nil {
			return err
		}
	}
	return nil
}

// CorrectionsOfRecords returns the corrections of the given records, in
// the order they were made.
func (db *DB) CorrectionsOfRecords(ctx context.Context, keys []RecordRefKey) ([]credit.Correction, error) {
	kinds, ids, subjects := splitKeys(keys)
	var out []credit.Correction
	err := db.sel(ctx, &out, `SELECT c.id, c.objection_id, c.record_kind, c.record_id, c.subject_id, c.field, c.old_value,
			c.new_value, c.corrected_by, c.corrected_role, c.corrected_at
		FROM record_corrections c
		JOIN unnest(CAST($1 AS record_kind[]), CAST($2 AS bigint[]), CAST($3 AS bigint[])) AS k (kind, id, subject)
		  ON c.record_kind = k.kind AND c.record_id = k.id AND (k.kind <> 'TAX_GRADE' OR c.subject_id = k.subject)
		ORDER BY c.id`, kinds, ids, subjects)
	return out, err
}

// CorrectionsOfObjections returns the corrections made under the given
// objections, in the order they were made.
func (db *DB) CorrectionsOfObjections(ctx context.Context, ids []int64) ([]credit.Correction, error) {
	var out []credit.Correction
	err := db.sel(ctx, &out, `SELECT c.id, c.objection_id, c.record_kind, c.record_id, c.subject_id, c.field, c.old_value,
			c.new_value, c.corrected_by, c.corrected_role, c.corrected_at
		FROM record_corrections c WHERE c.objection_id = ANY($1) ORDER BY c.id`, pq.Array(ids))
	return out, err
}
