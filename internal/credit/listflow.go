package credit

import (
	"fmt"
	"strings"
)

// List decisions leave staff as little discretion as possible (plan §16):
// a department proposes, the credit office approves, never the same person;
// each transition is one of those allowed below, with its own decision.

// entryTransitions is the state machine of a list entry.
var entryTransitions = map[ListEntryStatus][]ListEntryStatus{
	EntryProposed: {EntryActive, EntryRejected},
	EntryActive:   {EntryExited, EntryExpired, EntryRepaired, EntryRevoked},
}

// CheckTransition returns CONFLICT unless an entry may move from one status
// to the other.
func CheckTransition(from, to ListEntryStatus) error {
	for _, ok := range entryTransitions[from] {
		if ok == to {
			return nil
		}
	}
	return Errorf(Conflict, "a list entry that is %s cannot become %s", from, to)
}

// ExitReason is why an entry leaves its list before its end.
type ExitReason string

// The exit reasons, each with the status it leads to.
const (
	ExitRepair               ExitReason = "REPAIR"                // 信用修复 → REPAIRED
	ExitObligationsFulfilled ExitReason = "OBLIGATIONS_FULFILLED" // 履行义务 → EXITED
	ExitCourtDeletion        ExitReason = "COURT_DELETION"        // 法院删除 → EXITED
	ExitError                ExitReason = "ERROR"                 // 认定错误 → REVOKED
)

// Status returns the status an exit for this reason leads to.
func (r ExitReason) Status() (ListEntryStatus, bool) {
	switch r {
	case ExitRepair:
		return EntryRepaired, true
	case ExitObligationsFulfilled, ExitCourtDeletion:
		return EntryExited, true
	case ExitError:
		return EntryRevoked, true
	}
	return "", false
}

// DomainPeriod is how long an entry of a domain lasts, as the dated rule in
// force on its decision date says.
type DomainPeriod struct {
	Domain             string   `db:"domain"`
	Kind               ListKind `db:"kind"`
	PeriodMonths       *int     `db:"period_months"`
	MinExtensionMonths *int     `db:"min_extension_months"`
	MaxExtensionMonths *int     `db:"max_extension_months"`
	RepairAfterMonths  *int     `db:"repair_after_months"`
	LegalBasis         string   `db:"legal_basis"`
}

// ListEntryInput is a department's proposal to put a subject on a list.
type ListEntryInput struct {
	SubjectCode     string
	Kind            ListKind
	Domain          string
	DecisionNo      string
	DecidedOn       Date
	Facts           string
	DecisionContent string
	// StartsOn defaults to the decision date.
	StartsOn *Date
	// EndsOn defaults to the domain's period; a domain that allows
	// extensions (court enforcement: 1 to 3 years) accepts an end extended
	// within its bounds, nothing else.
	EndsOn   *Date
	UseScope UseScope
}

// Validate checks the proposal against the domain rule in force and fills
// the start, end and scope. BAD_USER_INPUT names the field and the rule.
func (in *ListEntryInput) Validate(today Date, p DomainPeriod) error {
	in.DecisionNo, in.Facts = strings.TrimSpace(in.DecisionNo), strings.TrimSpace(in.Facts)
	switch {
	case in.Kind != p.Kind:
		return FieldErrorf("input.kind", "the domain %s is a %s list, not %s", p.Domain, p.Kind, in.Kind)
	case in.DecisionNo == "":
		return FieldErrorf("input.decisionNumber", "must not be empty")
	case in.Facts == "":
		return FieldErrorf("input.facts", "must state the main facts")
	case in.DecidedOn.After(today):
		return FieldErrorf("input.decidedOn", "%s is after today (%s)", in.DecidedOn, today)
	}
	if in.StartsOn == nil {
		in.StartsOn = &in.DecidedOn
	}
	if in.StartsOn.Before(in.DecidedOn) {
		return FieldErrorf("input.startsOn", "%s is before the decision date %s", *in.StartsOn, in.DecidedOn)
	}
	if in.UseScope == "" {
		in.UseScope = ScopePublic
	}
	if p.PeriodMonths == nil { // until an exit decision
		if in.EndsOn != nil {
			return FieldErrorf("input.endsOn", "entries of %s last until an exit decision; give no end date", p.Domain)
		}
		return nil
	}
	// The term is a period of the Civil Code (PeriodEnd): counted from the
	// start, it ends on the corresponding day of its last month; an
	// extension is a period counted from the term's last day.
	standard := PeriodEnd(*in.StartsOn, *p.PeriodMonths)
	if in.EndsOn == nil || *in.EndsOn == standard {
		in.EndsOn = &standard
		return nil
	}
	if p.MinExtensionMonths == nil || p.MaxExtensionMonths == nil {
		return FieldErrorf("input.endsOn", "entries of %s last %d months (until %s, %s); %s is not allowed",
			p.Domain, *p.PeriodMonths, standard, p.LegalBasis, *in.EndsOn)
	}
	lo, hi := PeriodEnd(standard, *p.MinExtensionMonths), PeriodEnd(standard, *p.MaxExtensionMonths)
	if in.EndsOn.Before(lo) || in.EndsOn.After(hi) {
		return FieldErrorf("input.endsOn", "entries of %s last until %s, or extended by %d to %d months (%s to %s); %s is outside",
			p.Domain, standard, *p.MinExtensionMonths, *p.MaxExtensionMonths, lo, hi, *in.EndsOn)
	}
	return nil
}

// ExitInput is the decision by which an entry leaves its list.
type ExitInput struct {
	DecisionNo string
	DecidedOn  Date
	Reason     ExitReason
	Note       string
}

// Validate checks an exit of entry e. BAD_USER_INPUT names the field; a
// repair before the domain allows one is BAD_USER_INPUT on input.reason.
func (in *ExitInput) Validate(today Date, e ListEntry, p DomainPeriod) (ListEntryStatus, error) {
	in.DecisionNo = strings.TrimSpace(in.DecisionNo)
	status, ok := in.Reason.Status()
	switch {
	case !ok:
		return "", FieldErrorf("input.reason", "must be REPAIR, OBLIGATIONS_FULFILLED, COURT_DELETION or ERROR, got %q", in.Reason)
	case in.DecisionNo == "":
		return "", FieldErrorf("input.decisionNumber", "must not be empty")
	case in.DecidedOn.After(today):
		return "", FieldErrorf("input.decidedOn", "%s is after today (%s)", in.DecidedOn, today)
	case in.DecidedOn.Before(e.DecidedOn):
		return "", FieldErrorf("input.decidedOn", "%s is before the entry's decision (%s)", in.DecidedOn, e.DecidedOn)
	}
	if in.Reason == ExitRepair && p.RepairAfterMonths != nil {
		if earliest := PeriodEnd(e.StartsOn, *p.RepairAfterMonths); in.DecidedOn.Before(earliest) {
			return "", FieldErrorf("input.reason", "credit repair of %s is possible from %s (%d months after the start, %s)",
				p.Domain, earliest, *p.RepairAfterMonths, p.LegalBasis)
		}
	}
	return status, nil
}

// Quarter is a feedback period such as 2026Q4.
func Quarter(d Date) string {
	return fmt.Sprintf("%dQ%d", d.Year(), (int(d.Time().Month())-1)/3+1)
}
