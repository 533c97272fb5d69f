package testenv

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Fixtures inserts exactly the rows a test needs, with plain SQL, so that a
// test reads as the data it rests on.
type Fixtures struct {
	t  testing.TB
	db *sql.DB
	n  int
}

// NewFixtures returns a fixture writer on db.
func NewFixtures(t testing.TB, db *store.DB) *Fixtures {
	return &Fixtures{t: t, db: db.SQL()}
}

func (f *Fixtures) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(q, args...); err != nil {
		f.t.Fatalf("fixture: %v\n%s", err, q)
	}
}

func (f *Fixtures) id(q string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.QueryRow(q, args...).Scan(&id); err != nil {
		f.t.Fatalf("fixture: %v\n%s", err, q)
	}
	return id
}

// USCC returns a valid unified social credit code in Dandong (210602) built
// from n, different for every n.
func USCC(n int) string {
	body := fmt.Sprintf("91210602MA%07d", n)
	c, err := credit.USCCCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

// CitizenID returns a valid citizen ID number of a person born in 1980 in
// Dandong (210602), different for every n below 1000.
func CitizenID(n int) string {
	body := fmt.Sprintf("21060219800101%03d", n%1000)
	c, err := credit.CitizenIDCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

// Department inserts a department.
func (f *Fixtures) Department(code, name string) {
	f.t.Helper()
	f.exec(`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, code, name)
}

// Subject inserts a subject and returns its id.
func (f *Fixtures) Subject(code string, kind credit.SubjectKind, name string) int64 {
	f.t.Helper()
	return f.id(`INSERT INTO subjects (code, kind, name) VALUES ($1, $2, $3) RETURNING id`, code, kind, name)
}

// KeyPerson records person's role in org from since until until ("" for open).
func (f *Fixtures) KeyPerson(org, person int64, role credit.KeyPersonRole, since, until string) {
	f.t.Helper()
	f.exec(`INSERT INTO key_persons (organization_id, person_id, role, since, until) VALUES ($1, $2, $3, $4, NULLIF($5, '')::date)`,
		org, person, role, since, until)
}

// Licence inserts a licence of subject decided on decidedOn by dept.
func (f *Fixtures) Licence(subject int64, dept, decidedOn string) int64 {
	f.t.Helper()
	f.n++
	return f.id(`INSERT INTO licences (subject_id, xdr_name, xdr_category, document_name, decision_no, licence_category,
			content, decided_on, valid_from, authority_name, authority_code, source_name, source_code)
		VALUES ($1, 'x', 'ORGANIZATION', '准予许可决定书', $2, '普通', '经营许可', $3, $3, '许可机关', $4, '许可机关', $4) RETURNING id`,
		subject, fmt.Sprintf("许%d号", f.n), decidedOn, dept)
}

// Penalty inserts a penalty of subject decided on decidedOn by dept.
func (f *Fixtures) Penalty(subject int64, dept, decidedOn string, severity credit.Severity, fine credit.Fen) int64 {
	f.t.Helper()
	f.n++
	return f.id(`INSERT INTO penalties (subject_id, xdr_name, xdr_category, decision_no, violation_type, facts, legal_basis,
			penalty_category, content, fine_fen, decided_on, authority_name, authority_code, source_name, source_code, severity)
		VALUES ($1, 'x', 'ORGANIZATION', $2, '违法行为', '事实', '依据', '罚款', '罚款', $3, $4, '处罚机关', $5, '处罚机关', $5, $6)
		RETURNING id`, subject, fmt.Sprintf("罚%d号", f.n), fine, decidedOn, dept, severity)
}

// Entry describes a list entry to insert; empty fields get defaults.
type Entry struct {
	Subject   int64
	Kind      credit.ListKind
	Domain    string
	Dept      string
	DecidedOn string
	EndsOn    string
	EndedOn   string
	Status    credit.ListEntryStatus
}

// ListEntry inserts a list entry starting on its decision date.
func (f *Fixtures) ListEntry(e Entry) int64 {
	f.t.Helper()
	f.n++
	if e.Status == "" {
		e.Status = credit.EntryActive
	}
	return f.id(`INSERT INTO list_entries (subject_id, kind, domain, department_code, decision_no, decided_on, facts,
			starts_on, ends_on, status, proposed_by, approved_by, ended_on)
		VALUES ($1, $2, $3, $4, $5, $6, '主要事实', $6, NULLIF($7, '')::date, $8, 'staff:a', 'staff:b', NULLIF($9, '')::date)
		RETURNING id`, e.Subject, e.Kind, e.Domain, e.Dept, fmt.Sprintf("名单%d号", f.n), e.DecidedOn, e.EndsOn, e.Status, e.EndedOn)
}

// Measure inserts a catalogue measure triggered by kind+domain.
func (f *Fixtures) Measure(code string, kind credit.MeasureKind, listKind credit.ListKind, domain, dept string, contexts ...credit.MeasureContext) int64 {
	f.t.Helper()
	cs := make([]string, len(contexts))
	for i, c := range contexts {
		cs[i] = string(c)
	}
	return f.id(`INSERT INTO measures (code, kind, name, legal_basis, implementing_department, applies_to, contexts,
			list_kind, domain, effective_from)
		VALUES ($1, $2, $1, '合作备忘录', $3, '{ORGANIZATION}', CAST($4 AS measure_context[]), $5, $6, '2016-01-01') RETURNING id`,
		code, kind, dept, "{"+joinComma(cs)+"}", listKind, domain)
}

// LinkMeasure records that entry triggered measure.
func (f *Fixtures) LinkMeasure(entry, measure int64) {
	f.t.Helper()
	f.exec(`INSERT INTO list_entry_measures (entry_id, measure_id) VALUES ($1, $2)`, entry, measure)
}

// TaxGrade records subject's tax credit grade for year.
func (f *Fixtures) TaxGrade(subject int64, year int, grade credit.TaxGrade) {
	f.t.Helper()
	f.exec(`INSERT INTO tax_credit_grades (subject_id, year, grade) VALUES ($1, $2, $3)`, subject, year, grade)
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// Scoped sets the use scope of a licence or penalty (table "licences" or
// "penalties") and, for penalties, the last day of publication.
func (f *Fixtures) Scoped(table string, id int64, scope credit.UseScope, publicUntil string) {
	f.t.Helper()
	if table != "licences" && table != "penalties" {
		f.t.Fatalf("fixture: Scoped on %q", table)
	}
	f.exec(`UPDATE `+table+` SET use_scope = $2 WHERE id = $1`, id, scope)
	if table == "penalties" && publicUntil != "" {
		f.exec(`UPDATE penalties SET public_until = $2 WHERE id = $1`, id, publicUntil)
	}
}

// Party sets the legal representative and party identity of a record.
func (f *Fixtures) Party(table string, id int64, repName, repID string) {
	f.t.Helper()
	f.exec(`UPDATE `+table+` SET legal_rep_name = $2, legal_rep_id_type = '身份证', legal_rep_id_no = $3 WHERE id = $1`, id, repName, repID)
}

// EntryScope sets a list entry's use scope.
func (f *Fixtures) EntryScope(id int64, scope credit.UseScope) {
	f.t.Helper()
	f.exec(`UPDATE list_entries SET use_scope = $2 WHERE id = $1`, id, scope)
}

// Domain inserts a list domain of kind with a LIST_TERM rule of months
// (0: until an exit decision) in force from 2000-01-01, so that a test's
// catalogue holds only the measures it adds (the national baseline has
// measures for the real domains). A service that already read its rules
// needs ReloadRules afterwards.
func (f *Fixtures) Domain(code string, kind credit.ListKind, name string, months int) {
	f.t.Helper()
	f.exec(`INSERT INTO list_domains (code, kind, name) VALUES ($1, $2, $3)`, code, kind, name)
	params := `{}`
	if months > 0 {
		params = fmt.Sprintf(`{"months": %d}`, months)
	}
	f.exec(`INSERT INTO rules (rule, scope, effective_from, params, legal_basis) VALUES ('LIST_TERM', $1, '2000-01-01', $2, '测试规则')`,
		code, params)
}
