package calendar

import (
	"testing"
	"time"
)

// benchDates spreads decisions over 2020-2026 so the benchmark does not
// measure one cached path.
func benchDates() []time.Time {
	ds := make([]time.Time, 0, 2048)
	for d := day("2020-01-01"); len(ds) < cap(ds); d = d.AddDate(0, 0, 1) {
		ds = append(ds, d)
	}
	return ds
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := official(b)
	ds := benchDates()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.AddWorkingDays(ds[i&2047], 7); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := official(b)
	ds := benchDates()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.WorkingDaysBetween(ds[i&2047], ds[(i+11)&2047]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkOfficial(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Official(); err != nil {
			b.Fatal(err)
		}
	}
}
