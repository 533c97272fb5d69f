package credit

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a civil date: a day on the calendar with no time and no zone. It is
// held as midnight UTC so that == compares days and arithmetic never crosses
// a daylight-saving or zone boundary.
type Date struct{ t time.Time }

// DateLayout is the ISO 8601 layout of a Date (the GraphQL Date scalar).
const DateLayout = "2006-01-02"

// Shanghai is the zone in which "today" is decided for the city.
var Shanghai = loadShanghai()

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	// China has had no daylight saving since 1991: a fixed zone is exact
	// for every date the hub deals with.
	return time.FixedZone("CST", 8*3600)
}

// NewDate returns the date y-m-d, normalising out-of-range values like time.Date.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the civil date of instant t in the city's zone.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return NewDate(y, m, d)
}

// DateFromTime returns the date of t read in t's own location (as a database
// driver returns a date column).
func DateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses YYYY-MM-DD and rejects days that do not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD that exists", s)
	}
	return Date{t}, nil
}

// MustDate parses s and panics on error; for tests and constant tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String formats the date as YYYY-MM-DD; the zero Date prints as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time { return d.t }

// Year returns the year of d.
func (d Date) Year() int { return d.t.Year() }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d moved by n calendar months. A day that does not exist
// in the target month clamps to its last day (2024-02-29 + 12 months is
// 2025-02-28), the way periods "of one year" are counted in decisions, where
// time.AddDate would overflow into March.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// Scan implements sql.Scanner for date columns.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateFromTime(v)
		return nil
	case []byte:
		return d.scanString(string(v))
	case string:
		return d.scanString(v)
	}
	return fmt.Errorf("credit.Date: cannot scan %T", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > len(DateLayout) {
		s = s[:len(DateLayout)]
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// Value implements driver.Valuer; the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.t.Format(DateLayout), nil
}

// MarshalJSON writes the date as "YYYY-MM-DD" (null for the zero Date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null; a longer timestamp keeps its date.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("credit.Date: %s is not a JSON string", s)
	}
	return d.scanString(s[1 : len(s)-1])
}
