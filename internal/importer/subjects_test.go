package importer

import (
	"os"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

func TestSubjectRowsDecodeWithTheirKeyPersons(t *testing.T) {
	f, err := os.Open("../../testdata/subjects-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewSubjects(f, Auto, today)
	rows, rejects := readAll(t, r, err)
	if len(rows) != 7 {
		t.Fatalf("got %d rows, want 7 (rejects %v)", len(rows), rejects)
	}
	first := rows[0].Input
	if first.Kind != credit.LegalPerson || *first.Status != credit.SubjectActive || first.RegisteredOn.String() != "2019-04-12" ||
		len(first.KeyPersons) != 1 || first.KeyPersons[0].Role != credit.LegalRepresentative || first.KeyPersons[0].Until != nil {
		t.Errorf("first row: got %+v", first)
	}
	if k := rows[1].Input.KeyPersons[0]; k.Role != credit.Principal || k.Until.String() != "2023-12-31" {
		t.Errorf("a role that ended: got %+v", k)
	}
	if p := rows[5].Input; p.Kind != credit.NaturalPerson || p.Status != nil || p.Address != nil || len(p.KeyPersons) != 0 {
		t.Errorf("a person without optional columns: got %+v", p)
	}
	want := []struct {
		line   int
		column string
		reason string
	}{
		{9, "code", "check character"},
		{10, "role", "is not a key person role"},
		{11, "name", "differ from line 2"},
	}
	if len(rejects) != len(want) {
		t.Fatalf("got rejects %v, want %d", rejects, len(want))
	}
	for i, w := range want {
		if r := rejects[i]; r.Line != w.line || r.Column != w.column || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d: got %v, want line %d, column %s, %q", i, r, w.line, w.column, w.reason)
		}
	}
}

func TestSubjectRowsRejectAKeyPersonTwiceAndAPersonWithKeyPersons(t *testing.T) {
	in := "code,kind,name,person_id_number,person_name,role,since\n" +
		"91210602MA0000110T,法人,甲公司,210602198103120218,钱程,法定代表人,2019-04-12\n" +
		"91210602MA0000110T,法人,甲公司,210602198103120218,钱程,法定代表人,2019-04-12\n" +
		"210602197304100139,自然人,王强,210602198103120218,钱程,法定代表人,2019-04-12\n" +
		"91210602MA0000111X,法人,乙公司,210602198103120218,钱程,法定代表人,\n"
	r, err := NewSubjects(strings.NewReader(in), Auto, today)
	_, rejects := readAll(t, r, err)
	got := []string{}
	for _, r := range rejects {
		got = append(got, r.String())
	}
	want := []string{
		"line 3, column person_id_number: 210602198103120218 already holds this role in 91210602MA0000110T from 2019-04-12 on line 2",
		"line 4, column person_id_number: given for a NATURAL_PERSON: only organisations have key persons",
		"line 5, column since: is required",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The decoder checks a row's own fields; whether a grade fits its score is
// the TAX_GRADE_BANDS rule's, which the service applies (line 8 of the
// sample, an A with 85 points, is decoded here and refused there).
func TestTaxGradeRowsAreDecodedAndChecked(t *testing.T) {
	f, err := os.Open("../../testdata/tax-grades-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewTaxGrades(f, Auto, today)
	rows, rejects := readAll(t, r, err)
	if len(rows) != 7 {
		t.Fatalf("got %d rows, want 7 (rejects %v)", len(rows), rejects)
	}
	if rows[0].ScoreText() != "95.50" || rows[2].Score != nil || rows[2].Grade != credit.GradeD || rows[4].ScoreText() != "55.25" {
		t.Errorf("got %+v", rows)
	}
	want := []struct {
		line   int
		column string
		reason string
	}{{7, "year", "already has a grade for 2023 on line 2"}, {10, "year", "from 2000 to 2026"}}
	if len(rejects) != len(want) {
		t.Fatalf("got rejects %v", rejects)
	}
	for i, w := range want {
		if r := rejects[i]; r.Line != w.line || r.Column != w.column || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d: got %v, want line %d, column %s, %q", i, r, w.line, w.column, w.reason)
		}
	}
}

func TestRecordChecksRefuseUnknownAndOtherAuthorities(t *testing.T) {
	rules := testRules(t,
		credit.RuleRow{Rule: credit.RulePublicationWindow, Scope: "GENERAL", EffectiveFrom: credit.MustDate("2000-01-01"),
			Params: []byte(`{"minMonths": 3, "maxMonths": 12, "publishedByDefault": true}`), LegalBasis: "甲"},
		credit.RuleRow{Rule: credit.RulePublicationWindow, Scope: "GENERAL", EffectiveFrom: credit.MustDate("2026-04-01"),
			Params: []byte(`{"minMonths": 3, "maxMonths": 24, "publishedByDefault": true}`), LegalBasis: "乙"})
	c := NewRecordChecks([]string{"A", "B"}, "", rules)
	if why := c.Authority("C"); !strings.Contains(why, "not a registered department") {
		t.Errorf("unknown authority: got %q", why)
	}
	if why := c.Authority("B"); why != "" {
		t.Errorf("a registered authority: got %q", why)
	}
	only := NewRecordChecks([]string{"A", "B"}, "A", rules)
	if why := only.Authority("B"); !strings.Contains(why, "only records decided by A") {
		t.Errorf("another authority with --department: got %q", why)
	}
	for _, tc := range []struct {
		on   string
		want int
		ok   bool
	}{{"2026-03-31", 12, true}, {"2026-04-01", 24, true}, {"1999-12-31", 0, false}} {
		r, ok := c.Rule(credit.General, credit.MustDate(tc.on))
		if ok != tc.ok || r.MaxMonths != tc.want {
			t.Errorf("rule on %s: got %d %v, want %d %v", tc.on, r.MaxMonths, ok, tc.want, tc.ok)
		}
	}
	if _, ok := c.Rule(credit.Serious, credit.MustDate("2026-04-01")); ok {
		t.Error("a severity without rules: got a rule")
	}
}
