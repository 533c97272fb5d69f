package calendar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// Kind says whether an Entry's date is a day off or a working day.
type Kind uint8

// The kinds of Entry. The zero Kind is invalid so that a forgotten field is
// caught rather than read as a holiday.
const (
	// Holiday is a day off: a public holiday of the notice, or a weekday
	// the notice gives off to bridge a long holiday.
	Holiday Kind = iota + 1
	// Workday is a working day: usually a Saturday or Sunday that the
	// notice makes a working day (调休).
	Workday
)

// String returns the name the override file uses, HOLIDAY or WORKDAY.
func (k Kind) String() string {
	switch k {
	case Holiday:
		return "HOLIDAY"
	case Workday:
		return "WORKDAY"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind parses HOLIDAY or WORKDAY, in any letter case.
func ParseKind(s string) (Kind, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "HOLIDAY":
		return Holiday, nil
	case "WORKDAY":
		return Workday, nil
	}
	return 0, fmt.Errorf("calendar: kind %q is neither HOLIDAY nor WORKDAY", s)
}

// Entry is one dated line of a notice: a date and whether it is off or worked.
type Entry struct {
	// Date is the civil date, read with its Date method.
	Date time.Time
	Kind Kind
}

// MinYear and MaxYear bound the years an Entry may have. They are the range
// in which lunar-go's lunar calendar, used to find the Spring Festival, is
// reliable, and leave a century of room either side of any real notice.
const (
	MinYear = 1901
	MaxYear = 2099
)

// lastWeek is how many days at the end of December the following year's
// notice can reach into for its New Year arrangement.
const lastWeek = 7

// Calendar is the working-day calendar of a set of covered years. It is
// immutable: build one with New, Official or Calendar.With and share it.
type Calendar struct {
	entries map[int]Kind // day number (days since 1970-01-01) → kind
	years   []int        // covered years, ascending
	base    int          // day number of table index 0 (1 January of years[0])
	// working[i] and missing[i] count, among table days 0..i-1, the working
	// days and the days without official data. Prefix counts make every
	// range question two reads, and a search finds the n-th working day.
	working []int32
	missing []int32
}

// New builds a calendar from entries. Every date not listed is a working day
// from Monday to Friday and a day off on Saturday and Sunday. Which years are
// covered follows the rule in the package documentation. New fails on an
// invalid kind, a year outside MinYear..MaxYear, or a date listed twice with
// different kinds.
func New(entries []Entry) (*Calendar, error) {
	m, err := index(entries)
	if err != nil {
		return nil, err
	}
	return build(m), nil
}

// With returns a new calendar whose entries are c's, replaced or extended by
// entries; c is unchanged. It is how a city applies an override file, for
// example a notice published after the lunar-go release in use.
func (c *Calendar) With(entries []Entry) (*Calendar, error) {
	m, err := index(entries)
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(c.entries)
	maps.Copy(merged, m)
	return build(merged), nil
}

// Entries returns the calendar's entries sorted by date, for review or export.
func (c *Calendar) Entries() []Entry {
	days := slices.Sorted(maps.Keys(c.entries))
	out := make([]Entry, len(days))
	for i, d := range days {
		out[i] = Entry{Date: dayTime(d), Kind: c.entries[d]}
	}
	return out
}

// Years returns the covered years in ascending order.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Covers reports whether year is covered by official data.
func (c *Calendar) Covers(year int) bool {
	_, ok := slices.BinarySearch(c.years, year)
	return ok
}

// index validates entries and maps them by day number.
func index(entries []Entry) (map[int]Kind, error) {
	m := make(map[int]Kind, len(entries))
	for _, e := range entries {
		y, mo, d := e.Date.Date()
		if y < MinYear || y > MaxYear {
			return nil, fmt.Errorf("calendar: %s: year outside %d..%d", formatDate(e.Date), MinYear, MaxYear)
		}
		if e.Kind != Holiday && e.Kind != Workday {
			return nil, fmt.Errorf("calendar: %s: invalid %v", formatDate(e.Date), e.Kind)
		}
		day := dayNumber(y, mo, d)
		if k, dup := m[day]; dup && k != e.Kind {
			return nil, fmt.Errorf("calendar: %s listed as both %v and %v", formatDate(e.Date), k, e.Kind)
		}
		m[day] = e.Kind
	}
	return m, nil
}

// build computes coverage and the prefix-count table from validated entries.
func build(entries map[int]Kind) *Calendar {
	c := &Calendar{entries: entries}
	seen := map[int]bool{}
	for d := range entries {
		seen[dayTime(d).Year()] = true
	}
	for y := range seen {
		if entries[springFestival(y)] == Holiday && entries[dayNumber(y, time.October, 1)] == Holiday {
			c.years = append(c.years, y)
		}
	}
	slices.Sort(c.years)
	if len(c.years) == 0 {
		return c
	}
	first, last := c.years[0], c.years[len(c.years)-1]
	c.base = dayNumber(first, time.January, 1)
	n := dayNumber(last+1, time.January, 1) - c.base
	c.working = make([]int32, n+1)
	c.missing = make([]int32, n+1)
	for i := range n {
		day := c.base + i
		w, m := int32(0), int32(0)
		if c.isWorking(day) {
			w = 1
		}
		if c.missingYear(day) != 0 {
			m = 1
		}
		c.working[i+1] = c.working[i] + w
		c.missing[i+1] = c.missing[i] + m
	}
	return c
}

// isWorking applies the entries, then Monday to Friday, to a day number.
func (c *Calendar) isWorking(day int) bool {
	switch c.entries[day] {
	case Holiday:
		return false
	case Workday:
		return true
	}
	return isWeekday(day)
}

// missingYear returns the year whose notice is needed to decide day and is
// not covered, or 0 when the day is decided. Only build and error paths use
// it; queries read the precomputed table.
func (c *Calendar) missingYear(day int) int {
	t := dayTime(day)
	y := t.Year()
	if !c.Covers(y) {
		return y
	}
	if t.Month() == time.December && t.Day() > 31-lastWeek && !c.Covers(y+1) {
		return y + 1
	}
	return 0
}

// springFestival returns the day number of the first day of the lunar year
// that starts in Gregorian year y.
func springFestival(y int) int {
	s := lunar.NewLunarFromYmd(y, 1, 1).GetSolar()
	return dayNumber(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

// ErrNoOfficialData is matched, with errors.Is, by every error about a date
// the calendar has no official data for.
var ErrNoOfficialData = errors.New("calendar: no official working-day data")

// ErrInvalidCount is returned for a working-day count below 1.
var ErrInvalidCount = errors.New("calendar: working-day count must be at least 1")

// NoDataError reports the year whose State Council notice a computation
// needed and the calendar does not cover. Callers collect Year to know which
// notice to load.
type NoDataError struct {
	Year int
}

// Error names the missing year.
func (e *NoDataError) Error() string {
	return fmt.Sprintf("%v for %d", ErrNoOfficialData, e.Year)
}

// Is makes errors.Is(err, ErrNoOfficialData) true.
func (e *NoDataError) Is(target error) bool { return target == ErrNoOfficialData }
