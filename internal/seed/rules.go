package seed

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
)

// rules are the dated rule rows the seed reads from the database rather than
// repeating them: publication periods by severity, list periods by domain and
// the measure catalogue with its database ids. Each slice is in the order
// the query returns, which fixes the order of generated rows.
type rules struct {
	publication []publicationRule
	periods     []domainPeriod
	measures    []measureRow
}

type publicationRule struct {
	severity           string
	from               credit.Date
	minMonths          int
	maxMonths          int
	publishedByDefault bool
}

type domainPeriod struct {
	domain      string
	from        credit.Date
	months      sql.NullInt64
	repairAfter sql.NullInt64
}

type measureRow struct {
	id     int64
	code   string
	kind   string
	domain string
	from   credit.Date
	until  credit.Date
}

// loadRules reads the rule tables on q.
func loadRules(ctx context.Context, q execer) (*rules, error) {
	r := &rules{}
	rows, err := q.QueryContext(ctx, `SELECT severity, effective_from, min_months, max_months, published_by_default
		FROM publication_rules ORDER BY severity, effective_from`)
	if err != nil {
		return nil, fmt.Errorf("seed: read publication rules: %w", err)
	}
	for rows.Next() {
		var p publicationRule
		if err := rows.Scan(&p.severity, &p.from, &p.minMonths, &p.maxMonths, &p.publishedByDefault); err != nil {
			rows.Close()
			return nil, fmt.Errorf("seed: read publication rules: %w", err)
		}
		r.publication = append(r.publication, p)
	}
	if err := closeRows(rows, "publication rules"); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT domain, effective_from, period_months, repair_after_months
		FROM list_domain_periods ORDER BY domain, effective_from`)
	if err != nil {
		return nil, fmt.Errorf("seed: read list domain periods: %w", err)
	}
	for rows.Next() {
		var p domainPeriod
		if err := rows.Scan(&p.domain, &p.from, &p.months, &p.repairAfter); err != nil {
			rows.Close()
			return nil, fmt.Errorf("seed: read list domain periods: %w", err)
		}
		r.periods = append(r.periods, p)
	}
	if err := closeRows(rows, "list domain periods"); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT id, code, list_kind, domain, effective_from, effective_until
		FROM measures ORDER BY code, version`)
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

// publicationFor returns the publication rule of a severity in force on day
// d: the row with the latest effective date not after d.
func (r *rules) publicationFor(severity string, d credit.Date) (publicationRule, bool) {
	var found publicationRule
	ok := false
	for _, p := range r.publication {
		if p.severity == severity && !p.from.After(d) {
			found, ok = p, true
		}
	}
	return found, ok
}

// periodFor returns the list period of a domain in force on day d.
func (r *rules) periodFor(domain string, d credit.Date) (domainPeriod, bool) {
	var found domainPeriod
	ok := false
	for _, p := range r.periods {
		if p.domain == domain && !p.from.After(d) {
			found, ok = p, true
		}
	}
	return found, ok
}

// earliestPeriod returns the first day on which a domain has a period rule,
// and false when it has none: entries are only decided under a rule.
func (r *rules) earliestPeriod(domain string) (credit.Date, bool) {
	for _, p := range r.periods {
		if p.domain == domain {
			return p.from, true
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
