package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// StagedSubject is a validated row of a subjects file: a subject with at
// most one key person.
type StagedSubject struct {
	Line int
	credit.SubjectInput
}

// LineNo is the line of the file the row is on.
func (s StagedSubject) LineNo() int { return s.Line }

var stagedSubjectColumns = []string{"line", "code", "kind", "name", "status", "registered_on", "address",
	"person_code", "person_name", "role", "since", "until"}

var stagedSubjectTypes = map[string]string{"line": "int", "kind": "subject_kind", "status": "subject_status",
	"registered_on": "date", "role": "key_person_role", "since": "date", "until": "date"}

// subjectConflictsSQL deletes and returns the staged rows whose subject or
// key person would make a natural person an organisation or the other way
// round: against the kind a code is registered with, or, for a code not
// registered yet, the first line of the chunk that uses it. The reasons
// are those of RegisterSubject.
const subjectConflictsSQL = `WITH uses AS (
		SELECT line, code, kind = 'NATURAL_PERSON' AS person, 'kind' AS col, CAST(kind AS text) AS value
		FROM import_subjects
		UNION ALL
		SELECT line, person_code, true, 'person_id_number', person_code FROM import_subjects WHERE person_code IS NOT NULL),
	known AS (
		SELECT DISTINCT ON (u.code) u.code, COALESCE(x.kind = 'NATURAL_PERSON', u.person) AS person,
			CAST(x.kind AS text) AS kind, u.line
		FROM uses u LEFT JOIN subjects x ON x.code = u.code
		ORDER BY u.code, u.line, u.col = 'person_id_number'),
	bad AS (
		SELECT DISTINCT ON (u.line) u.line, u.col, u.value, u.code, u.person, k.kind, k.line AS first_line
		FROM uses u JOIN known k ON k.code = u.code
		WHERE u.person <> k.person
		ORDER BY u.line, u.col = 'person_id_number')
DELETE FROM import_subjects s USING bad WHERE s.line = bad.line
RETURNING bad.line, bad.col AS col, bad.value, CASE
	WHEN bad.kind IS NULL THEN format('%s is used as %s on line %s of this file: a natural person and an organisation are never the same subject',
		bad.code, CASE WHEN bad.person THEN 'an organisation' ELSE 'a natural person' END, bad.first_line)
	WHEN bad.col = 'person_id_number' THEN format('%s is registered as a %s, not a natural person', bad.code, bad.kind)
	ELSE format('%s: %s is registered as a %s; a natural person never becomes an organisation nor the other way round',
		bad.value, bad.code, bad.kind) END AS reason`

// ImportSubjects writes a chunk of subject rows with the rules of
// RegisterSubject, set-based: a row whose subject or key person would turn
// a natural person into an organisation or back is rejected (see
// kindConflictsSQL); new subjects are registered and existing ones updated
// where the row differs (empty status, registration date and address keep
// what is stored); key persons are registered as natural persons when new
// (an existing person keeps the registry's name), and their roles added or
// their end date updated. A row counts as new when it registered its
// subject (the first row of a code in the chunk speaks for the subject) or
// added its role, as updated when it changed either, else as unchanged.
// Errors: BAD_USER_INPUT when a constraint refuses a value.
func (tx *ImportTx) ImportSubjects(ctx context.Context, rows []StagedSubject) (ImportResult, error) {
	var res ImportResult
	if err := tx.createStaging(ctx, "import_subjects", stagedSubjectColumns, stagedSubjectTypes); err != nil {
		return res, err
	}
	err := tx.copyRows(ctx, "import_subjects", stagedSubjectColumns, len(rows), func(i int, l *copyLine) {
		r := &rows[i]
		l.int(int64(r.Line))
		l.str(r.Code)
		l.str(string(r.Kind))
		l.str(r.Name)
		if r.Status != nil {
			l.str(string(*r.Status))
		} else {
			l.null()
		}
		l.optDate(r.RegisteredOn)
		l.optStr(r.Address)
		if len(r.KeyPersons) == 0 {
			for range 5 {
				l.null()
			}
			return
		}
		k := r.KeyPersons[0]
		l.str(k.IDNumber)
		l.str(k.Name)
		l.str(string(k.Role))
		l.date(k.Since)
		l.optDate(k.Until)
	})
	if err != nil {
		return res, err
	}
	if err := tx.sel(ctx, &res.Rejects, subjectConflictsSQL); err != nil {
		return res, err
	}
	var created, updated []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
	}
	if err := tx.sel(ctx, &created, `INSERT INTO subjects (code, kind, name, status, registered_on, address)
		SELECT DISTINCT ON (code) code, kind, name, COALESCE(status, 'ACTIVE'), registered_on, COALESCE(address, '')
		FROM import_subjects ORDER BY code, line
		ON CONFLICT (code) DO NOTHING RETURNING id, code`); err != nil {
		return res, err
	}
	if err := tx.sel(ctx, &updated, `UPDATE subjects s SET kind = x.kind, name = x.name,
			status = COALESCE(x.status, s.status), registered_on = COALESCE(x.registered_on, s.registered_on),
			address = COALESCE(x.address, s.address), updated_at = now()
		FROM (SELECT DISTINCT ON (code) code, kind, name, status, registered_on, address
			FROM import_subjects ORDER BY code, line) x
		WHERE s.code = x.code AND (s.kind, s.name, s.status, s.registered_on, s.address) IS DISTINCT FROM
			(x.kind, x.name, COALESCE(x.status, s.status), COALESCE(x.registered_on, s.registered_on), COALESCE(x.address, s.address))
		RETURNING s.id, s.code`); err != nil {
		return res, err
	}
	var persons []int64
	if err := tx.sel(ctx, &persons, `INSERT INTO subjects (code, kind, name)
		SELECT DISTINCT ON (person_code) person_code, 'NATURAL_PERSON', person_name
		FROM import_subjects WHERE person_code IS NOT NULL ORDER BY person_code, line
		ON CONFLICT (code) DO NOTHING RETURNING id`); err != nil {
		return res, err
	}
	var roles []struct {
		Line     int   `db:"line"`
		Inserted bool  `db:"inserted"`
		Org      int64 `db:"organization_id"`
		Person   int64 `db:"person_id"`
	}
	if err := tx.sel(ctx, &roles, `WITH up AS (
			INSERT INTO key_persons AS k (organization_id, person_id, role, since, until)
			SELECT o.id, p.id, s.role, s.since, s.until
			FROM import_subjects s JOIN subjects o ON o.code = s.code JOIN subjects p ON p.code = s.person_code
			ORDER BY o.id, p.id, s.role, s.since
			ON CONFLICT ON CONSTRAINT key_persons_unique_key DO UPDATE SET until = EXCLUDED.until
			WHERE k.until IS DISTINCT FROM EXCLUDED.until
			RETURNING k.organization_id, k.person_id, k.role, k.since, (k.xmax = 0) AS inserted)
		SELECT s.line, up.inserted, up.organization_id, up.person_id
		FROM up JOIN subjects o ON o.id = up.organization_id JOIN subjects p ON p.id = up.person_id
		JOIN import_subjects s ON s.code = o.code AND s.person_code = p.code AND s.role = up.role AND s.since = up.since`); err != nil {
		return res, err
	}
	// outcome per line: 2 new, 1 updated, 0 unchanged.
	outcome := map[int]int{}
	rejected := map[int]bool{}
	for _, r := range res.Rejects {
		rejected[r.Line] = true
	}
	firstLine := map[string]int{}
	for _, r := range rows {
		if f, ok := firstLine[r.Code]; !rejected[r.Line] && (!ok || r.Line < f) {
			firstLine[r.Code] = r.Line
		}
	}
	ids := res.changed
	for _, c := range created {
		outcome[firstLine[c.Code]] = 2
		ids = append(ids, c.ID)
	}
	for _, u := range updated {
		outcome[firstLine[u.Code]] = max(outcome[firstLine[u.Code]], 1)
		ids = append(ids, u.ID)
	}
	for _, r := range roles {
		o := 1
		if r.Inserted {
			o, res.Linked = 2, res.Linked+1
		}
		outcome[r.Line] = max(outcome[r.Line], o)
		ids = append(ids, r.Org, r.Person)
	}
	for _, o := range outcome {
		if o == 2 {
			res.New++
		} else if o == 1 {
			res.Updated++
		}
	}
	res.Registered = len(created) + len(persons)
	res.changed = append(ids, persons...)
	return res, tx.affectedCodes(ctx, &res, nil, nil)
}

// StagedTaxGrade is a validated row of a tax grades file; Score is a
// decimal with two places, or "" for none.
type StagedTaxGrade struct {
	Line  int
	Code  string
	Year  int
	Grade credit.TaxGrade
	Score string
}

// LineNo is the line of the file the row is on.
func (g StagedTaxGrade) LineNo() int { return g.Line }

// ImportTaxGrades writes a chunk of tax grades: a row whose code is not a
// registered subject is rejected (grades come from the tax authority, which
// does not say what a subject is), and the others inserted, or replacing
// the subject's grade and score for the year where they differ. Errors:
// BAD_USER_INPUT when a constraint refuses a value.
func (tx *ImportTx) ImportTaxGrades(ctx context.Context, rows []StagedTaxGrade) (ImportResult, error) {
	var res ImportResult
	cols := []string{"line", "code", "year", "grade", "score"}
	types := map[string]string{"line": "int", "year": "int", "grade": "tax_grade", "score": "numeric(5, 2)"}
	if err := tx.createStaging(ctx, "import_tax_grades", cols, types); err != nil {
		return res, err
	}
	err := tx.copyRows(ctx, "import_tax_grades", cols, len(rows), func(i int, l *copyLine) {
		r := &rows[i]
		l.int(int64(r.Line))
		l.str(r.Code)
		l.int(int64(r.Year))
		l.str(string(r.Grade))
		if r.Score == "" {
			l.null()
		} else {
			l.str(r.Score)
		}
	})
	if err != nil {
		return res, err
	}
	if err := tx.sel(ctx, &res.Rejects, `DELETE FROM import_tax_grades s
		WHERE NOT EXISTS (SELECT 1 FROM subjects x WHERE x.code = s.code)
		RETURNING s.line, 'code' AS col, s.code AS value,
			format('%s is not a registered subject: register it first (credithub import subjects)', s.code) AS reason`); err != nil {
		return res, err
	}
	var up struct {
		New     int           `db:"new"`
		Updated int           `db:"updated"`
		IDs     pq.Int64Array `db:"ids"`
	}
	if err := tx.get(ctx, &up, `WITH up AS (
			INSERT INTO tax_credit_grades AS t (subject_id, year, grade, score)
			SELECT x.id, s.year, s.grade, s.score FROM import_tax_grades s JOIN subjects x ON x.code = s.code
			ORDER BY x.id, s.year
			ON CONFLICT (subject_id, year) DO UPDATE SET grade = EXCLUDED.grade, score = EXCLUDED.score
			WHERE (t.grade, t.score) IS DISTINCT FROM (EXCLUDED.grade, EXCLUDED.score)
			RETURNING t.subject_id, (t.xmax = 0) AS inserted)
		SELECT (SELECT count(*) FROM up WHERE inserted) AS new, (SELECT count(*) FROM up WHERE NOT inserted) AS updated,
			ARRAY(SELECT DISTINCT subject_id FROM up) AS ids`); err != nil {
		return res, err
	}
	res.New, res.Updated = up.New, up.Updated
	return res, tx.affectedCodes(ctx, &res, up.IDs, nil)
}
