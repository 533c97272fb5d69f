package credit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Reference is the data a city manages itself: its departments, the list
// domains, the joint measure catalogue and the rules. The migrations ship
// the national baseline; `credithub reference export|import` and the
// credit office's mutations change it, always as a whole set diffed against
// the stored one (DiffReference) and applied in one transaction.
type Reference struct {
	Format      string             `json:"format"`
	Departments []DepartmentEntry  `json:"departments"`
	Domains     []DomainEntry      `json:"domains"`
	Measures    []CatalogueMeasure `json:"measures"`
	Rules       []RuleRow          `json:"rules"`
}

// ReferenceFormat names the file format of a Reference.
const ReferenceFormat = "credithub-reference/1"

// DepartmentEntry is a department in a reference file.
type DepartmentEntry struct {
	Code   string `json:"code" db:"code"`
	Name   string `json:"name" db:"name"`
	Parent string `json:"parent,omitempty" db:"parent"`
}

// DomainEntry is a list domain in a reference file.
type DomainEntry struct {
	Code        string   `json:"code" db:"code"`
	Kind        ListKind `json:"kind" db:"kind"`
	Name        string   `json:"name" db:"name"`
	Description string   `json:"description,omitempty" db:"description"`
}

// CatalogueMeasure is one version of a catalogue measure in a reference
// file. A version is never edited: a change is the next version.
type CatalogueMeasure struct {
	Code                   string      `json:"code" db:"code"`
	Version                int         `json:"version" db:"version"`
	Kind                   MeasureKind `json:"kind" db:"kind"`
	Name                   string      `json:"name" db:"name"`
	Detail                 string      `json:"detail,omitempty" db:"detail"`
	LegalBasis             string      `json:"basis" db:"legal_basis"`
	ImplementingAuthority  string      `json:"implementingAuthority,omitempty" db:"implementing_authority"`
	ImplementingDepartment string      `json:"implementingDepartment,omitempty" db:"implementing_department"`
	AppliesTo              []string    `json:"appliesTo" db:"-"`
	Contexts               []string    `json:"contexts" db:"-"`
	ListKind               ListKind    `json:"listKind" db:"list_kind"`
	Domain                 string      `json:"domain,omitempty" db:"domain"`
	From                   Date        `json:"from" db:"effective_from"`
	Until                  *Date       `json:"until,omitempty" db:"effective_until"`
}

// Key names the version: CODE v2.
func (m CatalogueMeasure) Key() string { return fmt.Sprintf("%s v%d", m.Code, m.Version) }

// Same reports whether two versions say the same thing.
func (m CatalogueMeasure) Same(o CatalogueMeasure) bool {
	return m.Code == o.Code && m.Version == o.Version && m.Kind == o.Kind && m.Name == o.Name && m.Detail == o.Detail &&
		m.LegalBasis == o.LegalBasis && m.ImplementingAuthority == o.ImplementingAuthority &&
		m.ImplementingDepartment == o.ImplementingDepartment && slices.Equal(m.AppliesTo, o.AppliesTo) &&
		slices.Equal(m.Contexts, o.Contexts) && m.ListKind == o.ListKind && m.Domain == o.Domain && m.From == o.From &&
		(m.Until == nil) == (o.Until == nil) && (m.Until == nil || *m.Until == *o.Until)
}

// ReferenceChange is one line of a diff: Op "+" (added), "~" (changed) or
// "-" (removed), what (department, domain, measure, rule), its key and what
// it says now.
type ReferenceChange struct {
	Op     string `json:"op"`
	What   string `json:"what"`
	Key    string `json:"key"`
	Detail string `json:"detail,omitempty"`
}

// String formats a change as one line of the printed diff.
func (c ReferenceChange) String() string {
	s := c.Op + " " + c.What + " " + c.Key
	if c.Detail != "" {
		s += ": " + c.Detail
	}
	return s
}

// Sort puts a reference in its canonical order (by key), so that an export
// is stable and a diff reads in order.
func (r *Reference) Sort() {
	slices.SortFunc(r.Departments, func(a, b DepartmentEntry) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(r.Domains, func(a, b DomainEntry) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(r.Measures, func(a, b CatalogueMeasure) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), cmp.Compare(a.Version, b.Version))
	})
	slices.SortFunc(r.Rules, compareRuleRows)
}

// TargetList returns whom the measure applies to.
func (m CatalogueMeasure) TargetList() []MeasureTarget {
	out := make([]MeasureTarget, len(m.AppliesTo))
	for i, t := range m.AppliesTo {
		out[i] = MeasureTarget(t)
	}
	return out
}

// ContextList returns where the measure bites.
func (m CatalogueMeasure) ContextList() []MeasureContext {
	out := make([]MeasureContext, len(m.Contexts))
	for i, c := range m.Contexts {
		out[i] = MeasureContext(c)
	}
	return out
}

// DepartmentCode returns the implementing department, nil when none.
func (m CatalogueMeasure) DepartmentCode() *string { return nonEmpty(m.ImplementingDepartment) }

// DomainCode returns the list domain, nil for the national basic list.
func (m CatalogueMeasure) DomainCode() *string { return nonEmpty(m.Domain) }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
