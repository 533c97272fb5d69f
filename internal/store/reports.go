package store

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seal"
)

// Reports (credit/report.go). The reporter is stored sealed
// (internal/seal): the store moves ciphertext and never sees a key.

const reportColumns = `r.id, r.reference, r.subject_code, r.subject_id, r.subject_name, r.facts,
	to_json(r.evidence) AS evidence, (r.contact_sealed IS NOT NULL) AS has_reporter, r.status, r.received_at,
	r.received_on, r.received_role, r.assign_due, r.department_code, r.assigned_on, r.verify_due, r.verified_on,
	r.outcome, r.findings, r.answer_due, r.answered_on, r.answer`

// NextReportID reserves the id of a new report, so that its reporter can
// be sealed bound to it before the row is written.
func (db *DB) NextReportID(ctx context.Context) (int64, error) {
	var id int64
	err := db.get(ctx, &id, `SELECT nextval('reports_id_seq')`)
	return id, err
}

// InsertReport stores a RECEIVED report with id (NextReportID) and its
// sealed reporter (nil: anonymous).
func (db *DB) InsertReport(ctx context.Context, r credit.Report, evidence []string, reporter *seal.Sealed) (credit.Report, error) {
	var keyID *string
	var nonce, sealed []byte
	if reporter != nil {
		keyID, nonce, sealed = &reporter.KeyID, reporter.Nonce, reporter.Ciphertext
	}
	var out credit.Report
	err := db.get(ctx, &out, `WITH r AS (
			INSERT INTO reports (id, reference, subject_code, subject_id, subject_name, facts, evidence, contact_key_id,
				contact_nonce, contact_sealed, status, received_at, received_on, received_role, assign_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'RECEIVED', $11, $12, $13, $14) RETURNING *)
		SELECT `+reportColumns+` FROM r`,
		r.ID, r.Reference, r.SubjectCode, r.SubjectID, r.SubjectName, r.Facts, textArray(evidence), keyID, nonce, sealed,
		r.ReceivedAt, r.ReceivedOn, string(r.ReceivedRole), r.AssignDueOn)
	return out, err
}

// ReportForUpdate returns the report with id, locked until the transaction
// ends; NOT_FOUND if there is none.
func (db *DB) ReportForUpdate(ctx context.Context, id int64) (credit.Report, error) {
	var out credit.Report
	err := db.get(ctx, &out, `SELECT `+reportColumns+` FROM reports r WHERE r.id = $1 FOR UPDATE`, id)
	return out, err
}

// ReportChange is a transition of a report; nil keeps a column.
type ReportChange struct {
	Status     credit.ReportStatus
	Department *string
	AssignedOn *credit.Date
	VerifyDue  *credit.Date
	VerifiedOn *credit.Date
	Outcome    *credit.ReportStatus
	Findings   *string
	AnswerDue  *credit.Date
	AnsweredOn *credit.Date
	Answer     *string
}

// ChangeReport applies c to report id and returns it.
func (db *DB) ChangeReport(ctx context.Context, id int64, c ReportChange) (credit.Report, error) {
	var out credit.Report
	err := db.get(ctx, &out, `WITH r AS (
			UPDATE reports SET status = $2, department_code = COALESCE($3, department_code),
				assigned_on = COALESCE($4, assigned_on), verify_due = COALESCE($5, verify_due),
				verified_on = COALESCE($6, verified_on), outcome = COALESCE($7, outcome), findings = COALESCE($8, findings),
				answer_due = COALESCE($9, answer_due), answered_on = COALESCE($10, answered_on), answer = COALESCE($11, answer)
			WHERE id = $1 RETURNING *)
		SELECT `+reportColumns+` FROM r`,
		id, c.Status, c.Department, c.AssignedOn, c.VerifyDue, c.VerifiedOn, c.Outcome, c.Findings, c.AnswerDue,
		c.AnsweredOn, c.Answer)
	return out, err
}

// AddReportEvent records one transition of a report.
func (db *DB) AddReportEvent(ctx context.Context, reportID int64, from *credit.ReportStatus, to credit.ReportStatus,
	actor credit.Caller, note string, at any) error {
	_, err := db.exec(ctx, `INSERT INTO report_events (report_id, from_status, to_status, actor, role, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, reportID, from, to, actor.ID, string(actor.Role), note, at)
	return err
}

// SealedReporter returns the sealed reporter of report id (false for an
// anonymous report); NOT_FOUND if there is no such report.
func (db *DB) SealedReporter(ctx context.Context, id int64) (seal.Sealed, bool, error) {
	var row struct {
		KeyID  *string `db:"contact_key_id"`
		Nonce  []byte  `db:"contact_nonce"`
		Sealed []byte  `db:"contact_sealed"`
	}
	if err := db.get(ctx, &row, `SELECT contact_key_id, contact_nonce, contact_sealed FROM reports WHERE id = $1`, id); err != nil {
		return seal.Sealed{}, false, err
	}
	if row.KeyID == nil {
		return seal.Sealed{}, false, nil
	}
	return seal.Sealed{KeyID: *row.KeyID, Nonce: row.Nonce, Ciphertext: row.Sealed}, true, nil
}

// SealedRow is a report's sealed reporter with the report's id, for
// re-encryption.
type SealedRow struct {
	ID     int64  `db:"id"`
	KeyID  string `db:"contact_key_id"`
	Nonce  []byte `db:"contact_nonce"`
	Sealed []byte `db:"contact_sealed"`
}

// ReportersSealedWithout locks and returns at most limit reports whose
// reporter is sealed with a key other than current, lowest id first,
// skipping rows another transaction holds.
func (db *DB) ReportersSealedWithout(ctx context.Context, current string, limit int) ([]SealedRow, error) {
	var out []SealedRow
	err := db.sel(ctx, &out, `SELECT id, contact_key_id, contact_nonce, contact_sealed FROM reports
		WHERE contact_key_id IS NOT NULL AND contact_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, current, limit)
	return out, err
}

// ResealReporter stores a report's reporter sealed anew.
func (db *DB) ResealReporter(ctx context.Context, id int64, s seal.Sealed) error {
	_, err := db.exec(ctx, `UPDATE reports SET contact_key_id = $2, contact_nonce = $3, contact_sealed = $4 WHERE id = $1`,
		id, s.KeyID, s.Nonce, s.Ciphertext)
	return err
}

// ReporterKeyCount is how many reports' reporters one key sealed.
type ReporterKeyCount struct {
	KeyID   string `db:"contact_key_id"`
	Reports int    `db:"reports"`
}

// ReporterKeys counts the sealed reporters per key id.
func (db *DB) ReporterKeys(ctx context.Context) ([]ReporterKeyCount, error) {
	var out []ReporterKeyCount
	err := db.sel(ctx, &out, `SELECT contact_key_id, count(*) AS reports FROM reports
		WHERE contact_key_id IS NOT NULL GROUP BY contact_key_id ORDER BY contact_key_id`)
	return out, err
}

// ReportQuery is a search of reports (see ObjectionQuery).
type ReportQuery struct {
	Filter     credit.ReportFilter
	Department string
	Today      credit.Date
	AfterID    int64
	Limit      int
}

func reportWhere(w *where, q ReportQuery) {
	f := q.Filter
	if q.Department != "" {
		w.add(`r.department_code = ?`, q.Department)
	}
	if f.Department != "" {
		w.add(`r.department_code = ?`, f.Department)
	}
	if f.Status != "" {
		w.add(`r.status = CAST(? AS report_status)`, string(f.Status))
	}
	if !f.From.IsZero() {
		w.add(`r.received_on >= ?`, f.From)
	}
	if !f.To.IsZero() {
		w.add(`r.received_on <= ?`, f.To)
	}
	if f.Overdue != nil {
		w.add(`(r.status <> 'ANSWERED' AND COALESCE(CASE r.status WHEN 'RECEIVED' THEN r.assign_due
			WHEN 'ASSIGNED' THEN r.verify_due ELSE r.answer_due END < CAST(?1 AS date), false)) = ?2`, q.Today, *f.Overdue)
	}
}

// Reports returns a page of reports matching q, newest first, and how many
// match in all.
func (db *DB) Reports(ctx context.Context, q ReportQuery) ([]credit.Report, int, error) {
	var w where
	reportWhere(&w, q)
	if q.AfterID > 0 {
		w.add(`r.id < ?`, q.AfterID)
	}
	w.args = append(w.args, q.Limit)
	var out []credit.Report
	if err := db.sel(ctx, &out, `SELECT `+reportColumns+` FROM reports r WHERE `+w.sql()+`
		ORDER BY r.id DESC LIMIT $`+itoa(len(w.args)), w.args...); err != nil {
		return nil, 0, err
	}
	var c where
	q.AfterID = 0
	reportWhere(&c, q)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM reports r WHERE `+c.sql(), c.args...)
	return out, n, err
}

// SubjectIDByCode returns the id of the subject with code, or nil.
func (db *DB) SubjectIDByCode(ctx context.Context, code string) (*int64, error) {
	var ids []int64
	if err := db.sel(ctx, &ids, `SELECT id FROM subjects WHERE code = $1`, code); err != nil || len(ids) == 0 {
		return nil, err
	}
	return &ids[0], nil
}
