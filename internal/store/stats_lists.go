package store

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Statistics of list entries and of the query-use log (see stats.go for
// the shape they share).

// ListEntryStats counts, by the query's dimensions (kind, list domain,
// deciding department), the entries that took effect in the period, were
// in force on asOf (its last day, or today when that is earlier), and
// ended in it by exit, expiry, repair or revocation; the total last.
// Proposed and rejected entries never count. An ACTIVE entry past its end
// counts as expired on its end date, whether or not the expiry job has
// recorded it, as reads judge it (today is the first day it is not in
// force). v.PublishedOn keeps the public entries in force that day.
func (db *DB) ListEntryStats(ctx context.Context, q credit.StatsQuery, v StatsView, asOf, today credit.Date) ([]credit.ListEntryStatsRow, error) {
	dept := q.Filter.Department
	if v.Department != "" {
		dept = v.Department
	}
	var out []credit.ListEntryStatsRow
	err := db.selStats(ctx, &out, `WITH keyed AS (
			SELECT CAST(e.kind AS text) AS list_kind, e.domain, ld.name AS domain_name,
				e.department_code, dp.name AS department_name,
				count(*) FILTER (WHERE e.starts_on BETWEEN $1 AND $2) AS entered,
				count(*) FILTER (WHERE `+inForce(`CAST($3 AS date)`)+`) AS active,
				count(*) FILTER (WHERE e.status = 'EXITED' AND e.ended_on BETWEEN $1 AND $2) AS exited,
				count(*) FILTER (WHERE e.status IN ('ACTIVE', 'EXPIRED') AND e.ended_on IS NULL
					AND e.ends_on BETWEEN $1 AND $2 AND e.ends_on < CAST($4 AS date)) AS expired,
				count(*) FILTER (WHERE e.status = 'REPAIRED' AND e.ended_on BETWEEN $1 AND $2) AS repaired,
				count(*) FILTER (WHERE e.status = 'REVOKED' AND e.ended_on BETWEEN $1 AND $2) AS revoked
			FROM list_entries e
			JOIN list_domains ld ON ld.code = e.domain
			JOIN departments dp ON dp.code = e.department_code
			WHERE e.status NOT IN ('PROPOSED', 'REJECTED')
				AND ($5 = '' OR e.department_code = $5) AND ($6 = '' OR e.domain = $6)
				AND ($7 = '' OR CAST(e.kind AS text) = $7)
				AND (CAST($8 AS date) IS NULL OR (e.use_scope = 'PUBLIC' AND `+inForce(`CAST($8 AS date)`)+`))
			GROUP BY e.kind, e.domain, ld.name, e.department_code, dp.name)
		`+groupedSQL(q.GroupBy, sumInt("entered"), sumInt("active"), sumInt("exited"), sumInt("expired"),
		sumInt("repaired"), sumInt("revoked")),
		q.From, q.To, asOf, today, dept, q.Filter.Domain, string(q.Filter.ListKind), v.publishedArg())
	return out, err
}

// CheckStats counts the query-use log's uses in the period (days in
// Asia/Shanghai) by the query's dimensions (role, institution, month),
// from the per-day tally its inserts keep (query_use_days); the total last.
func (db *DB) CheckStats(ctx context.Context, q credit.StatsQuery) ([]credit.CheckStatsRow, error) {
	var out []credit.CheckStatsRow
	err := db.selStats(ctx, &out, `WITH keyed AS (
			SELECT d.role, d.institution, to_char(d.day, 'YYYY-MM') AS month, d.uses, d.subjects
			FROM query_use_days d
			WHERE d.day BETWEEN $1 AND $2 AND ($3 = '' OR d.role = $3) AND ($4 = '' OR d.institution = $4))
		`+groupedSQL(q.GroupBy, sumInt("uses"), sumInt("subjects")),
		q.From, q.To, string(q.Filter.Role), q.Filter.Institution)
	return out, err
}

// RecordDomainExists reports whether code is a record domain
// (record_domains), OTHER included.
func (db *DB) RecordDomainExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := db.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM record_domains WHERE code = $1)`, code)
	return ok, err
}
