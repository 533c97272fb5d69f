package credit

import (
	"fmt"
	"strings"
	"testing"
)

func TestEveryTransitionOfTheRightsStateMachines(t *testing.T) {
	objection := []ObjectionStatus{ObjectionFiled, ObjectionAccepted, ObjectionRefused, ObjectionUnderVerification,
		ObjectionCorrected, ObjectionConfirmed, ObjectionRevokedRecord}
	allowed := map[[2]ObjectionStatus]bool{
		{ObjectionFiled, ObjectionAccepted}: true, {ObjectionFiled, ObjectionRefused}: true,
		{ObjectionAccepted, ObjectionUnderVerification}:      true,
		{ObjectionUnderVerification, ObjectionCorrected}:     true,
		{ObjectionUnderVerification, ObjectionConfirmed}:     true,
		{ObjectionUnderVerification, ObjectionRevokedRecord}: true,
	}
	for _, from := range objection {
		for _, to := range objection {
			err := CheckObjectionTransition(from, to)
			if allowed[[2]ObjectionStatus{from, to}] != (err == nil) || err != nil && CodeOf(err) != Conflict {
				t.Errorf("objection %s → %s: got %v", from, to, err)
			}
		}
	}
	repair := []RepairStatus{RepairRequested, RepairAccepted, RepairGranted, RepairRefused}
	okRepair := map[[2]RepairStatus]bool{{RepairRequested, RepairAccepted}: true, {RepairRequested, RepairRefused}: true,
		{RepairAccepted, RepairGranted}: true, {RepairAccepted, RepairRefused}: true}
	for _, from := range repair {
		for _, to := range repair {
			if err := CheckRepairTransition(from, to); okRepair[[2]RepairStatus{from, to}] != (err == nil) {
				t.Errorf("repair %s → %s: got %v", from, to, err)
			}
		}
	}
	report := []ReportStatus{ReportReceived, ReportAssigned, ReportVerified, ReportUnfounded, ReportAnswered}
	okReport := map[[2]ReportStatus]bool{{ReportReceived, ReportAssigned}: true, {ReportAssigned, ReportVerified}: true,
		{ReportAssigned, ReportUnfounded}: true, {ReportVerified, ReportAnswered}: true, {ReportUnfounded, ReportAnswered}: true}
	for _, from := range report {
		for _, to := range report {
			if err := CheckReportTransition(from, to); okReport[[2]ReportStatus{from, to}] != (err == nil) {
				t.Errorf("report %s → %s: got %v", from, to, err)
			}
		}
	}
}

// The first day of repair counts the minimum by the Civil Code (PeriodEnd):
// the examples, a month end, and list domains.
func TestTheFirstDayOfRepairFollowsTheRuleOfTheRecord(t *testing.T) {
	for _, c := range []struct {
		severity  Severity
		min       int
		decided   string
		first     string
		dayBefore string
	}{
		{General, 3, "2026-05-12", "2026-08-12", "2026-08-11"},
		{Serious, 12, "2026-05-12", "2027-05-12", "2027-05-11"},
		{Minor, 0, "2026-05-12", "2026-05-12", "2026-05-11"},
		{General, 3, "2026-11-30", "2027-02-28", "2027-02-27"}, // no 30 February: the month's last day
	} {
		el := PenaltyEligibility(PublicationRule{Severity: c.severity, MinMonths: c.min, LegalBasis: "令第36号"}, "PUBLICATION_WINDOW/X@2026-04-01", MustDate(c.decided))
		if el.From != MustDate(c.first) {
			t.Errorf("%s decided %s: first day %s, want %s", c.severity, c.decided, el.From, c.first)
		}
		if err := el.Check("input.record", MustDate(c.first)); err != nil {
			t.Errorf("%s on %s: %v", c.severity, c.first, err)
		}
		err := el.Check("input.record", MustDate(c.dayBefore))
		if CodeOf(err) != BadUserInput || !strings.Contains(err.Error(), c.first) || !strings.Contains(err.Error(), "令第36号") {
			t.Errorf("%s on %s: got %v, want BAD_USER_INPUT naming %s and the basis", c.severity, c.dayBefore, err, c.first)
		}
	}
	twelve := 12
	entry := ListEntry{Kind: Black, Domain: "MARKET_SERIOUS_VIOLATION", StartsOn: MustDate("2025-02-28")}
	if el := EntryEligibility(DomainPeriod{RepairAfterMonths: &twelve}, "k", entry); !el.Repairable || el.From != MustDate("2026-02-28") {
		t.Errorf("market entry: got %+v", el)
	}
	if el := EntryEligibility(DomainPeriod{}, "k", entry); el.Repairable || CodeOf(el.Check("input.record", MustDate("2030-01-01"))) != BadUserInput {
		t.Errorf("a domain without repairAfterMonths: got %+v, want not repairable", el)
	}
	red := ListEntry{Kind: Red, Domain: "HONOURED_INTEGRITY"}
	if el := EntryEligibility(DomainPeriod{RepairAfterMonths: &twelve}, "k", red); el.Repairable {
		t.Errorf("a red entry: got %+v, want not repairable", el)
	}
}

func TestCorrectionValuesAreParsedAndShownInTheAPIsForm(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		kind       RecordKind
		field      string
		value      *string
		stored     any
		shown      *string
		wantErrFor string
	}{
		{RecordKindPenalty, "fine", s("5000"), int64(500000), s("5000.00"), ""},
		{RecordKindPenalty, "fine", s("5000.001"), nil, nil, "input.changes[0].value"},
		{RecordKindPenalty, "fine", s("-1"), nil, nil, "input.changes[0].value"},
		{RecordKindPenalty, "facts", s("  更正后的事实 "), "更正后的事实", s("更正后的事实"), ""},
		{RecordKindPenalty, "facts", nil, nil, nil, "input.changes[0].value"},
		{RecordKindPenalty, "validUntil", nil, nil, nil, ""},
		{RecordKindPenalty, "validUntil", s("2027-02-30"), nil, nil, "input.changes[0].value"},
		{RecordKindPenalty, "severity", s("SERIOUS"), "SERIOUS", s("SERIOUS"), ""},
		{RecordKindPenalty, "severity", s("严重"), nil, nil, "input.changes[0].value"},
		{RecordKindTaxGrade, "score", s("85.5"), "85.50", s("85.50"), ""},
		{RecordKindTaxGrade, "score", s("100.01"), nil, nil, "input.changes[0].value"},
		{RecordKindTaxGrade, "grade", s("E"), nil, nil, "input.changes[0].value"},
		{RecordKindKeyPerson, "since", s(""), nil, nil, "input.changes[0].value"},
	} {
		f, ok := FieldOf(c.kind, c.field)
		if !ok {
			t.Fatalf("%s has no field %s", c.kind, c.field)
		}
		stored, shown, err := f.Parse("input.changes[0].value", c.value)
		if c.wantErrFor != "" {
			var e *Error
			if err == nil || !asError(err, &e) || e.Field != c.wantErrFor {
				t.Errorf("%s.%s = %v: got %v, want BAD_USER_INPUT on %s", c.kind, c.field, c.value, err, c.wantErrFor)
			}
			continue
		}
		if err != nil || fmt.Sprint(stored) != fmt.Sprint(c.stored) || !sameText(shown, c.shown) {
			t.Errorf("%s.%s = %v: got %#v %v %v, want %#v %v", c.kind, c.field, deref(c.value), stored, deref(shown), err, c.stored, deref(c.shown))
		}
	}
	fine, _ := FieldOf(RecordKindPenalty, "fine")
	if got := fine.Shown(func() *string { v := "5000000"; return &v }()); *got != "50000.00" {
		t.Errorf("a stored fine of 5000000 fen is shown as %s, want 50000.00", *got)
	}
	if _, ok := FieldOf(RecordKindPenalty, "xdr_name"); ok {
		t.Error("the party's name is correctable; it must not be")
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func sameText(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// Disputed records are set aside: a disputed entry triggers no measure and
// makes no bad record, a disputed link carries nothing to the person, and
// the answer lists what it set aside.
func TestDisputedRecordsAreSetAsideInTheChecks(t *testing.T) {
	asOf := MustDate("2026-11-27")
	review := Measure{ID: 1, Code: "STRICT_REVIEW", Kind: Punishment, Targets: Strings{"ORGANIZATION", "KEY_PERSONS"}, ContextList: Strings{"APPROVAL_WINDOW", "BANK_CREDIT"}}
	entry := ListEntry{ID: 7, SubjectID: 1, Kind: Black, Domain: "WAGE_ARREARS", DecisionNo: "黑7号", DecidedOn: MustDate("2026-03-01"),
		StartsOn: MustDate("2026-03-01"), Status: EntryActive, Measures: []Measure{review}}
	org := CheckRecords{Subject: Subject{ID: 1, Kind: LegalPerson}, AsOf: asOf, Entries: []ListEntry{entry},
		Penalties: []Penalty{{ID: 3, SubjectID: 1, DecisionNo: "罚3号", DecidedOn: MustDate("2026-06-01"), Severity: General, Status: "IN_FORCE"}}}
	rules := CheckRules{LookbackMonths: 36, BadSeverities: []Severity{General, Serious}, CautionSeriousPenalties: 1, CautionGeneralPenalties: 3,
		KeyPersonRoles: []KeyPersonRole{LegalRepresentative}}
	if a := EvaluateApplicant(org, rules); a.GreenChannel || len(a.Measures) != 1 || len(a.Disputed) != 0 {
		t.Fatalf("undisputed: got %+v", a)
	}
	org.Disputed = []RecordRef{{Kind: RecordKindListEntry, ID: 7, DecisionNo: "黑7号", SubjectID: 1},
		{Kind: RecordKindPenalty, ID: 3, DecisionNo: "罚3号", SubjectID: 1}}
	a := EvaluateApplicant(org, rules)
	if !a.GreenChannel || len(a.Measures) != 0 || len(a.Disputed) != 2 || a.Reasons[len(a.Reasons)-1].Rule != RuleRecordDisputed {
		t.Errorf("disputed: got %+v", a)
	}
	if c := EvaluateCredit(org, rules); c.Blacklisted || c.Verdict != VerdictClear || len(c.Disputed) != 2 {
		t.Errorf("credit check with both disputed: got %+v", c)
	}

	link := KeyPerson{ID: 11, OrganizationID: 1, PersonID: 2, Role: LegalRepresentative, Since: MustDate("2020-01-01")}
	entry.Measures = []Measure{review}
	person := CheckRecords{Subject: Subject{ID: 2, Kind: NaturalPerson}, AsOf: asOf, Attributed: []AttributedEntry{{Entry: entry, Via: link}}}
	if c := EvaluateCredit(person, rules); !c.Blacklisted {
		t.Fatalf("person, undisputed: got %+v", c)
	}
	person.Disputed = []RecordRef{{Kind: RecordKindKeyPerson, ID: 11, SubjectID: 2}}
	if c := EvaluateCredit(person, rules); c.Blacklisted || len(c.Measures) != 0 || len(c.Disputed) != 1 {
		t.Errorf("person with the link disputed: got %+v", c)
	}
	// An objection of someone else about another record is not the answer's.
	person.Disputed = []RecordRef{{Kind: RecordKindPenalty, ID: 99, SubjectID: 5}}
	if c := EvaluateCredit(person, rules); !c.Blacklisted || len(c.Disputed) != 0 {
		t.Errorf("an unrelated objection: got %+v", c)
	}
}
