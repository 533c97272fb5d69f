package credit

import (
	"slices"
	"testing"
)

func ckGrade(g TaxGrade, assessed string) *TaxCreditGrade {
	return &TaxCreditGrade{SubjectID: checkOrg.ID, Year: 2025, Grade: g, AssessedOn: ckDate(assessed)}
}

func ckWithGrade(r CheckRecords, g *TaxCreditGrade) CheckRecords { r.TaxGrade = g; return r }

func ckKeyPerson(role KeyPersonRole, id int64, es []ListEntry, as ...AttributedEntry) KeyPersonRecords {
	return KeyPersonRecords{Role: role, Person: Subject{ID: id, Kind: NaturalPerson}, Entries: es, Attributed: as}
}

func ckWithKeyPersons(r CheckRecords, ks ...KeyPersonRecords) CheckRecords {
	r.KeyPersons = ks
	return r
}

func TestEvaluateCredit(t *testing.T) {
	today := "2026-11-27"
	loanRefusal := ckMeasure("COURT_LOAN_REFUSAL", Punishment, ckToBoth, BankCredit)
	creditLoan := ckMeasure("AGRADE_CREDIT_LOAN", Reward, ckToOrg, BankCredit)
	personsOwnBlack := ckBlack(5, "2026-01-10", ckOf(checkPerson))
	tests := []struct {
		name                     string
		r                        CheckRecords
		verdict                  CreditVerdict
		wantReason               []RuleID
		red, blacklisted         bool
		penalties, seriousCount  int
		activeEntries, nMeasures int
	}{
		{"no records: CLEAR", ckOrgRecords(today, nil), VerdictClear, []RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"serious penalty in the window: CAUTION",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2024-01-10", Serious)}), VerdictCaution,
			[]RuleID{RuleCreditCautionSeriousPenalty}, false, false, 1, 1, 0, 0},
		{"serious penalty decided 36 months and 1 day before: CLEAR",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2023-11-26", Serious)}), VerdictClear, []RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"serious penalty decided exactly 36 months before: CAUTION",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2023-11-27", Serious)}), VerdictCaution,
			[]RuleID{RuleCreditCautionSeriousPenalty}, false, false, 1, 1, 0, 0},
		{"3 general penalties: CAUTION",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2024-01-10", General), ckPenalty(2, "2025-01-10", General), ckPenalty(3, "2026-01-10", General)}),
			VerdictCaution, []RuleID{RuleCreditCautionGeneralPenalties}, false, false, 3, 0, 0, 0},
		{"2 general penalties and a minor one: CLEAR",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2024-01-10", General), ckPenalty(2, "2025-01-10", General), ckPenalty(3, "2026-01-10", Minor)}),
			VerdictClear, []RuleID{RuleCreditClear}, false, false, 2, 0, 0, 0},
		{"revoked serious penalty: CLEAR, not counted",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", Serious, ckRevoked)}), VerdictClear, []RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"serious penalty repaired before asOf: CLEAR, not counted",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2025-01-10", Serious, ckRepaired("2026-02-01"))}), VerdictClear,
			[]RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"serious penalty as of the day before its repair: CAUTION",
			ckOrgRecords("2026-01-31", []Penalty{ckPenalty(1, "2025-01-10", Serious, ckRepaired("2026-02-01"))}), VerdictCaution,
			[]RuleID{RuleCreditCautionSeriousPenalty}, false, false, 1, 1, 0, 0},
		{"black entry that ends today: RESTRICTED with its measure",
			ckOrgRecords(today, nil, ckBlack(1, "2024-01-10", ckEndsOn(today), ckTriggers(loanRefusal))), VerdictRestricted,
			[]RuleID{RuleCreditRestrictedBlacklisted, RuleCreditRestrictedMeasure}, false, true, 0, 0, 1, 1},
		{"black entry that ended yesterday: CLEAR, no measure",
			ckOrgRecords(today, nil, ckBlack(1, "2024-01-10", ckEndsOn("2026-11-26"), ckTriggers(loanRefusal))), VerdictClear,
			[]RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"black entry exited after asOf: RESTRICTED as of asOf",
			ckOrgRecords(today, nil, ckBlack(1, "2024-01-10", ckEnded(EntryExited, "2026-12-01"))), VerdictRestricted,
			[]RuleID{RuleCreditRestrictedBlacklisted}, false, true, 0, 0, 1, 0},
		{"blacklisted with a serious penalty: RESTRICTED with both reasons",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", Serious)}, ckBlack(1, "2026-01-10")), VerdictRestricted,
			[]RuleID{RuleCreditRestrictedBlacklisted, RuleCreditCautionSeriousPenalty}, false, true, 1, 1, 1, 0},
		{"A-grade red entry with a credit-loan product: CLEAR and red-listed",
			ckWithGrade(ckOrgRecords(today, nil, ckEntry(1, Red, "A_GRADE_TAXPAYER", "2026-04-01", ckTriggers(creditLoan))), ckGrade(GradeA, "2026-04-01")),
			VerdictClear, []RuleID{RuleCreditClear}, true, false, 0, 0, 1, 1},
		{"tax grade D: RESTRICTED", ckWithGrade(ckOrgRecords(today, nil), ckGrade(GradeD, "2026-04-01")), VerdictRestricted,
			[]RuleID{RuleCreditRestrictedTaxD}, false, false, 0, 0, 0, 0},
		{"tax grade C: CAUTION", ckWithGrade(ckOrgRecords(today, nil), ckGrade(GradeC, "2026-04-01")), VerdictCaution,
			[]RuleID{RuleCreditCautionTaxC}, false, false, 0, 0, 0, 0},
		{"tax grade D assessed after asOf: CLEAR", ckWithGrade(ckOrgRecords(today, nil), ckGrade(GradeD, "2026-11-28")), VerdictClear,
			[]RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"legal representative blacklisted: CAUTION for the organisation",
			ckWithKeyPersons(ckOrgRecords(today, nil), ckKeyPerson(LegalRepresentative, 9, []ListEntry{ckBlack(8, "2026-01-10", ckOf(Subject{ID: 9}))})),
			VerdictCaution, []RuleID{RuleCreditCautionKeyPerson}, false, false, 0, 0, 0, 0},
		{"principal with an attributed entry: CAUTION for the organisation",
			ckWithKeyPersons(ckOrgRecords(today, nil), ckKeyPerson(Principal, checkPerson.ID, nil, ckAttributed(ckBlack(8, "2026-01-10")))),
			VerdictCaution, []RuleID{RuleCreditCautionKeyPerson}, false, false, 0, 0, 0, 0},
		{"legal representative whose entry expired: CLEAR",
			ckWithKeyPersons(ckOrgRecords(today, nil), ckKeyPerson(LegalRepresentative, 9, []ListEntry{ckBlack(8, "2022-01-10", ckOf(Subject{ID: 9}))})),
			VerdictClear, []RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"actual controller is not a key person of the finding: CLEAR",
			ckWithKeyPersons(ckOrgRecords(today, nil), ckKeyPerson(ActualController, 9, []ListEntry{ckBlack(8, "2026-01-10", ckOf(Subject{ID: 9}))})),
			VerdictClear, []RuleID{RuleCreditClear}, false, false, 0, 0, 0, 0},
		{"person with an attributed entry: RESTRICTED through attribution",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Attributed: []AttributedEntry{ckAttributed(ckBlack(1, "2026-01-10", ckTriggers(loanRefusal)))}},
			VerdictRestricted, []RuleID{RuleCreditRestrictedBlacklisted, RuleCreditRestrictedMeasure}, false, true, 0, 0, 0, 1},
		{"person with an own entry: RESTRICTED",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Entries: []ListEntry{personsOwnBlack}},
			VerdictRestricted, []RuleID{RuleCreditRestrictedBlacklisted}, false, true, 0, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EvaluateCredit(tt.r, ckRulesFor(tt.r))
			if got.Verdict != tt.verdict {
				t.Errorf("got verdict %s, want %s", got.Verdict, tt.verdict)
			}
			if ids := ckRuleIDs(got.Reasons); !slices.Equal(ids, tt.wantReason) {
				t.Errorf("got reasons %v, want %v", ids, tt.wantReason)
			}
			if got.RedListed != tt.red || got.Blacklisted != tt.blacklisted {
				t.Errorf("got red %v, black %v; want %v, %v", got.RedListed, got.Blacklisted, tt.red, tt.blacklisted)
			}
			if got.PenaltiesLast3Years != tt.penalties || got.SeriousPenaltiesLast3Years != tt.seriousCount {
				t.Errorf("got %d penalties (%d serious), want %d (%d)", got.PenaltiesLast3Years, got.SeriousPenaltiesLast3Years, tt.penalties, tt.seriousCount)
			}
			if len(got.ActiveListEntries) != tt.activeEntries || len(got.Measures) != tt.nMeasures {
				t.Errorf("got %d active entries and %d measures, want %d and %d", len(got.ActiveListEntries), len(got.Measures), tt.activeEntries, tt.nMeasures)
			}
		})
	}
}

func TestEvaluateCreditReportsTaxGradeKnownOnAsOf(t *testing.T) {
	r := ckWithGrade(ckOrgRecords("2026-11-27", nil), ckGrade(GradeC, "2026-11-28"))
	if got := EvaluateCredit(r, ckRulesFor(r)).TaxCreditGrade; got != nil {
		t.Errorf("got grade %+v, want nil: it was assessed after asOf", *got)
	}
	r.TaxGrade = ckGrade(GradeC, "2026-04-01")
	if got := EvaluateCredit(r, ckRulesFor(r)).TaxCreditGrade; got == nil || got.Grade != GradeC || got == r.TaxGrade {
		t.Errorf("got grade %v, want a copy of grade C", got)
	}
}

func TestKeyPersonFindingsListOnlyBlackEntriesInForce(t *testing.T) {
	rep := Subject{ID: 9, Kind: NaturalPerson}
	own := ckBlack(8, "2026-01-10", ckOf(rep))
	expired := ckBlack(6, "2022-01-10", ckOf(rep))
	red := ckEntry(4, Red, "HONOURED_INTEGRITY", "2026-01-10", ckOf(rep))
	attr := ckAttributed(ckBlack(7, "2025-01-10"))
	r := ckWithKeyPersons(ckOrgRecords("2026-11-27", nil),
		ckKeyPerson(Principal, checkPerson.ID, nil, attr),
		ckKeyPerson(LegalRepresentative, rep.ID, []ListEntry{expired, red, own}))
	got := EvaluateCredit(r, ckRulesFor(r)).KeyPersonFindings
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2", len(got))
	}
	if got[0].Role != LegalRepresentative || len(got[0].Entries) != 1 || got[0].Entries[0].ID != own.ID || len(got[0].Attributed) != 0 {
		t.Errorf("got first finding %+v, want the legal representative with entry %d only", got[0], own.ID)
	}
	if got[1].Role != Principal || len(got[1].Attributed) != 1 || got[1].Attributed[0].Entry.ID != attr.Entry.ID {
		t.Errorf("got second finding %+v, want the principal with attributed entry %d", got[1], attr.Entry.ID)
	}
}

func TestPersonHasNoKeyPersonFindings(t *testing.T) {
	r := CheckRecords{Subject: checkPerson, AsOf: checkAsOf,
		KeyPersons: []KeyPersonRecords{ckKeyPerson(LegalRepresentative, 9, []ListEntry{ckBlack(8, "2026-01-10")})}}
	got := EvaluateCredit(r, ckRulesFor(r))
	if len(got.KeyPersonFindings) != 0 || got.Verdict != VerdictClear {
		t.Errorf("got %d findings and %s, want none and CLEAR", len(got.KeyPersonFindings), got.Verdict)
	}
}
