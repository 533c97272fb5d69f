package credit

import (
	"slices"
	"testing"
)

// The day most check tests are made "as of".
var checkAsOf = MustDate("2026-11-27")

var (
	checkOrg    = Subject{ID: 1, Code: "91210602MA10QX7K9W", Kind: LegalPerson, Name: "丹东某某有限公司"}
	checkPerson = Subject{ID: 2, Code: "210602198001010013", Kind: NaturalPerson, Name: "张三"}
	// checkOtherOrg is an organisation whose entries are attributed to checkPerson.
	checkOtherOrg = Subject{ID: 3, Code: "91210602MA0000W190", Kind: LegalPerson}
)

func ckDate(s string) *Date { d := MustDate(s); return &d }

// ckPenalty returns a penalty of the subject decided on decided, in force and
// published for a year, changed by mods.
func ckPenalty(id int64, decided string, sev Severity, mods ...func(*Penalty)) Penalty {
	d := MustDate(decided)
	until := d.AddMonths(12)
	p := Penalty{ID: id, SubjectID: checkOrg.ID, DecisionNo: "丹市监罚〔" + decided + "〕号", DecidedOn: d,
		Severity: sev, Status: "IN_FORCE", PublicUntil: &until}
	for _, m := range mods {
		m(&p)
	}
	return p
}

func ckPublicUntil(s string) func(*Penalty) { return func(p *Penalty) { p.PublicUntil = ckDate(s) } }
func ckRevoked(p *Penalty)                  { p.Status = "REVOKED" }
func ckRepaired(on string) func(*Penalty) {
	return func(p *Penalty) { p.Status, p.RepairedOn = "REPAIRED", ckDate(on) }
}

// ckEntry returns an ACTIVE entry of the subject decided and started on decided,
// ending 36 months later, changed by mods.
func ckEntry(id int64, kind ListKind, domain, decided string, mods ...func(*ListEntry)) ListEntry {
	d := MustDate(decided)
	ends := d.AddMonths(36)
	e := ListEntry{ID: id, SubjectID: checkOrg.ID, Kind: kind, Domain: domain, DomainName: domain,
		DecisionNo: "名单" + decided + "号", DecidedOn: d, StartsOn: d, EndsOn: &ends, Status: EntryActive}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func ckBlack(id int64, decided string, mods ...func(*ListEntry)) ListEntry {
	return ckEntry(id, Black, "COURT_ENFORCEMENT_DISHONESTY", decided, mods...)
}

func ckEndsOn(s string) func(*ListEntry) { return func(e *ListEntry) { e.EndsOn = ckDate(s) } }
func ckNoEnd(e *ListEntry)               { e.EndsOn = nil }
func ckStatus(s ListEntryStatus) func(*ListEntry) {
	return func(e *ListEntry) { e.Status = s }
}
func ckEnded(s ListEntryStatus, on string) func(*ListEntry) {
	return func(e *ListEntry) { e.Status, e.EndedOn = s, ckDate(on) }
}
func ckOf(s Subject) func(*ListEntry) { return func(e *ListEntry) { e.SubjectID = s.ID } }
func ckTriggers(ms ...Measure) func(*ListEntry) {
	return func(e *ListEntry) { e.Measures = ms }
}

// ckMeasure returns a catalogue measure aimed at targets and biting in ctxs.
func ckMeasure(code string, kind MeasureKind, targets []MeasureTarget, ctxs ...MeasureContext) Measure {
	m := Measure{Code: code, Version: 1, Kind: kind, Name: code, LegalBasis: "发改财金〔2016〕141号"}
	for _, t := range targets {
		m.Targets = append(m.Targets, string(t))
	}
	for _, c := range ctxs {
		m.ContextList = append(m.ContextList, string(c))
	}
	return m
}

var (
	ckToOrg     = []MeasureTarget{TargetOrganization}
	ckToPersons = []MeasureTarget{TargetKeyPersons}
	ckToBoth    = []MeasureTarget{TargetOrganization, TargetKeyPersons}
)

// ckLegalRepOfOther is checkPerson as legal representative of checkOtherOrg
// since 2020.
var ckLegalRepOfOther = KeyPerson{ID: 7, OrganizationID: checkOtherOrg.ID, PersonID: checkPerson.ID,
	Role: LegalRepresentative, Since: MustDate("2020-01-01")}

// ckAttributed returns entry e of checkOtherOrg as it reaches checkPerson.
func ckAttributed(e ListEntry) AttributedEntry {
	e.SubjectID = checkOtherOrg.ID
	return AttributedEntry{Entry: e, Via: ckLegalRepOfOther}
}

func ckOrgRecords(asOf string, ps []Penalty, es ...ListEntry) CheckRecords {
	return CheckRecords{Subject: checkOrg, AsOf: MustDate(asOf), Penalties: ps, Entries: es}
}

func ckRuleIDs(rs []Reason) []RuleID {
	out := make([]RuleID, len(rs))
	for i, r := range rs {
		out[i] = r.Rule
	}
	return out
}

func ckRulesFor(r CheckRecords) CheckRules { return ckRules(r.AsOf) }

func TestEvaluateApplicant(t *testing.T) {
	const (
		noBad      = RuleGreenChannelNoBadRecord
		honoured   = RuleGreenChannelHonoured
		refused    = RuleGreenChannelRefused
		allowed    = RuleMissingDocumentsAllowed
		noBasis    = RuleMissingDocumentsRefusedNoGreenChannel
		unrepaired = RuleMissingDocumentsRefusedUnrepaired
	)
	today := "2026-11-27"
	withoutAGrade := ckRules(checkAsOf)
	withoutAGrade.HonouredDomains = []string{"HONOURED_INTEGRITY"}
	repairedCounts := ckRules(checkAsOf)
	repairedCounts.RepairedCounts = true
	tests := []struct {
		name       string
		r          CheckRecords
		rules      *CheckRules // nil: ckRules(r.AsOf)
		green      bool
		missing    bool
		wantReason []RuleID
	}{
		{"no records: green channel and missing documents", ckOrgRecords(today, nil), nil, true, true, []RuleID{noBad, allowed}},
		{"general penalty decided exactly 36 months before counts",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2023-11-27", General)}), nil, false, false, []RuleID{refused, noBasis}},
		{"general penalty decided 36 months and 1 day before does not count",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2023-11-26", General)}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty of 2024-02-29 counts on 2027-02-28, the period's last day",
			ckOrgRecords("2027-02-28", []Penalty{ckPenalty(1, "2024-02-29", General)}), nil, false, false, []RuleID{refused, noBasis}},
		{"penalty of 2024-02-29 no longer counts on 2027-03-01",
			ckOrgRecords("2027-03-01", []Penalty{ckPenalty(1, "2024-02-29", General)}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty of 2025-02-28 no longer counts on 2028-02-29",
			ckOrgRecords("2028-02-29", []Penalty{ckPenalty(1, "2025-02-28", General)}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty of 2025-03-01 counts on 2028-02-29",
			ckOrgRecords("2028-02-29", []Penalty{ckPenalty(1, "2025-03-01", General)}), nil, false, false, []RuleID{refused, noBasis}},
		{"penalty decided after asOf does not count",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-11-28", Serious)}), nil, true, true, []RuleID{noBad, allowed}},
		{"minor penalty does not count",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-06-01", Minor)}), nil, true, true, []RuleID{noBad, allowed}},
		{"serious penalty still published refuses both",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-06-01", Serious)}), nil, false, false, []RuleID{refused, noBasis, unrepaired}},
		{"revoked penalty never counts",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-06-01", Serious, ckRevoked)}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty repaired before asOf does not count",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckRepaired("2026-05-01"))}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty repaired on asOf does not count",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckRepaired(today))}), nil, true, true, []RuleID{noBad, allowed}},
		{"penalty repaired after asOf still counts and is unrepaired then",
			ckOrgRecords("2026-04-30", []Penalty{ckPenalty(1, "2026-01-10", General, ckRepaired("2026-05-01"))}), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"repaired penalty counts when the rules say so, but is not unrepaired",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckRepaired("2026-05-01"))}), &repairedCounts,
			false, false, []RuleID{refused, noBasis}},
		{"penalty decided before the window but still published refuses missing documents only",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2023-01-10", Serious, ckPublicUntil("2027-01-10"))}), nil,
			true, false, []RuleID{noBad, unrepaired}},
		{"penalty whose publication ended yesterday is no longer unrepaired",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckPublicUntil("2026-11-26"))}), nil,
			false, false, []RuleID{refused, noBasis}},
		{"black entry that ends today is in force today",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEndsOn(today))), nil, false, false, []RuleID{refused, noBasis, unrepaired}},
		{"black entry that ended yesterday still refuses the green channel, and so missing documents",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEndsOn("2026-11-26"), ckStatus(EntryExpired))), nil,
			false, false, []RuleID{refused, noBasis}},
		{"black entry exited after asOf is in force as of asOf",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEnded(EntryExited, "2026-11-28"))), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"black entry exited on asOf is no longer in force but was decided in the window",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEnded(EntryExited, today))), nil, false, false, []RuleID{refused, noBasis}},
		{"revoked black entry never counts",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEnded(EntryRevoked, "2026-12-01"))), nil, true, true, []RuleID{noBad, allowed}},
		{"proposed and rejected black entries never count",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckStatus(EntryProposed)), ckBlack(2, "2025-01-10", ckStatus(EntryRejected))), nil,
			true, true, []RuleID{noBad, allowed}},
		{"black entry repaired before asOf does not count",
			ckOrgRecords(today, nil, ckBlack(1, "2025-01-10", ckEnded(EntryRepaired, "2026-02-01"))), nil, true, true, []RuleID{noBad, allowed}},
		{"black entry repaired after asOf counts and is in force then",
			ckOrgRecords("2026-01-31", nil, ckBlack(1, "2025-01-10", ckEnded(EntryRepaired, "2026-02-01"))), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"black entry decided before the window and still in force refuses missing documents only",
			ckOrgRecords(today, nil, ckBlack(1, "2022-01-10", ckNoEnd)), nil, true, false, []RuleID{noBad, unrepaired}},
		{"honoured and blacklisted: green channel on the honour, no missing documents",
			ckOrgRecords(today, nil, ckEntry(1, Red, "HONOURED_INTEGRITY", "2025-03-01"), ckBlack(2, "2026-01-10")), nil,
			true, false, []RuleID{honoured, unrepaired}},
		{"honoured with an expired black entry: both",
			ckOrgRecords(today, nil, ckEntry(1, Red, "HONOURED_INTEGRITY", "2025-03-01"), ckBlack(2, "2025-01-10", ckEndsOn("2026-01-10"))), nil,
			true, true, []RuleID{honoured, allowed}},
		{"honoured and clean: both reasons for the green channel",
			ckOrgRecords(today, nil, ckEntry(1, Red, "HONOURED_INTEGRITY", "2025-03-01")), nil, true, true, []RuleID{honoured, noBad, allowed}},
		{"A-grade taxpayer is honoured by default",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckPublicUntil("2026-04-10"))}, ckEntry(1, Red, "A_GRADE_TAXPAYER", "2026-04-01")), nil,
			true, true, []RuleID{honoured, allowed}},
		{"A-grade taxpayer is not honoured under rules without it",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General, ckPublicUntil("2026-04-10"))}, ckEntry(1, Red, "A_GRADE_TAXPAYER", "2026-04-01")), &withoutAGrade,
			false, false, []RuleID{refused, noBasis}},
		{"red entry of another domain is no honour",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General)}, ckEntry(1, Red, "CUSTOMS_ADVANCED_CERTIFIED", "2026-04-01")), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"honour that ended yesterday is no honour",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General)}, ckEntry(1, Red, "HONOURED_INTEGRITY", "2023-11-26")), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"honour decided after asOf is no honour",
			ckOrgRecords(today, []Penalty{ckPenalty(1, "2026-01-10", General)}, ckEntry(1, Red, "HONOURED_INTEGRITY", "2026-11-28")), nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"person with an attributed entry in force: refused",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Attributed: []AttributedEntry{ckAttributed(ckBlack(1, "2026-01-10"))}}, nil,
			false, false, []RuleID{refused, noBasis, unrepaired}},
		{"person with an entry of an organisation they joined later: not attributable",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Attributed: []AttributedEntry{ckAttributed(ckBlack(1, "2019-06-10", ckNoEnd))}}, nil,
			true, true, []RuleID{noBad, allowed}},
		{"organisation ignores attributed entries",
			CheckRecords{Subject: checkOrg, AsOf: checkAsOf, Attributed: []AttributedEntry{ckAttributed(ckBlack(1, "2026-01-10"))}}, nil,
			true, true, []RuleID{noBad, allowed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := ckRulesFor(tt.r)
			if tt.rules != nil {
				rules = *tt.rules
			}
			got := EvaluateApplicant(tt.r, rules)
			if got.GreenChannel != tt.green || got.AcceptWithMissingDocuments != tt.missing {
				t.Errorf("got green %v, missing documents %v; want %v, %v", got.GreenChannel, got.AcceptWithMissingDocuments, tt.green, tt.missing)
			}
			if ids := ckRuleIDs(got.Reasons); !slices.Equal(ids, tt.wantReason) {
				t.Errorf("got reasons %v, want %v", ids, tt.wantReason)
			}
			if got.RuleVersion != rules.Version || got.AsOf != tt.r.AsOf {
				t.Errorf("got version %q as of %s, want %q as of %s", got.RuleVersion, got.AsOf, rules.Version, tt.r.AsOf)
			}
		})
	}
}
