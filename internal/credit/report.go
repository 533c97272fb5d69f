package credit

import (
	"slices"
	"time"
	"unicode/utf8"
)

// Reports (举报): anyone may report serious dishonesty (plan §10); the
// reporter's identity is kept strictly confidential. The state machine:
//
//	RECEIVED → ASSIGNED(department)        the credit office, within REPORT_DEADLINE/ASSIGN working days
//	ASSIGNED → VERIFIED | UNFOUNDED        the department, within REPORT_DEADLINE/VERIFY working days
//	VERIFIED | UNFOUNDED → ANSWERED        the credit office answers the reporter, within REPORT_DEADLINE/ANSWER
//
// The reporter's name and contact are sealed before they are stored
// (internal/seal) and only the credit office reads them, each read in the
// audit log.

// ReportStatus is where a report is.
type ReportStatus string

// The report statuses.
const (
	ReportReceived  ReportStatus = "RECEIVED"
	ReportAssigned  ReportStatus = "ASSIGNED"
	ReportVerified  ReportStatus = "VERIFIED"
	ReportUnfounded ReportStatus = "UNFOUNDED"
	ReportAnswered  ReportStatus = "ANSWERED"
)

var reportTransitions = map[ReportStatus][]ReportStatus{
	ReportReceived:  {ReportAssigned},
	ReportAssigned:  {ReportVerified, ReportUnfounded},
	ReportVerified:  {ReportAnswered},
	ReportUnfounded: {ReportAnswered},
}

// CheckReportTransition returns CONFLICT unless a report may move from one
// status to the other.
func CheckReportTransition(from, to ReportStatus) error {
	if slices.Contains(reportTransitions[from], to) {
		return nil
	}
	return Errorf(Conflict, "a report that is %s cannot become %s", from, to)
}

// Report is a report of dishonesty, without its reporter (who is sealed).
type Report struct {
	ID             int64         `db:"id"`
	Reference      string        `db:"reference"`
	SubjectCode    string        `db:"subject_code"`
	SubjectID      *int64        `db:"subject_id"`
	SubjectName    string        `db:"subject_name"`
	Facts          string        `db:"facts"`
	EvidenceList   Strings       `db:"evidence"`
	HasReporter    bool          `db:"has_reporter"`
	Status         ReportStatus  `db:"status"`
	ReceivedAt     time.Time     `db:"received_at"`
	ReceivedOn     Date          `db:"received_on"`
	ReceivedRole   Role          `db:"received_role"`
	AssignDueOn    *Date         `db:"assign_due"`
	DepartmentCode *string       `db:"department_code"`
	AssignedOn     *Date         `db:"assigned_on"`
	VerifyDueOn    *Date         `db:"verify_due"`
	VerifiedOn     *Date         `db:"verified_on"`
	Outcome        *ReportStatus `db:"outcome"`
	Findings       *string       `db:"findings"`
	AnswerDueOn    *Date         `db:"answer_due"`
	AnsweredOn     *Date         `db:"answered_on"`
	Answer         *string       `db:"answer"`
	Lateness       Lateness      `db:"-"`
}

// Evidence returns the references to the evidence given.
func (r Report) Evidence() []string { return nonNil(r.EvidenceList) }

// StageDue returns the deadline of the current stage; nil when answered
// or unknown.
func (r Report) StageDue() *Date {
	switch r.Status {
	case ReportReceived:
		return r.AssignDueOn
	case ReportAssigned:
		return r.VerifyDueOn
	case ReportVerified, ReportUnfounded:
		return r.AnswerDueOn
	}
	return nil
}

// DueOn, Overdue and DaysLate are the lateness the service filled in.
func (r Report) DueOn() *Date   { return r.Lateness.DueOn }
func (r Report) Overdue() bool  { return r.Lateness.Overdue }
func (r Report) DaysLate() *int { return r.Lateness.DaysLate }

// Reporter is who reported and how to reach them: what is sealed.
type Reporter struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
}

// ReportInput is a report as anyone submits it.
type ReportInput struct {
	// SubjectCode is the code of the subject concerned, checked strictly
	// (the subject need not be registered).
	SubjectCode string
	SubjectName string
	Facts       string
	Evidence    []string
	// Reporter is nil for an anonymous report.
	Reporter *Reporter
}

// MaxContactLength bounds the reporter's name and contact.
const MaxContactLength = 200

// Validate checks and normalises a report. BAD_USER_INPUT names the field.
func (in *ReportInput) Validate() error {
	lc, err := ParseLookupCode("input.subjectCode", in.SubjectCode)
	if err != nil {
		return err
	}
	if lc.ChecksumOnly {
		return lc.Err
	}
	in.SubjectCode = lc.Code
	if err := clean(text{"input.subjectName", &in.SubjectName, false}, text{"input.facts", &in.Facts, true}); err != nil {
		return err
	}
	if err := cleanList("input.evidence", in.Evidence); err != nil {
		return err
	}
	if in.Reporter == nil {
		return nil
	}
	if err := clean(text{"input.reporterName", &in.Reporter.Name, false},
		text{"input.reporterContact", &in.Reporter.Contact, true}); err != nil {
		return err
	}
	for _, f := range []struct{ field, v string }{{"input.reporterName", in.Reporter.Name}, {"input.reporterContact", in.Reporter.Contact}} {
		if n := utf8.RuneCountInString(f.v); n > MaxContactLength {
			return FieldErrorf(f.field, "must be at most %d characters, got %d", MaxContactLength, n)
		}
	}
	return nil
}

// ReportFilter narrows a search of reports.
type ReportFilter struct {
	Status     ReportStatus
	Overdue    *bool
	Department string
	From, To   Date
}

// ReportReceipt is what a reporter is given: the reference to ask about
// the report, and when the office must have handed it on.
type ReportReceipt struct {
	Reference   string
	ReceivedAt  time.Time
	AssignDueOn *Date
}
