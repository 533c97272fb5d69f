package calendar

import (
	"fmt"
	"slices"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// The years Official asks lunar-go about. HolidayUtil's records carry
// four-digit years and start with the 2002 notice; the window leaves room for
// every notice a lunar-go upgrade can add this century.
const (
	sourceFirstYear = 2000
	sourceLastYear  = 2099
)

// Official returns the calendar of the State Council notices transcribed in
// lunar-go's HolidayUtil, read when it is called. With lunar-go v1.4.7 it
// covers 2002 to 2027. Building takes about 15 ms, mostly lunar-go's
// astronomical computation of each year's Spring Festival for the coverage
// rule, so build the calendar once at start-up and share it. The error
// reports malformed source data and does not happen with a released lunar-go.
func Official() (*Calendar, error) {
	entries, err := OfficialEntries()
	if err != nil {
		return nil, err
	}
	return New(entries)
}

// OfficialEntries returns the entries Official builds from, in date order:
// each HolidayUtil record is a Workday when its IsWork flag is set (a make-up
// working day, 调休) and a Holiday otherwise. Exporting them lets a city
// review the source data or start an override file from it.
func OfficialEntries() ([]Entry, error) {
	var entries []Entry
	for y := sourceFirstYear; y <= sourceLastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				return nil, fmt.Errorf("calendar: lunar-go HolidayUtil returned %T, not *Holiday", e.Value)
			}
			d, err := time.Parse(time.DateOnly, h.GetDay())
			if err != nil {
				return nil, fmt.Errorf("calendar: lunar-go HolidayUtil record %q: %w", h.String(), err)
			}
			k := Holiday
			if h.IsWork() {
				k = Workday
			}
			entries = append(entries, Entry{Date: d, Kind: k})
		}
	}
	slices.SortStableFunc(entries, func(a, b Entry) int { return a.Date.Compare(b.Date) })
	return entries, nil
}
