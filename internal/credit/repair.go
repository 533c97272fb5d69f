package credit

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Credit repair (信用修复): a subject who has put things right asks for a
// penalty's publication, or a black-list entry, to end early. It may ask
// from the first day the record's rule allows (Eligibility): for a penalty
// the PUBLICATION_WINDOW rule's minimum for its severity, counted by the
// Civil Code from the decision (a GENERAL penalty decided 2026-05-12 from
// 2026-08-12, a SERIOUS one from 2027-05-12; a MINOR one, whose minimum
// is 0, from its decision day); for a list entry the LIST_TERM rule's
// repairAfterMonths counted from its start, and not at all where the rule
// gives none. The state machine:
//
//	REQUESTED → ACCEPTED | REFUSED(reason)   the deciding (listing) department, within REPAIR_DEADLINE/ACCEPT working days
//	ACCEPTED → GRANTED | REFUSED(reason)     decided within REPAIR_DEADLINE/DECIDE working days of acceptance
//
// Granted, the penalty becomes REPAIRED (no longer published, no longer
// counted by the checks from the repair day), or the entry leaves its list
// as REPAIRED (its measures lift, its open assignments close and their
// departments are told); both stay as history, and answers about a day
// before the repair still show them.

// RepairStatus is where a repair application is.
type RepairStatus string

// The repair statuses.
const (
	RepairRequested RepairStatus = "REQUESTED"
	RepairAccepted  RepairStatus = "ACCEPTED"
	RepairGranted   RepairStatus = "GRANTED"
	RepairRefused   RepairStatus = "REFUSED"
)

var repairTransitions = map[RepairStatus][]RepairStatus{
	RepairRequested: {RepairAccepted, RepairRefused},
	RepairAccepted:  {RepairGranted, RepairRefused},
}

// CheckRepairTransition returns CONFLICT unless a repair application may
// move from one status to the other.
func CheckRepairTransition(from, to RepairStatus) error {
	if slices.Contains(repairTransitions[from], to) {
		return nil
	}
	return Errorf(Conflict, "a repair application that is %s cannot become %s", from, to)
}

// Open reports whether an application in status s awaits a decision.
func (s RepairStatus) Open() bool { return s == RepairRequested || s == RepairAccepted }

// Repair is a credit repair application.
type Repair struct {
	ID                   int64        `db:"id"`
	RecordKind           RecordKind   `db:"record_kind"`
	RecordID             int64        `db:"record_id"`
	SubjectID            int64        `db:"subject_id"`
	RecordLabel          string       `db:"record_label"`
	RecordDate           Date         `db:"record_date"`
	DepartmentCode       string       `db:"department_code"`
	Severity             *Severity    `db:"severity"`
	Domain               *string      `db:"domain"`
	FirstAllowed         Date         `db:"first_allowed"`
	RuleKey              string       `db:"rule_key"`
	RuleBasis            string       `db:"rule_basis"`
	ObligationsPerformed bool         `db:"obligations_performed"`
	EvidenceList         Strings      `db:"obligation_evidence"`
	Commitment           string       `db:"commitment"`
	Statement            string       `db:"statement"`
	Status               RepairStatus `db:"status"`
	RequestedAt          time.Time    `db:"requested_at"`
	RequestedOn          Date         `db:"requested_on"`
	RequestedBy          string       `db:"requested_by"`
	RequestedRole        Role         `db:"requested_role"`
	RequestedInstitution string       `db:"requested_institution"`
	AcceptDueOn          *Date        `db:"accept_due"`
	AcceptedOn           *Date        `db:"accepted_on"`
	DecideDueOn          *Date        `db:"decide_due"`
	DecidedOn            *Date        `db:"decided_on"`
	DecidedBy            *string      `db:"decided_by"`
	DecisionNo           *string      `db:"decision_no"`
	RefuseReason         *string      `db:"refuse_reason"`
	Lateness             Lateness     `db:"-"`
}

// Record returns the reference to the record to repair.
func (r Repair) Record() RecordRef {
	return RecordRef{Kind: r.RecordKind, ID: r.RecordID, DecisionNo: r.RecordLabel, DecidedOn: r.RecordDate, SubjectID: r.SubjectID}
}

// ObligationEvidence returns the references to the evidence that the
// obligations were performed.
func (r Repair) ObligationEvidence() []string { return nonNil(r.EvidenceList) }

// StageDue returns the deadline of the current stage; nil when decided or
// unknown.
func (r Repair) StageDue() *Date {
	switch r.Status {
	case RepairRequested:
		return r.AcceptDueOn
	case RepairAccepted:
		return r.DecideDueOn
	}
	return nil
}

// DueOn, Overdue and DaysLate are the lateness the service filled in.
func (r Repair) DueOn() *Date   { return r.Lateness.DueOn }
func (r Repair) Overdue() bool  { return r.Lateness.Overdue }
func (r Repair) DaysLate() *int { return r.Lateness.DaysLate }
func (r Repair) Open() bool     { return r.Status.Open() }

// RepairInput is an application for credit repair, with its conditions.
type RepairInput struct {
	Record RecordKey
	// ObligationsPerformed states that the obligations the record imposed
	// (the fine paid, the wrong put right) are performed; Evidence names
	// the documents that show it.
	ObligationsPerformed bool
	Evidence             []string
	// Commitment names the credit commitment (信用承诺书) on file.
	Commitment string
	Statement  string
}

// Validate checks the application's own fields and its conditions.
// BAD_USER_INPUT names the field and the condition.
func (in *RepairInput) Validate() error {
	if err := checkRecordKey("input.record", in.Record, []RecordKind{RecordKindPenalty, RecordKindListEntry}); err != nil {
		return err
	}
	if err := clean(text{"input.commitment", &in.Commitment, false}, text{"input.statement", &in.Statement, false}); err != nil {
		return err
	}
	if err := cleanList("input.evidence", in.Evidence); err != nil {
		return err
	}
	switch {
	case !in.ObligationsPerformed:
		return FieldErrorf("input.obligationsPerformed", "credit repair requires the obligations the record imposed to be performed first")
	case len(in.Evidence) == 0:
		return FieldErrorf("input.evidence", "name the documents that show the obligations performed")
	case in.Commitment == "":
		return FieldErrorf("input.commitment", "credit repair requires a credit commitment (信用承诺书) on file: give its reference")
	}
	return nil
}

// Eligibility is when a record may be repaired, by which rule.
type Eligibility struct {
	// Repairable is false when the record's rule provides no repair.
	Repairable bool
	// From is the first day repair may be requested.
	From Date
	// RuleKey and Basis name the rule row and its legal basis.
	RuleKey, Basis string
	// Why says, for people, what the minimum is.
	Why string
}

// PenaltyEligibility returns when a penalty decided on decided may be
// repaired under the PUBLICATION_WINDOW rule in force on that day: from
// the last day of the rule's minimum period (PeriodEnd).
func PenaltyEligibility(rule PublicationRule, key string, decided Date) Eligibility {
	return Eligibility{Repairable: true, From: PeriodEnd(decided, rule.MinMonths), RuleKey: key, Basis: rule.LegalBasis,
		Why: fmt.Sprintf("the minimum publication period of %s penalties is %d months from the decision (%s)",
			rule.Severity, rule.MinMonths, decided)}
}

// EntryEligibility returns when list entry e may be repaired under its
// domain's LIST_TERM rule p: from repairAfterMonths after its start; never
// for a red list or a domain whose rule gives no repairAfterMonths.
func EntryEligibility(p DomainPeriod, key string, e ListEntry) Eligibility {
	el := Eligibility{RuleKey: key, Basis: p.LegalBasis}
	switch {
	case e.Kind != Black:
		el.Why = "a red-list entry is not repaired; it leaves by an exit decision"
	case p.RepairAfterMonths == nil:
		el.Why = fmt.Sprintf("the %s rule of %s provides no credit repair; the entry leaves by an exit decision", RuleListTerm, e.Domain)
	default:
		el.Repairable, el.From = true, PeriodEnd(e.StartsOn, *p.RepairAfterMonths)
		el.Why = fmt.Sprintf("entries of %s may be repaired %d months after their start (%s)", e.Domain, *p.RepairAfterMonths, e.StartsOn)
	}
	return el
}

// Check returns BAD_USER_INPUT on field when repair may not be requested
// on day today: with the rule and the first allowed day.
func (el Eligibility) Check(field string, today Date) error {
	switch {
	case !el.Repairable:
		return FieldErrorf(field, "cannot be repaired: %s (%s, %s)", el.Why, el.RuleKey, el.Basis)
	case today.Before(el.From):
		return FieldErrorf(field, "credit repair may be requested from %s, not on %s: %s (%s, %s)",
			el.From, today, el.Why, el.RuleKey, el.Basis)
	}
	return nil
}

// RepairFilter narrows a search of repair applications.
type RepairFilter struct {
	Status      RepairStatus
	Open        *bool
	Overdue     *bool
	RecordKind  RecordKind
	Department  string
	SubjectCode string
	From, To    Date
}

// RepairEvent is one transition of a repair application.
type RepairEvent struct {
	ID         int64         `db:"id"`
	RepairID   int64         `db:"repair_id"`
	FromStatus *RepairStatus `db:"from_status"`
	ToStatus   RepairStatus  `db:"to_status"`
	Actor      string        `db:"actor"`
	Role       string        `db:"role"`
	Note       string        `db:"note"`
	At         time.Time     `db:"at"`
}

// RepairDecision is the department's decision: the decision number when
// granted, the reason when refused.
type RepairDecision struct {
	Grant      bool
	DecisionNo string
	Reason     string
}

// Validate checks the decision. BAD_USER_INPUT names the field.
func (d *RepairDecision) Validate() error {
	d.DecisionNo, d.Reason = strings.TrimSpace(d.DecisionNo), strings.TrimSpace(d.Reason)
	if d.Grant {
		return clean(text{"decisionNumber", &d.DecisionNo, true})
	}
	return clean(text{"reason", &d.Reason, true})
}
