package credit

import (
	"fmt"
	"strings"
	"time"
)

// The joint workflow (plan §12, §15): approving a list entry opens a joint
// case; each measure for the entry's kind and domain becomes an assignment
// pushed to its implementing department, which responds, executes and
// feeds back; the credit office tracks it.

// AssignmentStatus is where an assignment stands.
type AssignmentStatus string

// The assignment statuses.
const (
	AssignmentPushed    AssignmentStatus = "PUSHED"
	AssignmentAccepted  AssignmentStatus = "ACCEPTED"
	AssignmentRejected  AssignmentStatus = "REJECTED"
	AssignmentExecuted  AssignmentStatus = "EXECUTED"
	AssignmentSuspended AssignmentStatus = "SUSPENDED"
	AssignmentClosed    AssignmentStatus = "CLOSED"
)

// Open reports whether the assignment is still live: it closes when the
// entry leaves the list. An executed one counts, since a measure such as a
// travel ban is executed again at each application while the entry stands,
// and closing it is what refuses further executions.
func (s AssignmentStatus) Open() bool {
	switch s {
	case AssignmentPushed, AssignmentAccepted, AssignmentExecuted, AssignmentSuspended:
		return true
	}
	return false
}

// OpenAssignmentStatuses are the statuses for which Open holds, for SQL.
var OpenAssignmentStatuses = []AssignmentStatus{AssignmentPushed, AssignmentAccepted, AssignmentExecuted, AssignmentSuspended}

// JointCase is the joint case an approved list entry opened.
type JointCase struct {
	ID                   int64      `db:"id"`
	EntryID              int64      `db:"entry_id"`
	InitiatingDepartment string     `db:"initiating_department"`
	OpenedAt             time.Time  `db:"opened_at"`
	OpenedBy             string     `db:"opened_by"`
	ClosedAt             *time.Time `db:"closed_at"`
	CloseReason          *string    `db:"close_reason"`
}

// Assignment is one measure pushed to one implementing department.
type Assignment struct {
	ID             int64            `db:"id"`
	CaseID         int64            `db:"case_id"`
	MeasureID      int64            `db:"measure_id"`
	DepartmentCode string           `db:"department_code"`
	Status         AssignmentStatus `db:"status"`
	PushedAt       time.Time        `db:"pushed_at"`
	RespondedAt    *time.Time       `db:"responded_at"`
	RespondedBy    *string          `db:"responded_by"`
	RejectReason   *string          `db:"reject_reason"`
	ClosedAt       *time.Time       `db:"closed_at"`
}

// Execution is one execution of an assignment.
type Execution struct {
	ID           int64     `db:"id"`
	AssignmentID int64     `db:"assignment_id"`
	DocumentNo   string    `db:"document_no"`
	ExecutedOn   Date      `db:"executed_on"`
	Note         string    `db:"note"`
	RecordedAt   time.Time `db:"recorded_at"`
	RecordedBy   string    `db:"recorded_by"`
}

// Feedback is a department's periodic feedback on a case.
type Feedback struct {
	ID             int64     `db:"id"`
	CaseID         int64     `db:"case_id"`
	DepartmentCode string    `db:"department_code"`
	Period         string    `db:"period"`
	Text           string    `db:"text"`
	SubmittedAt    time.Time `db:"submitted_at"`
	SubmittedBy    string    `db:"submitted_by"`
}

// Respond checks that an assignment in status s may be answered (accepted
// or rejected): only a pushed one. CONFLICT otherwise.
func (s AssignmentStatus) Respond() error {
	if s != AssignmentPushed {
		return Errorf(Conflict, "the assignment is %s; only a PUSHED assignment is accepted or rejected", s)
	}
	return nil
}

// Execute checks that an assignment in status s may record an execution:
// accepted (or already executed). CONFLICT for a closed, rejected,
// suspended or unanswered one.
func (s AssignmentStatus) Execute() error {
	switch s {
	case AssignmentAccepted, AssignmentExecuted:
		return nil
	case AssignmentClosed:
		return Errorf(Conflict, "the assignment is closed: the entry left the list, no further execution")
	case AssignmentSuspended:
		return Errorf(Conflict, "the assignment is suspended while the record it rests on is under objection")
	}
	return Errorf(Conflict, "the assignment is %s; accept it before recording an execution", s)
}

// Deadlines are the working days a department has to respond to a push and
// to feed back after a quarter ends: the WORKFLOW_DEADLINE rules in force
// on the day they count from (RuleBook.Deadlines).
type Deadlines struct {
	ResponseDays int
	FeedbackDays int
}

// QuarterEnd returns the last day of the quarter of d.
func QuarterEnd(d Date) Date {
	m := (int(d.Time().Month())-1)/3*3 + 3
	return NewDate(d.Year(), time.Month(m)+1, 1).AddDays(-1)
}

// OverdueKind is what a department is late with.
type OverdueKind string

// The overdue kinds.
const (
	// OverdueResponse: a pushed assignment not accepted or rejected within
	// Deadlines.ResponseDays working days of its push.
	OverdueResponse OverdueKind = "RESPONSE"
	// OverdueFeedback: no feedback on a case for a completed quarter within
	// Deadlines.FeedbackDays working days after the quarter's end, from a
	// department holding an accepted or executed assignment in it.
	OverdueFeedback OverdueKind = "FEEDBACK"
)

// Overdue is one response or feedback a department owes past its deadline.
type Overdue struct {
	CaseID int64
	// AssignmentID is the late assignment of a RESPONSE; for FEEDBACK, which
	// is owed per case and department, the department's first accepted or
	// executed assignment in the case.
	AssignmentID int64
	Department   string
	Kind         OverdueKind
	// Period is the quarter a FEEDBACK is owed for (2026Q3); empty for a
	// RESPONSE.
	Period string
	// DueOn is the last day it was due.
	DueOn Date
	// DaysLate counts the working days after DueOn up to today; nil when
	// the official calendar does not cover them all.
	DaysLate *int
}

// QuarterStart returns the first day of the quarter of d.
func QuarterStart(d Date) Date {
	m := (int(d.Time().Month())-1)/3*3 + 1
	return NewDate(d.Year(), time.Month(m), 1)
}

// ParseQuarter reads a feedback period such as 2026Q4 and returns the first
// day of that quarter. BAD_USER_INPUT on field when it is not one.
func ParseQuarter(field, s string) (Date, error) {
	bad := FieldErrorf(field, "must be a quarter written like 2026Q4, got %q", s)
	if len(s) != 6 || s[4] != 'Q' || s[5] < '1' || s[5] > '4' {
		return Date{}, bad
	}
	y := 0
	for _, c := range s[:4] {
		if c < '0' || c > '9' {
			return Date{}, bad
		}
		y = y*10 + int(c-'0')
	}
	if y < 1900 {
		return Date{}, bad
	}
	return NewDate(y, time.Month(int(s[5]-'0')*3-2), 1), nil
}

// CheckFeedbackPeriod checks the period of a feedback on a case opened on
// opened: a quarter from the one the case opened in up to the current one
// (feedback on the quarter under way is early, not wrong). BAD_USER_INPUT
// on field otherwise.
func CheckFeedbackPeriod(field, period string, opened, today Date) error {
	q, err := ParseQuarter(field, period)
	if err != nil {
		return err
	}
	if q.After(QuarterStart(today)) {
		return FieldErrorf(field, "%s is a future quarter (today is in %s)", period, Quarter(today))
	}
	if q.Before(QuarterStart(opened)) {
		return FieldErrorf(field, "%s is before the case was opened (in %s)", period, Quarter(opened))
	}
	return nil
}

// CaseMeasure is a measure a joint case applies, with the department that
// implements it: "" when the city has none for it, and then the measure is
// recorded on the entry (the checks show it) but pushed to no one.
type CaseMeasure struct {
	Measure    Measure
	Department string
}

// CaseMeasureInput is a measure the credit office names for a case, by
// code, with the department that implements it ("" for the catalogue's).
type CaseMeasureInput struct {
	Code       string
	Department string
}

// ChooseCaseMeasures returns the measures a case applies: every measure of
// catalogue (the measures in force for the entry's domain) with its
// catalogue department when chosen is nil, else the chosen ones, each a
// measure of catalogue named once, with its department given or the
// catalogue's. isDepartment says whether a code is a registered
// department. BAD_USER_INPUT names the field (measures[i].code or
// measures[i].department).
func ChooseCaseMeasures(catalogue []Measure, chosen []CaseMeasureInput, isDepartment func(string) bool) ([]CaseMeasure, error) {
	if chosen == nil {
		out := make([]CaseMeasure, len(catalogue))
		for i, m := range catalogue {
			out[i] = CaseMeasure{Measure: m, Department: m.ImplementingDepartment}
		}
		return out, nil
	}
	byCode := map[string]Measure{}
	var codes []string
	for _, m := range catalogue {
		byCode[m.Code] = m
		codes = append(codes, m.Code)
	}
	seen := map[string]bool{}
	out := make([]CaseMeasure, 0, len(chosen))
	for i, c := range chosen {
		field := fmt.Sprintf("measures[%d]", i)
		m, ok := byCode[c.Code]
		switch {
		case !ok:
			return nil, FieldErrorf(field+".code", "%q is not a measure of the entry's domain in force on its decision date (%s)",
				c.Code, strings.Join(codes, ", "))
		case seen[c.Code]:
			return nil, FieldErrorf(field+".code", "%s is named twice", c.Code)
		}
		seen[c.Code] = true
		dept := c.Department
		if dept == "" {
			dept = m.ImplementingDepartment
		}
		if dept != "" && !isDepartment(dept) {
			return nil, FieldErrorf(field+".department", "%q is not a registered department", dept)
		}
		out = append(out, CaseMeasure{Measure: m, Department: dept})
	}
	return out, nil
}
