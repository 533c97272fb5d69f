package store

import (
	"context"
	"strings"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

const subjectColumns = `s.id, s.code, s.kind, s.name, s.status, s.registered_on, s.address, s.district,
	s.business_reg_no, s.organization_code, s.tax_reg_no, s.public_institution_no, s.social_org_no,
	to_json(s.identifier_warnings) AS identifier_warnings`

// inForce is the SQL form of credit.ListEntry.InForceOn for entries aliased e
// on the date parameter p.
func inForce(p string) string {
	return `e.status NOT IN ('PROPOSED', 'REJECTED') AND e.starts_on <= ` + p +
		` AND (e.ends_on IS NULL OR e.ends_on >= ` + p + `)` +
		` AND (e.ended_on IS NULL OR e.ended_on > ` + p + `)`
}

// SubjectByCode returns the subject with the given normalised code; NOT_FOUND
// if there is none.
func (db *DB) SubjectByCode(ctx context.Context, code string) (credit.Subject, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var s credit.Subject
	err := db.get(ctx, &s, `SELECT `+subjectColumns+` FROM subjects s WHERE s.code = $1`, code)
	return s, err
}

// SubjectsByIDs returns the subjects with the given ids, in no particular order.
func (db *DB) SubjectsByIDs(ctx context.Context, ids []int64) ([]credit.Subject, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.Subject
	err := db.sel(ctx, &out, `SELECT `+subjectColumns+` FROM subjects s WHERE s.id = ANY($1)`, pq.Array(ids))
	return out, err
}

// subjectWhere builds the WHERE clause of a subject search from its first
// argument number on.
func subjectWhere(f credit.SubjectFilter, args []any) (string, []any) {
	var conds []string
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+itoa(len(args))))
	}
	if f.NameContains != "" {
		add(`s.name LIKE ?`, "%"+escapeLike(f.NameContains)+"%")
	}
	if f.Kind != "" {
		add(`s.kind = ?`, string(f.Kind))
	}
	if f.OrganisationsOnly {
		conds = append(conds, `s.kind <> 'NATURAL_PERSON'`)
	}
	if f.District != "" {
		add(`s.district = ?`, f.District)
	}
	if f.ListStatus != "" {
		args = append(args, f.ListedOn)
		p := "CAST($" + itoa(len(args)) + " AS date)"
		onList := func(kind string) string {
			return `EXISTS (SELECT 1 FROM list_entries e WHERE e.subject_id = s.id AND e.kind = '` + kind + `' AND ` + inForce(p) + `)`
		}
		switch f.ListStatus {
		case credit.RedListed:
			conds = append(conds, onList("RED"))
		case credit.Blacklisted:
			conds = append(conds, onList("BLACK"))
		case credit.NotListed:
			conds = append(conds, `NOT `+onList("RED")+` AND NOT `+onList("BLACK"))
		}
	}
	if len(conds) == 0 {
		return "TRUE", args
	}
	return strings.Join(conds, " AND "), args
}

// Subjects returns up to limit subjects matching f, ordered by code, whose
// code is greater than after.
func (db *DB) Subjects(ctx context.Context, f credit.SubjectFilter, after string, limit int) ([]credit.Subject, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	where, args := subjectWhere(f, []any{after, limit})
	var out []credit.Subject
	err := db.sel(ctx, &out, `SELECT `+subjectColumns+` FROM subjects s
		WHERE s.code > $1 AND `+where+` ORDER BY s.code LIMIT $2`, args...)
	return out, err
}

// CountSubjects counts the subjects matching f.
func (db *DB) CountSubjects(ctx context.Context, f credit.SubjectFilter) (int, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	where, args := subjectWhere(f, nil)
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM subjects s WHERE `+where, args...)
	return n, err
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
