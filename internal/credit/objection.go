package credit

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Objections (异议): a subject contests a record about it. From the day an
// objection is filed until the day it is closed the record is disputed:
// the checks set it aside and the measures resting on it are not applied
// (check_disputed.go), the joint workflow's assignments of a disputed list
// entry are SUSPENDED. The state machine:
//
//	FILED → ACCEPTED | REFUSED(reason)            the credit office, within OBJECTION_DEADLINE/ACCEPT working days
//	ACCEPTED → UNDER_VERIFICATION                 the verifying department (the record's deciding one) takes it up
//	UNDER_VERIFICATION → CORRECTED | CONFIRMED | REVOKED_RECORD
//	                                              decided within OBJECTION_DEADLINE/VERIFY working days of acceptance
//
// REFUSED, CORRECTED, CONFIRMED and REVOKED_RECORD close it.

// ObjectionStatus is where an objection is.
type ObjectionStatus string

// The objection statuses.
const (
	ObjectionFiled             ObjectionStatus = "FILED"
	ObjectionAccepted          ObjectionStatus = "ACCEPTED"
	ObjectionRefused           ObjectionStatus = "REFUSED"
	ObjectionUnderVerification ObjectionStatus = "UNDER_VERIFICATION"
	ObjectionCorrected         ObjectionStatus = "CORRECTED"
	ObjectionConfirmed         ObjectionStatus = "CONFIRMED"
	ObjectionRevokedRecord     ObjectionStatus = "REVOKED_RECORD"
)

// objectionTransitions is the state machine above.
var objectionTransitions = map[ObjectionStatus][]ObjectionStatus{
	ObjectionFiled:             {ObjectionAccepted, ObjectionRefused},
	ObjectionAccepted:          {ObjectionUnderVerification},
	ObjectionUnderVerification: {ObjectionCorrected, ObjectionConfirmed, ObjectionRevokedRecord},
}

// CheckObjectionTransition returns CONFLICT unless an objection may move
// from one status to the other.
func CheckObjectionTransition(from, to ObjectionStatus) error {
	if slices.Contains(objectionTransitions[from], to) {
		return nil
	}
	return Errorf(Conflict, "an objection that is %s cannot become %s", from, to)
}

// Open reports whether an objection in status s is still being handled,
// so that its record is disputed.
func (s ObjectionStatus) Open() bool {
	return s == ObjectionFiled || s == ObjectionAccepted || s == ObjectionUnderVerification
}

// IsOutcome reports whether s is an outcome of verification.
func (s ObjectionStatus) IsOutcome() bool {
	return s == ObjectionCorrected || s == ObjectionConfirmed || s == ObjectionRevokedRecord
}

// Objection is a subject's objection to a record.
type Objection struct {
	ID         int64      `db:"id"`
	RecordKind RecordKind `db:"record_kind"`
	// RecordID is the record's id; for a TAX_GRADE the assessment year.
	RecordID  int64 `db:"record_id"`
	SubjectID int64 `db:"subject_id"`
	// RecordLabel and RecordDate name the record: its decision number and
	// date (a role and its start for a key-person link, the year for a
	// tax grade).
	RecordLabel string `db:"record_label"`
	RecordDate  Date   `db:"record_date"`
	// DepartmentCode is the verifying department; nil when the credit
	// office verifies (key-person links, tax grades).
	DepartmentCode        *string         `db:"department_code"`
	FieldList             Strings         `db:"fields"`
	Reason                string          `db:"reason"`
	EvidenceList          Strings         `db:"evidence"`
	Status                ObjectionStatus `db:"status"`
	FiledAt               time.Time       `db:"filed_at"`
	FiledOn               Date            `db:"filed_on"`
	FiledBy               string          `db:"filed_by"`
	FiledRole             Role            `db:"filed_role"`
	FiledInstitution      string          `db:"filed_institution"`
	AcceptDueOn           *Date           `db:"accept_due"`
	AcceptedOn            *Date           `db:"accepted_on"`
	VerifyDueOn           *Date           `db:"verify_due"`
	VerificationStartedOn *Date           `db:"verification_started_on"`
	ClosedOn              *Date           `db:"closed_on"`
	RefuseReason          *string         `db:"refuse_reason"`
	Answer                *string         `db:"answer"`
	DecisionNo            *string         `db:"decision_no"`
	DecidedBy             *string         `db:"decided_by"`
	// Lateness is filled in by the service for the day asked about.
	Lateness Lateness `db:"-"`
}

// Lateness is how a workflow item stands against its deadline today.
type Lateness struct {
	// DueOn is the last day of the current stage; nil when the item is
	// closed or the calendar cannot count the deadline.
	DueOn *Date
	// Overdue: open and past DueOn.
	Overdue bool
	// DaysLate counts the working days after DueOn up to today; nil when
	// not overdue or the calendar does not cover the days.
	DaysLate *int
}

// Record returns the reference to the contested record.
func (o Objection) Record() RecordRef {
	return RecordRef{Kind: o.RecordKind, ID: o.RecordID, DecisionNo: o.RecordLabel, DecidedOn: o.RecordDate, SubjectID: o.SubjectID}
}

// Fields returns the fields the subject contests.
func (o Objection) Fields() []string { return nonNil(o.FieldList) }

// Evidence returns the references to the evidence given.
func (o Objection) Evidence() []string { return nonNil(o.EvidenceList) }

// Open reports whether the objection is still being handled.
func (o Objection) Open() bool { return o.Status.Open() }

// OpenOn reports whether the record was disputed on day d: filed on or
// before d and not closed by then.
func (o Objection) OpenOn(d Date) bool {
	return !o.FiledOn.After(d) && (o.ClosedOn == nil || o.ClosedOn.After(d))
}

// StageDue returns the deadline of the objection's current stage: accepting
// or refusing it while FILED, its verification while ACCEPTED or UNDER
// VERIFICATION; nil when closed or unknown.
func (o Objection) StageDue() *Date {
	switch o.Status {
	case ObjectionFiled:
		return o.AcceptDueOn
	case ObjectionAccepted, ObjectionUnderVerification:
		return o.VerifyDueOn
	}
	return nil
}

// DueOn is the deadline of the current stage (GraphQL Objection.dueOn).
func (o Objection) DueOn() *Date { return o.Lateness.DueOn }

// Overdue reports whether the current stage is past its deadline.
func (o Objection) Overdue() bool { return o.Lateness.Overdue }

// DaysLate counts the working days past the deadline.
func (o Objection) DaysLate() *int { return o.Lateness.DaysLate }

// RecordKey names a record in an input: its kind and id, or for a tax
// grade the assessment year of the subject's grade.
type RecordKey struct {
	Kind RecordKind
	ID   int64
	Year int
}

// ObjectionInput is an objection as the credit office or a window
// registers it for a subject.
type ObjectionInput struct {
	// SubjectCode is the subject that objects: the record's subject (for
	// a key-person link, the organisation or the person).
	SubjectCode string
	Record      RecordKey
	// Fields are the contested fields (names of the record's GraphQL
	// fields that CorrectableFields lists); none means the whole record.
	Fields   []string
	Reason   string
	Evidence []string
}

// MaxEvidence bounds the evidence references of one objection, repair or
// report.
const MaxEvidence = 50

// Validate checks the objection's own fields (the record is checked
// against the store by the service). BAD_USER_INPUT names the field.
func (in *ObjectionInput) Validate() error {
	if err := checkRecordKey("input.record", in.Record, allRecordKinds); err != nil {
		return err
	}
	if err := clean(text{"input.reason", &in.Reason, true}); err != nil {
		return err
	}
	if err := cleanList("input.evidence", in.Evidence); err != nil {
		return err
	}
	known := CorrectableFields(in.Record.Kind)
	seen := map[string]bool{}
	for i, f := range in.Fields {
		f = strings.TrimSpace(f)
		in.Fields[i] = f
		switch {
		case !slices.Contains(known, f):
			return FieldErrorf(fmt.Sprintf("input.fields[%d]", i), "%q is not a field of a %s that can be contested; one of %s",
				f, in.Record.Kind, strings.Join(known, ", "))
		case seen[f]:
			return FieldErrorf(fmt.Sprintf("input.fields[%d]", i), "%s is named twice", f)
		}
		seen[f] = true
	}
	return nil
}

var allRecordKinds = []RecordKind{RecordKindLicence, RecordKindPenalty, RecordKindListEntry, RecordKindKeyPerson, RecordKindTaxGrade}

// checkRecordKey checks a record reference of one of kinds: an id for
// records, a year (and no id) for a tax grade.
func checkRecordKey(field string, k RecordKey, kinds []RecordKind) error {
	if !slices.Contains(kinds, k.Kind) {
		names := make([]string, len(kinds))
		for i, x := range kinds {
			names[i] = string(x)
		}
		return FieldErrorf(field+".kind", "%q is not one of %s", k.Kind, strings.Join(names, ", "))
	}
	if k.Kind == RecordKindTaxGrade {
		if k.Year < 1990 || k.Year > 2999 {
			return FieldErrorf(field+".year", "a tax grade is named by its assessment year, got %d", k.Year)
		}
		return nil
	}
	if k.ID < 1 {
		return FieldErrorf(field+".id", "is required for a %s", k.Kind)
	}
	return nil
}

// cleanList trims a list of references and rejects empty ones, NUL, long
// ones and too many.
func cleanList(field string, xs []string) error {
	if len(xs) > MaxEvidence {
		return FieldErrorf(field, "at most %d references, got %d", MaxEvidence, len(xs))
	}
	for i := range xs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := clean(text{f, &xs[i], true}); err != nil {
			return err
		}
		if n := utf8.RuneCountInString(xs[i]); n > 500 {
			return FieldErrorf(f, "must be at most 500 characters, got %d", n)
		}
	}
	return nil
}

// Decision is how the verifying side decides an objection.
type Decision struct {
	Outcome ObjectionStatus
	// Answer is what the subject is told.
	Answer string
	// DecisionNo is the decision's document number; required to revoke a
	// list entry, which leaves its list by a decision.
	DecisionNo string
	// Changes are the corrections of a CORRECTED objection.
	Changes []FieldChange
}

// Validate checks a decision on an objection about a record of kind.
// BAD_USER_INPUT names the field.
func (d *Decision) Validate(kind RecordKind) error {
	if !d.Outcome.IsOutcome() {
		return FieldErrorf("input.outcome", "must be CORRECTED, CONFIRMED or REVOKED_RECORD, got %q", d.Outcome)
	}
	if err := clean(text{"input.answer", &d.Answer, true}, text{"input.decisionNumber", &d.DecisionNo, false}); err != nil {
		return err
	}
	switch {
	case d.Outcome == ObjectionCorrected && len(d.Changes) == 0:
		return FieldErrorf("input.changes", "a CORRECTED objection names at least one field change")
	case d.Outcome != ObjectionCorrected && len(d.Changes) > 0:
		return FieldErrorf("input.changes", "only a CORRECTED objection changes fields, not %s", d.Outcome)
	case d.Outcome == ObjectionRevokedRecord && kind == RecordKindListEntry && d.DecisionNo == "":
		return FieldErrorf("input.decisionNumber", "a list entry is revoked by a decision: give its number")
	}
	seen := map[string]bool{}
	for i := range d.Changes {
		c := &d.Changes[i]
		c.Field = strings.TrimSpace(c.Field)
		if seen[c.Field] {
			return FieldErrorf(fmt.Sprintf("input.changes[%d].field", i), "%s is changed twice", c.Field)
		}
		seen[c.Field] = true
		if _, ok := FieldOf(kind, c.Field); !ok {
			return FieldErrorf(fmt.Sprintf("input.changes[%d].field", i), "%q is not a field of a %s that can be corrected; one of %s",
				c.Field, kind, strings.Join(CorrectableFields(kind), ", "))
		}
	}
	return nil
}

// ObjectionFilter narrows a search of objections.
type ObjectionFilter struct {
	Status      ObjectionStatus
	Open        *bool
	Overdue     *bool
	RecordKind  RecordKind
	Department  string
	SubjectCode string
	FiledFrom   Date
	FiledTo     Date
}

// ObjectionEvent is one transition of an objection.
type ObjectionEvent struct {
	ID          int64            `db:"id"`
	ObjectionID int64            `db:"objection_id"`
	FromStatus  *ObjectionStatus `db:"from_status"`
	ToStatus    ObjectionStatus  `db:"to_status"`
	Actor       string           `db:"actor"`
	Role        string           `db:"role"`
	Note        string           `db:"note"`
	At          time.Time        `db:"at"`
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
