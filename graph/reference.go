package graph

import (
	"encoding/json"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
)

// Conversions of the reference data's inputs (rules, catalogue measures,
// the measures a joint case applies) into the domain's types.

func catalogueMeasureInput(in model.CatalogueMeasureInput) credit.CatalogueMeasure {
	m := credit.CatalogueMeasure{Code: in.Code, Kind: in.Kind, Name: in.Name, Detail: deref(in.Detail),
		LegalBasis: in.LegalBasis, ImplementingAuthority: deref(in.ImplementingAuthority),
		ImplementingDepartment: deref(in.ImplementingDepartment), ListKind: in.ListKind, Domain: deref(in.Domain),
		From: in.EffectiveFrom, Until: in.EffectiveUntil}
	for _, t := range in.AppliesTo {
		m.AppliesTo = append(m.AppliesTo, string(t))
	}
	for _, c := range in.Contexts {
		m.Contexts = append(m.Contexts, string(c))
	}
	return m
}

func ruleInput(in model.RuleInput) credit.RuleRow {
	return credit.RuleRow{Rule: credit.RuleKind(in.Rule), Scope: deref(in.Scope), EffectiveFrom: in.EffectiveFrom,
		Params: json.RawMessage(in.Parameters), LegalBasis: in.LegalBasis, Note: deref(in.Note)}
}

// caseMeasures converts the measures named for a joint case; nil (left
// out) stays nil, which means all of the catalogue's.
func caseMeasures(in []model.CaseMeasureInput) []credit.CaseMeasureInput {
	if in == nil {
		return nil
	}
	out := make([]credit.CaseMeasureInput, len(in))
	for i, m := range in {
		out[i] = credit.CaseMeasureInput{Code: m.Code, Department: deref(m.Department)}
	}
	return out
}
