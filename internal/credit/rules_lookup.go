package credit

import (
	"slices"
	"strings"
)

// What the rule book answers: the rule in force for a record on a day, by
// kind of rule, as the types the rest of the hub uses.

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
