package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// Publication returns the publication window of penalties of severity s
// decided on day on; false when no rule was in force yet.
func (b *RuleBook) Publication(s Severity, on Date) (PublicationRule, bool) {
	p, ok := b.inForce(RulePublicationWindow, string(s), on)
	if !ok {
		return PublicationRule{}, false
	}
	w := p.params.(*publicationParams)
	return PublicationRule{Severity: s, EffectiveFrom: p.row.EffectiveFrom, MinMonths: w.MinMonths, MaxMonths: w.MaxMonths,
		PublishedByDefault: w.PublishedByDefault, LegalBasis: p.row.LegalBasis}, true
}

// ListTerm returns the term of entries of domain decided on day on, with
// the list kind given; false when the domain had no rule in force.
func (b *RuleBook) ListTerm(domain string, kind ListKind, on Date) (DomainPeriod, bool) {
	p, ok := b.inForce(RuleListTerm, domain, on)
	if !ok {
		return DomainPeriod{}, false
	}
	t := p.params.(*listTermParams)
	return DomainPeriod{Domain: domain, Kind: kind, PeriodMonths: t.Months, MinExtensionMonths: t.MinExtensionMonths,
		MaxExtensionMonths: t.MaxExtensionMonths, RepairAfterMonths: t.RepairAfterMonths, LegalBasis: p.row.LegalBasis}, true
}

// DisclosureDays returns the working days within which a record decided on
// day on must reach the platform, with the row's basis; false before the
// first rule.
func (b *RuleBook) DisclosureDays(on Date) (int, bool) {
	return b.workingDays(RuleDisclosureDeadline, "", on)
}

// Deadline returns the working days of a deadline rule (workflow,
// objection, repair) of scope in force on day on; false when none was.
func (b *RuleBook) Deadline(rule RuleKind, scope string, on Date) (int, bool) {
	return b.workingDays(rule, scope, on)
}

func (b *RuleBook) workingDays(rule RuleKind, scope string, on Date) (int, bool) {
	p, ok := b.inForce(rule, scope, on)
	if !ok {
		return 0, false
	}
	return p.params.(*workingDaysParams).WorkingDays, true
}

// Deadlines returns the joint workflow's deadlines in force on day on,
// counted from that day (a push, a quarter's end).
func (b *RuleBook) Deadlines(on Date) (Deadlines, bool) {
	r, ok1 := b.Deadline(RuleWorkflowDeadline, ScopeResponse, on)
	f, ok2 := b.Deadline(RuleWorkflowDeadline, ScopeFeedback, on)
	return Deadlines{ResponseDays: r, FeedbackDays: f}, ok1 && ok2
}

// TaxBands returns the score bands of tax credit grades for the assessment
// year: the rule in force on the year's last day.
func (b *RuleBook) TaxBands(year int) (TaxGradeBands, bool) {
	p, ok := b.inForce(RuleTaxGradeBands, "", NewDate(year, 12, 31))
	if !ok {
		return TaxGradeBands{}, false
	}
	t := p.params.(*taxBandParams)
	return TaxGradeBands{AMin: t.AMinScore * 100, BMin: t.BMinScore * 100, CMin: t.CMinScore * 100, LegalBasis: p.row.LegalBasis}, true
}

// Severity returns the rule that derives a penalty's severity for a
// penalty decided on day on; false when none was in force.
func (b *RuleBook) Severity(on Date) (SeverityRule, bool) {
	p, ok := b.inForce(RulePenaltySeverity, "", on)
	if !ok {
		return SeverityRule{}, false
	}
	s := p.params.(*severityParams)
	huge := map[SubjectCategory]Fen{}
	for c, y := range s.HugeFineYuan {
		huge[SubjectCategory(c)] = Fen(y * 100)
	}
	return SeverityRule{SeriousKinds: s.SeriousKinds, MinorKinds: s.MinorKinds, HugeFine: huge}, true
}

// CheckRules returns the parameters of the hot checks in force on asOf,
// from the CHECK_LOOKBACK, GREEN_CHANNEL and CREDIT_VERDICT rows, with a
// Version naming the rows. For a day before the first rows it takes the
// earliest rows, rather than checks with no window at all. A book without
// these rules gives zero CheckRules.
func (b *RuleBook) CheckRules(asOf Date) CheckRules {
	pick := func(rule RuleKind) (parsedRule, bool) {
		if p, ok := b.inForce(rule, "", asOf); ok {
			return p, true
		}
		rows := b.byKey[ruleKey{rule, ""}]
		if len(rows) == 0 {
			return parsedRule{}, false
		}
		return rows[0], true
	}
	var out CheckRules
	var names, bases []string
	use := func(p parsedRule) {
		names = append(names, p.row.Key())
		if !slices.Contains(bases, p.row.LegalBasis) {
			bases = append(bases, p.row.LegalBasis)
		}
		if p.row.EffectiveFrom.After(out.EffectiveFrom) {
			out.EffectiveFrom = p.row.EffectiveFrom
		}
	}
	if p, ok := pick(RuleCheckLookback); ok {
		use(p)
		out.LookbackMonths = p.params.(*lookbackParams).Months
	}
	if p, ok := pick(RuleGreenChannel); ok {
		use(p)
		g := p.params.(*greenChannelParams)
		out.BadSeverities, out.RepairedCounts, out.HonouredDomains = g.BadSeverities, g.RepairedCounts, g.HonouredDomains
	}
	if p, ok := pick(RuleCreditVerdict); ok {
		use(p)
		v := p.params.(*verdictParams)
		out.CautionSeriousPenalties, out.CautionGeneralPenalties = v.CautionSeriousPenalties, v.CautionGeneralPenalties
		out.RestrictedTaxGrades, out.CautionTaxGrades, out.KeyPersonRoles = v.RestrictedTaxGrades, v.CautionTaxGrades, v.KeyPersonRoles
	}
	out.Version = strings.Join(names, " ")
	out.LegalBasis = strings.Join(bases, "；")
	return out
}

// RuleChange is how a rule row may change on day today: a row in force
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
