package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// File is a city's calendar file: the days off and make-up working days of
// the years it adds or corrects, each year with the State Council notice
// (国务院办公厅关于某年部分节假日安排的通知, its document number) they come
// from. The hub loads it at start (CALENDAR_FILE) and applies it over the
// official calendar (Calendar.With), so a city adds a year without a
// release.
type File struct {
	Entries []Entry
	// Notices are the notice numbers by year, for the years the file lists.
	Notices map[int]string
}

// LoadFile reads a calendar file: CSV lines "date,kind,notice" (an optional
// header, # comments and blank lines; the notice column may be left out,
// as in the older two-column override files). Every line of a year names
// the same notice, or none. The whole file is refused on the first bad
// line, naming its line number, so a typo in a notice never half-applies.
func LoadFile(r io.Reader) (File, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	f := File{Notices: map[int]string{}}
	firstLine := map[time.Time]int{} // date → line that listed it
	noticeLine := map[int]int{}      // year → line that named its notice
	for rec := 0; ; rec++ {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			// csv.ParseError already says "record on line N".
			return File{}, fmt.Errorf("calendar: calendar file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(fields) != 2 && len(fields) != 3 {
			return File{}, fmt.Errorf("calendar: calendar file line %d: want date,kind,notice, got %d fields", line, len(fields))
		}
		date, kind, notice := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1]), ""
		if len(fields) == 3 {
			notice = strings.TrimSpace(fields[2])
		}
		if rec == 0 && strings.EqualFold(date, "date") && strings.EqualFold(kind, "kind") {
			continue
		}
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return File{}, fmt.Errorf("calendar: calendar file line %d: %q is not a date in the form YYYY-MM-DD that exists", line, date)
		}
		if d.Year() < MinYear || d.Year() > MaxYear {
			return File{}, fmt.Errorf("calendar: calendar file line %d: %s is outside %d..%d", line, date, MinYear, MaxYear)
		}
		k, err := ParseKind(kind)
		if err != nil {
			return File{}, fmt.Errorf("calendar: calendar file line %d: kind %q is neither HOLIDAY nor WORKDAY", line, kind)
		}
		if prev, dup := firstLine[d]; dup {
			return File{}, fmt.Errorf("calendar: calendar file line %d: %s is already listed on line %d", line, date, prev)
		}
		firstLine[d] = line
		if notice != "" {
			if prev, ok := f.Notices[d.Year()]; ok && prev != notice {
				return File{}, fmt.Errorf("calendar: calendar file line %d: %d's notice is %s on line %d, not %s",
					line, d.Year(), prev, noticeLine[d.Year()], notice)
			}
			f.Notices[d.Year()], noticeLine[d.Year()] = notice, line
		}
		f.Entries = append(f.Entries, Entry{Date: d, Kind: k})
	}
}

// City returns the official calendar with the calendar file at path applied
// (path "" applies none), and the file's notices by year.
func City(path string) (*Calendar, map[int]string, error) {
	cal, err := Official()
	if err != nil || path == "" {
		return cal, map[int]string{}, err
	}
	r, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("calendar: %w", err)
	}
	defer r.Close()
	f, err := LoadFile(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (%s)", err, path)
	}
	cal, err = cal.With(f.Entries)
	return cal, f.Notices, err
}

// Year returns the entries of year in date order and whether the calendar
// covers it.
func (c *Calendar) Year(year int) ([]Entry, bool) {
	var out []Entry
	for _, e := range c.Entries() {
		if e.Date.Year() == year {
			out = append(out, e)
		}
	}
	return out, c.Covers(year)
}
