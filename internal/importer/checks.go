package importer

import (
	"fmt"

	"github.com/credithub/credithub/internal/credit"
)

// RecordChecks are the rules a licence or penalty row is checked against
// beyond its own fields: who may have decided it, and the rules in force.
// The service reads them from the database once per import.
type RecordChecks struct {
	// Departments are the registered deciding authorities by code.
	Departments map[string]bool
	// Only, when set, is the one authority whose rows the import takes
	// (credithub import --department).
	Only string
	// Book holds the rules: publication windows by severity.
	Book *credit.RuleBook
}

// NewRecordChecks returns the checks for departments, the one department
// the import is restricted to ("" for none) and the rules.
func NewRecordChecks(departments []string, only string, book *credit.RuleBook) RecordChecks {
	c := RecordChecks{Departments: map[string]bool{}, Only: only, Book: book}
	for _, d := range departments {
		c.Departments[d] = true
	}
	return c
}

// Authority returns why a row decided by authority is refused, or "": the
// authority must be a registered department, and the one the import is
// restricted to if it is. The reasons are those of single pushes.
func (c RecordChecks) Authority(authority string) string {
	switch {
	case !c.Departments[authority]:
		return fmt.Sprintf("%q is not a registered department", authority)
	case c.Only != "" && authority != c.Only:
		return fmt.Sprintf("decided by %s: this import takes only records decided by %s (--department)", authority, c.Only)
	}
	return ""
}

// Rule returns the publication rule for severity in force on day decided;
// false if none was in force yet.
func (c RecordChecks) Rule(severity credit.Severity, decided credit.Date) (credit.PublicationRule, bool) {
	return c.Book.Publication(severity, decided)
}

// Penalty applies the checks to a decoded penalty: it returns the
// publication rule in force, or the reject for an authority refused or a
// decision date no rule covers.
func (c RecordChecks) Penalty(p Penalty) (credit.PublicationRule, *Reject) {
	if why := c.Authority(p.Input.AuthorityCode); why != "" {
		return credit.PublicationRule{}, &Reject{Line: p.Line, Column: "CF_CFJGDM", Value: p.Input.AuthorityCode, Reason: why}
	}
	rule, ok := c.Rule(p.Input.Severity, p.Input.DecidedOn)
	if !ok {
		return rule, &Reject{Line: p.Line, Column: "CF_JDRQ", Value: p.Input.DecidedOn.String(), Reason: fmt.Sprintf(
			"%s: no publication rule for %s penalties was in force on that date", p.Input.DecidedOn, p.Input.Severity)}
	}
	return rule, nil
}

// Licence applies the checks to a decoded licence: the reject for an
// authority refused, or nil.
func (c RecordChecks) Licence(l Licence) *Reject {
	if why := c.Authority(l.Input.AuthorityCode); why != "" {
		return &Reject{Line: l.Line, Column: "XK_XKJGDM", Value: l.Input.AuthorityCode, Reason: why}
	}
	return nil
}
