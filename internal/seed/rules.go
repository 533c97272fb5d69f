package seed

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
)

// rules are what the seed reads from the database rather than repeating
// it: the rule book (publication windows, list terms, the disclosure
// deadline) and the measure catalogue with its database ids, in the order
// the query returns, which fixes the order of generated rows.
type rules struct {
	book     *credit.RuleBook
	measures []measureRow
}

type measureRow struct {
	id     int64
	code   string
	kind   string
	domain string
	from   credit.Date
	until  credit.Date
}

// loadRules reads the rules and the catalogue on q.
func loadRules(ctx context.Context, q execer) (*rules, error) {
	r := &rules{}
	rows, err := q.QueryContext(ctx, `SELECT rule, scope, effective_from, CAST(params AS text), legal_basis, note
		FROM rules ORDER BY rule, scope, effective_from`)
	if err != nil {
		return nil, fmt.Errorf("seed: read rules: %w", err)
	}
	var rs []credit.RuleRow
	for rows.Next() {
		var rr credit.RuleRow
		var params string
		if err := rows.Scan(&rr.Rule, &rr.Scope, &rr.EffectiveFrom, &params, &rr.LegalBasis, &rr.Note); err != nil {
			rows.Close()
			return nil, fmt.Errorf("seed: read rules: %w", err)
		}
		rr.Params = json.RawMessage(params)
		rs = append(rs, rr)
	}
	if err := closeRows(rows, "rules"); err != nil {
		return nil, err
	}
	if r.book, err = credit.NewRuleBook(rs, 0); err != nil {
		return nil, fmt.Errorf("seed: rules: %w", err)
	}

	rows, err = q.QueryContext(ctx, `SELECT id, code, list_kind, domain, effective_from, effective_until
		FROM measures WHERE domain IS NOT NULL ORDER BY code, version`)
	if err != nil {
		return nil, fmt.Errorf("seed: read measures: %w", err)
	}
	for rows.Next() {
		var m measureRow
		if err := rows.Scan(&m.id, &m.code, &m.kind, &m.domain, &m.from, &m.until); err != nil {
			rows.Close()
			return nil, fmt.Errorf("seed: read measures: %w", err)
		}
		r.measures = append(r.measures, m)
	}
	return r, closeRows(rows, "measures")
}

// closeRows reports a scan error of rows, if any, and closes them.
func closeRows(rows *sql.Rows, what string) error {
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("seed: read %s: %w", what, err)
	}
	return rows.Close()
}

// publicationFor returns the publication rule of a severity in force on day d.
func (r *rules) publicationFor(severity credit.Severity, d credit.Date) (credit.PublicationRule, bool) {
	return r.book.Publication(severity, d)
}

// periodFor returns the list term of a domain in force on day d.
func (r *rules) periodFor(domain string, kind credit.ListKind, d credit.Date) (credit.DomainPeriod, bool) {
	return r.book.ListTerm(domain, kind, d)
}

// earliestPeriod returns the first day on which a domain has a term rule,
// and false when it has none: entries are only decided under a rule.
func (r *rules) earliestPeriod(domain string) (credit.Date, bool) {
	for _, row := range r.book.Rows() {
		if row.Rule == credit.RuleListTerm && row.Scope == domain {
			return row.EffectiveFrom, true
		}
	}
	return credit.Date{}, false
}

// measuresFor returns the ids of the measures an entry of kind and domain
// decided on day d triggers: for each measure code, the latest version in
// force on d.
func (r *rules) measuresFor(kind credit.ListKind, domain string, d credit.Date) []int64 {
	var ids []int64
	code := ""
	for _, m := range r.measures {
		if m.kind != string(kind) || m.domain != domain || m.from.After(d) || (!m.until.IsZero() && m.until.Before(d)) {
			continue
		}
		// Rows come ordered by code and version: a later version of the
		// same code replaces the earlier one.
		if m.code == code {
			ids[len(ids)-1] = m.id
			continue
		}
		code = m.code
		ids = append(ids, m.id)
	}
	return ids
}
