package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Reference data the city manages itself: departments, list domains, the
// joint measure catalogue and the rules. Every change, from a reviewed
// file (`credithub reference import`) or a credit office mutation, is the
// same operation: read the stored set under its lock, make the next set,
// check the difference (credit.DiffReference: rows in force never change,
// versions are never edited, nothing is removed that records refer to),
// apply it with its audit row in one transaction, then reload the rules
// and make every cached answer unservable.

// Rules returns the rule rows in force on asOf (today when zero), or every
// row with all. FORBIDDEN for roles other than CREDIT_OFFICE and
// DASHBOARD.
func (s *Service) Rules(ctx context.Context, asOf credit.Date, all bool) ([]credit.RuleInForce, error) {
	uncacheable(ctx, "the rules and reference data")
	if _, err := s.authorize(ctx, credit.ActReadReference); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = s.Today()
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return nil, err
	}
	return book.InForce(asOf, all), nil
}

// DepartmentList returns the city's departments by code. FORBIDDEN as
// Rules.
func (s *Service) DepartmentList(ctx context.Context) ([]credit.Department, error) {
	uncacheable(ctx, "the rules and reference data")
	if _, err := s.authorize(ctx, credit.ActReadReference); err != nil {
		return nil, err
	}
	ref, err := s.db.Reference(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]credit.Department, len(ref.Departments))
	for i, d := range ref.Departments {
		out[i] = credit.Department{Code: d.Code, Name: d.Name}
		if d.Parent != "" {
			p := d.Parent
			out[i].Parent = &p
		}
	}
	return out, nil
}

// MeasureCatalogue returns the catalogue's versions, of one domain when
// domain is set, and only those in force on asOf when it is set. FORBIDDEN
// as Rules.
func (s *Service) MeasureCatalogue(ctx context.Context, domain string, asOf credit.Date) ([]credit.CatalogueMeasure, error) {
	uncacheable(ctx, "the rules and reference data")
	if _, err := s.authorize(ctx, credit.ActReadReference); err != nil {
		return nil, err
	}
	ref, err := s.db.Reference(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ref.Measures, func(m credit.CatalogueMeasure) bool {
		return domain != "" && m.Domain != domain ||
			!asOf.IsZero() && (m.From.After(asOf) || m.Until != nil && m.Until.Before(asOf))
	}), nil
}

// ExportReference returns the stored reference data, for `credithub
// reference export`. FORBIDDEN for roles other than CREDIT_OFFICE.
func (s *Service) ExportReference(ctx context.Context) (credit.Reference, error) {
	if _, err := s.authorize(ctx, credit.ActManageReference); err != nil {
		return credit.Reference{}, err
	}
	return s.db.Reference(ctx)
}

// ImportReference makes next the stored reference data: it checks and
// applies the difference in one transaction with one audit row
// (reference.imported, naming the file's SHA-256 and every change) and
// returns the changes; with dryRun it checks and returns them and writes
// nothing. Errors: FORBIDDEN for roles other than CREDIT_OFFICE;
// BAD_USER_INPUT or CONFLICT naming the first row that cannot be applied.
func (s *Service) ImportReference(ctx context.Context, next credit.Reference, file []byte, dryRun bool) ([]credit.ReferenceChange, error) {
	sum := sha256.Sum256(file)
	return s.changeReference(ctx, "reference.imported", dryRun, map[string]any{"sha256": hex.EncodeToString(sum[:])},
		func(cur credit.Reference) (credit.Reference, error) { return next, nil })
}

// SaveDepartment adds a department or changes its name or parent. Errors
// as ImportReference.
func (s *Service) SaveDepartment(ctx context.Context, d credit.Department) (credit.Department, error) {
	e := credit.DepartmentEntry{Code: strings.TrimSpace(d.Code), Name: strings.TrimSpace(d.Name)}
	if d.Parent != nil {
		e.Parent = strings.TrimSpace(*d.Parent)
	}
	_, err := s.changeReference(ctx, "department.saved", false, nil, func(cur credit.Reference) (credit.Reference, error) {
		i := slices.IndexFunc(cur.Departments, func(x credit.DepartmentEntry) bool { return x.Code == e.Code })
		if i < 0 {
			cur.Departments = append(cur.Departments, e)
		} else {
			cur.Departments[i] = e
		}
		return cur, nil
	})
	d.Code, d.Name = e.Code, e.Name
	return d, err
}

// AddMeasureVersion adds the next version of a measure (version 1 of a new
// code; the version given is ignored). Errors as ImportReference.
func (s *Service) AddMeasureVersion(ctx context.Context, m credit.CatalogueMeasure) (credit.CatalogueMeasure, error) {
	m.Code = strings.TrimSpace(m.Code)
	_, err := s.changeReference(ctx, "measure.versioned", false, nil, func(cur credit.Reference) (credit.Reference, error) {
		m.Version = 1
		for _, x := range cur.Measures {
			if x.Code == m.Code && x.Version >= m.Version {
				m.Version = x.Version + 1
			}
		}
		cur.Measures = append(cur.Measures, m)
		return cur, nil
	})
	return m, err
}

// SetRule adds a rule row or changes one not in force yet. Errors as
// ImportReference.
func (s *Service) SetRule(ctx context.Context, r credit.RuleRow) (credit.RuleInForce, error) {
	if !json.Valid(r.Params) {
		return credit.RuleInForce{}, credit.FieldErrorf("input.parameters", "must be a JSON object")
	}
	_, err := s.changeReference(ctx, "rule.set", false, nil, func(cur credit.Reference) (credit.Reference, error) {
		i := slices.IndexFunc(cur.Rules, func(x credit.RuleRow) bool { return x.Key() == r.Key() })
		if i < 0 {
			cur.Rules = append(cur.Rules, r)
		} else {
			cur.Rules[i] = r
		}
		return cur, nil
	})
	if err != nil {
		return credit.RuleInForce{}, err
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return credit.RuleInForce{}, err
	}
	for _, x := range book.InForce(r.EffectiveFrom, true) {
		if x.Key() == r.Key() {
			return x, nil
		}
	}
	return credit.RuleInForce{RuleRow: r}, nil
}

// RemoveRule removes a rule row not in force yet. NOT_FOUND when there is
// none; otherwise errors as ImportReference.
func (s *Service) RemoveRule(ctx context.Context, rule credit.RuleKind, scope string, from credit.Date) error {
	key := credit.RuleRow{Rule: rule, Scope: scope, EffectiveFrom: from}.Key()
	_, err := s.changeReference(ctx, "rule.removed", false, nil, func(cur credit.Reference) (credit.Reference, error) {
		i := slices.IndexFunc(cur.Rules, func(x credit.RuleRow) bool { return x.Key() == key })
		if i < 0 {
			return cur, credit.Errorf(credit.NotFound, "there is no rule %s", key)
		}
		cur.Rules = slices.Delete(cur.Rules, i, i+1)
		return cur, nil
	})
	return err
}

// changeReference runs one change of reference data: under the lock, the
// next set is made from the stored one by edit, checked against it, and
// applied with an audit row of action (detail and the changes); then the
// rules are reloaded and cached answers made unservable. A change that
// changes nothing writes nothing. dryRun only checks.
func (s *Service) changeReference(ctx context.Context, action string, dryRun bool, detail map[string]any,
	edit func(cur credit.Reference) (credit.Reference, error)) ([]credit.ReferenceChange, error) {
	uncacheable(ctx, "the rules and reference data")
	c, err := s.authorize(ctx, credit.ActManageReference)
	if err != nil {
		return nil, err
	}
	var changes []credit.ReferenceChange
	applied := false
	err = s.db.InTx(ctx, func(tx *store.DB) error {
		if _, err := tx.LockReference(ctx); err != nil {
			return err
		}
		cur, err := tx.Reference(ctx)
		if err != nil {
			return err
		}
		next, err := edit(cloneReference(cur))
		if err != nil {
			return err
		}
		next.Sort()
		if changes, err = credit.DiffReference(cur, next, s.Today()); err != nil || dryRun || len(changes) == 0 {
			return err
		}
		rev, err := tx.ApplyReference(ctx, cur, next)
		if err != nil {
			return err
		}
		d := map[string]any{"revision": rev, "changes": changeLines(changes)}
		for k, v := range detail {
			d[k] = v
		}
		applied = true
		return audit.Append(ctx, tx, audit.Event{Actor: c, Action: action, Target: "reference", Detail: d})
	})
	if err != nil || !applied {
		return changes, err
	}
	if _, err := s.ReloadRules(ctx); err != nil {
		s.log.Error("rules: reloading after a change", "err", err)
	}
	s.invalidateEverything(ctx)
	return changes, nil
}

func changeLines(cs []credit.ReferenceChange) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// cloneReference copies r's slices, so that an edit cannot change the set
// it is compared with.
func cloneReference(r credit.Reference) credit.Reference {
	r.Departments = slices.Clone(r.Departments)
	r.Domains = slices.Clone(r.Domains)
	r.Measures = slices.Clone(r.Measures)
	r.Rules = slices.Clone(r.Rules)
	return r
}
