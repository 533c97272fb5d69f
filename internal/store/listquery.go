package store

import (
	"context"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Reads of list entries and joint cases for the office, dashboards and the
// request-scoped loaders: pages, counts, batches and statistics.

// where collects the conditions of a query and numbers their arguments.
type where struct {
	conds []string
	args  []any
}

// add appends cond with its arguments: with one, each ? stands for it;
// with more, ?1, ?2, … stand for them in order.
func (w *where) add(cond string, args ...any) {
	if len(args) == 1 {
		cond = strings.ReplaceAll(cond, "?", "$"+itoa(len(w.args)+1))
	}
	for i := len(args); i >= 1 && len(args) > 1; i-- {
		cond = strings.ReplaceAll(cond, "?"+itoa(i), "$"+itoa(len(w.args)+i))
	}
	w.args = append(w.args, args...)
	w.conds = append(w.conds, cond)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// entryWhere builds the conditions of a list entry query for filter f as
// view v sees it. The status is judged on f.Today as ListEntry.StatusOn
// judges it: an ACTIVE entry past its end is EXPIRED.
func entryWhere(w *where, f credit.ListEntryFilter, v credit.RecordView) {
	if f.Kind != "" {
		w.add(`e.kind = ?`, string(f.Kind))
	}
	if f.Domain != "" {
		w.add(`e.domain = ?`, f.Domain)
	}
	if f.Department != "" {
		w.add(`e.department_code = ?`, f.Department)
	}
	if !f.DecidedFrom.IsZero() {
		w.add(`e.decided_on >= ?`, f.DecidedFrom)
	}
	if !f.DecidedTo.IsZero() {
		w.add(`e.decided_on <= ?`, f.DecidedTo)
	}
	switch f.Status {
	case "":
	case credit.EntryActive:
		w.add(`e.status = 'ACTIVE' AND (e.ends_on IS NULL OR e.ends_on >= CAST(? AS date))`, f.Today)
	case credit.EntryExpired:
		w.add(`(e.status = 'EXPIRED' OR (e.status = 'ACTIVE' AND e.ends_on < CAST(? AS date)))`, f.Today)
	default:
		w.add(`e.status = CAST(? AS list_entry_status)`, string(f.Status))
	}
	w.add(`(e.use_scope = ANY(CAST(?1 AS use_scope[])) OR e.department_code = ?2)`, pq.Array(v.Scopes), v.Department)
	if !v.AllEntryStates { // as credit.Access.SeesEntry
		w.add(`(e.status NOT IN ('PROPOSED', 'REJECTED', 'REVOKED') OR e.department_code = ?)`, v.Department)
	}
	if !v.PublishedOn.IsZero() {
		w.add(inForce(`CAST(? AS date)`), v.PublishedOn)
	}
}

// ListEntries returns up to limit entries matching f that v sees, newest
// (highest id) first, with ids below afterID when it is set.
func (db *DB) ListEntries(ctx context.Context, f credit.ListEntryFilter, v credit.RecordView, afterID int64, limit int) ([]credit.ListEntry, error) {
	var w where
	entryWhere(&w, f, v)
	if afterID > 0 {
		w.add(`e.id < ?`, afterID)
	}
	w.args = append(w.args, limit)
	var out []credit.ListEntry
	err := db.sel(ctx, &out, `SELECT `+listEntryColumns+` FROM list_entries e JOIN list_domains d ON d.code = e.domain
		WHERE `+w.sql()+` ORDER BY e.id DESC LIMIT $`+itoa(len(w.args)), w.args...)
	return out, err
}

// CountListEntries counts the entries matching f that v sees.
func (db *DB) CountListEntries(ctx context.Context, f credit.ListEntryFilter, v credit.RecordView) (int, error) {
	var w where
	entryWhere(&w, f, v)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM list_entries e WHERE `+w.sql(), w.args...)
	return n, err
}

// involved is the condition that department $n (empty for everyone) initiated
// the case aliased c or holds an assignment in it.
func involved(n string) string {
	return `(` + n + ` = '' OR c.initiating_department = ` + n + ` OR EXISTS (
		SELECT 1 FROM assignments x WHERE x.case_id = c.id AND x.department_code = ` + n + `))`
}

// EntriesByIDs returns the entries with the given ids that v sees or, for
// v.Department, that rest under a case the department is involved in: a
// department implementing a measure must see the entry behind it.
func (db *DB) EntriesByIDs(ctx context.Context, ids []int64, v credit.RecordView) ([]credit.ListEntry, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	w := where{args: []any{pq.Array(ids)}}
	entryWhere(&w, credit.ListEntryFilter{}, v)
	w.args = append(w.args, v.Department)
	n := "$" + itoa(len(w.args))
	var out []credit.ListEntry
	err := db.sel(ctx, &out, `SELECT `+listEntryColumns+` FROM list_entries e JOIN list_domains d ON d.code = e.domain
		WHERE e.id = ANY($1) AND (`+w.sql()+` OR (`+n+` <> '' AND EXISTS (
			SELECT 1 FROM joint_cases c WHERE c.entry_id = e.id AND `+involved(n)+`)))`, w.args...)
	return out, err
}

// caseWhere builds the conditions of a joint case query. Days are the
// city's: opened [from, to] is opened_at in [from 00:00, to+1 00:00) in
// Asia/Shanghai.
func caseWhere(w *where, f credit.JointCaseFilter) {
	if f.Open != nil {
		if *f.Open {
			w.conds = append(w.conds, `c.closed_at IS NULL`)
		} else {
			w.conds = append(w.conds, `c.closed_at IS NOT NULL`)
		}
	}
	if f.Department != "" {
		w.add(`EXISTS (SELECT 1 FROM assignments x WHERE x.case_id = c.id AND x.department_code = ?)`, f.Department)
	}
	if f.Domain != "" {
		w.add(`EXISTS (SELECT 1 FROM list_entries e WHERE e.id = c.entry_id AND e.domain = ?)`, f.Domain)
	}
	if !f.OpenedFrom.IsZero() {
		w.add(`c.opened_at >= ?`, DayStart(f.OpenedFrom))
	}
	if !f.OpenedTo.IsZero() {
		w.add(`c.opened_at < ?`, DayStart(f.OpenedTo.AddDays(1)))
	}
}

// DayStart is the first instant of day d in the city.
func DayStart(d credit.Date) time.Time {
	return time.Date(d.Year(), d.Time().Month(), d.Time().Day(), 0, 0, 0, 0, credit.Shanghai)
}

// JointCases returns up to limit cases matching f, newest first, with ids
// below afterID when it is set.
func (db *DB) JointCases(ctx context.Context, f credit.JointCaseFilter, afterID int64, limit int) ([]credit.JointCase, error) {
	var w where
	caseWhere(&w, f)
	if afterID > 0 {
		w.add(`c.id < ?`, afterID)
	}
	w.args = append(w.args, limit)
	var out []credit.JointCase
	err := db.sel(ctx, &out, `SELECT `+caseColumns+` FROM joint_cases c WHERE `+w.sql()+
		` ORDER BY c.id DESC LIMIT $`+itoa(len(w.args)), w.args...)
	return out, err
}

// CountJointCases counts the cases matching f.
func (db *DB) CountJointCases(ctx context.Context, f credit.JointCaseFilter) (int, error) {
	var w where
	caseWhere(&w, f)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM joint_cases c WHERE `+w.sql(), w.args...)
	return n, err
}

// CasesByEntries returns the cases of the given entries that department
// dept (empty for everyone) is involved in.
func (db *DB) CasesByEntries(ctx context.Context, entryIDs []int64, dept string) ([]credit.JointCase, error) {
	var out []credit.JointCase
	err := db.sel(ctx, &out, `SELECT `+caseColumns+` FROM joint_cases c
		WHERE c.entry_id = ANY($1) AND `+involved("$2"), pq.Array(entryIDs), dept)
	return out, err
}

// AssignmentsByCases returns the assignments of the given cases that dept
// (empty for everyone) is involved in, by case and department.
func (db *DB) AssignmentsByCases(ctx context.Context, caseIDs []int64, dept string) ([]credit.Assignment, error) {
	var out []credit.Assignment
	err := db.sel(ctx, &out, `SELECT `+assignmentColumns+` FROM assignments a JOIN joint_cases c ON c.id = a.case_id
		WHERE a.case_id = ANY($1) AND `+involved("$2")+` ORDER BY a.case_id, a.department_code, a.id`,
		pq.Array(caseIDs), dept)
	return out, err
}

// ExecutionsByAssignments returns the executions of the given assignments
// in cases dept (empty for everyone) is involved in, in order of execution.
func (db *DB) ExecutionsByAssignments(ctx context.Context, assignmentIDs []int64, dept string) ([]credit.Execution, error) {
	var out []credit.Execution
	err := db.sel(ctx, &out, `SELECT x.id, x.assignment_id, x.document_no, x.executed_on, x.note, x.recorded_at, x.recorded_by
		FROM executions x JOIN assignments a ON a.id = x.assignment_id JOIN joint_cases c ON c.id = a.case_id
		WHERE x.assignment_id = ANY($1) AND `+involved("$2")+` ORDER BY x.assignment_id, x.executed_on, x.id`,
		pq.Array(assignmentIDs), dept)
	return out, err
}

// FeedbackByCases returns the feedback on the given cases that dept (empty for
// everyone) is involved in, by period.
func (db *DB) FeedbackByCases(ctx context.Context, caseIDs []int64, dept string) ([]credit.Feedback, error) {
	var out []credit.Feedback
	err := db.sel(ctx, &out, `SELECT f.id, f.case_id, f.department_code, f.period, f.text, f.submitted_at, f.submitted_by
		FROM feedback f JOIN joint_cases c ON c.id = f.case_id
		WHERE f.case_id = ANY($1) AND `+involved("$2")+` ORDER BY f.case_id, f.period, f.department_code`,
		pq.Array(caseIDs), dept)
	return out, err
}

// MeasuresByIDs returns the catalogue measures with the given ids.
func (db *DB) MeasuresByIDs(ctx context.Context, ids []int64) ([]credit.Measure, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.Measure
	err := db.sel(ctx, &out, `SELECT `+measureColumns+` FROM measures m WHERE m.id = ANY($1)`, pq.Array(ids))
	return out, err
}

// OverdueCutoffs turn the working-day deadlines into bounds SQL can use
// (the service computes them on the official calendar): a response is late
// when its push is before PushedBefore; feedback is late for every quarter
// from the push's up to the one starting on LastQuarter.
type OverdueCutoffs struct {
	PushedBefore time.Time
	LastQuarter  credit.Date
}

// OverdueRow is a late response or feedback as SQL finds it; Since is the
// push day of a RESPONSE and the first day of the quarter of a FEEDBACK.
type OverdueRow struct {
	CaseID       int64              `db:"case_id"`
	AssignmentID int64              `db:"assignment_id"`
	Department   string             `db:"department_code"`
	Kind         credit.OverdueKind `db:"kind"`
	Period       string             `db:"period"`
	Since        credit.Date        `db:"since"`
}

// overdueSQL finds the late responses and feedback in the cases of the CTE
// cs, with the cutoffs as $1 and $2 (see credit.Overdue for the rules).
var overdueSQL = overdueOver(`assignments a WHERE a.case_id IN (SELECT id FROM cs)`)

// overdueOver is overdueSQL over the assignments that from (aliased a,
// with a WHERE clause) names.
func overdueOver(from string) string {
	return `od AS (
	SELECT a.case_id, a.id AS assignment_id, a.department_code, 'RESPONSE' AS kind, '' AS period,
		CAST(a.pushed_at AT TIME ZONE 'Asia/Shanghai' AS date) AS since
	FROM ` + from + ` AND a.status = 'PUSHED' AND a.pushed_at < $1
	UNION ALL
	SELECT o.case_id, o.assignment_id, o.department_code, 'FEEDBACK', to_char(q, 'YYYY"Q"Q'), CAST(q AS date)
	FROM (SELECT a.case_id, a.department_code, min(a.id) AS assignment_id, min(a.pushed_at) AS pushed_at
		FROM ` + from + ` AND a.status IN ('ACCEPTED', 'EXECUTED')
		GROUP BY a.case_id, a.department_code) o
	CROSS JOIN LATERAL generate_series(date_trunc('quarter', o.pushed_at AT TIME ZONE 'Asia/Shanghai'),
		CAST($2 AS timestamp), interval '3 months') q
	WHERE NOT EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = o.case_id
		AND f.department_code = o.department_code AND f.period = to_char(q, 'YYYY"Q"Q')))`
}

// OverdueByCases returns the late responses and feedback of the given
// cases that dept (empty for everyone) is involved in, by case and department.
func (db *DB) OverdueByCases(ctx context.Context, caseIDs []int64, dept string, c OverdueCutoffs) ([]OverdueRow, error) {
	var out []OverdueRow
	err := db.sel(ctx, &out, `WITH cs AS (SELECT c.id FROM joint_cases c WHERE c.id = ANY($3) AND `+involved("$4")+`),
		`+overdueSQL+`
		SELECT case_id, assignment_id, department_code, kind, period, since FROM od
		ORDER BY case_id, department_code, kind, period, assignment_id`, c.PushedBefore, c.LastQuarter, pq.Array(caseIDs), dept)
	return out, err
}

// JointStats counts the assignments of the cases opened in [from, to] (the
// city's days) per implementing department, with the total as the last
// row, made by ROLLUP from the same per-department counts so that it is
// their sum by construction; cases opened is the number of cases, each
// counted once. dept, when not empty, keeps that implementing department's
// assignments and the cases it holds one in; domain the cases of entries
// of that list domain.
func (db *DB) JointStats(ctx context.Context, from, to credit.Date, c OverdueCutoffs, dept, domain string) (rows []credit.JointStatsRow, opened int, err error) {
	var out []struct {
		credit.JointStatsRow
		Total  bool `db:"total"`
		Opened int  `db:"cases_opened"`
	}
	// One pass over the cases' assignments, counted per case and
	// department (cd), then per department. Late feedback is counted by
	// arithmetic instead of listing the quarters (overdueSQL lists them for
	// jointCase.overdue): the quarters from the first accepted push's to
	// the last one due, less the feedback rows for them (one per period, a
	// unique key). Sets of rows joined per assignment took 0.36 s on the
	// benchmark data (24,000 assignments a year).
	err = db.selStats(ctx, &out, `WITH cs AS (
			SELECT c.id FROM joint_cases c
			WHERE c.opened_at >= $3 AND c.opened_at < $4
				AND ($6 = '' OR EXISTS (SELECT 1 FROM list_entries e WHERE e.id = c.entry_id AND e.domain = $6))
				AND ($5 = '' OR EXISTS (SELECT 1 FROM assignments x WHERE x.case_id = c.id AND x.department_code = $5))),
		cd AS (
			SELECT a.case_id, a.department_code, count(*) AS pushed,
				count(*) FILTER (WHERE a.response = 'ACCEPTED') AS accepted,
				count(*) FILTER (WHERE a.response = 'REJECTED') AS rejected,
				count(*) FILTER (WHERE EXISTS (SELECT 1 FROM executions x WHERE x.assignment_id = a.id)) AS executed,
				count(*) FILTER (WHERE a.status = 'PUSHED' AND a.pushed_at < $1) AS late_responses,
				date_trunc('quarter', min(a.pushed_at) FILTER (WHERE a.status IN ('ACCEPTED', 'EXECUTED'))
					AT TIME ZONE 'Asia/Shanghai') AS first_quarter
			FROM assignments a JOIN cs ON cs.id = a.case_id
			WHERE $5 = '' OR a.department_code = $5
			GROUP BY a.case_id, a.department_code),
		cdf AS (
			SELECT cd.*, EXISTS (SELECT 1 FROM feedback f
					WHERE f.case_id = cd.case_id AND f.department_code = cd.department_code) AS fed_back,
				CASE WHEN cd.first_quarter IS NULL OR cd.first_quarter > CAST($2 AS timestamp) THEN 0
					ELSE (extract(year FROM CAST($2 AS timestamp)) * 4 + extract(quarter FROM CAST($2 AS timestamp)))
						- (extract(year FROM cd.first_quarter) * 4 + extract(quarter FROM cd.first_quarter)) + 1
						- (SELECT count(*) FROM feedback f WHERE f.case_id = cd.case_id AND f.department_code = cd.department_code
							AND f.period BETWEEN to_char(cd.first_quarter, 'YYYY"Q"Q') AND to_char(CAST($2 AS timestamp), 'YYYY"Q"Q'))
				END AS late_feedback
			FROM cd),
		per AS (
			SELECT department_code, count(*) AS cases, sum(pushed) AS pushed, sum(accepted) AS accepted,
				sum(rejected) AS rejected, sum(executed) AS executed,
				COALESCE(sum(pushed) FILTER (WHERE fed_back), 0) AS fed_back,
				sum(late_responses + late_feedback) AS overdue
			FROM cdf GROUP BY department_code)
		SELECT COALESCE(p.department_code, '') AS department_code, COALESCE(d.name, '') AS department_name,
			CAST(COALESCE(sum(p.cases), 0) AS int) AS cases, CAST(COALESCE(sum(p.pushed), 0) AS int) AS pushed,
			CAST(COALESCE(sum(p.accepted), 0) AS int) AS accepted, CAST(COALESCE(sum(p.rejected), 0) AS int) AS rejected,
			CAST(COALESCE(sum(p.executed), 0) AS int) AS executed, CAST(COALESCE(sum(p.fed_back), 0) AS int) AS fed_back,
			CAST(COALESCE(sum(COALESCE(p.overdue, 0)), 0) AS int) AS overdue, GROUPING(p.department_code, d.name) <> 0 AS total,
			(SELECT count(*) FROM cs) AS cases_opened
		FROM per p JOIN departments d ON d.code = p.department_code
		GROUP BY ROLLUP ((p.department_code, d.name))
		ORDER BY total, p.department_code`, c.PushedBefore, c.LastQuarter, DayStart(from), DayStart(to.AddDays(1)), dept, domain)
	if err != nil {
		return nil, 0, err
	}
	for _, r := range out {
		opened = r.Opened
		rows = append(rows, r.JointStatsRow)
	}
	return rows, opened, nil
}
