package credit

import "testing"

func TestCheckRulesWindowFollowsTheCivilCode(t *testing.T) {
	rules := CheckRules{LookbackMonths: 36}
	tests := []struct{ asOf, from string }{
		{"2026-11-27", "2023-11-27"},
		{"2027-02-28", "2024-02-28"}, // 2024-02-29 is inside: its period ends 2027-02-28
		{"2027-03-01", "2024-03-01"},
		{"2028-02-29", "2025-03-01"}, // 2025-02-28's period ended 2028-02-28
		{"2028-02-28", "2025-02-28"},
		{"2026-01-01", "2023-01-01"},
	}
	for _, tt := range tests {
		from, to := rules.Window(MustDate(tt.asOf))
		if from.String() != tt.from || to.String() != tt.asOf {
			t.Errorf("Window(%s) = %s … %s, want %s … %s", tt.asOf, from, to, tt.from, tt.asOf)
		}
	}
}

func TestCheckRulesWindowMatchesEachRecordsPeriod(t *testing.T) {
	// A record decided on d counts on asOf exactly when asOf ≤ d + the
	// look-back (its period's last day), for every pair of days over a
	// span with two leap days, and for month look-backs that clamp.
	for _, months := range []int{36, 12, 1, 13} {
		rules := CheckRules{LookbackMonths: months}
		for asOf := MustDate("2027-12-01"); asOf.Before(MustDate("2028-04-01")); asOf = asOf.AddDays(1) {
			from, to := rules.Window(asOf)
			for d := asOf.AddMonths(-months - 1); !d.After(asOf); d = d.AddDays(1) {
				want := !asOf.After(d.AddMonths(months))
				if got := checkInWindow(d, from, to); got != want {
					t.Fatalf("months %d, asOf %s, decided %s: got counts %v, want %v", months, asOf, d, got, want)
				}
			}
		}
	}
}

// ckRules returns the check rules the checks' tests are written against:
// the parameters of the 2017 rows of the migrations (CHECK_LOOKBACK,
// GREEN_CHANNEL, CREDIT_VERDICT), whatever the day.
func ckRules(Date) CheckRules {
	return CheckRules{
		Version:                 "CHECK_LOOKBACK@2017-01-01 GREEN_CHANNEL@2017-01-01 CREDIT_VERDICT@2017-01-01",
		EffectiveFrom:           NewDate(2017, 1, 1),
		LegalBasis:              "丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）",
		LookbackMonths:          36,
		BadSeverities:           []Severity{General, Serious},
		HonouredDomains:         []string{"HONOURED_INTEGRITY", "A_GRADE_TAXPAYER"},
		CautionSeriousPenalties: 1,
		CautionGeneralPenalties: 3,
		RestrictedTaxGrades:     []TaxGrade{GradeD},
		CautionTaxGrades:        []TaxGrade{GradeC},
		KeyPersonRoles:          []KeyPersonRole{LegalRepresentative, Principal},
	}
}
