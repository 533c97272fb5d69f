package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// checkWorld is an organisation on a wage-arrears black list with a
// BANK_CREDIT measure, whose legal representative is also the legal
// representative of a second organisation on a court-enforcement list.
type checkWorld struct {
	org, rep, other, clean string
}

func newCheckWorld(e *env) checkWorld {
	e.t.Helper()
	w := checkWorld{org: testenv.USCC(1), rep: testenv.CitizenID(1), other: testenv.USCC(2), clean: testenv.USCC(3)}
	org := e.f.Subject(w.org, credit.LegalPerson, "丹东欠薪有限公司")
	rep := e.f.Subject(w.rep, credit.NaturalPerson, "王五")
	other := e.f.Subject(w.other, credit.LegalPerson, "丹东失信被执行有限公司")
	clean := e.f.Subject(w.clean, credit.LegalPerson, "丹东守信有限公司")
	e.f.KeyPerson(org, rep, credit.LegalRepresentative, "2019-01-01", "")
	e.f.KeyPerson(other, rep, credit.LegalRepresentative, "2019-01-01", "")
	black := e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept, DecidedOn: "2026-03-01", EndsOn: "2029-02-28"})
	loans := e.f.Measure("LOAN_RESTRICTED", credit.Punishment, credit.Black, "WAGE_ARREARS", dept, credit.BankCredit)
	review := e.f.Measure("STRICT_REVIEW", credit.Punishment, credit.Black, "WAGE_ARREARS", dept, credit.ApprovalWindow)
	e.f.LinkMeasure(black, loans)
	e.f.LinkMeasure(black, review)
	e.f.ListEntry(testenv.Entry{Subject: other, Kind: credit.Black, Domain: "COURT_ENFORCEMENT_DISHONESTY", Dept: dept, DecidedOn: "2025-06-01", EndsOn: "2027-05-31"})
	old := e.f.Penalty(clean, dept, "2022-01-01", credit.Serious, 50000000) // outside the 3 years…
	e.f.Scoped("penalties", old, credit.ScopePublic, "2025-01-01")          // …and no longer published
	honour := e.f.ListEntry(testenv.Entry{Subject: clean, Kind: credit.Red, Domain: "HONOURED_INTEGRITY", Dept: dept, DecidedOn: "2025-01-01"})
	green := e.f.Measure("GREEN_CHANNEL", credit.Reward, credit.Red, "HONOURED_INTEGRITY", dept, credit.ApprovalWindow)
	e.f.LinkMeasure(honour, green)
	return w
}

const creditCheckQuery = `query($c: ID!, $asOf: Date) { creditCheck(code: $c, asOf: $asOf, purpose: "贷前审查") {
	subject { code name } asOf ruleVersion verdict redListed blacklisted penaltiesLast3Years
	activeListEntries { domain } measures { measure { code legalBasis } entry { decisionNumber } viaRole }
	keyPersonFindings { role person { code displayCode name } attributed { entry { domain } organization { name } } }
	reasons { rule text records { kind decisionNumber } }
} }`

type creditCheckOut struct {
	CreditCheck struct {
		Subject           struct{ Code, Name string }
		AsOf, Verdict     string
		RuleVersion       string
		RedListed         bool
		Blacklisted       bool
		ActiveListEntries []struct{ Domain string }
		Measures          []struct {
			Measure struct{ Code, LegalBasis string }
			ViaRole *string
		}
		KeyPersonFindings []struct {
			Role   string
			Person struct{ Code, DisplayCode, Name string }
		}
		Reasons []struct {
			Rule, Text string
			Records    []struct{ Kind, DecisionNumber string }
		}
	}
}

func TestCreditCheckForABank(t *testing.T) {
	e := newEnv(t)
	w := newCheckWorld(e)
	e.as(credit.RoleBank)
	var out creditCheckOut
	e.query(creditCheckQuery, map[string]any{"c": w.org}, &out)
	c := out.CreditCheck
	if c.Verdict != "RESTRICTED" || !c.Blacklisted || c.AsOf != "2026-11-27" || c.RuleVersion == "" {
		t.Errorf("got verdict %s blacklisted %v asOf %s rules %q, want RESTRICTED, true, today", c.Verdict, c.Blacklisted, c.AsOf, c.RuleVersion)
	}
	if len(c.Measures) != 1 || c.Measures[0].Measure.Code != "LOAN_RESTRICTED" || c.Measures[0].Measure.LegalBasis == "" {
		t.Errorf("measures: got %+v, want the BANK_CREDIT one only, with its legal basis", c.Measures)
	}
	if len(c.KeyPersonFindings) != 1 || c.KeyPersonFindings[0].Person.DisplayCode != "**************"+w.rep[14:] || !strings.HasPrefix(c.KeyPersonFindings[0].Person.Code, "MASKED-") {
		t.Errorf("key person findings: got %+v, want the legal representative, ID masked to the last four", c.KeyPersonFindings)
	}
	for _, r := range c.Reasons {
		if r.Text == "" {
			t.Errorf("reason %s has no text", r.Rule)
		}
	}
	if !hasRule(c.Reasons, "CREDIT_RESTRICTED_BLACKLISTED") || !hasRule(c.Reasons, "CREDIT_CAUTION_KEY_PERSON") {
		t.Errorf("reasons: got %+v", c.Reasons)
	}
}

func hasRule(rs []struct {
	Rule, Text string
	Records    []struct{ Kind, DecisionNumber string }
}, rule string) bool {
	for _, r := range rs {
		if r.Rule == rule && len(r.Records) > 0 {
			return true
		}
	}
	return false
}

func TestCreditCheckOfAPersonTakesAttributedEntries(t *testing.T) {
	e := newEnv(t)
	w := newCheckWorld(e)
	var out creditCheckOut
	e.query(creditCheckQuery, map[string]any{"c": w.rep}, &out)
	if out.CreditCheck.Verdict != "RESTRICTED" || !out.CreditCheck.Blacklisted {
		t.Fatalf("got %+v, want RESTRICTED through the organisations' entries", out.CreditCheck)
	}
	for _, m := range out.CreditCheck.Measures {
		if m.ViaRole == nil || *m.ViaRole != "LEGAL_REPRESENTATIVE" {
			t.Errorf("measure %s: via %v, want LEGAL_REPRESENTATIVE", m.Measure.Code, m.ViaRole)
		}
	}
}

func TestCreditCheckAsOfAPastDateShowsTheStateThen(t *testing.T) {
	e := newEnv(t)
	w := newCheckWorld(e)
	var out creditCheckOut
	e.query(creditCheckQuery, map[string]any{"c": w.org, "asOf": "2026-02-28"}, &out)
	if out.CreditCheck.Verdict != "CAUTION" || out.CreditCheck.Blacklisted {
		t.Fatalf("the day before the listing: got %s blacklisted %v, want CAUTION (key person) and not blacklisted",
			out.CreditCheck.Verdict, out.CreditCheck.Blacklisted)
	}
}

func TestApplicantCheckForAWindow(t *testing.T) {
	e := newEnv(t)
	w := newCheckWorld(e)
	e.as(credit.RoleWindow)
	q := `query($c: ID!) { applicantCheck(code: $c, matter: "建设工程规划许可", purpose: "受理审查") {
		greenChannel acceptWithMissingDocuments measures { measure { code } } disputed { id } reasons { rule } } }`
	var out struct {
		ApplicantCheck struct {
			GreenChannel, AcceptWithMissingDocuments bool
			Measures                                 []struct{ Measure struct{ Code string } }
			Reasons                                  []struct{ Rule string }
		}
	}
	e.query(q, map[string]any{"c": w.org}, &out)
	a := out.ApplicantCheck
	if a.GreenChannel || a.AcceptWithMissingDocuments || len(a.Measures) != 1 || a.Measures[0].Measure.Code != "STRICT_REVIEW" {
		t.Errorf("black-listed applicant: got %+v", a)
	}
	e.query(q, map[string]any{"c": w.clean}, &out)
	a = out.ApplicantCheck
	if !a.GreenChannel || !a.AcceptWithMissingDocuments || len(a.Measures) != 1 || a.Measures[0].Measure.Code != "GREEN_CHANNEL" {
		t.Errorf("honoured applicant with an old serious penalty: got %+v", a)
	}
}

func TestChecksRefuseWhatTheyMust(t *testing.T) {
	e := newEnv(t)
	w := newCheckWorld(e)
	tests := []struct {
		role  credit.Role
		query string
		code  string
	}{
		{credit.RoleWindow, fmt.Sprintf(`{ creditCheck(code: %q, purpose: "x") { verdict } }`, w.org), "FORBIDDEN"},
		{credit.RoleBank, fmt.Sprintf(`{ applicantCheck(code: %q, purpose: "x") { greenChannel } }`, w.org), "FORBIDDEN"},
		{credit.RolePublic, fmt.Sprintf(`{ creditCheck(code: %q, purpose: "x") { verdict } }`, w.org), "FORBIDDEN"},
		{credit.RoleBank, fmt.Sprintf(`{ creditCheck(code: %q, purpose: " ") { verdict } }`, w.org), "BAD_USER_INPUT"},
		{credit.RoleBank, fmt.Sprintf(`{ creditCheck(code: %q, purpose: "x", asOf: "2026-11-28") { verdict } }`, w.org), "BAD_USER_INPUT"},
		{credit.RoleBank, fmt.Sprintf(`{ creditCheck(code: %q, purpose: "x") { verdict } }`, testenv.USCC(99)), "NOT_FOUND"},
		{credit.RoleBank, `{ creditCheck(code: "91350100M000100Y4Z", purpose: "x") { verdict } }`, "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		e.as(tt.role)
		if code, err := e.errorCode(tt.query, nil); code != tt.code {
			t.Errorf("%s %s: got %s (%s), want %s", tt.role, tt.query, code, err.Message, tt.code)
		}
	}
}

func TestUncachedCheckIsOneStatementWhateverTheRecordCount(t *testing.T) {
	e := newEnvSerial(t)
	w := newCheckWorld(e)
	e.do(`{ __typename }`, nil, "") // authenticates the key once; it is then trusted from memory
	// The rules are read once per server, not per check.
	if _, err := e.svc.ReloadRules(context.Background()); err != nil {
		t.Fatal(err)
	}
	statements := func() int64 {
		before := e.db.Statements()
		var out creditCheckOut
		e.query(`query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict reasons { rule } } }`, map[string]any{"c": w.org}, &out)
		return e.db.Statements() - before
	}
	few := statements()
	var orgID int64
	e.db.SQL().QueryRow(`SELECT id FROM subjects WHERE code = $1`, w.org).Scan(&orgID)
	for i := 0; i < 60; i++ {
		e.f.Penalty(orgID, dept, "2026-01-02", credit.General, 100)
	}
	many := statements()
	if few != 1 || many != 1 {
		t.Fatalf("statements per uncached check: %d with few records, %d with 60 more penalties; want 1 and 1", few, many)
	}
}

func TestChecksByBanksAreInTheQueryUseLog(t *testing.T) {
	db := testenv.DB(t)
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{})
	t.Cleanup(func() { uses.Close(context.Background()) })
	e := newEnvOn(t, db, nil, service.WithQueryLog(uses))
	t.Parallel()
	w := newCheckWorld(e)
	e.as(credit.RoleBank)
	var out creditCheckOut
	e.query(creditCheckQuery, map[string]any{"c": w.org}, &out)
	if err := uses.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.as(credit.RoleAuditor)
	var log struct {
		Subject struct {
			QueryLog []struct{ Role, Purpose, Institution, Operation string }
		}
	}
	e.query(`query($c: ID!) { subject(code: $c) { queryLog { role purpose institution operation } } }`, map[string]any{"c": w.org}, &log)
	if len(log.Subject.QueryLog) != 1 || log.Subject.QueryLog[0].Role != "BANK" || log.Subject.QueryLog[0].Purpose != "贷前审查" {
		t.Fatalf("query log of the organisation: got %+v, want one BANK read with its purpose", log.Subject.QueryLog)
	}
	e.as(credit.RoleBank)
	if code, _ := e.errorCode(`query($c: ID!) { subject(code: $c, purpose: "x") { queryLog { role } } }`, map[string]any{"c": w.org}); code != "FORBIDDEN" {
		t.Fatalf("BANK reading the query log: got %s, want FORBIDDEN", code)
	}
}
