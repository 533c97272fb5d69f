package graph_test

import (
	"fmt"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// A person contests being recorded as a black-listed company's legal
// representative: while the objection is open the bank's check of the
// person no longer carries the company's entry (and lists the link as
// disputed); the credit office, which verifies links no department
// decided, finds the link made in error and removes it.
func TestAContestedKeyPersonLinkCarriesNoEntryAndIsRemovedWhenRevoked(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	org, rep := testenv.USCC(9), testenv.CitizenID(9)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东冒名有限公司")
	pid := e.f.Subject(rep, credit.NaturalPerson, "周八")
	e.f.KeyPerson(oid, pid, credit.LegalRepresentative, "2020-01-01", "")
	e.f.ListEntry(testenv.Entry{Subject: oid, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept, DecidedOn: "2026-03-01", EndsOn: "2029-03-01"})

	bank := func(code string) (out struct {
		CreditCheck struct {
			Verdict     string
			Blacklisted bool
			Disputed    []struct{ Kind, ID, DecisionNumber string }
		}
	}) {
		t.Helper()
		saved := e.token
		defer func() { e.token = saved }()
		e.as(credit.RoleBank)
		e.query(`query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict blacklisted disputed { kind id decisionNumber } } }`,
			map[string]any{"c": code}, &out)
		return out
	}
	if b := bank(rep); !b.CreditCheck.Blacklisted {
		t.Fatalf("before: got %+v, want the company's entry attributed to its legal representative", b.CreditCheck)
	}
	var links struct {
		Subject struct {
			KeyPersons []struct {
				ID   string
				Role string
			}
		}
	}
	e.query(`query($c: ID!) { subject(code: $c) { keyPersons { id role } } }`, map[string]any{"c": org}, &links)
	if len(links.Subject.KeyPersons) != 1 {
		t.Fatalf("links: got %+v", links.Subject.KeyPersons)
	}
	link := links.Subject.KeyPersons[0].ID

	e.as(credit.RoleCreditOffice)
	o := e.fileObjection(rep, "KEY_PERSON", link, "本人从未担任该公司法定代表人，身份证曾遗失")
	b := bank(rep)
	if b.CreditCheck.Blacklisted || b.CreditCheck.Verdict != "CLEAR" || len(b.CreditCheck.Disputed) != 1 ||
		b.CreditCheck.Disputed[0] != (struct{ Kind, ID, DecisionNumber string }{"KEY_PERSON", link, "法定代表人任职"}) {
		t.Fatalf("under objection: got %+v, want CLEAR with the link disputed", b.CreditCheck)
	}
	if b := bank(org); !b.CreditCheck.Blacklisted {
		t.Errorf("the company itself: got %+v, want its own entry still counted", b.CreditCheck)
	}

	e.objection("acceptObjection", `mutation($id: ID!) { acceptObjection(id: $id) { id } }`, map[string]any{"id": o.ID})
	e.as(credit.RoleDepartment)
	if code, _ := e.errorCode(`mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID}); code != "FORBIDDEN" {
		t.Errorf("a department verifying a key-person link: got %s, want FORBIDDEN (the office verifies it)", code)
	}
	e.as(credit.RoleCreditOffice)
	e.objection("startObjectionVerification", `mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID})
	d := e.objection("decideObjection", `mutation($id: ID!, $in: ObjectionDecisionInput!) { decideObjection(id: $id, input: $in) { `+objectionFields+` } }`,
		map[string]any{"id": o.ID, "in": map[string]any{"outcome": "REVOKED_RECORD", "answer": "经核实系冒用身份登记，删除该任职记录"}})
	if d.Status != "REVOKED_RECORD" || d.Open {
		t.Fatalf("decided: got %+v", d)
	}
	e.query(`query($c: ID!) { subject(code: $c) { keyPersons { id role } } }`, map[string]any{"c": org}, &links)
	if len(links.Subject.KeyPersons) != 0 {
		t.Errorf("links after the revocation: got %+v, want none", links.Subject.KeyPersons)
	}
	if b := bank(rep); b.CreditCheck.Blacklisted || len(b.CreditCheck.Disputed) != 0 {
		t.Errorf("after the revocation: got %+v, want clear and nothing disputed", b.CreditCheck)
	}
	if n := e.intakeRows(fmt.Sprintf(`SELECT count(*) FROM audit_log WHERE action = 'objection.revoked_record' AND detail->>'deletedRecord' LIKE '%%%d%%'`, pid)); n != 1 {
		t.Errorf("the audit row keeps the removed link: got %d rows", n)
	}
}

// A revoked penalty stops counting, like one revoked by its department.
func TestAPenaltyRevokedOnAnObjectionIsRevoked(t *testing.T) {
	e := newEnv(t)
	org := testenv.USCC(10)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东错罚有限公司")
	pen := e.f.Penalty(oid, dept, "2026-09-09", credit.Serious, 100)
	o := e.fileObjection(org, "PENALTY", pen, "处罚对象错误")
	e.objection("acceptObjection", `mutation($id: ID!) { acceptObjection(id: $id) { id } }`, map[string]any{"id": o.ID})
	e.as(credit.RoleDepartment)
	e.objection("startObjectionVerification", `mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID})
	e.objection("decideObjection", `mutation($id: ID!, $in: ObjectionDecisionInput!) { decideObjection(id: $id, input: $in) { id } }`,
		map[string]any{"id": o.ID, "in": map[string]any{"outcome": "REVOKED_RECORD", "answer": "处罚对象认定错误，撤销"}})
	var status string
	if err := e.db.SQL().QueryRow(`SELECT status FROM penalties WHERE id = $1`, pen).Scan(&status); err != nil || status != "REVOKED" {
		t.Fatalf("penalty after REVOKED_RECORD: got %s (%v), want REVOKED", status, err)
	}
	e.as(credit.RoleCreditOffice)
	if code, _ := e.errorCode(`mutation($in: ObjectionInput!) { fileObjection(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"subjectCode": org, "record": map[string]any{"kind": "PENALTY", "id": pen}, "reason": "再次异议"}}); code != "CONFLICT" {
		t.Errorf("an objection to a revoked penalty: got %s, want CONFLICT", code)
	}
}
