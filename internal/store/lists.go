package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

const listEntryColumns = `e.id, e.subject_id, e.kind, e.domain, d.name AS domain_name, e.department_code,
	e.decision_no, e.decided_on, e.facts, e.decision_content, e.starts_on, e.ends_on, e.status, e.use_scope,
	e.ended_on, e.exit_decision_no, e.exit_reason,
	(SELECT x.code FROM subjects x WHERE x.id = e.subject_id) AS subject_code`

// ListEntriesBySubjects returns the list entries of the given subjects in
// every status, newest decision first; callers filter by kind and date with
// credit.ListEntry.InForceOn so that the rule lives in one place.
func (db *DB) ListEntriesBySubjects(ctx context.Context, subjectIDs []int64) ([]credit.ListEntry, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.ListEntry
	err := db.sel(ctx, &out, `SELECT `+listEntryColumns+` FROM list_entries e
		JOIN list_domains d ON d.code = e.domain
		WHERE e.subject_id = ANY($1) ORDER BY e.subject_id, e.decided_on DESC, e.id DESC`, pq.Array(subjectIDs))
	return out, err
}

// MeasuresByEntries returns the measures each entry triggered, keyed by entry id.
func (db *DB) MeasuresByEntries(ctx context.Context, entryIDs []int64) (map[int64][]credit.Measure, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var rows []struct {
		EntryID int64 `db:"entry_id"`
		credit.Measure
	}
	err := db.sel(ctx, &rows, `SELECT lem.entry_id, `+measureColumns+`
		FROM list_entry_measures lem JOIN measures m ON m.id = lem.measure_id
		WHERE lem.entry_id = ANY($1) ORDER BY lem.entry_id, m.code`, pq.Array(entryIDs))
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]credit.Measure, len(entryIDs))
	for _, r := range rows {
		out[r.EntryID] = append(out[r.EntryID], r.Measure)
	}
	return out, nil
}

// LatestTaxGrades returns each subject's grade of its latest assessed year.
func (db *DB) LatestTaxGrades(ctx context.Context, subjectIDs []int64) ([]credit.TaxCreditGrade, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.TaxCreditGrade
	err := db.sel(ctx, &out, `SELECT DISTINCT ON (subject_id) subject_id, year, grade, score, assessed_on
		FROM tax_credit_grades WHERE subject_id = ANY($1) ORDER BY subject_id, year DESC`, pq.Array(subjectIDs))
	return out, err
}

// Departments returns every department, by code.
func (db *DB) Departments(ctx context.Context) ([]credit.Department, error) {
	var out []credit.Department
	err := db.sel(ctx, &out, `SELECT code, name FROM departments ORDER BY code`)
	return out, err
}

// AttributionCandidates returns, for the given persons, every black-list
// entry of an organisation in which they held a role that can carry
// attribution, with that role. The caller keeps the pairs for which
// credit.Attributable holds, so the rule is written once.
func (db *DB) AttributionCandidates(ctx context.Context, personIDs []int64) ([]credit.AttributedEntry, error) {
	var rows []struct {
		KID            int64                `db:"k_id"`
		OrganizationID int64                `db:"k_organization_id"`
		PersonID       int64                `db:"k_person_id"`
		Role           credit.KeyPersonRole `db:"k_role"`
		Since          credit.Date          `db:"k_since"`
		Until          *credit.Date         `db:"k_until"`
		credit.ListEntry
	}
	err := db.sel(ctx, &rows, `SELECT k.id AS k_id, k.organization_id AS k_organization_id,
			k.person_id AS k_person_id, k.role AS k_role, k.since AS k_since, k.until AS k_until, `+listEntryColumns+`
		FROM key_persons k
		JOIN list_entries e ON e.subject_id = k.organization_id AND e.kind = 'BLACK'
		JOIN list_domains d ON d.code = e.domain
		WHERE k.person_id = ANY($1) AND k.role = ANY(CAST($2 AS key_person_role[]))
		ORDER BY k.person_id, e.decided_on DESC, e.id DESC`, pq.Array(personIDs), pq.Array(credit.AttributedRoles()))
	if err != nil {
		return nil, err
	}
	out := make([]credit.AttributedEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, credit.AttributedEntry{Entry: r.ListEntry, Via: credit.KeyPerson{
			ID: r.KID, OrganizationID: r.OrganizationID, PersonID: r.PersonID, Role: r.Role, Since: r.Since, Until: r.Until}})
	}
	return out, nil
}
