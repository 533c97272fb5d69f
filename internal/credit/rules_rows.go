package credit

import (
	"encoding/json"
	"fmt"
)

// Rule rows as people read them, and how they may change.

// ValidateRuleChange says whether a rule row may change on day today: a row in force
// (from today or earlier) is never changed or removed, and a new row of a
// rule and scope that already has rows starts after today. A row of a new
// rule and scope may start on any day: nothing was decided under it.
// CONFLICT names the row otherwise.
func ValidateRuleChange(old *RuleRow, new *RuleRow, existing []RuleRow, today Date) error {
	switch {
	case old != nil && !old.EffectiveFrom.After(today):
		verb := "changed"
		if new == nil {
			verb = "removed"
		}
		return Errorf(Conflict, "rule %s is in force since %s and cannot be %s: answers for past days must not change; "+
			"add a row from a day after %s instead", old.Key(), old.EffectiveFrom, verb, today)
	case old == nil && new != nil && !new.EffectiveFrom.After(today):
		for _, r := range existing {
			if r.Rule == new.Rule && r.Scope == new.Scope {
				return Errorf(Conflict, "rule %s starts on or before today (%s) and would change answers already given "+
					"under %s; start it after today", new.Key(), today, r.Key())
			}
		}
	}
	return nil
}

// describeRule says what a kind of rule decides, for people reading the
// rules (the rules query, README).
var describeRule = map[RuleKind]string{
	RuleDisclosureDeadline: "working days within which a licence or penalty reaches the platform, from the day after its decision",
	RulePublicationWindow:  "how long a penalty of this severity is published, and when credit repair may be asked for (months from the decision)",
	RuleListTerm:           "how long an entry of this list domain lasts, the extensions allowed and when credit repair may end it",
	RuleCheckLookback:      "the look-back of the checks: bad records and penalties decided in these months before the day asked about",
	RuleGreenChannel:       "what is a bad record for the green channel and 容缺受理, and which red lists give the green channel",
	RuleCreditVerdict:      "the thresholds of the bank's verdict (CAUTION, RESTRICTED)",
	RuleWorkflowDeadline:   "working days a department has in the joint workflow",
	RuleObjectionDeadline:  "working days to accept or refuse an objection, and to verify it",
	RuleRepairDeadline:     "working days to accept a credit repair application, and to decide it",
	RuleTaxGradeBands:      "the scores of the tax credit grades A, B, C and D",
	RulePenaltySeverity:    "the severity of a penalty whose department does not state it",
}

// Describe says what a kind of rule decides.
func (k RuleKind) Describe() string { return describeRule[k] }

// Valid reports whether k is a kind of rule the hub knows.
func (k RuleKind) Valid() bool { _, ok := describeRule[k]; return ok }

// String returns a row as one line: key, parameters, basis.
func (r RuleRow) String() string {
	return fmt.Sprintf("%s %s (%s)", r.Key(), string(r.Params), r.LegalBasis)
}

// RuleName returns the kind of rule as a string (GraphQL Rule.rule).
func (r RuleInForce) RuleName() string { return string(r.Rule) }

// Until returns the last day the row applies, nil while no row follows.
func (r RuleInForce) Until() *Date {
	if r.EffectiveUntil.IsZero() {
		return nil
	}
	d := r.EffectiveUntil
	return &d
}

// Parameters returns the row's parameters as compact JSON.
func (r RuleInForce) Parameters() string {
	var v any
	if json.Unmarshal(r.Params, &v) != nil {
		return string(r.Params)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Description says what the row's kind of rule decides.
func (r RuleInForce) Description() string { return r.Rule.Describe() }
