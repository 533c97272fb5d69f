package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The parameters of each kind of rule, as its rows hold them in JSON, with
// the checks that keep a bad row out of the book.

type workingDaysParams struct {
	WorkingDays int `json:"workingDays"`
}

type publicationParams struct {
	MinMonths          int  `json:"minMonths"`
	MaxMonths          int  `json:"maxMonths"`
	PublishedByDefault bool `json:"publishedByDefault"`
}

type listTermParams struct {
	Months             *int `json:"months,omitempty"`
	MinExtensionMonths *int `json:"minExtensionMonths,omitempty"`
	MaxExtensionMonths *int `json:"maxExtensionMonths,omitempty"`
	RepairAfterMonths  *int `json:"repairAfterMonths,omitempty"`
}

type lookbackParams struct {
	Months int `json:"months"`
}

type greenChannelParams struct {
	BadSeverities   []Severity `json:"badSeverities"`
	RepairedCounts  bool       `json:"repairedCounts"`
	HonouredDomains []string   `json:"honouredDomains"`
}

type verdictParams struct {
	CautionSeriousPenalties int             `json:"cautionSeriousPenalties"`
	CautionGeneralPenalties int             `json:"cautionGeneralPenalties"`
	RestrictedTaxGrades     []TaxGrade      `json:"restrictedTaxGrades"`
	CautionTaxGrades        []TaxGrade      `json:"cautionTaxGrades"`
	KeyPersonRoles          []KeyPersonRole `json:"keyPersonRoles"`
}

type taxBandParams struct {
	AMinScore int `json:"aMinScore"`
	BMinScore int `json:"bMinScore"`
	CMinScore int `json:"cMinScore"`
}

type severityParams struct {
	SeriousKinds []string         `json:"seriousKinds"`
	MinorKinds   []string         `json:"minorKinds"`
	HugeFineYuan map[string]int64 `json:"hugeFineYuan"`
}

// parseRule decodes r's parameters into the type of its kind, refusing
// unknown and missing fields, and checks them. BAD_USER_INPUT names the row.
func parseRule(r RuleRow) (any, error) {
	bad := func(format string, args ...any) error {
		return Errorf(BadUserInput, "rule %s: %s", r.Key(), fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(r.LegalBasis) == "" {
		return nil, bad("has no legal basis: every rule names its document (and article)")
	}
	if r.EffectiveFrom.IsZero() {
		return nil, bad("has no effective date")
	}
	var p any
	var check func() string
	switch r.Rule {
	case RuleDisclosureDeadline, RuleWorkflowDeadline, RuleObjectionDeadline, RuleRepairDeadline:
		w := &workingDaysParams{}
		p, check = w, func() string {
			if w.WorkingDays < 1 || w.WorkingDays > 365 {
				return "workingDays must be from 1 to 365"
			}
			return scopeOneOf(r, map[RuleKind][]string{RuleDisclosureDeadline: {""},
				RuleWorkflowDeadline: {ScopeResponse, ScopeFeedback}, RuleObjectionDeadline: {ScopeAccept, ScopeVerify},
				RuleRepairDeadline: {ScopeAccept, ScopeDecide}}[r.Rule])
		}
	case RulePublicationWindow:
		w := &publicationParams{}
		p, check = w, func() string {
			if w.MinMonths < 0 || w.MaxMonths < 1 || w.MinMonths > w.MaxMonths || w.MaxMonths > 120 {
				return "months must satisfy 0 ≤ minMonths ≤ maxMonths, 1 ≤ maxMonths ≤ 120"
			}
			return scopeOneOf(r, []string{string(Minor), string(General), string(Serious)})
		}
	case RuleListTerm:
		t := &listTermParams{}
		p, check = t, func() string { return t.check(r.Scope) }
	case RuleCheckLookback:
		l := &lookbackParams{}
		p, check = l, func() string {
			if l.Months < 1 || l.Months > 120 {
				return "months must be from 1 to 120"
			}
			return scopeOneOf(r, []string{""})
		}
	case RuleGreenChannel:
		g := &greenChannelParams{}
		p, check = g, func() string {
			for _, s := range g.BadSeverities {
				if s != Minor && s != General && s != Serious {
					return fmt.Sprintf("badSeverities: %q is not MINOR, GENERAL or SERIOUS", s)
				}
			}
			return scopeOneOf(r, []string{""})
		}
	case RuleCreditVerdict:
		v := &verdictParams{}
		p, check = v, func() string { return v.check(r) }
	case RuleTaxGradeBands:
		t := &taxBandParams{}
		p, check = t, func() string {
			if !(0 < t.CMinScore && t.CMinScore < t.BMinScore && t.BMinScore < t.AMinScore && t.AMinScore <= 100) {
				return "scores must satisfy 0 < cMinScore < bMinScore < aMinScore ≤ 100"
			}
			return scopeOneOf(r, []string{""})
		}
	case RulePenaltySeverity:
		s := &severityParams{}
		p, check = s, func() string { return s.check(r) }
	default:
		return nil, bad("%q is not a kind of rule the hub applies", r.Rule)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, bad("parameters %s: %v", string(r.Params), err)
	}
	if msg := check(); msg != "" {
		return nil, bad("%s", msg)
	}
	return p, nil
}

// scopeOneOf returns why r's scope is not one of scopes, or "".
func scopeOneOf(r RuleRow, scopes []string) string {
	if slices.Contains(scopes, r.Scope) {
		return ""
	}
	if len(scopes) == 1 && scopes[0] == "" {
		return fmt.Sprintf("takes no scope, got %q", r.Scope)
	}
	return fmt.Sprintf("scope must be one of %s, got %q", strings.Join(scopes, ", "), r.Scope)
}

func (t *listTermParams) check(scope string) string {
	positive := func(name string, v *int, zeroOK bool) string {
		if v != nil && (*v < 0 || *v == 0 && !zeroOK || *v > 240) {
			return name + " must be from 1 to 240 months"
		}
		return ""
	}
	switch {
	case scope == "":
		return "needs the list domain as its scope"
	case (t.MinExtensionMonths == nil) != (t.MaxExtensionMonths == nil):
		return "minExtensionMonths and maxExtensionMonths go together"
	case t.Months == nil && t.MinExtensionMonths != nil:
		return "an entry without a term (until an exit decision) cannot be extended"
	case t.MinExtensionMonths != nil && *t.MinExtensionMonths > *t.MaxExtensionMonths:
		return "minExtensionMonths is above maxExtensionMonths"
	}
	for _, m := range []string{positive("months", t.Months, false), positive("minExtensionMonths", t.MinExtensionMonths, false),
		positive("maxExtensionMonths", t.MaxExtensionMonths, false), positive("repairAfterMonths", t.RepairAfterMonths, true)} {
		if m != "" {
			return m
		}
	}
	return ""
}

func (v *verdictParams) check(r RuleRow) string {
	if v.CautionSeriousPenalties < 1 || v.CautionGeneralPenalties < 1 {
		return "cautionSeriousPenalties and cautionGeneralPenalties must be at least 1"
	}
	for _, g := range append(slices.Clone(v.RestrictedTaxGrades), v.CautionTaxGrades...) {
		if !g.Valid() {
			return fmt.Sprintf("%q is not a tax grade", g)
		}
	}
	for _, k := range v.KeyPersonRoles {
		switch k {
		case LegalRepresentative, Principal, ActualController, DirectlyResponsible:
		default:
			return fmt.Sprintf("keyPersonRoles: %q is not a key person role", k)
		}
	}
	return scopeOneOf(r, []string{""})
}

func (s *severityParams) check(r RuleRow) string {
	if len(s.SeriousKinds) == 0 || len(s.MinorKinds) == 0 {
		return "seriousKinds and minorKinds must not be empty"
	}
	for c, y := range s.HugeFineYuan {
		switch SubjectCategory(c) {
		case CategoryOrganization, CategoryIndividualBusiness, CategoryNaturalPerson:
		default:
			return fmt.Sprintf("hugeFineYuan: %q is not ORGANIZATION, INDIVIDUAL_BUSINESS or NATURAL_PERSON", c)
		}
		if y < 1 {
			return "hugeFineYuan amounts must be at least 1 yuan"
		}
	}
	return scopeOneOf(r, []string{""})
}

// TaxGradeBands are the lowest scores, in hundredths of a point, of grades
// A, B and C; below CMin is D, and D may also be given directly whatever
// the score (a listed major tax violator is D). M (new taxpayers) is not
// given by score.
type TaxGradeBands struct {
	AMin, BMin, CMin int
	LegalBasis       string
}

// Fits returns why grade g does not fit score (hundredths of a point), or
// "": A needs AMin or more; B, M and C lie between CMin and AMin, and B
// and C within their own bands; below CMin is D.
func (t TaxGradeBands) Fits(g TaxGrade, score int) string {
	pts := func(n int) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }
	switch {
	case g == GradeD:
		return ""
	case g == GradeA && score < t.AMin:
		return fmt.Sprintf("grade A needs %s points or more, the score is %s (%s)", pts(t.AMin), pts(score), t.LegalBasis)
	case g != GradeA && score >= t.AMin:
		return fmt.Sprintf("a score of %s is grade A (or D given directly), not %s (%s)", pts(score), g, t.LegalBasis)
	case score < t.CMin:
		return fmt.Sprintf("a score of %s is below %s, which is grade D, not %s (%s)", pts(score), pts(t.CMin), g, t.LegalBasis)
	case g == GradeB && score < t.BMin:
		return fmt.Sprintf("grade B needs %s points or more, the score is %s (%s)", pts(t.BMin), pts(score), t.LegalBasis)
	case g == GradeC && score >= t.BMin:
		return fmt.Sprintf("grade C is below %s points, the score is %s (%s)", pts(t.BMin), pts(score), t.LegalBasis)
	}
	return ""
}

// SeverityRule derives the severity of a penalty whose department does not
// state it (a department's statement always wins).
type SeverityRule struct {
	// SeriousKinds: a penalty kind (CF_CFLB) containing one of them is
	// SERIOUS (吊销…, 责令关闭, 限制从业, 禁止从业).
	SeriousKinds []string
	// MinorKinds: a penalty whose every kind is one of them, with no fine
	// and no confiscation, is MINOR (警告, 通报批评).
	MinorKinds []string
	// HugeFine is, by the party's category, the fine from which a fine is
	// "huge" (巨额罚款) and the penalty SERIOUS.
	HugeFine map[SubjectCategory]Fen
}

// Derive returns the severity of a penalty of kinds (CF_CFLB, several
// separated by ; ； , ， 、 or /) imposed on a party of category with the
// fine and confiscation given: SERIOUS for a serious kind or a huge fine,
// MINOR when every kind is minor and there is no money, GENERAL otherwise.
func (r SeverityRule) Derive(kinds string, category SubjectCategory, fine, confiscated Fen) Severity {
	for _, k := range r.SeriousKinds {
		if strings.Contains(kinds, k) {
			return Serious
		}
	}
	if huge, ok := r.HugeFine[category]; ok && fine >= huge {
		return Serious
	}
	parts := strings.FieldsFunc(kinds, func(c rune) bool { return strings.ContainsRune(";；,，、/ \t", c) })
	if len(parts) == 0 || fine != 0 || confiscated != 0 {
		return General
	}
	for _, p := range parts {
		if !slices.Contains(r.MinorKinds, p) {
			return General
		}
	}
	return Minor
}
