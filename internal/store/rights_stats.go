package store

import (
	"context"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The objection and repair statistics: one statement each, whose rows and
// total come from the same counts through GROUPING SETS ((dimensions), ()),
// so the total is the sum of the rows by construction.

// rightsGroupColumns are the group columns of each dimension over the
// items aliased x (with the verifying department's name as dept_name) and
// the column of its filing day.
func rightsGroupColumns(dim credit.RightsDimension, day string) []string {
	switch dim {
	case credit.RightsByDepartment:
		return []string{"x.department_code", "x.dept_name"}
	case credit.RightsByRecordKind:
		return []string{"x.record_kind"}
	case credit.RightsByMonth:
		return []string{"to_char(x." + day + ", 'YYYY-MM')"}
	}
	return nil
}

// rightsStatsSQL builds the statement over table (alias x) for q: counts
// is the select list of the counts. w holds the period ($1, $2) and today
// ($3) already; the filters' arguments follow.
func rightsStatsSQL(w *where, table, day string, q credit.RightsStatsQuery, department, counts string) string {
	if department != "" {
		w.add(`x.department_code = ?`, department)
	}
	if q.Filter.Department != "" {
		w.add(`x.department_code = ?`, q.Filter.Department)
	}
	if q.Filter.RecordKind != "" {
		w.add(`x.record_kind = CAST(? AS record_kind)`, string(q.Filter.RecordKind))
	}
	var group []string
	sel := map[string]string{"department_code": "NULL", "department_name": "NULL", "record_kind": "NULL", "month": "NULL"}
	for _, d := range q.GroupBy {
		cols := rightsGroupColumns(d, day)
		group = append(group, cols...)
		switch d {
		case credit.RightsByDepartment:
			sel["department_code"], sel["department_name"] = cols[0], cols[1]
		case credit.RightsByRecordKind:
			sel["record_kind"] = "CAST(" + cols[0] + " AS text)"
		case credit.RightsByMonth:
			sel["month"] = cols[0]
		}
	}
	order := make([]string, len(group))
	for i, g := range group {
		order[i] = g + " NULLS FIRST"
	}
	return `SELECT ` + sel["department_code"] + ` AS department_code, ` + sel["department_name"] + ` AS department_name,
			` + sel["record_kind"] + ` AS record_kind, ` + sel["month"] + ` AS month,
			GROUPING(` + group[0] + `) = 1 AS is_total, ` + counts + `
		FROM (SELECT t.*, d.name AS dept_name FROM ` + table + ` t LEFT JOIN departments d ON d.code = t.department_code) x
		WHERE ` + w.sql() + `
		GROUP BY GROUPING SETS ((` + strings.Join(group, ", ") + `), ())
		ORDER BY is_total, ` + strings.Join(order, ", ")
}

// objectionCounts are the counts of the objection statistics; ?3 is today.
const objectionCounts = `count(*) AS filed,
	count(*) FILTER (WHERE x.accepted_on IS NOT NULL) AS accepted,
	count(*) FILTER (WHERE x.status = 'REFUSED') AS refused,
	count(*) FILTER (WHERE x.status = 'CORRECTED') AS corrected,
	count(*) FILTER (WHERE x.status = 'CONFIRMED') AS confirmed,
	count(*) FILTER (WHERE x.status = 'REVOKED_RECORD') AS revoked_record,
	count(*) FILTER (WHERE x.closed_on IS NULL) AS open,
	count(*) FILTER (WHERE x.closed_on IS NULL
		AND CASE WHEN x.status = 'FILED' THEN x.accept_due ELSE x.verify_due END < CAST($3 AS date)) AS overdue,
	count(*) FILTER (WHERE x.closed_on IS NOT NULL
		AND x.closed_on <= CASE WHEN x.status = 'REFUSED' THEN x.accept_due ELSE x.verify_due END) AS closed_in_time,
	count(*) FILTER (WHERE x.closed_on IS NOT NULL
		AND x.closed_on > CASE WHEN x.status = 'REFUSED' THEN x.accept_due ELSE x.verify_due END) AS closed_late`

// ObjectionStats counts the objections filed in q's period, limited to
// department's when it is set, as of today.
func (db *DB) ObjectionStats(ctx context.Context, q credit.RightsStatsQuery, department string, today credit.Date) ([]credit.ObjectionStatsRow, error) {
	w := where{}
	w.args = []any{q.From, q.To, today}
	w.conds = []string{`x.filed_on BETWEEN $1 AND $2`}
	query := rightsStatsSQL(&w, "objections", "filed_on", q, department, objectionCounts)
	var out []credit.ObjectionStatsRow
	err := db.sel(ctx, &out, query, w.args...)
	return out, err
}

// repairCounts are the counts of the repair statistics; ?3 is today.
const repairCounts = `count(*) AS requested,
	count(*) FILTER (WHERE x.accepted_on IS NOT NULL) AS accepted,
	count(*) FILTER (WHERE x.status = 'GRANTED') AS granted,
	count(*) FILTER (WHERE x.status = 'REFUSED') AS refused,
	count(*) FILTER (WHERE x.decided_on IS NULL) AS open,
	count(*) FILTER (WHERE x.decided_on IS NULL
		AND CASE WHEN x.status = 'REQUESTED' THEN x.accept_due ELSE x.decide_due END < CAST($3 AS date)) AS overdue,
	count(*) FILTER (WHERE x.decided_on IS NOT NULL
		AND x.decided_on <= CASE WHEN x.accepted_on IS NULL THEN x.accept_due ELSE x.decide_due END) AS decided_in_time,
	count(*) FILTER (WHERE x.decided_on IS NOT NULL
		AND x.decided_on > CASE WHEN x.accepted_on IS NULL THEN x.accept_due ELSE x.decide_due END) AS decided_late`

// RepairStats counts the repair applications requested in q's period,
// limited to department's when it is set, as of today.
func (db *DB) RepairStats(ctx context.Context, q credit.RightsStatsQuery, department string, today credit.Date) ([]credit.RepairStatsRow, error) {
	w := where{}
	w.args = []any{q.From, q.To, today}
	w.conds = []string{`x.requested_on BETWEEN $1 AND $2`}
	query := rightsStatsSQL(&w, "repairs", "requested_on", q, department, repairCounts)
	var out []credit.RepairStatsRow
	err := db.sel(ctx, &out, query, w.args...)
	return out, err
}
