package store

import (
	"context"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The statistics family. Each statistic is one statement in two stages:
// a CTE named keyed that counts what the period holds per fine-grained key
// (a day, a department, a severity, …) with every column a dimension can
// name, and groupedSQL, which sums those counts by the dimensions asked
// for and adds the total row with GROUPING SETS, so that the total is the
// database's sum of the rows. The first stage reads covering indexes
// (migration 00014); the second reads a few thousand rows.

// StatsView is what the caller's role lets a statistic count.
type StatsView struct {
	// Department, when set, counts only what that department decided (or,
	// for joint measures, implements).
	Department string
	// PublishedOn, when set, counts only records published on that day:
	// licences and list entries of public scope (list entries also in
	// force), penalties of public scope in force inside their window.
	PublishedOn credit.Date
}

// publishedArg is the view's published-on day as a parameter: NULL when
// everything counts.
func (v StatsView) publishedArg() any {
	if v.PublishedOn.IsZero() {
		return nil
	}
	return v.PublishedOn
}

// groupColumns are the columns of keyed that dimensions group by, in the
// order of a row's StatsGroup, with the SQL type of their NULL.
var groupColumns = []struct{ name, typ string }{
	{"department_code", "text"}, {"department_name", "text"}, {"domain", "text"}, {"domain_name", "text"},
	{"month", "text"}, {"list_kind", "text"}, {"severity", "text"}, {"role", "text"}, {"institution", "text"},
}

// dimensionColumns are the keyed columns of each dimension: the first
// sorts the rows, the others (names) come along.
var dimensionColumns = map[credit.StatsDimension][]string{
	credit.DimDepartment:  {"department_code", "department_name"},
	credit.DimDomain:      {"domain", "domain_name"},
	credit.DimMonth:       {"month"},
	credit.DimListKind:    {"list_kind"},
	credit.DimSeverity:    {"severity"},
	credit.DimRole:        {"role"},
	credit.DimInstitution: {"institution"},
}

// groupedSQL sums the columns sums (each "expression AS name") of the CTE
// keyed by the dimensions dims (in credit.StatsDimensions order, at least
// one), one row per group ordered by the dimensions, then the total row.
func groupedSQL(dims []credit.StatsDimension, sums ...string) string {
	var cols, order []string
	chosen := map[string]bool{}
	for _, d := range dims {
		cs := dimensionColumns[d]
		cols = append(cols, cs...)
		order = append(order, "k."+cs[0])
		for _, c := range cs {
			chosen[c] = true
		}
	}
	sel := []string{"GROUPING(k." + strings.Join(cols, ", k.") + ") <> 0 AS is_total"}
	for _, c := range groupColumns {
		if chosen[c.name] {
			sel = append(sel, "CAST(k."+c.name+" AS "+c.typ+") AS "+c.name)
		} else {
			sel = append(sel, "CAST(NULL AS "+c.typ+") AS "+c.name)
		}
	}
	sel = append(sel, sums...)
	return `SELECT ` + strings.Join(sel, ", ") + `
		FROM keyed k
		GROUP BY GROUPING SETS ((k.` + strings.Join(cols, ", k.") + `), ())
		ORDER BY is_total, ` + strings.Join(order, ", ")
}

// sumInt is the sum of the keyed column c as an int named c; sumFen the
// same as exact fen (bigint: a sum past 92 trillion yuan is an error, not
// a wrong figure).
func sumInt(c string) string { return "CAST(COALESCE(sum(k." + c + "), 0) AS int) AS " + c }
func sumFen(c string) string { return "CAST(COALESCE(sum(k." + c + "), 0) AS bigint) AS " + c }

// recordKeyedSQL is the keyed CTE of the record statistics over the CTE
// base (columns day, dept and the counts): each department's name and
// domain (its department's, OTHER when it has none) and the month, for
// the domain named by $4 (” for every domain).
const recordKeyedSQL = `keyed AS (
		SELECT b.*, b.dept AS department_code, d.name AS department_name, rd.code AS domain,
			rd.name AS domain_name, to_char(b.day, 'YYYY-MM') AS month
		FROM base b JOIN departments d ON d.code = b.dept
		LEFT JOIN department_domains dd ON dd.department_code = b.dept
		JOIN record_domains rd ON rd.code = COALESCE(dd.domain, 'OTHER')
		WHERE $4 = '' OR rd.code = $4)`

// recordWhere is the condition on a record x decided in [$1, $2] by
// department $3 (” for every one) as the view passed in $5 sees it (NULL:
// everything; a day: published that day). Revoked penalties count nowhere.
func recordWhere(penalties bool) string {
	w := `x.decided_on BETWEEN $1 AND $2 AND ($3 = '' OR x.authority_code = $3)`
	if !penalties {
		return w + ` AND (CAST($5 AS date) IS NULL OR x.use_scope = 'PUBLIC')`
	}
	return w + ` AND x.status <> 'REVOKED' AND (CAST($5 AS date) IS NULL OR (x.use_scope = 'PUBLIC'
		AND x.status = 'IN_FORCE' AND x.decided_on <= CAST($5 AS date) AND x.public_until >= CAST($5 AS date)))`
}

// recordArgs are the parameters of the record statistics.
func recordArgs(q credit.StatsQuery, v StatsView) []any {
	dept := q.Filter.Department
	if v.Department != "" {
		dept = v.Department
	}
	return []any{q.From, q.To, dept, q.Filter.Domain, v.publishedArg()}
}

// RecordStats counts the licences and penalties decided in the period
// (revoked penalties left out) by the query's dimensions, with the total
// last.
func (db *DB) RecordStats(ctx context.Context, q credit.StatsQuery, v StatsView) ([]credit.RecordStatsRow, error) {
	var out []credit.RecordStatsRow
	err := db.selStats(ctx, &out, `WITH base AS (
			SELECT x.decided_on AS day, x.authority_code AS dept, count(*) AS licences, 0 AS penalties
			FROM licences x WHERE `+recordWhere(false)+` GROUP BY 1, 2
			UNION ALL
			SELECT x.decided_on, x.authority_code, 0, count(*)
			FROM penalties x WHERE `+recordWhere(true)+` GROUP BY 1, 2),
		`+recordKeyedSQL+`
		`+groupedSQL(q.GroupBy, sumInt("licences"), sumInt("penalties")),
		recordArgs(q, v)...)
	return out, err
}

// TimelinessStats counts, as DisclosureTimeliness does, how punctually the
// records decided in the period reached the platform, by the query's
// dimensions, with the total last.
func (db *DB) TimelinessStats(ctx context.Context, q credit.StatsQuery, v StatsView) ([]credit.TimelinessStatsRow, error) {
	counts := func(licence string) string {
		return licence + `,
			count(*) FILTER (WHERE x.published_on_time) AS on_time,
			count(*) FILTER (WHERE NOT x.published_on_time) AS late,
			count(*) FILTER (WHERE x.published_on_time IS NULL) AS unknown_deadline,
			count(*) FILTER (WHERE x.missing_fields) AS missing_fields`
	}
	var out []credit.TimelinessStatsRow
	err := db.selStats(ctx, &out, `WITH base AS (
			SELECT x.decided_on AS day, x.authority_code AS dept, `+counts(`count(*) AS licences, 0 AS penalties`)+`
			FROM licences x WHERE `+recordWhere(false)+` GROUP BY 1, 2
			UNION ALL
			SELECT x.decided_on, x.authority_code, `+counts(`0, count(*)`)+`
			FROM penalties x WHERE `+recordWhere(true)+` GROUP BY 1, 2),
		`+recordKeyedSQL+`
		`+groupedSQL(q.GroupBy, sumInt("licences"), sumInt("penalties"), sumInt("on_time"), sumInt("late"),
		sumInt("unknown_deadline"), sumInt("missing_fields")),
		recordArgs(q, v)...)
	return out, err
}

// AmountStats sums, exactly in fen, the fines and confiscations of the
// penalties decided in the period (revoked ones left out) by the query's
// dimensions, and counts those whose amount an import took as 0 from an
// empty cell; the total last.
func (db *DB) AmountStats(ctx context.Context, q credit.StatsQuery, v StatsView) ([]credit.AmountStatsRow, error) {
	var out []credit.AmountStatsRow
	err := db.selStats(ctx, &out, `WITH base AS (
			SELECT x.decided_on AS day, x.authority_code AS dept, x.severity, count(*) AS penalties,
				sum(x.fine_fen) AS fines, sum(x.confiscated_fen) AS confiscated,
				count(*) FILTER (WHERE x.fine_empty) AS empty_fines,
				count(*) FILTER (WHERE x.confiscated_empty) AS empty_confiscations
			FROM penalties x WHERE `+recordWhere(true)+` AND ($6 = '' OR CAST(x.severity AS text) = $6)
			GROUP BY 1, 2, 3),
		`+recordKeyedSQL+`
		`+groupedSQL(q.GroupBy, sumInt("penalties"), sumFen("fines"), sumFen("confiscated"),
		sumInt("empty_fines"), sumInt("empty_confiscations")),
		append(recordArgs(q, v), string(q.Filter.Severity))...)
	return out, err
}

// PublishedPenaltyStats counts the penalties decided in the period that
// are published on day (public scope, in force, day inside their window),
// with their fines, by the query's dimensions; the total last. v limits
// them to a department; they are published, so every view counts them.
func (db *DB) PublishedPenaltyStats(ctx context.Context, q credit.StatsQuery, v StatsView, day credit.Date) ([]credit.PublishedPenaltyStatsRow, error) {
	var out []credit.PublishedPenaltyStatsRow
	args := recordArgs(q, v)
	args[4] = day
	err := db.selStats(ctx, &out, `WITH base AS (
			SELECT x.decided_on AS day, x.authority_code AS dept, x.severity, count(*) AS penalties,
				sum(x.fine_fen) AS fines
			FROM penalties x
			WHERE x.status = 'IN_FORCE' AND x.use_scope = 'PUBLIC' AND x.public_until >= $5
				AND x.decided_on BETWEEN $1 AND LEAST($2, $5) AND ($3 = '' OR x.authority_code = $3)
				AND ($6 = '' OR CAST(x.severity AS text) = $6)
			GROUP BY 1, 2, 3),
		`+recordKeyedSQL+`
		`+groupedSQL(q.GroupBy, sumInt("penalties"), sumFen("fines")),
		append(args, string(q.Filter.Severity))...)
	return out, err
}

// selStats runs a statistics statement with JIT off, in a transaction of
// its own. PostgreSQL's cost estimates of these aggregations pass its JIT
// thresholds, and compiling them took longer than running them: 0.77 s of
// JIT for a joint statistics statement that ran in 0.4 s on the benchmark
// data, for every request.
func (db *DB) selStats(ctx context.Context, dest any, query string, args ...any) error {
	return db.InTx(ctx, func(tx *DB) error {
		if _, err := tx.exec(ctx, `SET LOCAL jit = off`); err != nil {
			return translate(err)
		}
		return tx.sel(ctx, dest, query, args...)
	})
}
