package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Objections (credit/objection.go): the objection rows, their events, and
// the searches of the office and the departments. The record an objection
// contests is read and locked by LockRecord (rights_records.go).

const objectionColumns = `o.id, o.record_kind, o.record_id, o.subject_id, o.record_label, o.record_date,
	o.department_code, to_json(o.fields) AS fields, o.reason, to_json(o.evidence) AS evidence, o.status,
	o.filed_at, o.filed_on, o.filed_by, o.filed_role, o.filed_institution, o.accept_due, o.accepted_on,
	o.verify_due, o.verification_started_on, o.closed_on, o.refuse_reason, o.answer, o.decision_no, o.decided_by`

// InsertObjection stores a new FILED objection and returns it.
func (db *DB) InsertObjection(ctx context.Context, o credit.Objection) (credit.Objection, error) {
	var out credit.Objection
	err := db.get(ctx, &out, `WITH o AS (
			INSERT INTO objections (record_kind, record_id, subject_id, record_label, record_date, department_code,
				fields, reason, evidence, status, filed_at, filed_on, filed_by, filed_role, filed_institution, accept_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'FILED', $10, $11, $12, $13, $14, $15) RETURNING *)
		SELECT `+objectionColumns+` FROM o`,
		o.RecordKind, o.RecordID, o.SubjectID, o.RecordLabel, o.RecordDate, o.DepartmentCode,
		textArray(o.FieldList), o.Reason, textArray(o.EvidenceList), o.FiledAt, o.FiledOn, o.FiledBy, string(o.FiledRole),
		o.FiledInstitution, o.AcceptDueOn)
	return out, err
}

// OpenObjectionOf returns the open objection against the record, NOT_FOUND
// when there is none. For a TAX_GRADE the subject is part of the key.
func (db *DB) OpenObjectionOf(ctx context.Context, kind credit.RecordKind, id, subjectID int64) (credit.Objection, error) {
	var out credit.Objection
	err := db.get(ctx, &out, `SELECT `+objectionColumns+` FROM objections o
		WHERE o.record_kind = $1 AND o.record_id = $2 AND o.closed_on IS NULL
		  AND (o.record_kind <> 'TAX_GRADE' OR o.subject_id = $3)`, kind, id, subjectID)
	return out, err
}

// ObjectionForUpdate returns the objection with id, locked until the
// transaction ends; NOT_FOUND if there is none.
func (db *DB) ObjectionForUpdate(ctx context.Context, id int64) (credit.Objection, error) {
	var out credit.Objection
	err := db.get(ctx, &out, `SELECT `+objectionColumns+` FROM objections o WHERE o.id = $1 FOR UPDATE`, id)
	return out, err
}

// ObjectionChange is a transition: the new status and the columns it sets;
// nil keeps a column.
type ObjectionChange struct {
	Status                credit.ObjectionStatus
	AcceptedOn            *credit.Date
	VerifyDue             *credit.Date
	VerificationStartedOn *credit.Date
	ClosedOn              *credit.Date
	RefuseReason          *string
	Answer                *string
	DecisionNo            *string
	DecidedBy             *string
}

// ChangeObjection applies c to objection id and returns it; the caller has
// checked the transition.
func (db *DB) ChangeObjection(ctx context.Context, id int64, c ObjectionChange) (credit.Objection, error) {
	var out credit.Objection
	err := db.get(ctx, &out, `WITH o AS (
			UPDATE objections SET status = $2, accepted_on = COALESCE($3, accepted_on),
				verify_due = COALESCE($4, verify_due), verification_started_on = COALESCE($5, verification_started_on),
				closed_on = COALESCE($6, closed_on), refuse_reason = COALESCE($7, refuse_reason),
				answer = COALESCE($8, answer), decision_no = COALESCE($9, decision_no), decided_by = COALESCE($10, decided_by)
			WHERE id = $1 RETURNING *)
		SELECT `+objectionColumns+` FROM o`,
		id, c.Status, c.AcceptedOn, c.VerifyDue, c.VerificationStartedOn, c.ClosedOn, c.RefuseReason, c.Answer,
		c.DecisionNo, c.DecidedBy)
	return out, err
}

// AddObjectionEvent records one transition of an objection.
func (db *DB) AddObjectionEvent(ctx context.Context, ev credit.ObjectionEvent) error {
	_, err := db.exec(ctx, `INSERT INTO objection_events (objection_id, from_status, to_status, actor, role, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.ObjectionID, ev.FromStatus, ev.ToStatus, ev.Actor, ev.Role, ev.Note, ev.At)
	return err
}

// ObjectionEvents returns the transitions of the given objections, oldest
// first.
func (db *DB) ObjectionEvents(ctx context.Context, ids []int64) ([]credit.ObjectionEvent, error) {
	var out []credit.ObjectionEvent
	err := db.sel(ctx, &out, `SELECT id, objection_id, from_status, to_status, actor, role, note, at
		FROM objection_events WHERE objection_id = ANY($1) ORDER BY objection_id, id`, pq.Array(ids))
	return out, err
}

// RecordRefKey names a record for the batch loaders: its kind and id (for
// a tax grade, the year and the subject).
type RecordRefKey struct {
	Kind      credit.RecordKind
	ID        int64
	SubjectID int64
}

// ObjectionsOfRecords returns every objection against the given records,
// oldest first.
func (db *DB) ObjectionsOfRecords(ctx context.Context, keys []RecordRefKey) ([]credit.Objection, error) {
	kinds, ids, subjects := splitKeys(keys)
	var out []credit.Objection
	err := db.sel(ctx, &out, `SELECT `+objectionColumns+` FROM objections o
		JOIN unnest(CAST($1 AS record_kind[]), CAST($2 AS bigint[]), CAST($3 AS bigint[])) AS k (kind, id, subject)
		  ON o.record_kind = k.kind AND o.record_id = k.id AND (k.kind <> 'TAX_GRADE' OR o.subject_id = k.subject)
		ORDER BY o.id`, kinds, ids, subjects)
	return out, err
}

func splitKeys(keys []RecordRefKey) (kinds, ids, subjects any) {
	k, i, s := make([]string, len(keys)), make([]int64, len(keys)), make([]int64, len(keys))
	for n, key := range keys {
		k[n], i[n], s[n] = string(key.Kind), key.ID, key.SubjectID
	}
	return pq.Array(k), pq.Array(i), pq.Array(s)
}

// ObjectionQuery is a search of objections: the filter, the department
// the caller is limited to ("" for all), today (overdue) and the page.
type ObjectionQuery struct {
	Filter     credit.ObjectionFilter
	Department string
	Today      credit.Date
	AfterID    int64
	Limit      int
}

func objectionWhere(w *where, q ObjectionQuery) {
	f := q.Filter
	if q.Department != "" {
		w.add(`o.department_code = ?`, q.Department)
	}
	if f.Department != "" {
		w.add(`o.department_code = ?`, f.Department)
	}
	if f.Status != "" {
		w.add(`o.status = CAST(? AS objection_status)`, string(f.Status))
	}
	if f.RecordKind != "" {
		w.add(`o.record_kind = CAST(? AS record_kind)`, string(f.RecordKind))
	}
	if f.SubjectCode != "" {
		w.add(`o.subject_id = (SELECT id FROM subjects WHERE code = ?)`, f.SubjectCode)
	}
	if !f.FiledFrom.IsZero() {
		w.add(`o.filed_on >= ?`, f.FiledFrom)
	}
	if !f.FiledTo.IsZero() {
		w.add(`o.filed_on <= ?`, f.FiledTo)
	}
	if f.Open != nil {
		w.add(`(o.closed_on IS NULL) = ?`, *f.Open)
	}
	if f.Overdue != nil {
		w.add(`(`+objectionOverdue+`) = ?2`, q.Today, *f.Overdue)
	}
}

// objectionOverdue is the condition that objection o is open and past the
// deadline of its stage on day ?1.
const objectionOverdue = `o.closed_on IS NULL AND COALESCE(CASE WHEN o.status = 'FILED' THEN o.accept_due ELSE o.verify_due END
	< CAST(?1 AS date), false)`

// Objections returns a page of objections matching q, newest first, and
// how many match in all.
func (db *DB) Objections(ctx context.Context, q ObjectionQuery) ([]credit.Objection, int, error) {
	var w where
	objectionWhere(&w, q)
	if q.AfterID > 0 {
		w.add(`o.id < ?`, q.AfterID)
	}
	w.args = append(w.args, q.Limit)
	var out []credit.Objection
	if err := db.sel(ctx, &out, `SELECT `+objectionColumns+` FROM objections o WHERE `+w.sql()+`
		ORDER BY o.id DESC LIMIT $`+itoa(len(w.args)), w.args...); err != nil {
		return nil, 0, err
	}
	var c where
	q.AfterID = 0
	objectionWhere(&c, q)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM objections o WHERE `+c.sql(), c.args...)
	return out, n, err
}

// ObjectionsByIDs returns the objections with the given ids.
func (db *DB) ObjectionsByIDs(ctx context.Context, ids []int64) ([]credit.Objection, error) {
	var out []credit.Objection
	err := db.sel(ctx, &out, `SELECT `+objectionColumns+` FROM objections o WHERE o.id = ANY($1) ORDER BY o.id`, pq.Array(ids))
	return out, err
}
