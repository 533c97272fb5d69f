package credit

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// ckAppliedCodes lists applied measures as code@entry, with "via" for an
// attributed one.
func ckAppliedCodes(ms []AppliedMeasure) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Measure.Code + "@" + m.Entry.DecisionNo
		if m.Via != nil {
			out[i] += " via " + string(m.Via.Role)
		}
	}
	return out
}

func TestMeasuresFilteredByContextAndTarget(t *testing.T) {
	strict := ckMeasure("COURT_STRICT_APPROVAL_REVIEW", Punishment, ckToOrg, ApprovalWindow)
	personsOnly := ckMeasure("COURT_PERSONS_WINDOW_NOTICE", Punishment, ckToPersons, ApprovalWindow)
	loan := ckMeasure("COURT_LOAN_REFUSAL", Punishment, ckToBoth, BankCredit)
	flights := ckMeasure("COURT_FLIGHT_TRAIN_BAN", Punishment, ckToPersons, TravelConsumption)
	court := ckTriggers(strict, personsOnly, loan, flights)
	no := "名单2026-01-10号"
	tests := []struct {
		name           string
		r              CheckRecords
		window, credit []string
	}{
		{"organisation: measures aimed at it, in the context",
			ckOrgRecords("2026-11-27", nil, ckBlack(1, "2026-01-10", court)),
			[]string{"COURT_STRICT_APPROVAL_REVIEW@" + no}, []string{"COURT_LOAN_REFUSAL@" + no}},
		{"organisation: no measure from an entry no longer in force",
			ckOrgRecords("2029-01-11", nil, ckBlack(1, "2026-01-10", court)), []string{}, []string{}},
		{"person through attribution: measures aimed at key persons",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Attributed: []AttributedEntry{ckAttributed(ckBlack(1, "2026-01-10", court))}},
			[]string{"COURT_PERSONS_WINDOW_NOTICE@" + no + " via LEGAL_REPRESENTATIVE"},
			[]string{"COURT_LOAN_REFUSAL@" + no + " via LEGAL_REPRESENTATIVE"}},
		{"person's own entry: every measure in the context",
			CheckRecords{Subject: checkPerson, AsOf: checkAsOf, Entries: []ListEntry{ckBlack(1, "2026-01-10", ckOf(checkPerson), court)}},
			[]string{"COURT_PERSONS_WINDOW_NOTICE@" + no, "COURT_STRICT_APPROVAL_REVIEW@" + no}, []string{"COURT_LOAN_REFUSAL@" + no}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := ckRulesFor(tt.r)
			if got := ckAppliedCodes(EvaluateApplicant(tt.r, rules).Measures); !slices.Equal(got, tt.window) {
				t.Errorf("got window measures %v, want %v", got, tt.window)
			}
			if got := ckAppliedCodes(EvaluateCredit(tt.r, rules).Measures); !slices.Equal(got, tt.credit) {
				t.Errorf("got bank measures %v, want %v", got, tt.credit)
			}
		})
	}
}

func TestMeasureReasonsNameTheEntryAndBasis(t *testing.T) {
	m := ckMeasure("COURT_STRICT_APPROVAL_REVIEW", Punishment, ckToOrg, ApprovalWindow)
	m.Name = "行政审批从严审核"
	e := ckBlack(1, "2026-01-10", ckTriggers(m))
	e.DomainName = "失信被执行人"
	got := EvaluateApplicant(ckOrgRecords("2026-11-27", nil, e), ckRules(checkAsOf)).Reasons
	last := got[len(got)-1]
	want := "因该主体列入失信被执行人（名单2026-01-10号），依据发改财金〔2016〕141号，适用惩戒措施“行政审批从严审核”。"
	if last.Rule != RuleMeasureApplies || last.Text != want || !slices.Equal(last.Records, []RecordRef{EntryRef(e)}) {
		t.Errorf("got %+v, want MEASURE_APPLIES %q resting on entry %d", last, want, e.ID)
	}
}

func TestChecksAreDeterministic(t *testing.T) {
	a := ckMeasure("A", Punishment, ckToBoth, ApprovalWindow, BankCredit)
	b := ckMeasure("B", Punishment, ckToBoth, ApprovalWindow, BankCredit)
	entries := []ListEntry{
		ckBlack(1, "2025-01-10", ckTriggers(b, a)),
		ckBlack(2, "2026-01-10", ckTriggers(a, b)),
		ckBlack(3, "2026-01-10", ckTriggers(b)),
		ckEntry(4, Red, "HONOURED_INTEGRITY", "2025-05-01"),
	}
	penalties := []Penalty{ckPenalty(1, "2025-03-01", Serious), ckPenalty(2, "2026-03-01", General), ckPenalty(3, "2026-03-01", Serious)}
	r := ckOrgRecords("2026-11-27", penalties, entries...)
	rev := ckOrgRecords("2026-11-27", slices.Clone(penalties), slices.Clone(entries)...)
	slices.Reverse(rev.Entries)
	slices.Reverse(rev.Penalties)
	rules := ckRulesFor(r)
	if got, want := EvaluateApplicant(rev, rules), EvaluateApplicant(r, rules); !reflect.DeepEqual(got, want) {
		t.Errorf("applicant check depends on input order:\ngot  %+v\nwant %+v", got, want)
	}
	if got, want := EvaluateCredit(rev, rules), EvaluateCredit(r, rules); !reflect.DeepEqual(got, want) {
		t.Errorf("credit check depends on input order:\ngot  %+v\nwant %+v", got, want)
	}
	want := []string{"A@名单2026-01-10号", "B@名单2026-01-10号", "B@名单2026-01-10号", "A@名单2025-01-10号", "B@名单2025-01-10号"}
	got := EvaluateCredit(r, rules).Measures
	if codes := ckAppliedCodes(got); !slices.Equal(codes, want) || got[1].Entry.ID != 2 || got[2].Entry.ID != 3 {
		t.Errorf("got measures %v, want %v (entry 2 before 3)", codes, want)
	}
}

func TestReasonsCarryTheirRecords(t *testing.T) {
	p1 := ckPenalty(1, "2024-05-01", General)
	p2 := ckPenalty(2, "2025-05-01", Serious, ckPublicUntil("2027-05-01"))
	minor := ckPenalty(3, "2026-05-01", Minor)
	e := ckBlack(4, "2025-05-01", ckEndsOn("2026-05-01"))
	r := ckOrgRecords("2026-11-27", []Penalty{p1, minor, p2}, e)
	app := EvaluateApplicant(r, ckRulesFor(r))
	if len(app.Reasons) != 3 {
		t.Fatalf("got reasons %v, want refused, no green channel, unrepaired", ckRuleIDs(app.Reasons))
	}
	wantRefs := []RecordRef{EntryRef(e), PenaltyRef(p2), PenaltyRef(p1)}
	refused := app.Reasons[0]
	if refused.Rule != RuleGreenChannelRefused || !slices.Equal(refused.Records, wantRefs) {
		t.Fatalf("got %+v, want GREEN_CHANNEL_REFUSED_BAD_RECORD_3Y resting on %+v", refused, wantRefs)
	}
	wantText := "该主体在2023年11月27日至2026年11月27日期间有3条不良记录（一般或严重行政处罚2条，失信黑名单记录1条：" +
		"名单2025-05-01号、丹市监罚〔2025-05-01〕号、丹市监罚〔2024-05-01〕号），且未列入可适用绿色通道的守信红名单，不适用绿色通道。"
	if refused.Text != wantText {
		t.Errorf("got text %q, want %q", refused.Text, wantText)
	}
	unrep := app.Reasons[2]
	if unrep.Rule != RuleMissingDocumentsRefusedUnrepaired || !slices.Equal(unrep.Records, []RecordRef{PenaltyRef(p2)}) {
		t.Errorf("got %+v, want MISSING_DOCUMENTS_REFUSED_UNREPAIRED resting on penalty 2 only", unrep)
	}
	credit := EvaluateCredit(r, ckRulesFor(r))
	serious := credit.Reasons[0]
	if serious.Rule != RuleCreditCautionSeriousPenalty || !slices.Equal(serious.Records, []RecordRef{PenaltyRef(p2)}) {
		t.Errorf("got %+v, want CREDIT_CAUTION_SERIOUS_PENALTY resting on penalty 2", serious)
	}
	if !strings.Contains(serious.Text, "1条严重行政处罚") {
		t.Errorf("got text %q, want the count of serious penalties", serious.Text)
	}
}

func TestReasonTextsForAClearSubject(t *testing.T) {
	r := ckOrgRecords("2026-11-27", nil)
	app := EvaluateApplicant(r, ckRulesFor(r))
	want := "该主体在2023年11月27日至2026年11月27日期间无一般或严重行政处罚，无失信黑名单记录，可适用绿色通道。"
	if app.Reasons[0].Text != want || len(app.Reasons[0].Records) != 0 {
		t.Errorf("got %+v, want %q with no records", app.Reasons[0], want)
	}
	credit := EvaluateCredit(r, ckRulesFor(r))
	want = "该主体截至2026年11月27日不在失信黑名单内，无金融信贷领域惩戒措施；2023年11月27日至2026年11月27日期间" +
		"无严重行政处罚、一般行政处罚少于3条；法定代表人、主要负责人无失信黑名单记录；信用结论为正常。"
	if credit.Reasons[0].Text != want {
		t.Errorf("got %q, want %q", credit.Reasons[0].Text, want)
	}
}

func TestListFieldsAreNeverNil(t *testing.T) {
	r := ckOrgRecords("2026-11-27", nil)
	app := EvaluateApplicant(r, ckRulesFor(r))
	credit := EvaluateCredit(r, ckRulesFor(r))
	if app.Measures == nil || app.Disputed == nil || credit.Measures == nil || credit.ActiveListEntries == nil ||
		credit.KeyPersonFindings == nil || app.Reasons[0].Records == nil {
		t.Errorf("got a nil list in %+v / %+v, want empty lists for the non-null GraphQL fields", app, credit)
	}
}

func TestDisputedRecordsPassThrough(t *testing.T) {
	r := ckOrgRecords("2026-11-27", nil)
	r.Disputed = []RecordRef{PenaltyRef(ckPenalty(1, "2026-01-10", General))}
	got := EvaluateApplicant(r, ckRulesFor(r)).Disputed
	if !slices.Equal(got, r.Disputed) {
		t.Errorf("got disputed %+v, want %+v", got, r.Disputed)
	}
}
