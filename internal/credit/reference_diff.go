package credit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// DiffReference returns the changes that turn cur into next on day today,
// after checking next: departments and domains are never removed (records
// refer to them) and a domain keeps its kind; a measure version is never
// edited or removed, and a new one is the next version of its code; a rule
// row in force never changes (ValidateRuleChange); and everything next
// refers to exists in next. BAD_USER_INPUT or CONFLICT names the first
// problem.
func DiffReference(cur, next Reference, today Date) ([]ReferenceChange, error) {
	if next.Format != ReferenceFormat {
		return nil, Errorf(BadUserInput, "format must be %q, got %q", ReferenceFormat, next.Format)
	}
	var out []ReferenceChange
	add := func(op, what, key, detail string) { out = append(out, ReferenceChange{op, what, key, detail}) }

	depts, err := diffDepartments(cur.Departments, next.Departments, add)
	if err != nil {
		return nil, err
	}
	domains, err := diffDomains(cur.Domains, next.Domains, add)
	if err != nil {
		return nil, err
	}
	if err := diffMeasures(cur.Measures, next.Measures, depts, domains, add); err != nil {
		return nil, err
	}
	if err := diffRules(cur.Rules, next.Rules, domains, today, add); err != nil {
		return nil, err
	}
	return out, nil
}

func diffDepartments(cur, next []DepartmentEntry, add func(op, what, key, detail string)) (map[string]bool, error) {
	have := map[string]DepartmentEntry{}
	for _, d := range cur {
		have[d.Code] = d
	}
	codes := map[string]bool{}
	for _, d := range next {
		if codes[d.Code] {
			return nil, Errorf(BadUserInput, "department %s is listed twice", d.Code)
		}
		codes[d.Code] = true
	}
	parents := map[string]string{}
	for _, d := range next {
		old, known := have[d.Code]
		if !known || old != d {
			if err := d.check(codes); err != nil {
				return nil, err
			}
		}
		parents[d.Code] = d.Parent
		switch {
		case !known:
			add("+", "department", d.Code, d.describe())
		case old != d:
			add("~", "department", d.Code, d.describe())
		}
	}
	for _, d := range cur {
		if !codes[d.Code] {
			return nil, Errorf(Conflict, "department %s (%s) is missing: departments are never removed, "+
				"since the records they decided keep their code", d.Code, d.Name)
		}
	}
	for code := range parents {
		seen := map[string]bool{}
		for p := code; p != ""; p = parents[p] {
			if seen[p] {
				return nil, Errorf(BadUserInput, "department %s: its parents go round in a circle", code)
			}
			seen[p] = true
		}
	}
	return codes, nil
}

func (d DepartmentEntry) check(codes map[string]bool) error {
	if _, _, err := CheckUSCCLenient(d.Code); err != nil {
		return Errorf(BadUserInput, "department %q: the code must be the authority's unified social credit code: %s", d.Code, message(err))
	}
	switch {
	case strings.TrimSpace(d.Name) == "" || strings.ContainsRune(d.Name, 0):
		return Errorf(BadUserInput, "department %s: name must not be empty", d.Code)
	case d.Parent == d.Code:
		return Errorf(BadUserInput, "department %s cannot be its own parent", d.Code)
	case d.Parent != "" && !codes[d.Parent]:
		return Errorf(BadUserInput, "department %s: parent %s is not a department", d.Code, d.Parent)
	}
	return nil
}

func (d DepartmentEntry) describe() string {
	if d.Parent != "" {
		return d.Name + " (under " + d.Parent + ")"
	}
	return d.Name
}

func diffDomains(cur, next []DomainEntry, add func(op, what, key, detail string)) (map[string]ListKind, error) {
	have := map[string]DomainEntry{}
	for _, d := range cur {
		have[d.Code] = d
	}
	kinds := map[string]ListKind{}
	for _, d := range next {
		if _, dup := kinds[d.Code]; dup {
			return nil, Errorf(BadUserInput, "list domain %s is listed twice", d.Code)
		}
		kinds[d.Code] = d.Kind
		old, known := have[d.Code]
		switch {
		case !validCode(d.Code):
			return nil, Errorf(BadUserInput, "list domain %q: a code is upper-case letters, digits and _", d.Code)
		case d.Kind != Red && d.Kind != Black:
			return nil, Errorf(BadUserInput, "list domain %s: kind must be RED or BLACK, got %q", d.Code, d.Kind)
		case strings.TrimSpace(d.Name) == "":
			return nil, Errorf(BadUserInput, "list domain %s: name must not be empty", d.Code)
		case known && old.Kind != d.Kind:
			return nil, Errorf(Conflict, "list domain %s is a %s list and stays one: its entries were decided as such", d.Code, old.Kind)
		case !known:
			add("+", "domain", d.Code, fmt.Sprintf("%s %s", d.Kind, d.Name))
		case old != d:
			add("~", "domain", d.Code, fmt.Sprintf("%s %s", d.Kind, d.Name))
		}
	}
	for _, d := range cur {
		if _, ok := kinds[d.Code]; !ok {
			return nil, Errorf(Conflict, "list domain %s is missing: list domains are never removed", d.Code)
		}
	}
	return kinds, nil
}

func diffMeasures(cur, next []CatalogueMeasure, depts map[string]bool, domains map[string]ListKind,
	add func(op, what, key, detail string)) error {
	have := map[string]CatalogueMeasure{}
	latest := map[string]int{}
	for _, m := range cur {
		have[m.Key()] = m
		latest[m.Code] = max(latest[m.Code], m.Version)
	}
	seen := map[string]bool{}
	sorted := slices.Clone(next)
	slices.SortFunc(sorted, func(a, b CatalogueMeasure) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), cmp.Compare(a.Version, b.Version))
	})
	for _, m := range sorted {
		if seen[m.Key()] {
			return Errorf(BadUserInput, "measure %s is listed twice", m.Key())
		}
		seen[m.Key()] = true
		if old, ok := have[m.Key()]; ok {
			if !old.Same(m) {
				return Errorf(Conflict, "measure %s was changed: a catalogue version is never edited in place; "+
					"add version %d of %s instead", m.Key(), latest[m.Code]+1, m.Code)
			}
			continue
		}
		if want := latest[m.Code] + 1; m.Version != want {
			return Errorf(BadUserInput, "measure %s: the next version of %s is %d", m.Key(), m.Code, want)
		}
		if err := m.check(depts, domains); err != nil {
			return err
		}
		latest[m.Code] = m.Version
		add("+", "measure", m.Key(), m.describe())
	}
	for _, m := range cur {
		if !seen[m.Key()] {
			return Errorf(Conflict, "measure %s is missing: catalogue versions are never removed; "+
				"end a measure with a version that has an end date (until)", m.Key())
		}
	}
	return nil
}

func (m CatalogueMeasure) check(depts map[string]bool, domains map[string]ListKind) error {
	bad := func(format string, args ...any) error {
		return Errorf(BadUserInput, "measure %s: %s", m.Key(), fmt.Sprintf(format, args...))
	}
	wantKind := map[ListKind]MeasureKind{Red: Reward, Black: Punishment}
	switch {
	case !validCode(m.Code):
		return bad("a code is upper-case letters, digits and _")
	case strings.TrimSpace(m.Name) == "":
		return bad("name must not be empty")
	case strings.TrimSpace(m.LegalBasis) == "":
		return bad("has no legal basis: there is no measure without one")
	case m.ListKind != Red && m.ListKind != Black:
		return bad("listKind must be RED or BLACK")
	case m.Kind != wantKind[m.ListKind]:
		return bad("a measure of a %s list is a %s", m.ListKind, wantKind[m.ListKind])
	case m.ImplementingDepartment == "" && strings.TrimSpace(m.ImplementingAuthority) == "":
		return bad("names neither an implementing department nor an implementing authority")
	case m.ImplementingDepartment != "" && !depts[m.ImplementingDepartment]:
		return bad("implementing department %s is not a department", m.ImplementingDepartment)
	case m.Domain != "" && domains[m.Domain] == "":
		return bad("list domain %s is not a list domain", m.Domain)
	case m.Domain != "" && domains[m.Domain] != m.ListKind:
		return bad("list domain %s is a %s list, not %s", m.Domain, domains[m.Domain], m.ListKind)
	case m.From.IsZero():
		return bad("from (the first day it applies) is required")
	case m.Until != nil && m.Until.Before(m.From):
		return bad("until %s is before from %s", m.Until, m.From)
	case len(m.AppliesTo) == 0 || len(m.Contexts) == 0:
		return bad("appliesTo and contexts must not be empty")
	}
	for _, t := range m.AppliesTo {
		if MeasureTarget(t) != TargetOrganization && MeasureTarget(t) != TargetKeyPersons {
			return bad("appliesTo: %q is not ORGANIZATION or KEY_PERSONS", t)
		}
	}
	for _, c := range m.Contexts {
		if !slices.Contains(MeasureContexts, MeasureContext(c)) {
			return bad("contexts: %q is not a measure context", c)
		}
	}
	return nil
}

func (m CatalogueMeasure) describe() string {
	who := m.ImplementingDepartment
	if who == "" {
		who = m.ImplementingAuthority
	}
	s := fmt.Sprintf("%s %s, %s, by %s, from %s", m.Kind, m.Name, m.Domain, who, m.From)
	if m.Until != nil {
		s += " until " + m.Until.String()
	}
	return s + " (" + m.LegalBasis + ")"
}

func diffRules(cur, next []RuleRow, domains map[string]ListKind, today Date, add func(op, what, key, detail string)) error {
	if _, err := NewRuleBook(next, 0); err != nil {
		return err
	}
	have := map[string]RuleRow{}
	for _, r := range cur {
		have[r.Key()] = r
	}
	seen := map[string]bool{}
	for _, r := range next {
		seen[r.Key()] = true
		if r.Rule == RuleListTerm && domains[r.Scope] == "" {
			return Errorf(BadUserInput, "rule %s: %s is not a list domain", r.Key(), r.Scope)
		}
		old, known := have[r.Key()]
		switch {
		case !known:
			if err := ValidateRuleChange(nil, &r, cur, today); err != nil {
				return err
			}
			add("+", "rule", r.Key(), string(r.Params)+" ("+r.LegalBasis+")")
		case !old.Same(r):
			if err := ValidateRuleChange(&old, &r, cur, today); err != nil {
				return err
			}
			add("~", "rule", r.Key(), string(r.Params)+" ("+r.LegalBasis+")")
		}
	}
	for _, r := range cur {
		if !seen[r.Key()] {
			if err := ValidateRuleChange(&r, nil, cur, today); err != nil {
				return err
			}
			add("-", "rule", r.Key(), string(r.Params))
		}
	}
	return nil
}

// validCode reports whether s is an upper-case code (A-Z, 0-9, _), starting
// with a letter.
func validCode(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
