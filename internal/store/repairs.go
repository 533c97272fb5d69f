package store

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Credit repair applications (credit/repair.go) and what a granted repair
// writes on the record.

const repairColumns = `r.id, r.record_kind, r.record_id, r.subject_id, r.record_label, r.record_date, r.department_code,
	r.severity, r.domain, r.first_allowed, r.rule_key, r.rule_basis, r.obligations_performed,
	to_json(r.obligation_evidence) AS obligation_evidence, r.commitment, r.statement, r.status, r.requested_at,
	r.requested_on, r.requested_by, r.requested_role, r.requested_institution, r.accept_due, r.accepted_on,
	r.decide_due, r.decided_on, r.decided_by, r.decision_no, r.refuse_reason`

// InsertRepair stores a new REQUESTED application and returns it.
// CONFLICT when the record has an open application already.
func (db *DB) InsertRepair(ctx context.Context, r credit.Repair) (credit.Repair, error) {
	var out credit.Repair
	err := db.get(ctx, &out, `WITH r AS (
			INSERT INTO repairs (record_kind, record_id, subject_id, record_label, record_date, department_code, severity,
				domain, first_allowed, rule_key, rule_basis, obligations_performed, obligation_evidence, commitment,
				statement, status, requested_at, requested_on, requested_by, requested_role, requested_institution, accept_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'REQUESTED', $16, $17, $18, $19, $20, $21)
			RETURNING *)
		SELECT `+repairColumns+` FROM r`,
		r.RecordKind, r.RecordID, r.SubjectID, r.RecordLabel, r.RecordDate, r.DepartmentCode, r.Severity, r.Domain,
		r.FirstAllowed, r.RuleKey, r.RuleBasis, r.ObligationsPerformed, textArray(r.EvidenceList), r.Commitment,
		r.Statement, r.RequestedAt, r.RequestedOn, r.RequestedBy, string(r.RequestedRole), r.RequestedInstitution, r.AcceptDueOn)
	if credit.CodeOf(err) == credit.Conflict {
		return out, credit.Errorf(credit.Conflict, "%s %d has a repair application under way already", r.RecordKind, r.RecordID)
	}
	return out, err
}

// RepairForUpdate returns the application with id, locked until the
// transaction ends; NOT_FOUND if there is none.
func (db *DB) RepairForUpdate(ctx context.Context, id int64) (credit.Repair, error) {
	var out credit.Repair
	err := db.get(ctx, &out, `SELECT `+repairColumns+` FROM repairs r WHERE r.id = $1 FOR UPDATE`, id)
	return out, err
}

// RepairChange is a transition of an application; nil keeps a column.
type RepairChange struct {
	Status       credit.RepairStatus
	AcceptedOn   *credit.Date
	DecideDue    *credit.Date
	DecidedOn    *credit.Date
	DecidedBy    *string
	DecisionNo   *string
	RefuseReason *string
}

// ChangeRepair applies c to application id and returns it; the caller has
// checked the transition.
func (db *DB) ChangeRepair(ctx context.Context, id int64, c RepairChange) (credit.Repair, error) {
	var out credit.Repair
	err := db.get(ctx, &out, `WITH r AS (
			UPDATE repairs SET status = $2, accepted_on = COALESCE($3, accepted_on), decide_due = COALESCE($4, decide_due),
				decided_on = COALESCE($5, decided_on), decided_by = COALESCE($6, decided_by),
				decision_no = COALESCE($7, decision_no), refuse_reason = COALESCE($8, refuse_reason)
			WHERE id = $1 RETURNING *)
		SELECT `+repairColumns+` FROM r`,
		id, c.Status, c.AcceptedOn, c.DecideDue, c.DecidedOn, c.DecidedBy, c.DecisionNo, c.RefuseReason)
	return out, err
}

// AddRepairEvent records one transition of an application.
func (db *DB) AddRepairEvent(ctx context.Context, ev credit.RepairEvent) error {
	_, err := db.exec(ctx, `INSERT INTO repair_events (repair_id, from_status, to_status, actor, role, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.RepairID, ev.FromStatus, ev.ToStatus, ev.Actor, ev.Role, ev.Note, ev.At)
	return err
}

// RepairPenalty marks a penalty REPAIRED on day on: no longer published,
// no longer counted by the checks from that day, kept as history. The
// export trigger enqueues it (its status is exported, CF_ZT 3).
func (db *DB) RepairPenalty(ctx context.Context, id int64, on credit.Date) error {
	_, err := db.exec(ctx, `UPDATE penalties SET status = 'REPAIRED', repaired_on = $2, updated_at = now() WHERE id = $1`, id, on)
	return err
}

// RepairQuery is a search of applications (see ObjectionQuery).
type RepairQuery struct {
	Filter     credit.RepairFilter
	Department string
	Today      credit.Date
	AfterID    int64
	Limit      int
}

func repairWhere(w *where, q RepairQuery) {
	f := q.Filter
	if q.Department != "" {
		w.add(`r.department_code = ?`, q.Department)
	}
	if f.Department != "" {
		w.add(`r.department_code = ?`, f.Department)
	}
	if f.Status != "" {
		w.add(`r.status = CAST(? AS repair_status)`, string(f.Status))
	}
	if f.RecordKind != "" {
		w.add(`r.record_kind = CAST(? AS record_kind)`, string(f.RecordKind))
	}
	if f.SubjectCode != "" {
		w.add(`r.subject_id = (SELECT id FROM subjects WHERE code = ?)`, f.SubjectCode)
	}
	if !f.From.IsZero() {
		w.add(`r.requested_on >= ?`, f.From)
	}
	if !f.To.IsZero() {
		w.add(`r.requested_on <= ?`, f.To)
	}
	if f.Open != nil {
		w.add(`(r.decided_on IS NULL) = ?`, *f.Open)
	}
	if f.Overdue != nil {
		w.add(`(`+repairOverdue+`) = ?2`, q.Today, *f.Overdue)
	}
}

// repairOverdue is the condition that application r is undecided and past
// the deadline of its stage on day ?1.
const repairOverdue = `r.decided_on IS NULL AND COALESCE(CASE WHEN r.status = 'REQUESTED' THEN r.accept_due ELSE r.decide_due END
	< CAST(?1 AS date), false)`

// Repairs returns a page of applications matching q, newest first, and how
// many match in all.
func (db *DB) Repairs(ctx context.Context, q RepairQuery) ([]credit.Repair, int, error) {
	var w where
	repairWhere(&w, q)
	if q.AfterID > 0 {
		w.add(`r.id < ?`, q.AfterID)
	}
	w.args = append(w.args, q.Limit)
	var out []credit.Repair
	if err := db.sel(ctx, &out, `SELECT `+repairColumns+` FROM repairs r WHERE `+w.sql()+`
		ORDER BY r.id DESC LIMIT $`+itoa(len(w.args)), w.args...); err != nil {
		return nil, 0, err
	}
	var c where
	q.AfterID = 0
	repairWhere(&c, q)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM repairs r WHERE `+c.sql(), c.args...)
	return out, n, err
}

// RepairsOfRecords returns every application about the given records,
// oldest first.
func (db *DB) RepairsOfRecords(ctx context.Context, keys []RecordRefKey) ([]credit.Repair, error) {
	kinds, ids, _ := splitKeys(keys)
	var out []credit.Repair
	err := db.sel(ctx, &out, `SELECT `+repairColumns+` FROM repairs r
		JOIN unnest(CAST($1 AS record_kind[]), CAST($2 AS bigint[])) AS k (kind, id)
		  ON r.record_kind = k.kind AND r.record_id = k.id
		ORDER BY r.id`, kinds, ids)
	return out, err
}
