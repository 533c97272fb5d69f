package credit

import "time"

// ListEntryFilter narrows the root list of list entries; zero fields do not
// filter.
type ListEntryFilter struct {
	Kind       ListKind
	Domain     string
	Status     ListEntryStatus
	Department string
	// DecidedFrom and DecidedTo bound the decision date, both included.
	DecidedFrom Date
	DecidedTo   Date
	// Today is the day Status is judged on (StatusOn): set by the service,
	// never by the client.
	Today Date
}

// ListEntryEvent is one transition of a list entry, with its decision.
type ListEntryEvent struct {
	ID         int64            `db:"id"`
	EntryID    int64            `db:"entry_id"`
	FromStatus *ListEntryStatus `db:"from_status"`
	ToStatus   ListEntryStatus  `db:"to_status"`
	Actor      string           `db:"actor"`
	DecisionNo *string          `db:"decision_no"`
	DecidedOn  *Date            `db:"decided_on"`
	Reason     string           `db:"reason"`
	At         time.Time        `db:"at"`
}

// JointCaseFilter narrows the list of joint cases; zero fields do not filter.
type JointCaseFilter struct {
	// Open: true for open cases only, false for closed ones, nil for both.
	Open *bool
	// Department is an implementing department holding an assignment in
	// the case.
	Department string
	Domain     string
	// OpenedFrom and OpenedTo bound the day (in the city) the case opened,
	// both included.
	OpenedFrom Date
	OpenedTo   Date
}

// JointStats are the joint workflow's numbers for the cases opened in
// [From, To]: one row per implementing department and their total.
type JointStats struct {
	From, To Date
	// GroupBy and Filter are the statistics family's (DEPARTMENT only).
	GroupBy []StatsDimension
	Filter  StatsFilter
	// CasesOpened counts the cases opened, each once (a case with no
	// measure in the catalogue counts here and in no row).
	CasesOpened int
	Rows        []JointStatsRow
	// Total is the sum of Rows, column by column; its Cases therefore
	// counts case-department pairs, and CasesOpened the cases.
	Total JointStatsRow
}

// JointStatsRow counts one implementing department's assignments.
type JointStatsRow struct {
	// Department is empty in the total row.
	Department     string `db:"department_code"`
	DepartmentName string `db:"department_name"`
	// Cases in which the department holds an assignment.
	Cases    int `db:"cases"`
	Pushed   int `db:"pushed"`
	Accepted int `db:"accepted"`
	Rejected int `db:"rejected"`
	// Executed: assignments with at least one execution.
	Executed int `db:"executed"`
	// FedBack: assignments whose department submitted at least one
	// feedback on the case.
	FedBack int `db:"fed_back"`
	// Overdue counts the late responses and feedback (see Overdue) today.
	Overdue int `db:"overdue"`
}

// Group is the row's group in the statistics family: its department, none
// on the total row.
func (r JointStatsRow) Group() StatsGroup {
	if r.Department == "" {
		return StatsGroup{}
	}
	code, name := r.Department, r.DepartmentName
	return StatsGroup{DepartmentCode: &code, DepartmentName: &name}
}

// AcceptedPercent is Accepted / Pushed × 100, nil when nothing was pushed.
func (r JointStatsRow) AcceptedPercent() *float64 { return percent(r.Accepted, r.Pushed) }

// ExecutedPercent is Executed / Pushed × 100, nil when nothing was pushed.
func (r JointStatsRow) ExecutedPercent() *float64 { return percent(r.Executed, r.Pushed) }

// FedBackPercent is FedBack / Pushed × 100, nil when nothing was pushed.
func (r JointStatsRow) FedBackPercent() *float64 { return percent(r.FedBack, r.Pushed) }

func percent(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	p := float64(n) * 100 / float64(of)
	return &p
}
