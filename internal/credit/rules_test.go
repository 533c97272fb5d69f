package credit

import (
	"encoding/json"
	"strings"
	"testing"
)

func rrow(rule RuleKind, scope, from, params string) RuleRow {
	return RuleRow{Rule: rule, Scope: scope, EffectiveFrom: MustDate(from), Params: json.RawMessage(params), LegalBasis: "某号文件"}
}

func testBook(t *testing.T, rows ...RuleRow) *RuleBook {
	t.Helper()
	b, err := NewRuleBook(rows, 1)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRuleBookPicksTheRowInForceOnTheRecordsDay(t *testing.T) {
	b := testBook(t,
		rrow(RulePublicationWindow, "SERIOUS", "2019-07-01", `{"minMonths": 6, "maxMonths": 36, "publishedByDefault": true}`),
		rrow(RulePublicationWindow, "SERIOUS", "2023-05-01", `{"minMonths": 12, "maxMonths": 36, "publishedByDefault": true}`),
		rrow(RulePublicationWindow, "GENERAL", "2019-07-01", `{"minMonths": 3, "maxMonths": 12, "publishedByDefault": true}`),
	)
	for _, tc := range []struct {
		sev      Severity
		on       string
		min      int
		inForce  bool
		fromWant string
	}{
		{Serious, "2019-06-30", 0, false, ""},
		{Serious, "2019-07-01", 6, true, "2019-07-01"},
		{Serious, "2023-04-30", 6, true, "2019-07-01"},
		{Serious, "2023-05-01", 12, true, "2023-05-01"},
		{General, "2030-01-01", 3, true, "2019-07-01"},
		{Minor, "2030-01-01", 0, false, ""},
	} {
		r, ok := b.Publication(tc.sev, MustDate(tc.on))
		if ok != tc.inForce || ok && (r.MinMonths != tc.min || r.EffectiveFrom.String() != tc.fromWant) {
			t.Errorf("%s on %s: got %+v %v, want min %d from %s (%v)", tc.sev, tc.on, r, ok, tc.min, tc.fromWant, tc.inForce)
		}
	}
	rows := b.InForce(MustDate("2024-01-01"), false)
	if len(rows) != 2 || rows[1].Key() != "PUBLICATION_WINDOW/SERIOUS@2023-05-01" || !rows[1].EffectiveUntil.IsZero() {
		t.Errorf("in force on 2024-01-01: got %+v", rows)
	}
	all := b.InForce(MustDate("2024-01-01"), true)
	if len(all) != 3 || all[1].EffectiveUntil.String() != "2023-04-30" {
		t.Errorf("all rows: got %+v, want three, the first SERIOUS row until 2023-04-30", all)
	}
}

func TestRuleBookRefusesRowsItCannotApply(t *testing.T) {
	for _, tc := range []struct {
		name string
		row  RuleRow
		want string
	}{
		{"unknown rule", rrow("SOMETHING", "", "2020-01-01", `{}`), "not a kind of rule"},
		{"unknown parameter", rrow(RuleDisclosureDeadline, "", "2020-01-01", `{"workingDays": 7, "days": 7}`), "unknown field"},
		{"no working days", rrow(RuleDisclosureDeadline, "", "2020-01-01", `{}`), "workingDays must be"},
		{"minimum above maximum", rrow(RulePublicationWindow, "GENERAL", "2020-01-01", `{"minMonths": 13, "maxMonths": 12}`), "minMonths ≤ maxMonths"},
		{"window of no severity", rrow(RulePublicationWindow, "HUGE", "2020-01-01", `{"minMonths": 1, "maxMonths": 12}`), "scope must be one of"},
		{"list term without domain", rrow(RuleListTerm, "", "2020-01-01", `{"months": 36}`), "list domain"},
		{"extension of an open term", rrow(RuleListTerm, "X", "2020-01-01", `{"minExtensionMonths": 12, "maxExtensionMonths": 36}`), "cannot be extended"},
		{"tax bands out of order", rrow(RuleTaxGradeBands, "", "2020-01-01", `{"aMinScore": 90, "bMinScore": 95, "cMinScore": 40}`), "cMinScore < bMinScore"},
		{"bad grade", rrow(RuleCreditVerdict, "", "2020-01-01", `{"cautionSeriousPenalties": 1, "cautionGeneralPenalties": 3, "restrictedTaxGrades": ["E"]}`), "not a tax grade"},
		{"workflow scope", rrow(RuleWorkflowDeadline, "LATER", "2020-01-01", `{"workingDays": 5}`), "RESPONSE, FEEDBACK"},
		{"no basis", RuleRow{Rule: RuleDisclosureDeadline, EffectiveFrom: MustDate("2020-01-01"), Params: json.RawMessage(`{"workingDays": 7}`)}, "legal basis"},
	} {
		_, err := NewRuleBook([]RuleRow{tc.row}, 1)
		if CodeOf(err) != BadUserInput || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want BAD_USER_INPUT mentioning %q", tc.name, err, tc.want)
		}
	}
	twice := rrow(RuleDisclosureDeadline, "", "2020-01-01", `{"workingDays": 7}`)
	if _, err := NewRuleBook([]RuleRow{twice, twice}, 1); CodeOf(err) != BadUserInput {
		t.Errorf("a row given twice: got %v, want BAD_USER_INPUT", err)
	}
}

func TestCheckRulesNameTheRowsTheyUse(t *testing.T) {
	b := testBook(t,
		rrow(RuleCheckLookback, "", "2017-01-01", `{"months": 36}`),
		rrow(RuleCheckLookback, "", "2027-01-01", `{"months": 60}`),
		rrow(RuleGreenChannel, "", "2017-01-01", `{"badSeverities": ["GENERAL", "SERIOUS"], "repairedCounts": false, "honouredDomains": ["HONOURED_INTEGRITY"]}`),
		rrow(RuleCreditVerdict, "", "2017-01-01", `{"cautionSeriousPenalties": 1, "cautionGeneralPenalties": 3, "restrictedTaxGrades": ["D"], "cautionTaxGrades": ["C"], "keyPersonRoles": ["LEGAL_REPRESENTATIVE"]}`),
	)
	before, after := b.CheckRules(MustDate("2026-12-31")), b.CheckRules(MustDate("2027-01-01"))
	if before.LookbackMonths != 36 || after.LookbackMonths != 60 {
		t.Errorf("look-back: got %d then %d, want 36 then 60", before.LookbackMonths, after.LookbackMonths)
	}
	if before.Version != "CHECK_LOOKBACK@2017-01-01 GREEN_CHANNEL@2017-01-01 CREDIT_VERDICT@2017-01-01" ||
		after.Version != "CHECK_LOOKBACK@2027-01-01 GREEN_CHANNEL@2017-01-01 CREDIT_VERDICT@2017-01-01" {
		t.Errorf("versions: got %q and %q", before.Version, after.Version)
	}
	if early := b.CheckRules(MustDate("2010-01-01")); early.LookbackMonths != 36 {
		t.Errorf("before the first rows: got %+v, want the earliest rows", early)
	}
}

func TestSeverityDerivationWithHugeFines(t *testing.T) {
	b := testBook(t, rrow(RulePenaltySeverity, "", "2017-01-01",
		`{"seriousKinds": ["吊销", "责令关闭"], "minorKinds": ["警告", "通报批评"], "hugeFineYuan": {"ORGANIZATION": 200000, "NATURAL_PERSON": 50000}}`))
	r, ok := b.Severity(MustDate("2026-01-01"))
	if !ok {
		t.Fatal("no severity rule in force")
	}
	for _, tc := range []struct {
		kinds    string
		category SubjectCategory
		fine     Fen
		want     Severity
	}{
		{"罚款", CategoryOrganization, 20_000_000, Serious}, // 200,000 yuan: a huge fine
		{"罚款", CategoryOrganization, 19_999_999, General},
		{"罚款", CategoryNaturalPerson, 5_000_000, Serious},
		{"罚款", CategoryIndividualBusiness, 50_000_000, General}, // no threshold for individual businesses here
		{"警告；通报批评", CategoryOrganization, 0, Minor},
		{"警告", CategoryOrganization, 100, General},
		{"吊销许可证", CategoryOrganization, 0, Serious},
		{"", CategoryOrganization, 0, General},
	} {
		if got := r.Derive(tc.kinds, tc.category, tc.fine, 0); got != tc.want {
			t.Errorf("%q, %s, %s yuan: got %s, want %s", tc.kinds, tc.category, tc.fine, got, tc.want)
		}
	}
	if _, ok := b.Severity(MustDate("2016-12-31")); ok {
		t.Error("a severity rule before its first row")
	}
}

func TestTaxGradeBandsByAssessmentYear(t *testing.T) {
	b := testBook(t,
		rrow(RuleTaxGradeBands, "", "2014-10-01", `{"aMinScore": 90, "bMinScore": 70, "cMinScore": 40}`),
		rrow(RuleTaxGradeBands, "", "2025-07-01", `{"aMinScore": 85, "bMinScore": 70, "cMinScore": 40}`))
	old, _ := b.TaxBands(2024)
	cur, _ := b.TaxBands(2025) // assessed under the rule in force on 2025-12-31
	if old.Fits(GradeA, 8800) == "" || cur.Fits(GradeA, 8800) != "" {
		t.Errorf("88 points: A under 2024's bands %q, under 2025's %q; want refused, then accepted", old.Fits(GradeA, 8800), cur.Fits(GradeA, 8800))
	}
	for _, tc := range []struct {
		g     TaxGrade
		score int
		ok    bool
	}{
		{GradeA, 9000, true}, {GradeA, 8999, false}, {GradeB, 9000, false}, {GradeB, 7000, true}, {GradeB, 6999, false},
		{GradeC, 6999, true}, {GradeC, 7000, false}, {GradeC, 3999, false}, {GradeM, 7500, true}, {GradeD, 9500, true}, {GradeD, 100, true},
	} {
		if got := old.Fits(tc.g, tc.score) == ""; got != tc.ok {
			t.Errorf("%s with %d: fits %v, want %v", tc.g, tc.score, got, tc.ok)
		}
	}
	if _, ok := b.TaxBands(2013); ok {
		t.Error("bands for 2013, before the first rule")
	}
}

func TestRowsInForceNeverChange(t *testing.T) {
	today := MustDate("2026-12-04")
	old := rrow(RulePublicationWindow, "GENERAL", "2026-04-01", `{"minMonths": 3, "maxMonths": 12}`)
	future := rrow(RulePublicationWindow, "GENERAL", "2027-01-01", `{"minMonths": 3, "maxMonths": 6}`)
	todays := rrow(RulePublicationWindow, "GENERAL", "2026-12-04", `{"minMonths": 3, "maxMonths": 6}`)
	newKind := rrow(RuleListTerm, "CITY_LIST", "2020-01-01", `{"months": 24}`)
	existing := []RuleRow{old, future}
	for _, tc := range []struct {
		name     string
		old, new *RuleRow
		ok       bool
	}{
		{"change a row in force", &old, &todays, false},
		{"remove a row in force", &old, nil, false},
		{"change a future row", &future, &future, true},
		{"remove a future row", &future, nil, true},
		{"add a row from tomorrow", nil, &future, true},
		{"add a row from today", nil, &todays, false},
		{"add a rule of a new domain from the past", nil, &newKind, true},
	} {
		err := ValidateRuleChange(tc.old, tc.new, existing, today)
		if (err == nil) != tc.ok || err != nil && CodeOf(err) != Conflict {
			t.Errorf("%s: got %v, want ok %v (else CONFLICT)", tc.name, err, tc.ok)
		}
	}
}
