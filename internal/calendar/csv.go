package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Load reads entries from an override file in the CSV format described in the
// package documentation: "date,kind" lines with dates as YYYY-MM-DD and kinds
// HOLIDAY or WORKDAY, an optional header, # comments and blank lines. It
// rejects the whole file on the first bad line, naming its line number, so a
// typo in a notice never half-applies. Apply the result with New or
// Calendar.With.
func Load(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 2
	cr.TrimLeadingSpace = true
	var entries []Entry
	firstLine := map[time.Time]int{} // date → line that listed it
	for rec := 0; ; rec++ {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			// csv.ParseError already says "record on line N".
			return nil, fmt.Errorf("calendar: override file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		date, kind := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if rec == 0 && strings.EqualFold(date, "date") && strings.EqualFold(kind, "kind") {
			continue
		}
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, fmt.Errorf("calendar: override file line %d: %q is not a date in the form YYYY-MM-DD that exists", line, date)
		}
		if d.Year() < MinYear || d.Year() > MaxYear {
			return nil, fmt.Errorf("calendar: override file line %d: %s is outside %d..%d", line, date, MinYear, MaxYear)
		}
		k, err := ParseKind(kind)
		if err != nil {
			return nil, fmt.Errorf("calendar: override file line %d: kind %q is neither HOLIDAY nor WORKDAY", line, kind)
		}
		if prev, dup := firstLine[d]; dup {
			return nil, fmt.Errorf("calendar: override file line %d: %s is already listed on line %d", line, date, prev)
		}
		firstLine[d] = line
		entries = append(entries, Entry{Date: d, Kind: k})
	}
}
