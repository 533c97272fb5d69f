package graph_test

import (
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestSubjectUnknownValidCodeIsNull(t *testing.T) {
	e := newEnv(t)
	var out struct{ Subject *struct{ Code string } }
	e.query(`query($c: ID!) { subject(code: $c) { code } }`, map[string]any{"c": testenv.USCC(1)}, &out)
	if out.Subject != nil {
		t.Fatalf("got %+v, want null", out.Subject)
	}
}

func TestSubjectInvalidCodeIsBadUserInputNamingTheRule(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ code, rule string }{
		{"91350100O000100Y43", "letter O is not allowed"},
		{"91350100M000100Y4", "length must be 18"},
		{"91350100M000100Y44", "check character should be 3"},
		{"210604199002300021", "birth date 19900230 does not exist"},
	}
	for _, tt := range tests {
		code, err := e.errorCode(`query($c: ID!) { subject(code: $c) { code } }`, map[string]any{"c": tt.code})
		if code != "BAD_USER_INPUT" {
			t.Errorf("code %s: got %s, want BAD_USER_INPUT", tt.code, code)
		}
		if !strings.Contains(err.Message, tt.rule) || !strings.HasPrefix(err.Message, "code:") {
			t.Errorf("code %s: message %q should name the field and %q", tt.code, err.Message, tt.rule)
		}
	}
}

func TestSubjectLegacyCodeThatFailsItsChecksumIsFoundWhenRegistered(t *testing.T) {
	e := newEnv(t)
	legacy := "91350100M000100Y44" // check character should be 3
	e.f.Subject(legacy, credit.LegalPerson, "丹东老字号有限公司")
	var out struct{ Subject *struct{ Name string } }
	e.query(`query($c: ID!) { subject(code: $c) { name } }`, map[string]any{"c": legacy}, &out)
	if out.Subject == nil || out.Subject.Name != "丹东老字号有限公司" {
		t.Fatalf("got %+v, want the registered legacy subject", out.Subject)
	}
}

func TestSubjectWithEverythingItJoins(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东测试贸易有限公司")
	rep := e.f.Subject(testenv.CitizenID(1), credit.NaturalPerson, "张三")
	old := e.f.Subject(testenv.CitizenID(2), credit.NaturalPerson, "李四")
	e.f.KeyPerson(org, old, credit.LegalRepresentative, "2015-01-01", "2020-12-31")
	e.f.KeyPerson(org, rep, credit.LegalRepresentative, "2021-01-01", "")
	e.f.Licence(org, dept, "2026-01-05")
	e.f.Licence(org, dept, "2025-06-01")
	e.f.Penalty(org, dept, "2025-03-01", credit.General, 200000)
	e.f.Penalty(org, dept, "2021-03-01", credit.Serious, 5000000)
	black := e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "MARKET_SERIOUS_VIOLATION", Dept: dept, DecidedOn: "2025-04-01", EndsOn: "2028-03-31"})
	m := e.f.Measure("STRICT_REVIEW", credit.Punishment, credit.Black, "MARKET_SERIOUS_VIOLATION", dept, credit.ApprovalWindow)
	e.f.LinkMeasure(black, m)
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Red, Domain: "A_GRADE_TAXPAYER", Dept: dept, DecidedOn: "2024-04-01", EndsOn: "2025-03-31"})
	e.f.TaxGrade(org, 2024, credit.GradeB)
	e.f.TaxGrade(org, 2025, credit.GradeC)

	var out struct {
		Subject struct {
			Kind                string
			LegalRepresentative struct{ Name string }
			KeyPersons          []struct {
				Role   string
				Person struct{ Name string }
				Until  *string
			}
			Licences struct {
				TotalCount int
				Edges      []struct{ Node struct{ DecidedOn string } }
			}
			Penalties struct {
				TotalCount int
				Edges      []struct{ Node struct{ Fine string } }
			}
			Active []struct {
				Kind     string
				Status   string
				Measures []struct{ Code, LegalBasis string }
			}
			All            []struct{ Status string }
			TaxCreditGrade struct {
				Year  int
				Grade string
			}
		}
	}
	e.query(`query($c: ID!) { subject(code: $c) {
		kind
		legalRepresentative { name }
		keyPersons { role person { name } until }
		licences(first: 1) { totalCount edges { node { decidedOn } } }
		penalties(since: "2022-11-27") { totalCount edges { node { fine } } }
		active: listEntries(activeOn: "2026-11-27") { kind status measures { code legalBasis } }
		all: listEntries { status }
		taxCreditGrade { year grade }
	} }`, map[string]any{"c": testenv.USCC(1)}, &out)

	s := out.Subject
	if s.Kind != "LEGAL_PERSON" || s.LegalRepresentative.Name != "张三" {
		t.Errorf("got kind %s, legal representative %q; want LEGAL_PERSON, 张三", s.Kind, s.LegalRepresentative.Name)
	}
	if len(s.KeyPersons) != 2 {
		t.Errorf("got %d key persons, want 2 (current and past)", len(s.KeyPersons))
	}
	if s.Licences.TotalCount != 2 || len(s.Licences.Edges) != 1 || s.Licences.Edges[0].Node.DecidedOn != "2026-01-05" {
		t.Errorf("licences: got %+v, want total 2 and the newest (2026-01-05) only", s.Licences)
	}
	if s.Penalties.TotalCount != 1 || s.Penalties.Edges[0].Node.Fine != "2000.00" {
		t.Errorf("penalties since 2022-11-27: got %+v, want the 2025 one with fine 2000.00", s.Penalties)
	}
	if len(s.Active) != 1 || s.Active[0].Kind != "BLACK" || len(s.Active[0].Measures) != 1 || s.Active[0].Measures[0].Code != "STRICT_REVIEW" {
		t.Errorf("entries in force: got %+v, want the black entry with its measure", s.Active)
	}
	if len(s.All) != 2 || s.All[1].Status != "EXPIRED" {
		t.Errorf("all entries: got %+v, want 2 with the red one past its end reported EXPIRED", s.All)
	}
	if s.TaxCreditGrade.Year != 2025 || s.TaxCreditGrade.Grade != "C" {
		t.Errorf("tax grade: got %+v, want the latest year (2025, C)", s.TaxCreditGrade)
	}
}

func TestPersonSeesEntriesAttributedFromOrganisationsTheyAnsweredFor(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东失信有限公司")
	rep := e.f.Subject(testenv.CitizenID(1), credit.NaturalPerson, "王五")
	controller := e.f.Subject(testenv.CitizenID(2), credit.NaturalPerson, "赵六")
	later := e.f.Subject(testenv.CitizenID(3), credit.NaturalPerson, "钱七")
	e.f.KeyPerson(org, rep, credit.LegalRepresentative, "2018-01-01", "2025-12-31")
	e.f.KeyPerson(org, controller, credit.ActualController, "2018-01-01", "")
	e.f.KeyPerson(org, later, credit.LegalRepresentative, "2026-01-01", "")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "COURT_ENFORCEMENT_DISHONESTY", Dept: dept, DecidedOn: "2025-06-01", EndsOn: "2027-05-31"})
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Red, Domain: "HONOURED_INTEGRITY", Dept: dept, DecidedOn: "2024-06-01"})

	attributed := func(code string) []struct {
		Role         string
		Organization struct{ Name string }
		Entry        struct{ Domain string }
	} {
		var out struct {
			Subject struct {
				AttributedListEntries []struct {
					Role         string
					Organization struct{ Name string }
					Entry        struct{ Domain string }
				}
			}
		}
		e.query(`query($c: ID!) { subject(code: $c) { attributedListEntries(activeOn: "2026-11-27") { role organization { name } entry { domain } } } }`,
			map[string]any{"c": code}, &out)
		return out.Subject.AttributedListEntries
	}
	got := attributed(testenv.CitizenID(1))
	if len(got) != 1 || got[0].Role != "LEGAL_REPRESENTATIVE" || got[0].Organization.Name != "丹东失信有限公司" || got[0].Entry.Domain != "COURT_ENFORCEMENT_DISHONESTY" {
		t.Errorf("legal representative at the decision: got %+v, want the black entry with its cause", got)
	}
	if got := attributed(testenv.CitizenID(2)); len(got) != 0 {
		t.Errorf("actual controller: got %+v, want nothing (not an attributed role)", got)
	}
	if got := attributed(testenv.CitizenID(3)); len(got) != 0 {
		t.Errorf("representative appointed after the decision: got %+v, want nothing", got)
	}
}
