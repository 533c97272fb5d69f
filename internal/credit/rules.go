package credit

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Every rule the hub applies is a dated row with its legal basis (RuleRow),
// stored in the rules table and loaded into one RuleBook, which answers "the
// rule in force for this record on this date" for intake, imports, the
// checks, the statistics and the joint workflow alike. A row is in force
// from its EffectiveFrom until the next row of the same Rule and Scope.
//
// A row in force is never changed: answers for past days must not change.
// A correction is a new row from a later day (ValidateRuleChange).

// RuleKind names a kind of rule; its parameters are defined below.
type RuleKind string

// The kinds of rule, each with the JSON parameters of its rows.
const (
	// RuleDisclosureDeadline: a licence or penalty reaches the platform
	// within workingDays of its decision, counted from the day after it on
	// the official calendar (双公示). {"workingDays": 7}
	RuleDisclosureDeadline RuleKind = "DISCLOSURE_DEADLINE"
	// RulePublicationWindow, scope a Severity: how long a penalty is
	// published and when repair may be asked for, in months from the
	// decision. {"minMonths", "maxMonths", "publishedByDefault"}
	RulePublicationWindow RuleKind = "PUBLICATION_WINDOW"
	// RuleListTerm, scope a list domain: how long an entry lasts, the
	// extensions allowed and when repair may end it, in months from its
	// start; no months: until an exit decision. {"months",
	// "minExtensionMonths", "maxExtensionMonths", "repairAfterMonths"}
	RuleListTerm RuleKind = "LIST_TERM"
	// RuleCheckLookback: the checks' look-back ("the last 3 years") for the
	// green channel and the bank's penalty counts. {"months": 36}
	RuleCheckLookback RuleKind = "CHECK_LOOKBACK"
	// RuleGreenChannel: what is a bad record and who is honoured.
	// {"badSeverities", "repairedCounts", "honouredDomains"}
	RuleGreenChannel RuleKind = "GREEN_CHANNEL"
	// RuleCreditVerdict: the bank verdict's thresholds.
	// {"cautionSeriousPenalties", "cautionGeneralPenalties",
	// "restrictedTaxGrades", "cautionTaxGrades", "keyPersonRoles"}
	RuleCreditVerdict RuleKind = "CREDIT_VERDICT"
	// RuleWorkflowDeadline, scope RESPONSE or FEEDBACK: working days of the
	// joint workflow. {"workingDays"}
	RuleWorkflowDeadline RuleKind = "WORKFLOW_DEADLINE"
	// RuleObjectionDeadline, scope ACCEPT or VERIFY: working days to accept
	// or refuse an objection and to verify it. {"workingDays"}
	RuleObjectionDeadline RuleKind = "OBJECTION_DEADLINE"
	// RuleRepairDeadline, scope ACCEPT or DECIDE: working days to accept a
	// credit repair application and to decide it. {"workingDays"}
	RuleRepairDeadline RuleKind = "REPAIR_DEADLINE"
	// RuleTaxGradeBands: the scores of the tax credit grades.
	// {"aMinScore", "bMinScore", "cMinScore"}
	RuleTaxGradeBands RuleKind = "TAX_GRADE_BANDS"
	// RulePenaltySeverity: the severity of a penalty whose department does
	// not state it. {"seriousKinds", "minorKinds", "hugeFineYuan"}
	RulePenaltySeverity RuleKind = "PENALTY_SEVERITY"
)

// The scopes of the deadline rules.
const (
	ScopeResponse = "RESPONSE"
	ScopeFeedback = "FEEDBACK"
	ScopeAccept   = "ACCEPT"
	ScopeVerify   = "VERIFY"
	ScopeDecide   = "DECIDE"
)

// RuleRow is one dated rule: in force from EffectiveFrom until the next row
// of the same Rule and Scope.
type RuleRow struct {
	Rule          RuleKind        `db:"rule" json:"rule"`
	Scope         string          `db:"scope" json:"scope"`
	EffectiveFrom Date            `db:"effective_from" json:"from"`
	Params        json.RawMessage `db:"params" json:"params"`
	LegalBasis    string          `db:"legal_basis" json:"basis"`
	Note          string          `db:"note" json:"note,omitempty"`
}

// Key names the row: RULE/SCOPE@FROM (RULE@FROM without a scope).
func (r RuleRow) Key() string {
	if r.Scope == "" {
		return string(r.Rule) + "@" + r.EffectiveFrom.String()
	}
	return string(r.Rule) + "/" + r.Scope + "@" + r.EffectiveFrom.String()
}

// Same reports whether r and o say the same thing (parameters compared as
// JSON values, not as text).
func (r RuleRow) Same(o RuleRow) bool {
	return r.Rule == o.Rule && r.Scope == o.Scope && r.EffectiveFrom == o.EffectiveFrom &&
		r.LegalBasis == o.LegalBasis && r.Note == o.Note && sameJSON(r.Params, o.Params)
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	ca, _ := json.Marshal(x)
	cb, _ := json.Marshal(y)
	return bytes.Equal(ca, cb)
}

// RuleBook is every rule row, checked and parsed, answering which rule is
// in force for a record on a day. It is immutable once built.
type RuleBook struct {
	// Revision is the reference revision the rows were read at.
	Revision int64
	rows     []RuleRow
	// byKey holds each rule and scope's rows, oldest first, with their
	// parsed parameters.
	byKey map[ruleKey][]parsedRule
}

type ruleKey struct {
	rule  RuleKind
	scope string
}

type parsedRule struct {
	row    RuleRow
	params any
}

// NewRuleBook checks and parses rows. BAD_USER_INPUT names the first row
// that is not a rule the hub knows, or whose parameters are missing, of
// the wrong kind or out of range, and the field.
func NewRuleBook(rows []RuleRow, revision int64) (*RuleBook, error) {
	b := &RuleBook{Revision: revision, rows: slices.Clone(rows), byKey: map[ruleKey][]parsedRule{}}
	slices.SortFunc(b.rows, compareRuleRows)
	for i, r := range b.rows {
		if i > 0 && compareRuleRows(b.rows[i-1], r) == 0 {
			return nil, Errorf(BadUserInput, "rule %s is given twice", r.Key())
		}
		p, err := parseRule(r)
		if err != nil {
			return nil, err
		}
		k := ruleKey{r.Rule, r.Scope}
		b.byKey[k] = append(b.byKey[k], parsedRule{row: r, params: p})
	}
	return b, nil
}

func compareRuleRows(a, b RuleRow) int {
	if c := strings.Compare(string(a.Rule), string(b.Rule)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Scope, b.Scope); c != 0 {
		return c
	}
	return a.EffectiveFrom.Time().Compare(b.EffectiveFrom.Time())
}

// Rows returns every row, by rule, scope and date.
func (b *RuleBook) Rows() []RuleRow { return slices.Clone(b.rows) }

// inForce returns the row of rule and scope in force on day on.
func (b *RuleBook) inForce(rule RuleKind, scope string, on Date) (parsedRule, bool) {
	var found parsedRule
	ok := false
	for _, p := range b.byKey[ruleKey{rule, scope}] {
		if p.row.EffectiveFrom.After(on) {
			break
		}
		found, ok = p, true
	}
	return found, ok
}

// RuleInForce is a row with the day its validity ends (the day before the
// next row of its rule and scope; zero when none follows).
type RuleInForce struct {
	RuleRow
	EffectiveUntil Date
}

// InForce returns, for every rule and scope, the row in force on day on,
// by rule and scope; with all, every row instead.
func (b *RuleBook) InForce(on Date, all bool) []RuleInForce {
	var out []RuleInForce
	for i, r := range b.rows {
		var until Date
		if i+1 < len(b.rows) && b.rows[i+1].Rule == r.Rule && b.rows[i+1].Scope == r.Scope {
			until = b.rows[i+1].EffectiveFrom.AddDays(-1)
		}
		inForce := !r.EffectiveFrom.After(on) && (until.IsZero() || !until.Before(on))
		if all || inForce {
			out = append(out, RuleInForce{RuleRow: r, EffectiveUntil: until})
		}
	}
	return out
}
