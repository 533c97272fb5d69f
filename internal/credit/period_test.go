package credit

import "testing"

func TestPeriodEndIsTheCorrespondingDayOrTheMonthsLastDay(t *testing.T) {
	for _, tc := range []struct {
		start  string
		months int
		want   string
	}{
		{"2024-01-10", 36, "2027-01-10"},
		{"2025-03-01", 24, "2027-03-01"},
		// Month ends: no corresponding day, the month's last day.
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2023-08-31", 6, "2024-02-29"},
		{"2026-05-31", 3, "2026-08-31"},
		// 29 February.
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-02-29", 36, "2027-02-28"},
		{"2023-02-28", 12, "2024-02-28"},
		// Year ends.
		{"2025-12-31", 2, "2026-02-28"},
		{"2026-12-31", 12, "2027-12-31"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-12-31", 1, "2027-01-31"},
		// Looking back.
		{"2027-01-10", -36, "2024-01-10"},
		{"2027-03-31", -1, "2027-02-28"},
	} {
		if got := PeriodEnd(MustDate(tc.start), tc.months); got.String() != tc.want {
			t.Errorf("PeriodEnd(%s, %d) = %s, want %s", tc.start, tc.months, got, tc.want)
		}
	}
}

func TestPeriodStartReachingIsTheInverseOfPeriodEnd(t *testing.T) {
	for _, tc := range []struct {
		day    string
		months int
		want   string
	}{
		{"2026-11-27", 36, "2023-11-27"},
		{"2027-02-28", 36, "2024-02-28"}, // 2024-02-28 ends 2027-02-28, and so does 2024-02-29
		{"2028-02-29", 36, "2025-03-01"}, // 2025-02-28 ended 2028-02-28
		{"2026-03-31", 1, "2026-03-01"},  // a month from 28 February ends 28 March: none from February reaches the 31st
		{"2027-01-01", 12, "2026-01-01"},
		{"2026-12-31", 12, "2025-12-31"},
	} {
		day := MustDate(tc.day)
		got := PeriodStartReaching(day, tc.months)
		if got.String() != tc.want {
			t.Errorf("PeriodStartReaching(%s, %d) = %s, want %s", tc.day, tc.months, got, tc.want)
		}
		if PeriodEnd(got, tc.months).Before(day) || !PeriodEnd(got.AddDays(-1), tc.months).Before(day) {
			t.Errorf("PeriodStartReaching(%s, %d) = %s is not the earliest start whose period reaches the day", tc.day, tc.months, got)
		}
	}
	// Every day of four years, against a search.
	for d := MustDate("2027-01-01"); d.Before(MustDate("2031-01-01")); d = d.AddDays(1) {
		want := d
		for !PeriodEnd(want.AddDays(-1), 36).Before(d) {
			want = want.AddDays(-1)
		}
		for PeriodEnd(want, 36).Before(d) {
			want = want.AddDays(1)
		}
		if got := PeriodStartReaching(d, 36); got != want {
			t.Fatalf("PeriodStartReaching(%s, 36) = %s, want %s", d, got, want)
		}
	}
}
