package graph_test

import (
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// Periods count by the Civil Code arts. 201–202, and answers as of a past
// date show each record as it stood on that date.

// A 失信被执行人 entry published on 2025-03-01 with the standard 2-year
// term is in force through 2027-03-01, so the organisation's legal
// representative still carries it on that day.
func TestCourtEntryOfTwoYearsIsInForceOnItsLastDayForTheRepresentative(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东被执行有限公司")
	rep := e.f.Subject(testenv.CitizenID(1), credit.NaturalPerson, "赵六")
	e.f.KeyPerson(org, rep, credit.LegalRepresentative, "2020-01-01", "")
	e.as(credit.RoleDepartment)
	var proposed struct{ ProposeListEntry struct{ ID, EndsOn string } }
	e.query(`mutation($in: ListEntryInput!) { proposeListEntry(input: $in) { id endsOn } }`, map[string]any{"in": map[string]any{
		"subjectCode": testenv.USCC(1), "kind": "BLACK", "domain": "COURT_ENFORCEMENT_DISHONESTY",
		"decisionNumber": "(2025)辽06执123号", "decidedOn": "2025-03-01", "facts": "有履行能力而拒不履行"}}, &proposed)
	if proposed.ProposeListEntry.EndsOn != "2027-03-01" {
		t.Errorf("proposed: ends on %s, want 2027-03-01", proposed.ProposeListEntry.EndsOn)
	}
	e.as(credit.RoleCreditOffice)
	e.query(`mutation($id: ID!) { approveListEntry(id: $id) { status } }`, map[string]any{"id": proposed.ProposeListEntry.ID}, &struct{}{})
	for day, want := range map[string]int{"2027-03-01": 1, "2027-03-02": 0} {
		var out struct {
			Subject struct {
				AttributedListEntries []struct{ Role string }
			}
		}
		e.query(`query($c: ID!, $d: Date) { subject(code: $c) { attributedListEntries(activeOn: $d) { role } } }`,
			map[string]any{"c": testenv.CitizenID(1), "d": day}, &out)
		if got := len(out.Subject.AttributedListEntries); got != want {
			t.Errorf("attributed entries in force on %s: got %d, want %d", day, got, want)
		}
	}
}

// An entry that exited in 2025 was ACTIVE on 2024-06-01: a check as of that
// day shows it so, and its later exit only in its history.
func TestCheckAsOfAPastDateShowsTheEntrysStatusOnThatDate(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东曾失信有限公司")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept,
		DecidedOn: "2024-01-05", EndsOn: "2027-01-05", Status: credit.EntryExited, EndedOn: "2025-05-20"})
	e.as(credit.RoleBank)
	var out struct {
		CreditCheck struct {
			Blacklisted       bool
			ActiveListEntries []struct {
				Status             string
				EndedOn            *string
				ExitDecisionNumber *string
			}
		}
	}
	e.query(`query($c: ID!) { creditCheck(code: $c, asOf: "2024-06-01", purpose: "贷前审查") {
		blacklisted activeListEntries { status endedOn exitDecisionNumber } } }`, map[string]any{"c": testenv.USCC(1)}, &out)
	c := out.CreditCheck
	if !c.Blacklisted || len(c.ActiveListEntries) != 1 {
		t.Fatalf("got %+v, want the entry in force on 2024-06-01", c)
	}
	if got := c.ActiveListEntries[0]; got.Status != "ACTIVE" || got.EndedOn != nil || got.ExitDecisionNumber != nil {
		t.Errorf("as of 2024-06-01: got status %s, ended %v, exit decision %v; want ACTIVE with no exit yet",
			got.Status, got.EndedOn, got.ExitDecisionNumber)
	}
}
