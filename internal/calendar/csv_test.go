package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLoadParsesTheOverrideFormat(t *testing.T) {
	in := `# comment line
date,kind

2028-01-01,HOLIDAY
 2028-01-29 , workday
2028-10-01,Holiday
`
	got, err := Load(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Load error: %v", err)
	}
	want := []Entry{
		{day("2028-01-01"), Holiday},
		{day("2028-01-29"), Workday},
		{day("2028-10-01"), Holiday},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Load got %v, want %v", got, want)
	}
}

func TestLoadRejectsBadLinesWithTheirNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"missing kind", "2028-01-01,HOLIDAY\n2028-01-02\n", "line 2"},
		{"extra field", "date,kind,notice\n2028-01-01,HOLIDAY,国办发明电〔2027〕9号,x\n", "line 2"},
		{"two notices for a year", "2028-01-01,HOLIDAY,甲\n2028-01-02,HOLIDAY,乙\n", "line 2: 2028's notice is 甲 on line 1"},
		{"day that does not exist", "# c\n2028-01-01,HOLIDAY\n2028-02-30,HOLIDAY\n", "line 3"},
		{"not ISO", "01/02/2028,HOLIDAY\n", "line 1"},
		{"unknown kind after a blank line", "2028-01-01,HOLIDAY\n\n2028-01-03,OFF\n", "line 3"},
		{"date listed twice", "2028-01-01,HOLIDAY\n2028-01-01,HOLIDAY\n", "line 2: 2028-01-01 is already listed on line 1"},
		{"year out of range", "2100-01-01,HOLIDAY\n", "line 1"},
		{"broken quoting", "2028-01-01,HOLIDAY\n\"2028-01-02,HOLIDAY\n", "line 2"},
		{"header not first", "2028-01-01,HOLIDAY\ndate,kind\n", "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Load(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("Load got %v and nil error, want an error naming %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load got error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCalendarFileNamesEachYearsNotice(t *testing.T) {
	in := "date,kind,notice\n# 2028: hypothetical\n2028-01-01,HOLIDAY,国办发明电〔2027〕9号\n2028-01-29,WORKDAY,国办发明电〔2027〕9号\n" +
		"2029-01-01,HOLIDAY\n"
	f, err := LoadFile(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 3 || f.Notices[2028] != "国办发明电〔2027〕9号" || f.Notices[2029] != "" {
		t.Errorf("got %+v", f)
	}
}

func TestOverrideCorrectsADateWithoutChangingTheOriginal(t *testing.T) {
	c := official(t)
	entries, err := Load(strings.NewReader("2024-10-12,HOLIDAY\n"))
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := c.With(entries)
	if err != nil {
		t.Fatal(err)
	}
	// 09-29 (1), 09-30 (2), 10-08..11 (3-6), 10-12 and 10-13 now off, 10-14 (7).
	got, err := fixed.AddWorkingDays(day("2024-09-27"), 7)
	if err != nil || !got.Equal(day("2024-10-14")) {
		t.Errorf("overridden calendar got %v, %v, want 2024-10-14", got, err)
	}
	got, err = c.AddWorkingDays(day("2024-09-27"), 7)
	if err != nil || !got.Equal(day("2024-10-12")) {
		t.Errorf("original calendar got %v, %v, want 2024-10-12 unchanged", got, err)
	}
}

// hypothetical2028 is invented for the tests, not the 2028 notice: it lists
// the two days the coverage rule requires (Spring Festival is 2028-01-26)
// around a plausible arrangement.
const hypothetical2028 = `date,kind
2028-01-01,HOLIDAY
2028-01-23,WORKDAY
2028-01-25,HOLIDAY
2028-01-26,HOLIDAY
2028-01-27,HOLIDAY
2028-01-28,HOLIDAY
2028-01-31,HOLIDAY
2028-02-01,HOLIDAY
2028-02-02,HOLIDAY
2028-02-05,WORKDAY
2028-10-01,HOLIDAY
2028-10-02,HOLIDAY
2028-10-03,HOLIDAY
2028-10-04,HOLIDAY
2028-10-05,HOLIDAY
2028-10-06,HOLIDAY
2028-10-07,HOLIDAY
`

func TestOverrideFileAddsAYear(t *testing.T) {
	c := official(t)
	entries, err := Load(strings.NewReader(hypothetical2028))
	if err != nil {
		t.Fatal(err)
	}
	c2028, err := c.With(entries)
	if err != nil {
		t.Fatal(err)
	}
	if !c2028.Covers(2028) || c.Covers(2028) {
		t.Fatalf("Covers(2028) got %v after and %v before, want true and false", c2028.Covers(2028), c.Covers(2028))
	}
	tests := []struct {
		name, decision, want string
	}{
		// 12-20..24 (1-5), 12-27 (6), 12-28 (7): the last week of 2027 is
		// now decided.
		{"last week of 2027 once 2028 is loaded", "2027-12-17", "2027-12-28"},
		// 01-22 Sat off, 01-23 Sun make-up (1), 01-24 (2), 01-25..02-02 off,
		// 02-03..04 (3-4), 02-05 Sat make-up (5), 02-07..08 (6-7).
		{"2028 Spring Festival from the file", "2028-01-21", "2028-02-08"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c2028.AddWorkingDays(day(tc.decision), 7)
			if err != nil || !got.Equal(day(tc.want)) {
				t.Errorf("AddWorkingDays(%s, 7) got %v, %v, want %s", tc.decision, got, err, tc.want)
			}
		})
	}
}

func TestIncompleteYearInAFileIsNotCovered(t *testing.T) {
	// Spring Festival without National Day: a half-entered notice.
	entries, err := Load(strings.NewReader("2028-01-26,HOLIDAY\n2028-01-27,HOLIDAY\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := official(t).With(entries)
	if err != nil {
		t.Fatal(err)
	}
	if c.Covers(2028) {
		t.Errorf("Covers(2028) got true, want false")
	}
	if _, err := c.IsWorkingDay(day("2028-03-01")); !errors.Is(err, ErrNoOfficialData) {
		t.Errorf("IsWorkingDay(2028-03-01) got error %v, want ErrNoOfficialData", err)
	}
}

func TestOfficialEntriesRoundTripThroughNew(t *testing.T) {
	entries, err := OfficialEntries()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(entries)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Entries(), entries; !slices.Equal(got, want) {
		t.Errorf("Entries() differ from OfficialEntries(): got %d entries, want %d", len(got), len(want))
	}
}
