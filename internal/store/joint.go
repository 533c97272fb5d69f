package store

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// The joint workflow: cases, the assignments pushed to implementing
// departments, their executions and feedback, and the push outbox.

// PushChannel is the PostgreSQL NOTIFY channel on which a committed push
// wakes the subscription hubs (internal/push); the payload is the
// assignment id.
const PushChannel = "credithub_push"

const caseColumns = `c.id, c.entry_id, c.initiating_department, c.opened_at, c.opened_by, c.closed_at, c.close_reason`

const assignmentColumns = `a.id, a.case_id, a.measure_id, a.department_code, a.status, a.pushed_at,
	a.responded_at, a.responded_by, a.reject_reason, a.closed_at`

const measureColumns = `m.id, m.code, m.version, m.kind, m.name, m.detail, m.legal_basis,
	COALESCE(m.implementing_department, '') AS implementing_department, m.implementing_authority,
	to_json(m.applies_to) AS applies_to, to_json(m.contexts) AS contexts, m.list_kind, COALESCE(m.domain, '') AS domain,
	m.effective_from, m.effective_until`

// TriggeredMeasures returns the catalogue measures an entry of kind and
// domain decided on day on triggers: for each measure code, the latest
// version in force on that day.
func (db *DB) TriggeredMeasures(ctx context.Context, kind credit.ListKind, domain string, on credit.Date) ([]credit.Measure, error) {
	var out []credit.Measure
	err := db.sel(ctx, &out, `SELECT DISTINCT ON (m.code) `+measureColumns+` FROM measures m
		WHERE m.list_kind = $1 AND m.domain = $2 AND m.effective_from <= $3
		  AND (m.effective_until IS NULL OR m.effective_until >= $3)
		ORDER BY m.code, m.version DESC`, kind, domain, on)
	return out, err
}

// OpenJointCase opens the case of entry, records the measures it applies
// (list_entry_measures, which the checks read) and pushes one assignment
// per measure that has an implementing department to that department:
// each goes to push_outbox and is announced on PushChannel. A measure
// without a department in the city is recorded, not pushed. NOTIFY is
// transactional: the hubs hear of the pushes when the transaction commits
// and never when it rolls back. CONFLICT when the entry has a case already.
func (db *DB) OpenJointCase(ctx context.Context, entry credit.ListEntry, measures []credit.CaseMeasure,
	at time.Time, by string) (credit.JointCase, []credit.Assignment, error) {
	var c credit.JointCase
	err := db.get(ctx, &c, `INSERT INTO joint_cases AS c (entry_id, initiating_department, opened_at, opened_by)
		VALUES ($1, $2, $3, $4) RETURNING `+caseColumns, entry.ID, entry.DepartmentCode, at, by)
	if credit.CodeOf(err) == credit.Conflict {
		return c, nil, credit.Errorf(credit.Conflict, "list entry %d has a joint case already", entry.ID)
	} else if err != nil {
		return c, nil, err
	}
	ids := make([]int64, len(measures))
	var pushIDs []int64
	var pushDepts []string
	for i, m := range measures {
		ids[i] = m.Measure.ID
		if m.Department != "" {
			pushIDs, pushDepts = append(pushIDs, m.Measure.ID), append(pushDepts, m.Department)
		}
	}
	if _, err := db.exec(ctx, `INSERT INTO list_entry_measures (entry_id, measure_id)
		SELECT $1, unnest(CAST($2 AS bigint[])) ON CONFLICT DO NOTHING`, entry.ID, pq.Array(ids)); err != nil {
		return c, nil, err
	}
	var as []credit.Assignment
	err = db.sel(ctx, &as, `WITH a AS (
			INSERT INTO assignments (case_id, measure_id, department_code, pushed_at)
			SELECT $1, p.measure_id, p.department_code, $2
			FROM unnest(CAST($3 AS bigint[]), CAST($4 AS text[])) AS p (measure_id, department_code)
			JOIN measures m ON m.id = p.measure_id
			ORDER BY p.department_code, m.code
			RETURNING *),
		o AS (
			INSERT INTO push_outbox (assignment_id, department_code, created_at)
			SELECT id, department_code, $2 FROM a)
		SELECT `+assignmentColumns+` FROM a ORDER BY a.id`, c.ID, at, pq.Array(pushIDs), pq.Array(pushDepts))
	if err != nil {
		return c, nil, err
	}
	pushed := make([]int64, len(as))
	for i, a := range as {
		pushed[i] = a.ID
	}
	_, err = db.exec(ctx, `SELECT pg_notify($1, CAST(id AS text)) FROM unnest(CAST($2 AS bigint[])) AS id`,
		PushChannel, pq.Array(pushed))
	return c, as, err
}

// CloseJointCases closes the cases of the given entries for reason, and
// their open assignments (credit.AssignmentStatus.Open), at the given
// time. It returns how many assignments it closed. Cases closed already
// are left as they are.
func (db *DB) CloseJointCases(ctx context.Context, entryIDs []int64, at time.Time, reason string) (int, error) {
	var n int
	err := db.get(ctx, &n, `WITH c AS (
			UPDATE joint_cases SET closed_at = $2, close_reason = $3
			WHERE entry_id = ANY($1) AND closed_at IS NULL RETURNING id),
		a AS (
			UPDATE assignments a SET status = 'CLOSED', closed_at = $2
			FROM c WHERE a.case_id = c.id AND a.status = ANY(CAST($4 AS assignment_status[])) RETURNING a.id)
		SELECT count(*) FROM a`, pq.Array(entryIDs), at, reason, pq.Array(credit.OpenAssignmentStatuses))
	return n, err
}

// AssignmentForUpdate returns the assignment with id, locked until the
// transaction ends, with the entry its case rests on; NOT_FOUND if there is
// none.
func (db *DB) AssignmentForUpdate(ctx context.Context, id int64) (credit.Assignment, credit.ListEntry, error) {
	var a credit.Assignment
	if err := db.get(ctx, &a, `SELECT `+assignmentColumns+` FROM assignments a WHERE a.id = $1 FOR UPDATE`, id); err != nil {
		return a, credit.ListEntry{}, err
	}
	var e credit.ListEntry
	err := db.get(ctx, &e, `SELECT `+listEntryColumns+` FROM joint_cases c
		JOIN list_entries e ON e.id = c.entry_id JOIN list_domains d ON d.code = e.domain
		WHERE c.id = $1`, a.CaseID)
	return a, e, err
}

// RespondAssignment records a department's answer to a pushed assignment:
// ACCEPTED, or REJECTED with reason.
func (db *DB) RespondAssignment(ctx context.Context, id int64, status credit.AssignmentStatus, at time.Time,
	by string, reason *string) (credit.Assignment, error) {
	var out credit.Assignment
	err := db.get(ctx, &out, `UPDATE assignments a SET status = $2, response = $6, responded_at = $3,
			responded_by = $4, reject_reason = $5
		WHERE a.id = $1 RETURNING `+assignmentColumns, id, status, at, by, reason, string(status))
	return out, err
}

// AddExecution records an execution of an assignment and marks the
// assignment EXECUTED. CONFLICT when the assignment has an execution with
// the same document number.
func (db *DB) AddExecution(ctx context.Context, x credit.Execution) (credit.Execution, error) {
	var out credit.Execution
	err := db.get(ctx, &out, `INSERT INTO executions (assignment_id, document_no, executed_on, note, recorded_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, assignment_id, document_no, executed_on, note, recorded_at, recorded_by`,
		x.AssignmentID, x.DocumentNo, x.ExecutedOn, x.Note, x.RecordedAt, x.RecordedBy)
	if credit.CodeOf(err) == credit.Conflict {
		return out, credit.Errorf(credit.Conflict, "the assignment has an execution with the document number %s already", x.DocumentNo)
	} else if err != nil {
		return out, err
	}
	_, err = db.exec(ctx, `UPDATE assignments SET status = 'EXECUTED' WHERE id = $1`, x.AssignmentID)
	return out, err
}

// AddFeedback records a department's feedback on a case for a period.
// CONFLICT when the department has fed back for that period already.
func (db *DB) AddFeedback(ctx context.Context, f credit.Feedback) (credit.Feedback, error) {
	var out credit.Feedback
	err := db.get(ctx, &out, `INSERT INTO feedback (case_id, department_code, period, text, submitted_at, submitted_by)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, case_id, department_code, period, text, submitted_at, submitted_by`,
		f.CaseID, f.DepartmentCode, f.Period, f.Text, f.SubmittedAt, f.SubmittedBy)
	if credit.CodeOf(err) == credit.Conflict {
		return out, credit.Errorf(credit.Conflict, "%s has fed back on case %d for %s already", f.DepartmentCode, f.CaseID, f.Period)
	}
	return out, err
}

// JointCaseByID returns the case with id; NOT_FOUND if there is none.
func (db *DB) JointCaseByID(ctx context.Context, id int64) (credit.JointCase, error) {
	var c credit.JointCase
	err := db.get(ctx, &c, `SELECT `+caseColumns+` FROM joint_cases c WHERE c.id = $1`, id)
	return c, err
}

// HoldsAssignment reports whether dept holds an assignment in case caseID.
func (db *DB) HoldsAssignment(ctx context.Context, caseID int64, dept string) (bool, error) {
	var ok bool
	err := db.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM assignments WHERE case_id = $1 AND department_code = $2)`, caseID, dept)
	return ok, err
}

// AssignmentsOfDepartment returns dept's assignments in status (all when
// empty), newest push first.
func (db *DB) AssignmentsOfDepartment(ctx context.Context, dept string, status credit.AssignmentStatus) ([]credit.Assignment, error) {
	var out []credit.Assignment
	err := db.sel(ctx, &out, `SELECT `+assignmentColumns+` FROM assignments a
		WHERE a.department_code = $1 AND ($2 = '' OR a.status = CAST(NULLIF($2, '') AS assignment_status))
		ORDER BY a.pushed_at DESC, a.id DESC`, dept, string(status))
	return out, err
}

// AssignmentsByIDs returns the assignments with the given ids.
func (db *DB) AssignmentsByIDs(ctx context.Context, ids []int64) ([]credit.Assignment, error) {
	var out []credit.Assignment
	err := db.sel(ctx, &out, `SELECT `+assignmentColumns+` FROM assignments a WHERE a.id = ANY($1) ORDER BY a.id`, pq.Array(ids))
	return out, err
}

// MarkDelivered records that the pushes of the given assignments reached a
// subscriber; a push delivered before keeps its first delivery time.
func (db *DB) MarkDelivered(ctx context.Context, assignmentIDs []int64, at time.Time) error {
	_, err := db.exec(ctx, `UPDATE push_outbox SET delivered_at = $2
		WHERE assignment_id = ANY($1) AND delivered_at IS NULL`, pq.Array(assignmentIDs), at)
	return err
}

// SuspendAssignments suspends the open assignments of the case of entry
// while a record it rests on is under objection, remembering each one's
// status; ResumeAssignments restores them. Both return how many changed.
func (db *DB) SuspendAssignments(ctx context.Context, entryID int64) (int, error) {
	res, err := db.exec(ctx, `UPDATE assignments a SET suspended_from = a.status, status = 'SUSPENDED'
		FROM joint_cases c WHERE c.entry_id = $1 AND a.case_id = c.id
		  AND a.status IN ('PUSHED', 'ACCEPTED', 'EXECUTED')`, entryID)
	return affected(res, err)
}

// ResumeAssignments ends the suspension of the assignments of the case of
// entry (see SuspendAssignments).
func (db *DB) ResumeAssignments(ctx context.Context, entryID int64) (int, error) {
	res, err := db.exec(ctx, `UPDATE assignments a SET status = a.suspended_from, suspended_from = NULL
		FROM joint_cases c WHERE c.entry_id = $1 AND a.case_id = c.id AND a.status = 'SUSPENDED'`, entryID)
	return affected(res, err)
}

func affected(res interface{ RowsAffected() (int64, error) }, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
