package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// The access matrix: one test per cell of the README's table. Every role
// reads the same organisation and person; what each may see is spelled out.

const otherDept = "11210600MB0000002X"

type accessWorld struct {
	org, person string // codes
	personName  string
}

// newAccessWorld builds an organisation whose legal representative is a
// person, with records in every scope and publication state.
func newAccessWorld(e *env) accessWorld {
	e.t.Helper()
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	w := accessWorld{org: testenv.USCC(1), person: testenv.CitizenID(7), personName: "张三丰"}
	org := e.f.Subject(w.org, credit.LegalPerson, "丹东矩阵有限公司")
	person := e.f.Subject(w.person, credit.NaturalPerson, w.personName)
	director := e.f.Subject(testenv.CitizenID(8), credit.NaturalPerson, "李四")
	e.f.KeyPerson(org, person, credit.LegalRepresentative, "2020-01-01", "")
	e.f.KeyPerson(org, director, credit.DirectlyResponsible, "2020-01-01", "")

	l1 := e.f.Licence(org, otherDept, "2026-03-01")
	e.f.Scoped("licences", l1, credit.ScopePublic, "")
	e.f.Party("licences", l1, w.personName, w.person)
	l2 := e.f.Licence(org, otherDept, "2026-03-02")
	e.f.Scoped("licences", l2, credit.ScopeShared, "")
	l3 := e.f.Licence(org, otherDept, "2026-03-03")
	e.f.Scoped("licences", l3, credit.ScopeAuthorized, "")

	pen := func(decided, until string, scope credit.UseScope, by string) {
		id := e.f.Penalty(org, by, decided, credit.General, 100000)
		e.f.Scoped("penalties", id, scope, until)
	}
	pen("2026-06-01", "2027-06-01", credit.ScopePublic, otherDept)     // published now
	pen("2024-01-01", "2025-01-01", credit.ScopePublic, otherDept)     // window passed
	pen("2026-06-02", "2027-06-02", credit.ScopeShared, otherDept)     // shared
	pen("2026-06-03", "2027-06-03", credit.ScopeAuthorized, otherDept) // authorised only
	pen("2026-06-04", "2027-06-04", credit.ScopeAuthorized, dept)      // the DEPARTMENT's own

	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: otherDept, DecidedOn: "2026-01-01"})
	shared := e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "ENVIRONMENT", Dept: otherDept, DecidedOn: "2026-02-01"})
	e.f.EntryScope(shared, credit.ScopeShared)
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Red, Domain: "A_GRADE_TAXPAYER", Dept: otherDept, DecidedOn: "2024-04-01", EndsOn: "2025-03-31"})
	e.f.TaxGrade(org, 2025, credit.GradeB)
	return w
}

// view is what one role sees of the organisation.
type view struct {
	licences, penalties, entries, keyPersons int
	taxGrade                                 bool
	repCode, repName, partyRepID             string
}

var matrix = []struct {
	role credit.Role
	want view
	err  string // the error code instead, if the role may not read records
}{
	{role: credit.RolePublic, want: view{1, 1, 1, 1, false, "2106**********" + testenv.CitizenID(7)[14:], "张**", "2106**********" + testenv.CitizenID(7)[14:]}},
	{role: credit.RoleDashboard, want: view{1, 1, 1, 1, false, "2106**********" + testenv.CitizenID(7)[14:], "张**", "2106**********" + testenv.CitizenID(7)[14:]}},
	{role: credit.RoleWindow, want: view{3, 5, 3, 2, true, "**************" + testenv.CitizenID(7)[14:], "张三丰", "**************" + testenv.CitizenID(7)[14:]}},
	{role: credit.RoleBank, want: view{3, 5, 3, 2, true, "**************" + testenv.CitizenID(7)[14:], "张三丰", "**************" + testenv.CitizenID(7)[14:]}},
	{role: credit.RoleDepartment, want: view{2, 4, 3, 2, true, testenv.CitizenID(7), "张三丰", testenv.CitizenID(7)}},
	{role: credit.RoleCreditOffice, want: view{3, 5, 3, 2, true, testenv.CitizenID(7), "张三丰", testenv.CitizenID(7)}},
	{role: credit.RoleAuditor, err: "FORBIDDEN"},
	{role: credit.RoleAdmin, err: "FORBIDDEN"},
}

const orgView = `query($c: ID!) { subject(code: $c, purpose: "贷前审查") {
	licences { totalCount edges { node { party { legalRepresentativeIdNumber } } } }
	penalties { totalCount edges { node { id } } }
	listEntries { id subject { name } }
	keyPersons { role person { code name } }
	legalRepresentative { code displayCode name }
	taxCreditGrade { grade }
} }`

func TestAccessMatrixRecordsOfAnOrganisation(t *testing.T) {
	for _, cell := range matrix {
		t.Run(string(cell.role), func(t *testing.T) {
			e := newEnv(t)
			w := newAccessWorld(e)
			e.as(cell.role)
			if cell.err != "" {
				code, _ := e.errorCode(orgView, map[string]any{"c": w.org})
				if code != cell.err {
					t.Fatalf("got %s, want %s", code, cell.err)
				}
				return
			}
			var out struct {
				Subject struct {
					Licences struct {
						TotalCount int
						Edges      []struct {
							Node struct {
								Party struct {
									LegalRepresentativeIDNumber string `json:"legalRepresentativeIdNumber"`
								}
							}
						}
					}
					Penalties struct {
						TotalCount int
						Edges      []json.RawMessage
					}
					ListEntries         []json.RawMessage
					KeyPersons          []json.RawMessage
					LegalRepresentative struct{ Code, DisplayCode, Name string }
					TaxCreditGrade      *struct{ Grade string }
				}
			}
			e.query(orgView, map[string]any{"c": w.org}, &out)
			s := out.Subject
			got := view{
				licences: s.Licences.TotalCount, penalties: s.Penalties.TotalCount, entries: len(s.ListEntries),
				keyPersons: len(s.KeyPersons), taxGrade: s.TaxCreditGrade != nil,
				repCode: s.LegalRepresentative.DisplayCode, repName: s.LegalRepresentative.Name,
			}
			checkEntityKey(t, s.LegalRepresentative.Code, s.LegalRepresentative.DisplayCode, w.person)
			for _, edge := range s.Licences.Edges {
				if id := edge.Node.Party.LegalRepresentativeIDNumber; id != "" {
					got.partyRepID = id
				}
			}
			if got != cell.want {
				t.Errorf("got  %+v\nwant %+v", got, cell.want)
			}
			// The page and the count agree: nothing is counted that is not shown.
			if len(s.Licences.Edges) != s.Licences.TotalCount || len(s.Penalties.Edges) != s.Penalties.TotalCount {
				t.Errorf("edges and totalCount disagree: licences %d/%d, penalties %d/%d",
					len(s.Licences.Edges), s.Licences.TotalCount, len(s.Penalties.Edges), s.Penalties.TotalCount)
			}
		})
	}
}

func TestAccessMatrixSubjectSearch(t *testing.T) {
	tests := []struct {
		role  credit.Role
		total int    // organisations and persons in the world: 1 + 2
		err   string // or the error code
	}{
		{credit.RolePublic, 1, ""}, // natural persons are not listed publicly
		{credit.RoleDashboard, 1, ""},
		{credit.RoleWindow, 0, "FORBIDDEN"}, // look-ups by code only
		{credit.RoleBank, 0, "FORBIDDEN"},
		{credit.RoleDepartment, 3, ""},
		{credit.RoleCreditOffice, 3, ""},
		{credit.RoleAuditor, 0, "FORBIDDEN"},
		{credit.RoleAdmin, 0, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			e := newEnv(t)
			newAccessWorld(e)
			e.as(tt.role)
			q := `{ subjects(first: 100) { totalCount edges { node { code } } } }`
			if tt.err != "" {
				if code, _ := e.errorCode(q, nil); code != tt.err {
					t.Fatalf("got %s, want %s", code, tt.err)
				}
				return
			}
			var out struct {
				Subjects struct {
					TotalCount int
					Edges      []json.RawMessage
				}
			}
			e.query(q, nil, &out)
			if out.Subjects.TotalCount != tt.total || len(out.Subjects.Edges) != tt.total {
				t.Fatalf("got totalCount %d with %d edges, want %d", out.Subjects.TotalCount, len(out.Subjects.Edges), tt.total)
			}
		})
	}
}

func TestAccessMatrixPersonLookup(t *testing.T) {
	for _, cell := range matrix {
		t.Run(string(cell.role), func(t *testing.T) {
			e := newEnv(t)
			w := newAccessWorld(e)
			e.as(cell.role)
			q := `query($c: ID!) { subject(code: $c, purpose: "贷前审查") { code displayCode name address } }`
			if cell.role == credit.RoleAdmin {
				if code, _ := e.errorCode(q, map[string]any{"c": w.person}); code != "FORBIDDEN" {
					t.Fatalf("got %s, want FORBIDDEN", code)
				}
				return
			}
			var out struct {
				Subject struct{ Code, DisplayCode, Name string }
			}
			e.query(q, map[string]any{"c": w.person}, &out)
			wantCode, wantName := cell.want.repCode, cell.want.repName
			if cell.role == credit.RoleAuditor {
				wantCode, wantName = w.person, w.personName
			}
			if out.Subject.DisplayCode != wantCode || out.Subject.Name != wantName {
				t.Fatalf("got %s %s, want %s %s", out.Subject.DisplayCode, out.Subject.Name, wantCode, wantName)
			}
			checkEntityKey(t, out.Subject.Code, out.Subject.DisplayCode, w.person)
		})
	}
}

func TestBankAndWindowMustStateAPurpose(t *testing.T) {
	for _, role := range []credit.Role{credit.RoleBank, credit.RoleWindow} {
		t.Run(string(role), func(t *testing.T) {
			e := newEnv(t)
			w := newAccessWorld(e)
			e.as(role)
			q := fmt.Sprintf(`{ subject(code: %q) { name } }`, w.org)
			code, err := e.errorCode(q, nil)
			if code != "BAD_USER_INPUT" || err.Extensions["field"] != "purpose" {
				t.Fatalf("without a purpose: got %s on %v, want BAD_USER_INPUT on purpose", code, err.Extensions["field"])
			}
			e.headers = map[string]string{"X-Credit-Purpose": "贷前审查"}
			var out struct{ Subject struct{ Name string } }
			e.query(q, nil, &out)
			if out.Subject.Name == "" {
				t.Fatal("with the purpose header: no subject")
			}
		})
	}
}

func TestForbiddenAnswersDoNotRevealWhetherASubjectExists(t *testing.T) {
	e := newEnv(t)
	w := newAccessWorld(e)
	e.as(credit.RoleAdmin)
	_, known := e.errorCode(fmt.Sprintf(`{ subject(code: %q) { name } }`, w.org), nil)
	_, unknown := e.errorCode(fmt.Sprintf(`{ subject(code: %q) { name } }`, testenv.USCC(999)), nil)
	if known.Message != unknown.Message {
		t.Fatalf("messages differ: %q vs %q", known.Message, unknown.Message)
	}
}

func TestInvalidTokensAreRejectedNotDowngradedToPublic(t *testing.T) {
	e := newEnv(t)
	for _, token := range []string{"chk_not-a-real-key", "eyJhbGciOiJIUzI1NiJ9.e30.bad", "garbage"} {
		e.token = token
		r := e.do(`{ __typename }`, nil, "")
		if r.status != 401 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
			t.Errorf("token %q: got %d %s, want 401 UNAUTHENTICATED", token, r.status, r.raw)
		}
	}
}

// checkEntityKey checks a person's code as a caller got it: the code itself
// when they may see it, else an opaque reference — never a masked number,
// which another graph would join on (federation's key is the code).
func checkEntityKey(t *testing.T, code, display, real string) {
	t.Helper()
	switch {
	case display == real && code != real:
		t.Errorf("the code is shown in full (%s) but the key is %s", display, code)
	case display != real && (!strings.HasPrefix(code, credit.MaskedRefPrefix) || len(code) < len(credit.MaskedRefPrefix)+20 || strings.ContainsAny(code, "*") || strings.Contains(code, real[len(real)-4:])):
		t.Errorf("a caller who sees %s got the key %q: want an opaque MASKED- reference", display, code)
	}
}
