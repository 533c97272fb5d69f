package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Subject reads (credit.SubjectRead) are answered by one statement built
// from the read: each subject becomes a JSON object with the relations
// asked as nested arrays and objects, to any depth, so that a request
// costs one round trip however many levels it reaches. JSON keys are the
// Go field names of the credit types (the decoder matches them, as encoding/json would), except
// the short keys of the node itself and "P", the record party, which would
// otherwise collide with the record's own Category.
//
// Parameters: $1 the subjects (bigint[] of ids, or the code), $2..$4 the
// caller's record view (scopes, own department, published-on day), $5
// today (legal representative in office), $6 the attributed roles; the
// statement reads $2..$6 into one row p. Page
// sizes, cursors and dates of the read are written into the statement as
// literals (they are typed values, never text from the client), so one
// statement answers one shape of read and stays prepared.

// SubjectTrees reads the subjects with ids and what r asks of each, in one
// statement. Nodes of every subject reached (the subjects themselves, their
// legal representatives, key persons, entries' and attributions'
// organisations) are returned by id. Records are limited to what v shows;
// the caller masks and filters the rest.
func (db *DB) SubjectTrees(ctx context.Context, ids []int64, r *credit.SubjectRead, v credit.RecordView, today credit.Date) (map[int64]*credit.SubjectNode, []int64, error) {
	q := compileSubjectRead(`s0.id = ANY(CAST($1 AS bigint[]))`, r)
	return db.subjectTrees(ctx, q, r, pq.Array(ids), v, today)
}

// SubjectTreeByCode is SubjectTrees for the subject with code; the second
// result is empty when there is none.
func (db *DB) SubjectTreeByCode(ctx context.Context, code string, r *credit.SubjectRead, v credit.RecordView, today credit.Date) (map[int64]*credit.SubjectNode, []int64, error) {
	q := compileSubjectRead(`s0.code = $1`, r)
	return db.subjectTrees(ctx, q, r, code, v, today)
}

func (db *DB) subjectTrees(ctx context.Context, query string, r *credit.SubjectRead, root any, v credit.RecordView, today credit.Date) (map[int64]*credit.SubjectNode, []int64, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var rows [][]byte
	args := []any{root, pq.Array(v.Scopes), v.Department, v.PublishedOn, today, pq.Array(credit.AttributedRoles())}
	if err := db.selPrepared(ctx, &rows, query, args...); err != nil {
		return nil, nil, err
	}
	nodes := map[int64]*credit.SubjectNode{}
	roots := make([]int64, 0, len(rows))
	for _, raw := range rows {
		var n nodeJSON
		if err := decodeRowJSON(raw, &n); err != nil {
			return nil, nil, fmt.Errorf("store: decode subject read: %w", err)
		}
		roots = append(roots, n.add(nodes, r))
	}
	return nodes, roots, nil
}

// compileSubjectRead returns the statement answering r for the subjects
// matching where (on alias s0); statements are cached by read.
func compileSubjectRead(where string, r *credit.SubjectRead) string {
	key := where + "|" + r.Key()
	subjectReadSQL.mu.Lock()
	defer subjectReadSQL.mu.Unlock()
	if q, ok := subjectReadSQL.m[key]; ok {
		return q
	}
	c := &treeCompiler{}
	// The parameters are read once, typed, into p: every statement then
	// uses all of them, whatever the read asks (a prepared statement must).
	q := `SELECT ` + c.node("s0", r) + ` FROM (SELECT CAST($2 AS use_scope[]) AS scopes, CAST($3 AS text) AS dept,
		CAST($4 AS date) AS pub, CAST($5 AS date) AS today, CAST($6 AS key_person_role[]) AS roles) p, subjects s0
		WHERE ` + where
	if len(subjectReadSQL.m) >= maxCachedStatements {
		clear(subjectReadSQL.m) // bounded: distinct read shapes come from distinct client queries
	}
	subjectReadSQL.m[key] = q
	return q
}

type treeCompiler struct{ n int }

func (c *treeCompiler) alias(prefix string) string {
	c.n++
	return prefix + strconv.Itoa(c.n)
}

// node is the JSON object of subject a with what r asks.
func (c *treeCompiler) node(a string, r *credit.SubjectRead) string {
	if r == nil {
		r = &credit.SubjectRead{}
	}
	parts := []string{`'s', ` + jsonObject(a, "", subjectReadColumns, fieldsOf(r.Fields, subjectAlways))}
	if r.LegalRep != nil {
		k, p := c.alias("k"), c.alias("p")
		parts = append(parts, `'lr', (SELECT `+c.node(p, r.LegalRep)+` FROM key_persons `+k+`
			JOIN subjects `+p+` ON `+p+`.id = `+k+`.person_id
			WHERE `+k+`.organization_id = `+a+`.id AND `+k+`.role = 'LEGAL_REPRESENTATIVE'
			  AND `+k+`.since <= p.today AND (`+k+`.until IS NULL OR `+k+`.until >= p.today)
			ORDER BY `+k+`.since DESC, `+k+`.id DESC LIMIT 1)`)
	}
	if r.KeyPersons != nil {
		parts = append(parts, `'kp', `+c.keyPersons(a, "organization_id", "person_id", r.KeyPersons.Person))
	}
	if r.Roles != nil {
		parts = append(parts, `'ro', `+c.keyPersons(a, "person_id", "organization_id", r.Roles.Organization))
	}
	if len(r.LicencePages) > 0 {
		fields := fieldsOf(r.LicenceFields, recordAlways)
		parts = append(parts, `'lp', `+c.pages(a, "licences", func(x string) string { return jsonObject(x, "", licenceReadColumns, fields) }, r.LicencePages))
	}
	if r.LicenceCount {
		parts = append(parts, `'lc', `+c.count(a, "licences", credit.Date{}))
	}
	if len(r.PenaltyPages) > 0 {
		fields := fieldsOf(r.PenaltyFields, recordAlways)
		parts = append(parts, `'pp', `+c.pages(a, "penalties", func(x string) string { return jsonObject(x, "", penaltyReadColumns, fields) }, r.PenaltyPages))
	}
	if len(r.PenaltyCounts) > 0 {
		counts := make([]string, len(r.PenaltyCounts))
		for i, d := range r.PenaltyCounts {
			counts[i] = c.count(a, "penalties", d)
		}
		parts = append(parts, `'pc', json_build_array(`+strings.Join(counts, ", ")+`)`)
	}
	if r.Entries != nil {
		e, d := c.alias("e"), c.alias("d")
		parts = append(parts, `'en', COALESCE((SELECT json_agg(`+c.entry(e, d, entryRead(r))+
			` ORDER BY `+e+`.decided_on DESC, `+e+`.id DESC)
			FROM list_entries `+e+` JOIN list_domains `+d+` ON `+d+`.code = `+e+`.domain
			WHERE `+e+`.subject_id = `+a+`.id), '[]')`)
	}
	if r.Attributed != nil {
		parts = append(parts, `'at', `+c.attributed(a, r.Attributed, entryRead(r)))
	}
	if r.TaxGrade {
		g := c.alias("g")
		parts = append(parts, `'tg', (SELECT json_build_object('SubjectID', `+g+`.subject_id, 'Year', `+g+`.year,
			'Grade', `+g+`.grade, 'Score', `+g+`.score, 'AssessedOn', `+g+`.assessed_on)
			FROM tax_credit_grades `+g+` WHERE `+g+`.subject_id = `+a+`.id ORDER BY `+g+`.year DESC LIMIT 1)`)
	}
	return `json_build_object(` + strings.Join(parts, ", ") + `)`
}

// keyPersons lists the links whose self column is subject a, each with the
// subject at the other end when other asks for it.
func (c *treeCompiler) keyPersons(a, self, other string, r *credit.SubjectRead) string {
	k := c.alias("k")
	obj := `json_build_object('k', json_build_object('ID', ` + k + `.id, 'OrganizationID', ` + k + `.organization_id,
		'PersonID', ` + k + `.person_id, 'Role', ` + k + `.role, 'Since', ` + k + `.since, 'Until', ` + k + `.until,
		'Source', ` + k + `.source)`
	from := `key_persons ` + k
	if r != nil {
		o := c.alias("o")
		obj += `, 'o', ` + c.node(o, r)
		from += ` JOIN subjects ` + o + ` ON ` + o + `.id = ` + k + `.` + other
	}
	return `COALESCE((SELECT json_agg(` + obj + `) ORDER BY ` + k + `.role, ` + k + `.since DESC, ` + k + `.id DESC)
		FROM ` + from + ` WHERE ` + k + `.` + self + ` = ` + a + `.id), '[]')`
}

// pages is a JSON array with one array of records per page.
func (c *treeCompiler) pages(a, table string, record func(string) string, pages []credit.RecordPage) string {
	out := make([]string, len(pages))
	for i, p := range pages {
		x := c.alias("x")
		cond := x + `.subject_id = ` + a + `.id AND ` + visibleRecord(x, table)
		if !p.AfterDate.IsZero() {
			cond += ` AND (` + x + `.decided_on, ` + x + `.id) < (DATE '` + p.AfterDate.String() + `', ` + strconv.FormatInt(p.AfterID, 10) + `)`
		}
		if !p.Since.IsZero() {
			cond += ` AND ` + x + `.decided_on >= DATE '` + p.Since.String() + `'`
		}
		out[i] = `COALESCE((SELECT json_agg(` + record(x) + ` ORDER BY ` + x + `.decided_on DESC, ` + x + `.id DESC)
			FROM (SELECT * FROM ` + table + ` ` + x + ` WHERE ` + cond + `
				ORDER BY ` + x + `.decided_on DESC, ` + x + `.id DESC LIMIT ` + strconv.Itoa(p.First+1) + `) ` + x + `), '[]')`
	}
	return `json_build_array(` + strings.Join(out, ", ") + `)`
}

// count counts subject a's visible records of table decided since (all when zero).
func (c *treeCompiler) count(a, table string, since credit.Date) string {
	x := c.alias("x")
	cond := x + `.subject_id = ` + a + `.id AND ` + visibleRecord(x, table)
	if !since.IsZero() {
		cond += ` AND ` + x + `.decided_on >= DATE '` + since.String() + `'`
	}
	return `(SELECT count(*) FROM ` + table + ` ` + x + ` WHERE ` + cond + `)`
}

// entry is a list entry e (domain d) with the fields asked and its
// measures when asked.
func (c *treeCompiler) entry(e, d string, r credit.EntryRead) string {
	obj := `json_build_object('e', ` + jsonObject(e, d, entryReadColumns, r.Fields)
	if r.Measures {
		m, l := c.alias("m"), c.alias("l")
		obj += `, 'm', COALESCE((SELECT json_agg(` + jsonObject(m, "", measureReadColumns, r.MeasureFields) + ` ORDER BY ` + m + `.code)
			FROM list_entry_measures ` + l + ` JOIN measures ` + m + ` ON ` + m + `.id = ` + l + `.measure_id
			WHERE ` + l + `.entry_id = ` + e + `.id), '[]')`
	}
	return obj + `)`
}

// entryRead is what a read writes of the entries of subject r, its own and
// those attributed to it alike: the fields and measures either asks, and
// those the rules need.
func entryRead(r *credit.SubjectRead) credit.EntryRead {
	out := credit.EntryRead{Fields: entryAlways, MeasureFields: measureAlways}
	for _, e := range []*credit.EntryRead{r.Entries, attributedEntry(r)} {
		if e != nil {
			out.Fields = out.Fields.With(e.Fields...)
			out.Measures = out.Measures || e.Measures
			out.MeasureFields = out.MeasureFields.With(e.MeasureFields...)
		}
	}
	return out
}

func attributedEntry(r *credit.SubjectRead) *credit.EntryRead {
	if r.Attributed == nil {
		return nil
	}
	return &r.Attributed.Entry
}

// attributed lists, for person a, the black-list entries of organisations
// in which a held a role that can carry them (credit.Attributable decides).
func (c *treeCompiler) attributed(a string, r *credit.AttributedRead, entries credit.EntryRead) string {
	k, e, d := c.alias("k"), c.alias("e"), c.alias("d")
	obj := `json_build_object('e', ` + c.entry(e, d, entries) + `, 'k', json_build_object('ID', ` + k + `.id,
		'OrganizationID', ` + k + `.organization_id, 'PersonID', ` + k + `.person_id, 'Role', ` + k + `.role,
		'Since', ` + k + `.since, 'Until', ` + k + `.until)`
	from := `key_persons ` + k + ` JOIN list_entries ` + e + ` ON ` + e + `.subject_id = ` + k + `.organization_id AND ` + e + `.kind = 'BLACK'
		JOIN list_domains ` + d + ` ON ` + d + `.code = ` + e + `.domain`
	if r.Organization != nil {
		o := c.alias("o")
		obj += `, 'o', ` + c.node(o, r.Organization)
		from += ` JOIN subjects ` + o + ` ON ` + o + `.id = ` + k + `.organization_id`
	}
	return `COALESCE((SELECT json_agg(` + obj + `) ORDER BY ` + e + `.decided_on DESC, ` + e + `.id DESC)
		FROM ` + from + ` WHERE ` + k + `.person_id = ` + a + `.id AND ` + k + `.role = ANY(p.roles)), '[]')`
}

// visibleRecord is the condition on record x of table that the caller's
// view (p.scopes, p.dept: own department, p.pub: published-on day) allows, as
// visibleSQL says for the paged loaders.
func visibleRecord(x, table string) string {
	cond := `(` + x + `.use_scope = ANY(p.scopes) OR ` + x + `.authority_code = p.dept)
		AND (p.pub IS NULL OR (` + x + `.use_scope = 'PUBLIC' AND ` + x + `.decided_on <= p.pub`
	if table == "penalties" {
		cond += ` AND ` + x + `.status = 'IN_FORCE' AND ` + x + `.public_until >= p.pub`
	}
	return cond + `))`
}
