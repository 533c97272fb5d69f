package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// loggedEnv is a hub whose reads go to the query-use log.
func loggedEnv(t *testing.T) *env {
	t.Helper()
	db := testenv.DB(t)
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{})
	t.Cleanup(func() { uses.Close(context.Background()) })
	return newEnvOn(t, db, nil, service.WithQueryLog(uses))
}

// logRows returns the query-use log's rows naming code, newest first. No
// flush: a read is answered only once its row is written.
func (e *env) logRows(code string) []store.QueryUse {
	e.t.Helper()
	rows, err := e.db.QueryLogForSubject(context.Background(), code, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func TestEveryReadIsLoggedOncePerPurposeWithEverySubjectItRead(t *testing.T) {
	e := loggedEnv(t)
	t.Parallel()
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{}) // the office: not logged
	e.as(credit.RoleBank)

	// (a) aliases with their own purposes: one row each, with its purpose.
	e.query(`query($c: ID!) { a: subject(code: $c, purpose: "甲：贷前审查") { name } b: subject(code: $c, purpose: "乙：贷后检查") { name } }`,
		map[string]any{"c": intakeOrg}, &struct{}{})
	rows := e.logRows(intakeOrg)
	var purposes []string
	for _, r := range rows {
		purposes = append(purposes, r.Purpose)
	}
	slices.Sort(purposes)
	if strings.Join(purposes, "|") != "乙：贷后检查|甲：贷前审查" {
		t.Fatalf("aliases: logged purposes %q, want one row for each alias's own", purposes)
	}

	// (d) a look-up with its legal representative: one row naming both.
	e.query(`query($c: ID!) { subject(code: $c, purpose: "丙") { name legalRepresentative { name } } }`, map[string]any{"c": intakeOrg}, &struct{}{})
	rows = e.logRows(intakeRep)
	if len(rows) != 1 || rows[0].Purpose != "丙" || !slices.Contains(rows[0].SubjectCodes, intakeOrg) {
		t.Fatalf("a look-up with the legal representative: rows %+v, want one naming the organisation and the person", rows)
	}
	if n := len(e.logRows(intakeOrg)); n != 3 {
		t.Errorf("the organisation has %d rows, want 3 (two aliases, one look-up)", n)
	}

	// (b) a read through a mutation's payload, by a department.
	e.as(credit.RoleDepartment)
	other := testenv.USCC(77)
	e.query(`mutation($in: SubjectInput!) { registerSubject(input: $in) { subject { code penalties { totalCount } } } }`,
		map[string]any{"in": map[string]any{"code": other, "kind": "LEGAL_PERSON", "name": "丹东另一公司"}}, &struct{}{})
	if rows := e.logRows(other); len(rows) != 1 || rows[0].Role != credit.RoleDepartment {
		t.Fatalf("a mutation's payload: rows %+v, want the department's read", rows)
	}

	// (c) the root list of entries, by a department: the entries' subjects.
	org := e.f.Subject(testenv.USCC(78), credit.LegalPerson, "丹东名单公司")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept, DecidedOn: "2026-05-05"})
	var page struct {
		ListEntries struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	e.query(`{ listEntries(first: 100) { edges { node { id } } } }`, nil, &page)
	if len(page.ListEntries.Edges) == 0 {
		t.Fatal("the department sees no entry")
	}
	if rows := e.logRows(testenv.USCC(78)); len(rows) != 1 || rows[0].Operation != "anonymous operation" {
		t.Fatalf("the root list of entries: rows %+v, want one naming the entry's subject", rows)
	}
}

// Only entries that took effect show to banks and windows, among a
// subject's own and among those attributed to its persons; the credit office
// and the deciding department see proposals too.
func TestProposedEntriesShowOnlyToTheOfficeAndTheDecidingDepartment(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(5), credit.LegalPerson, "丹东提议公司")
	rep := e.f.Subject(testenv.CitizenID(5), credit.NaturalPerson, "赵六")
	e.f.KeyPerson(org, rep, credit.LegalRepresentative, "2020-01-01", "")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept, DecidedOn: "2026-05-05",
		Status: credit.EntryProposed})
	e.f.Department("OTHER", "丹东市另一部门")
	q := `query($o: ID!, $p: ID!) { org: subject(code: $o, purpose: "审查") { listEntries { status } }
		rep: subject(code: $p, purpose: "审查") { attributedListEntries { entry { status } } } }`
	vars := map[string]any{"o": testenv.USCC(5), "p": testenv.CitizenID(5)}
	for _, tc := range []struct {
		role credit.Role
		sees bool
	}{{credit.RoleBank, false}, {credit.RoleWindow, false}, {credit.RoleCreditOffice, true}, {credit.RoleDepartment, true}, {credit.RolePublic, false}, {credit.RoleDashboard, false}} {
		e.as(tc.role)
		r := e.do(q, vars, "")
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %s", tc.role, r.raw)
		}
		if got := strings.Count(string(r.Data), "PROPOSED"); (got == 2) != tc.sees || (got != 0 && got != 2) {
			t.Errorf("%s: %s, want the proposal shown: %v", tc.role, r.Data, tc.sees)
		}
	}
}
