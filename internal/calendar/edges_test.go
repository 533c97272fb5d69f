package calendar

import (
	"errors"
	"sync"
	"testing"
)

func TestAddWorkingDaysRejectsNonPositiveCounts(t *testing.T) {
	c := official(t)
	for _, n := range []int{0, -1, -7} {
		if _, err := c.AddWorkingDays(day("2024-03-04"), n); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("AddWorkingDays(n=%d) got error %v, want ErrInvalidCount", n, err)
		}
		if _, _, err := c.AddWorkingDaysOrEstimate(day("2024-03-04"), n); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("AddWorkingDaysOrEstimate(n=%d) got error %v, want ErrInvalidCount", n, err)
		}
	}
}

func TestUncoveredDatesReportTheMissingYear(t *testing.T) {
	c := official(t)
	tests := []struct {
		name     string
		call     func() error
		wantYear int
	}{
		{"IsWorkingDay in 1990", func() error { _, err := c.IsWorkingDay(day("1990-06-01")); return err }, 1990},
		{"IsWorkingDay in 2040", func() error { _, err := c.IsWorkingDay(day("2040-06-01")); return err }, 2040},
		{"AddWorkingDays in 1990", func() error { _, err := c.AddWorkingDays(day("1990-06-01"), 7); return err }, 1990},
		{"AddWorkingDays in 2040", func() error { _, err := c.AddWorkingDays(day("2040-06-01"), 7); return err }, 2040},
		{"AddWorkingDays in 2001, before the first covered year", func() error { _, err := c.AddWorkingDays(day("2000-12-31"), 1); return err }, 2001},
		// 12-20..24 (1-5), 12-25 Sat, 12-26 Sun, 12-27 needs the 2028 notice.
		{"AddWorkingDays into the last week of 2027", func() error { _, err := c.AddWorkingDays(day("2027-12-17"), 7); return err }, 2028},
		{"AddWorkingDays past the last covered year", func() error { _, err := c.AddWorkingDays(day("2027-12-01"), 100); return err }, 2028},
		{"IsWorkingDay on 2027-12-31 needs the 2028 notice", func() error { _, err := c.IsWorkingDay(day("2027-12-31")); return err }, 2028},
		{"WorkingDaysBetween into 2028", func() error { _, err := c.WorkingDaysBetween(day("2027-11-01"), day("2028-01-10")); return err }, 2028},
		{"WorkingDaysBetween from 2001", func() error { _, err := c.WorkingDaysBetween(day("2001-06-01"), day("2002-01-10")); return err }, 2001},
		{"huge count", func() error { _, err := c.AddWorkingDays(day("2024-01-01"), 1<<40); return err }, 2027 + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrNoOfficialData) {
				t.Fatalf("got error %v, want ErrNoOfficialData", err)
			}
			var nd *NoDataError
			if !errors.As(err, &nd) || nd.Year != tc.wantYear {
				t.Errorf("got %v, want missing year %d", err, tc.wantYear)
			}
		})
	}
}

func TestLastWeekOfDecemberIsDecidedWhenTheNextYearIsCovered(t *testing.T) {
	c := official(t)
	// 12-28..31 (1-4), 2027-01-01 Fri off, 01-04..06 (5-7).
	got, err := c.AddWorkingDays(day("2026-12-25"), 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := day("2027-01-06"); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestAddWorkingDaysOrEstimateFlagsGuesses(t *testing.T) {
	c := official(t)
	tests := []struct {
		name          string
		decision      string
		want          string
		wantEstimated bool
	}{
		{"covered dates are exact", "2024-09-27", "2024-10-12", false},
		// 12-20..24 (1-5) official, then weekdays 12-27 (6), 12-28 (7).
		{"last week of 2027 is estimated", "2027-12-17", "2027-12-28", true},
		// 2040-06-01 is a Friday: 06-04..08 (1-5), 06-11..12 (6-7).
		{"uncovered year counts weekdays", "2040-06-01", "2040-06-12", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, est, err := c.AddWorkingDaysOrEstimate(day(tc.decision), 7)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(day(tc.want)) || est != tc.wantEstimated {
				t.Errorf("got %v estimated=%v, want %s estimated=%v", got, est, tc.want, tc.wantEstimated)
			}
		})
	}
}

func TestNewRejectsContradictoryOrInvalidEntries(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
	}{
		{"same date both kinds", []Entry{{day("2024-10-01"), Holiday}, {day("2024-10-01"), Workday}}},
		{"zero kind", []Entry{{day("2024-10-01"), 0}}},
		{"year too early", []Entry{{day("1900-10-01"), Holiday}}},
		{"year too late", []Entry{{day("2100-10-01"), Holiday}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.entries); err == nil {
				t.Errorf("New got nil error, want one")
			}
		})
	}
}

func TestEmptyCalendarCoversNothing(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); len(got) != 0 {
		t.Errorf("Years() got %v, want none", got)
	}
	if _, err := c.AddWorkingDays(day("2024-01-01"), 7); !errors.Is(err, ErrNoOfficialData) {
		t.Errorf("got error %v, want ErrNoOfficialData", err)
	}
	if _, err := c.WorkingDaysBetween(day("2024-01-01"), day("2024-01-05")); !errors.Is(err, ErrNoOfficialData) {
		t.Errorf("got error %v, want ErrNoOfficialData", err)
	}
}

func TestDayNumberAgreesWithPackageTime(t *testing.T) {
	for d := day("1899-12-25"); d.Before(day("2101-01-10")); d = d.AddDate(0, 0, 1) {
		if got, want := dayOf(d), int(d.Unix()/86400); got != want {
			t.Fatalf("dayOf(%v) got %d, want %d", d, got, want)
		}
	}
}

func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	c := official(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				d := day("2024-01-01").AddDate(0, 0, (g*1000+i)%700)
				if _, err := c.AddWorkingDays(d, 7); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
