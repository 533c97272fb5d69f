package credit

import "testing"

// List terms are periods of the Civil Code arts. 201–202: the start day is
// not counted, and a term in months or years ends on the corresponding day
// of its last month.
func TestListTermsEndOnTheCorrespondingDayOfTheLastMonth(t *testing.T) {
	today := MustDate("2026-12-04")
	months := func(n int) *int { return &n }
	tax := DomainPeriod{Domain: "MAJOR_TAX_VIOLATION", Kind: Black, PeriodMonths: months(36), LegalBasis: "令第54号"}
	court := DomainPeriod{Domain: "COURT_ENFORCEMENT_DISHONESTY", Kind: Black, PeriodMonths: months(24),
		MinExtensionMonths: months(12), MaxExtensionMonths: months(36), LegalBasis: "法释〔2017〕7号"}
	for _, tc := range []struct {
		name    string
		p       DomainPeriod
		decided string
		endsOn  string // "" for the default
		want    string // "" for refused
	}{
		{"tax, 36 months by default", tax, "2024-01-10", "", "2027-01-10"},
		{"tax, the term's last day given", tax, "2024-01-10", "2027-01-10", "2027-01-10"},
		{"tax, a day short", tax, "2024-01-10", "2027-01-09", ""},
		{"court, 2 years by default", court, "2025-03-01", "", "2027-03-01"},
		{"court, extended by 1 year", court, "2025-03-01", "2028-03-01", "2028-03-01"},
		{"court, extended by 3 years", court, "2025-03-01", "2030-03-01", "2030-03-01"},
		{"court, extended by less than 1 year", court, "2025-03-01", "2028-02-29", ""},
		{"court, extended by more than 3 years", court, "2025-03-01", "2030-03-02", ""},
	} {
		in := ListEntryInput{SubjectCode: orgCode, Kind: Black, Domain: tc.p.Domain, DecisionNo: "1号",
			DecidedOn: MustDate(tc.decided), Facts: "事实"}
		if tc.endsOn != "" {
			d := MustDate(tc.endsOn)
			in.EndsOn = &d
		}
		err := in.Validate(today, tc.p)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: accepted an end of %s", tc.name, in.EndsOn)
		case tc.want == "" && CodeOf(err) != BadUserInput:
			t.Errorf("%s: got %v, want BAD_USER_INPUT", tc.name, err)
		case tc.want != "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && in.EndsOn.String() != tc.want:
			t.Errorf("%s: ends on %s, want %s", tc.name, in.EndsOn, tc.want)
		}
	}
}
