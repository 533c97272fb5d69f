package calendar

import (
	"slices"
	"testing"
	"time"
)

// day parses YYYY-MM-DD as midnight UTC; tests use it for readable tables.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// official builds the lunar-go calendar or stops the test.
func official(t testing.TB) *Calendar {
	t.Helper()
	c, err := Official()
	if err != nil {
		t.Fatalf("Official() error: %v", err)
	}
	return c
}

func TestOfficialCoversTheNoticesLunarGoTranscribes(t *testing.T) {
	c := official(t)
	var want []int
	for y := 2002; y <= 2027; y++ {
		want = append(want, y)
	}
	if got := c.Years(); !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		year int
		want bool
	}{{2001, false}, {2002, true}, {2020, true}, {2026, true}, {2027, true}, {2028, false}, {1990, false}} {
		if got := c.Covers(tc.year); got != tc.want {
			t.Errorf("Covers(%d) = %v, want %v", tc.year, got, tc.want)
		}
	}
}

// The days below are checked against the State Council notices themselves,
// so that a mistake in lunar-go's transcription or in reading its IsWork flag
// shows up here.
func TestIsWorkingDayMatchesTheNotices(t *testing.T) {
	c := official(t)
	tests := []struct {
		name string
		date string
		want bool
	}{
		{"2024 National Day make-up Sunday is worked", "2024-09-29", true},
		{"2024 National Day is off", "2024-10-01", false},
		{"2024 National Day last holiday is off", "2024-10-07", false},
		{"2024 National Day make-up Saturday is worked", "2024-10-12", true},
		{"ordinary Sunday after the make-up Saturday is off", "2024-10-13", false},
		{"2024 Spring Festival make-up Sunday before is worked", "2024-02-04", true},
		{"2024 Spring Festival first day off", "2024-02-10", false},
		{"2024 Spring Festival weekday inside the holiday is off", "2024-02-14", false},
		{"2024 Spring Festival make-up Sunday after is worked", "2024-02-18", true},
		{"2025 Spring Festival make-up Sunday before is worked", "2025-01-26", true},
		{"2025 Spring Festival eve is off", "2025-01-28", false},
		{"2025 Spring Festival last day off", "2025-02-04", false},
		{"2025 Spring Festival make-up Saturday after is worked", "2025-02-08", true},
		{"2025 National Day eighth day is off", "2025-10-08", false},
		{"2026 New Year make-up Sunday is worked", "2026-01-04", true},
		{"2026 Spring Festival runs to Monday 23 February", "2026-02-23", false},
		{"2026 Spring Festival make-up Saturday after is worked", "2026-02-28", true},
		{"2019 notice makes Saturday 2018-12-29 a working day", "2018-12-29", true},
		{"plain Tuesday is worked", "2024-03-05", true},
		{"plain Saturday is off", "2024-03-09", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.IsWorkingDay(day(tc.date))
			if err != nil {
				t.Fatalf("IsWorkingDay(%s) error: %v", tc.date, err)
			}
			if got != tc.want {
				t.Errorf("IsWorkingDay(%s) got %v, want %v", tc.date, got, tc.want)
			}
		})
	}
}

// Each expected deadline is counted by hand in the comment: the decision day
// is not counted, (n) numbers the working days, "off" days are skipped.
func TestAddWorkingDaysGivesThePublicationDeadline(t *testing.T) {
	c := official(t)
	tests := []struct {
		name     string
		decision string
		want     string
	}{
		// 09-28 Sat off, 09-29 Sun make-up (1), 09-30 (2), 10-01..07 off,
		// 10-08 (3), 10-09 (4), 10-10 (5), 10-11 (6), 10-12 Sat make-up (7).
		{"2024 National Day ends on the make-up Saturday", "2024-09-27", "2024-10-12"},
		// 10-04..07 off, 10-08..11 (1-4), 10-12 Sat make-up (5), 10-13 Sun off,
		// 10-14 (6), 10-15 (7).
		{"decision on a holiday starts counting after it", "2024-10-03", "2024-10-15"},
		// 02-03 Sat off, 02-04 Sun make-up (1), 02-05..09 (2-6),
		// 02-10..17 off, 02-18 Sun make-up (7).
		{"2024 Spring Festival ends on the make-up Sunday", "2024-02-02", "2024-02-18"},
		// 02-09 Fri (1), 02-10..17 off, 02-18 Sun make-up (2), 02-19..23 (3-7).
		// A weekday-only count would give 02-19.
		{"2024 Spring Festival decision on the last Thursday", "2024-02-08", "2024-02-23"},
		// 01-25 Sat off, 01-26 Sun make-up (1), 01-27 Mon (2), 01-28..02-04
		// off, 02-05..07 (3-5), 02-08 Sat make-up (6), 02-09 Sun off, 02-10 (7).
		{"2025 Spring Festival decision on the Friday before", "2025-01-24", "2025-02-10"},
		// 01-28..02-04 off, 02-05..07 (1-3), 02-08 Sat make-up (4),
		// 02-10..12 (5-7).
		{"2025 Spring Festival decision on the last working day", "2025-01-27", "2025-02-12"},
		// 09-27 Sat off, 09-28 Sun make-up (1), 09-29..30 (2-3), 10-01..08 off,
		// 10-09..10 (4-5), 10-11 Sat make-up (6), 10-12 Sun off, 10-13 (7).
		{"2025 National Day eight days off", "2025-09-26", "2025-10-13"},
		// 02-13 Fri (1), 02-14 Sat make-up (2), 02-15..23 off, 02-24..27 (3-6),
		// 02-28 Sat make-up (7).
		{"2026 Spring Festival ends on the make-up Saturday", "2026-02-12", "2026-02-28"},
		// 03-05..08 (1-4), 03-09 Sat and 03-10 Sun off, 03-11..13 (5-7).
		{"plain week from a Monday", "2024-03-04", "2024-03-13"},
		// 03-09 Sat and 03-10 Sun off, 03-11..15 (1-5), 03-18..19 (6-7).
		{"plain week from a Friday", "2024-03-08", "2024-03-19"},
		// 03-10 Sun off, 03-11..15 (1-5), 03-18..19 (6-7).
		{"decision on a Saturday counts like the Friday", "2024-03-09", "2024-03-19"},
		// 2024-12-31 (1), 2025-01-01 off, 01-02..03 (2-3), 01-06..09 (4-7).
		{"across the year end", "2024-12-30", "2025-01-09"},
		// The decision day needs no data: 2002-01-01..03 off, 01-04 (1),
		// 01-07..11 (2-6), 01-14 (7).
		{"decision on the day before the first covered year", "2001-12-31", "2002-01-14"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.AddWorkingDays(day(tc.decision), 7)
			if err != nil {
				t.Fatalf("AddWorkingDays(%s, 7) error: %v", tc.decision, err)
			}
			if want := day(tc.want); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("AddWorkingDays(%s, 7) got %v, want %v", tc.decision, got, want)
			}
		})
	}
}

func TestAddWorkingDaysReadsTheDateInItsOwnLocation(t *testing.T) {
	c := official(t)
	shanghai := time.FixedZone("CST", 8*3600)
	// 00:30 on 27 September in Shanghai is still 26 September in UTC; the
	// civil date in the value's own zone is the one that counts.
	got, err := c.AddWorkingDays(time.Date(2024, 9, 27, 0, 30, 0, 0, shanghai), 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := day("2024-10-12"); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWorkingDaysBetweenCountsTheHalfOpenInterval(t *testing.T) {
	c := official(t)
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"2024 National Day deadline is 7", "2024-09-27", "2024-10-12", 7},
		{"one day late is 8", "2024-09-27", "2024-10-14", 8},
		{"same day is 0", "2024-10-01", "2024-10-01", 0},
		{"holiday only is 0", "2024-09-30", "2024-10-07", 0},
		{"reversed is negative", "2024-10-12", "2024-09-27", -7},
		{"plain week", "2024-03-03", "2024-03-10", 5},
		{"whole of 2024 has 251 working days", "2023-12-31", "2024-12-31", 251},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.WorkingDaysBetween(day(tc.from), day(tc.to))
			if err != nil {
				t.Fatalf("WorkingDaysBetween(%s, %s) error: %v", tc.from, tc.to, err)
			}
			if got != tc.want {
				t.Errorf("WorkingDaysBetween(%s, %s) got %d, want %d", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// The prefix-count table must agree with a plain day-by-day count over the
// whole covered range.
func TestTableAgreesWithCountingDayByDay(t *testing.T) {
	c := official(t)
	for d := day("2001-12-31"); d.Before(day("2027-11-01")); d = d.AddDate(0, 0, 1) {
		for _, n := range []int{1, 7, 30} {
			want, k := d, 0
			for k < n {
				want = want.AddDate(0, 0, 1)
				w, err := c.IsWorkingDay(want)
				if err != nil {
					t.Fatalf("IsWorkingDay(%v): %v", want, err)
				}
				if w {
					k++
				}
			}
			got, err := c.AddWorkingDays(d, n)
			if err != nil || !got.Equal(want) {
				t.Fatalf("AddWorkingDays(%v, %d) got %v, %v, want %v", d, n, got, err, want)
			}
			if between, err := c.WorkingDaysBetween(d, got); err != nil || between != n {
				t.Fatalf("WorkingDaysBetween(%v, %v) got %d, %v, want %d", d, got, between, err, n)
			}
		}
	}
}
