package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Reference data: the rules, departments, list domains and the measure
// catalogue, read whole and changed only as a set (credit.DiffReference),
// in one transaction that moves reference_revision.

// ruleRow is a rules row as scanned: the parameters as jsonb text.
type ruleRow struct {
	Rule          credit.RuleKind `db:"rule"`
	Scope         string          `db:"scope"`
	EffectiveFrom credit.Date     `db:"effective_from"`
	Params        string          `db:"params"`
	LegalBasis    string          `db:"legal_basis"`
	Note          string          `db:"note"`
}

// RuleRows returns every rule row with the reference revision it was read
// at. The revision is read first, so rows changed meanwhile come with an
// older revision and are read again when the newer one is noticed.
func (db *DB) RuleRows(ctx context.Context) ([]credit.RuleRow, int64, error) {
	rev, err := db.ReferenceRevision(ctx)
	if err != nil {
		return nil, 0, err
	}
	var rows []ruleRow
	if err := db.sel(ctx, &rows, `SELECT rule, scope, effective_from, CAST(params AS text) AS params, legal_basis, note
		FROM rules ORDER BY rule, scope, effective_from`); err != nil {
		return nil, 0, err
	}
	out := make([]credit.RuleRow, len(rows))
	for i, r := range rows {
		out[i] = credit.RuleRow{Rule: r.Rule, Scope: r.Scope, EffectiveFrom: r.EffectiveFrom,
			Params: json.RawMessage(r.Params), LegalBasis: r.LegalBasis, Note: r.Note}
	}
	return out, rev, nil
}

// ReferenceRevision returns the counter every change of reference data
// moves.
func (db *DB) ReferenceRevision(ctx context.Context) (int64, error) {
	var rev int64
	err := db.get(ctx, &rev, `SELECT revision FROM reference_revision`)
	return rev, err
}

// LockReference takes the reference data's lock until the transaction
// ends, so that changes are made one after the other, and returns the
// current revision.
func (db *DB) LockReference(ctx context.Context) (int64, error) {
	var rev int64
	err := db.get(ctx, &rev, `SELECT revision FROM reference_revision FOR UPDATE`)
	return rev, err
}

// Reference reads the whole reference data, in canonical order.
func (db *DB) Reference(ctx context.Context) (credit.Reference, error) {
	ref := credit.Reference{Format: credit.ReferenceFormat}
	if err := db.sel(ctx, &ref.Departments, `SELECT code, name, COALESCE(parent, '') AS parent FROM departments ORDER BY code`); err != nil {
		return ref, err
	}
	if err := db.sel(ctx, &ref.Domains, `SELECT code, kind, name, description FROM list_domains ORDER BY code`); err != nil {
		return ref, err
	}
	var ms []struct {
		credit.CatalogueMeasure
		AppliesTo credit.Strings `db:"applies_to"`
		Contexts  credit.Strings `db:"contexts"`
	}
	if err := db.sel(ctx, &ms, `SELECT code, version, kind, name, detail, legal_basis, implementing_authority,
			COALESCE(implementing_department, '') AS implementing_department, to_json(applies_to) AS applies_to,
			to_json(contexts) AS contexts, list_kind, COALESCE(domain, '') AS domain, effective_from, effective_until
		FROM measures ORDER BY code, version`); err != nil {
		return ref, err
	}
	for _, m := range ms {
		c := m.CatalogueMeasure
		c.AppliesTo, c.Contexts = []string(m.AppliesTo), []string(m.Contexts)
		ref.Measures = append(ref.Measures, c)
	}
	rules, _, err := db.RuleRows(ctx)
	ref.Rules = rules
	ref.Sort()
	return ref, err
}

// ApplyReference writes next where it differs from cur (which the caller
// read in this transaction under LockReference and checked with
// credit.DiffReference) and moves the revision. It returns the new
// revision.
func (db *DB) ApplyReference(ctx context.Context, cur, next credit.Reference) (int64, error) {
	if err := db.applyDepartments(ctx, cur.Departments, next.Departments); err != nil {
		return 0, err
	}
	for _, d := range changed(cur.Domains, next.Domains, func(d credit.DomainEntry) string { return d.Code }) {
		if _, err := db.exec(ctx, `INSERT INTO list_domains (code, kind, name, description) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description`,
			d.Code, d.Kind, d.Name, d.Description); err != nil {
			return 0, fmt.Errorf("store: list domain %s: %w", d.Code, err)
		}
	}
	have := map[string]bool{}
	for _, m := range cur.Measures {
		have[m.Key()] = true
	}
	for _, m := range next.Measures {
		if have[m.Key()] {
			continue
		}
		if _, err := db.exec(ctx, `INSERT INTO measures (code, version, kind, name, detail, legal_basis,
				implementing_department, implementing_authority, applies_to, contexts, list_kind, domain,
				effective_from, effective_until)
			VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), $8, CAST($9 AS measure_target[]), CAST($10 AS measure_context[]),
				$11, NULLIF($12, ''), $13, $14)`,
			m.Code, m.Version, m.Kind, m.Name, m.Detail, m.LegalBasis, m.ImplementingDepartment, m.ImplementingAuthority,
			pq.StringArray(m.AppliesTo), pq.StringArray(m.Contexts), m.ListKind, m.Domain, m.From, m.Until); err != nil {
			return 0, fmt.Errorf("store: measure %s: %w", m.Key(), err)
		}
	}
	if err := db.applyRules(ctx, cur.Rules, next.Rules); err != nil {
		return 0, err
	}
	var rev int64
	err := db.get(ctx, &rev, `UPDATE reference_revision SET revision = revision + 1, changed_at = now() RETURNING revision`)
	return rev, err
}

// applyDepartments inserts and updates departments, parents last, so that
// a new parent exists before its children point at it.
func (db *DB) applyDepartments(ctx context.Context, cur, next []credit.DepartmentEntry) error {
	ds := changed(cur, next, func(d credit.DepartmentEntry) string { return d.Code })
	for _, d := range ds {
		if _, err := db.exec(ctx, `INSERT INTO departments (code, name) VALUES ($1, $2)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`, d.Code, d.Name); err != nil {
			return fmt.Errorf("store: department %s: %w", d.Code, err)
		}
	}
	for _, d := range ds {
		if _, err := db.exec(ctx, `UPDATE departments SET parent = NULLIF($2, '') WHERE code = $1`, d.Code, d.Parent); err != nil {
			return fmt.Errorf("store: department %s: %w", d.Code, err)
		}
	}
	return nil
}

func (db *DB) applyRules(ctx context.Context, cur, next []credit.RuleRow) error {
	keep := map[string]bool{}
	for _, r := range next {
		keep[r.Key()] = true
	}
	for _, r := range cur {
		if !keep[r.Key()] {
			if _, err := db.exec(ctx, `DELETE FROM rules WHERE rule = $1 AND scope = $2 AND effective_from = $3`,
				r.Rule, r.Scope, r.EffectiveFrom); err != nil {
				return fmt.Errorf("store: rule %s: %w", r.Key(), err)
			}
		}
	}
	old := map[string]credit.RuleRow{}
	for _, r := range cur {
		old[r.Key()] = r
	}
	for _, r := range next {
		if o, ok := old[r.Key()]; ok && o.Same(r) {
			continue
		}
		if _, err := db.exec(ctx, `INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note)
			VALUES ($1, $2, $3, CAST($4 AS jsonb), $5, $6)
			ON CONFLICT (rule, scope, effective_from) DO UPDATE
			SET params = EXCLUDED.params, legal_basis = EXCLUDED.legal_basis, note = EXCLUDED.note`,
			r.Rule, r.Scope, r.EffectiveFrom, string(r.Params), r.LegalBasis, r.Note); err != nil {
			return fmt.Errorf("store: rule %s: %w", r.Key(), err)
		}
	}
	return nil
}

// changed returns the items of next that are new or differ from cur's item
// with the same key.
func changed[T comparable](cur, next []T, key func(T) string) []T {
	have := map[string]T{}
	for _, x := range cur {
		have[key(x)] = x
	}
	var out []T
	for _, x := range next {
		if old, ok := have[key(x)]; !ok || old != x {
			out = append(out, x)
		}
	}
	return out
}
