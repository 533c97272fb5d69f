package graph_test

import (
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// A department cannot attach a person to an organisation it has no record
// of its own about: the link waits for the credit office, and until then the
// person carries none of the organisation's black-list entries.
func TestKeyPersonLinksFromADepartmentWithoutARecordWaitForTheCreditOffice(t *testing.T) {
	e := newEnv(t)
	e.f.Department("OTHER", "丹东市税务局")
	org := e.f.Subject(testenv.USCC(31), credit.LegalPerson, "丹东失信公司")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: "OTHER", DecidedOn: "2026-05-05"})
	person := testenv.CitizenID(31)
	register := `mutation($in: SubjectInput!) { registerSubject(input: $in) { updated pendingKeyPersons { id status department person { code } } subject { keyPersons { role } } } }`
	in := map[string]any{"in": map[string]any{"code": testenv.USCC(31), "kind": "LEGAL_PERSON", "name": "丹东失信公司",
		"keyPersons": []map[string]any{{"idNumber": person, "name": "钱七", "role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01"}}}}
	var out struct {
		RegisterSubject struct {
			PendingKeyPersons []struct{ ID, Status, Department string }
			Subject           struct{ KeyPersons []struct{ Role string } }
		}
	}
	e.as(credit.RoleDepartment)
	e.query(register, in, &out)
	pending := out.RegisterSubject.PendingKeyPersons
	if len(pending) != 1 || pending[0].Status != "PENDING" || pending[0].Department != dept || len(out.RegisterSubject.Subject.KeyPersons) != 0 {
		t.Fatalf("a department without a record: %+v, want the link pending and not made", out.RegisterSubject)
	}
	blacklisted := func() bool {
		e.as(credit.RoleBank)
		var c struct{ CreditCheck struct{ Blacklisted bool } }
		e.query(`query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { blacklisted } }`, map[string]any{"c": person}, &c)
		return c.CreditCheck.Blacklisted
	}
	if blacklisted() {
		t.Fatal("the person is restricted through a link nobody approved")
	}
	e.as(credit.RoleCreditOffice)
	var list struct{ KeyPersonRequests []struct{ ID string } }
	e.query(`{ keyPersonRequests { id } }`, nil, &list)
	if len(list.KeyPersonRequests) != 1 {
		t.Fatalf("the office's list: %+v", list)
	}
	approve := `mutation($id: ID!) { approveKeyPersonRequest(id: $id) { status } }`
	e.query(approve, map[string]any{"id": pending[0].ID}, &struct{}{})
	if code, _ := e.errorCode(approve, map[string]any{"id": pending[0].ID}); code != "CONFLICT" {
		t.Errorf("approving twice: %s, want CONFLICT", code)
	}
	if !blacklisted() {
		t.Fatal("after approval the person carries the organisation's black-list entry")
	}
	e.as(credit.RoleCreditOffice)
	var links struct {
		Subject struct{ KeyPersons []struct{ Source string } }
	}
	e.query(`query($c: ID!) { subject(code: $c) { keyPersons { source } } }`, map[string]any{"c": testenv.USCC(31)}, &links)
	if len(links.Subject.KeyPersons) != 1 || links.Subject.KeyPersons[0].Source != dept {
		t.Errorf("the approved link: %+v, want its source the requesting department", links.Subject.KeyPersons)
	}

	// A department with a record of its own about the organisation links at once.
	mine := e.f.Subject(testenv.USCC(32), credit.LegalPerson, "丹东有记录公司")
	e.f.Penalty(mine, dept, "2026-03-01", credit.General, 100)
	e.as(credit.RoleDepartment)
	in["in"].(map[string]any)["code"], in["in"].(map[string]any)["name"] = testenv.USCC(32), "丹东有记录公司"
	out.RegisterSubject.PendingKeyPersons, out.RegisterSubject.Subject.KeyPersons = nil, nil
	e.query(register, in, &out)
	if len(out.RegisterSubject.PendingKeyPersons) != 0 || len(out.RegisterSubject.Subject.KeyPersons) != 1 {
		t.Fatalf("a department with a record: %+v, want the link made at once", out.RegisterSubject)
	}
}
