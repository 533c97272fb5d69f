package credit

import (
	"slices"
	"strings"
)

// Statistics of objections and credit repair, in the shape of the hub's
// statistics family: a period (at most a year), the dimensions the rows
// are grouped by, a filter, the rows, and a total the database sums from
// the same counts (GROUPING SETS), so that it is the sum of the rows.

// RightsDimension is something the objection and repair statistics group
// by.
type RightsDimension string

// The dimensions.
const (
	// RightsByDepartment: the verifying (deciding) department; objections
	// about key-person links and tax grades, which the credit office
	// verifies, form a group of their own with no department.
	RightsByDepartment RightsDimension = "DEPARTMENT"
	// RightsByRecordKind: the kind of record.
	RightsByRecordKind RightsDimension = "RECORD_KIND"
	// RightsByMonth: the month of filing, YYYY-MM.
	RightsByMonth RightsDimension = "MONTH"
)

// RightsDimensions lists the dimensions in the order rows are sorted by.
var RightsDimensions = []RightsDimension{RightsByDepartment, RightsByRecordKind, RightsByMonth}

// RightsStatsFilter narrows the statistics; empty fields do not filter.
type RightsStatsFilter struct {
	Department string
	RecordKind RecordKind
}

// RightsStatsQuery is what a caller asks: items filed (requested) from
// From to To inclusive, grouped by GroupBy, narrowed by Filter.
type RightsStatsQuery struct {
	From, To Date
	GroupBy  []RightsDimension
	Filter   RightsStatsFilter
}

// MaxRightsStatsDays is the longest period, as for the other statistics.
const MaxRightsStatsDays = 366

// Check validates q and returns it with GroupBy in canonical order and
// without repeats. BAD_USER_INPUT names "to", "groupBy" or the filter's
// field.
func (q RightsStatsQuery) Check() (RightsStatsQuery, error) {
	switch {
	case q.From.IsZero():
		return q, FieldErrorf("from", "is required")
	case q.To.IsZero():
		return q, FieldErrorf("to", "is required")
	case q.To.Before(q.From):
		return q, FieldErrorf("to", "%s is before from (%s)", q.To, q.From)
	case !q.To.Before(q.From.AddDays(MaxRightsStatsDays)):
		return q, FieldErrorf("to", "the period from %s to %s is longer than %d days; ask for a year at most", q.From, q.To, MaxRightsStatsDays)
	case len(q.GroupBy) == 0:
		return q, FieldErrorf("groupBy", "name at least one of DEPARTMENT, RECORD_KIND, MONTH")
	}
	var dims []RightsDimension
	for _, d := range q.GroupBy {
		if !slices.Contains(RightsDimensions, d) {
			return q, FieldErrorf("groupBy", "%q is not one of DEPARTMENT, RECORD_KIND, MONTH", d)
		}
	}
	for _, d := range RightsDimensions {
		if slices.Contains(q.GroupBy, d) {
			dims = append(dims, d)
		}
	}
	q.GroupBy = dims
	q.Filter.Department = strings.TrimSpace(q.Filter.Department)
	if k := q.Filter.RecordKind; k != "" && !slices.Contains(allRecordKinds, k) {
		return q, FieldErrorf("filter.recordKind", "%q is not a kind of record", k)
	}
	return q, nil
}

// Has reports whether the rows are grouped by d.
func (q RightsStatsQuery) Has(d RightsDimension) bool { return slices.Contains(q.GroupBy, d) }

// RightsGroup says what a row counts: the values of the dimensions asked,
// nil for the others and on the total row (and for the department of the
// credit office's own group).
type RightsGroup struct {
	DepartmentCode *string     `db:"department_code"`
	DepartmentName *string     `db:"department_name"`
	RecordKind     *RecordKind `db:"record_kind"`
	Month          *string     `db:"month"`
}

// ObjectionStatsRow is one group's objections (or the total's), filed in
// the period: where they stand today and how punctually they were
// handled.
type ObjectionStatsRow struct {
	RightsGroup
	// IsTotal marks the total row (GROUPING SETS' empty set).
	IsTotal  bool `db:"is_total"`
	Filed    int  `db:"filed"`
	Accepted int  `db:"accepted"`
	Refused  int  `db:"refused"`
	// Corrected, Confirmed and RevokedRecord are the outcomes.
	Corrected     int `db:"corrected"`
	Confirmed     int `db:"confirmed"`
	RevokedRecord int `db:"revoked_record"`
	// Open are still being handled today; Overdue those past the deadline
	// of their stage today.
	Open    int `db:"open"`
	Overdue int `db:"overdue"`
	// ClosedInTime and ClosedLate are the closed ones, by whether they were
	// closed by the deadline of the stage they closed in (one whose
	// deadline is unknown is neither).
	ClosedInTime int `db:"closed_in_time"`
	ClosedLate   int `db:"closed_late"`
}

// ObjectionStats are the objection statistics of a period.
type ObjectionStats struct {
	From, To Date
	GroupBy  []RightsDimension
	Rows     []ObjectionStatsRow
	Total    ObjectionStatsRow
}

// RepairStatsRow is one group's repair applications (or the total's),
// requested in the period.
type RepairStatsRow struct {
	RightsGroup
	IsTotal       bool `db:"is_total"`
	Requested     int  `db:"requested"`
	Accepted      int  `db:"accepted"`
	Granted       int  `db:"granted"`
	Refused       int  `db:"refused"`
	Open          int  `db:"open"`
	Overdue       int  `db:"overdue"`
	DecidedInTime int  `db:"decided_in_time"`
	DecidedLate   int  `db:"decided_late"`
}

// RepairStats are the repair statistics of a period.
type RepairStats struct {
	From, To Date
	GroupBy  []RightsDimension
	Rows     []RepairStatsRow
	Total    RepairStatsRow
}

// Group returns what the row counts.
func (r ObjectionStatsRow) Group() RightsGroup { return r.RightsGroup }

// Group returns what the row counts.
func (r RepairStatsRow) Group() RightsGroup { return r.RightsGroup }
